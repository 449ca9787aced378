"""The one table that decides: every CharField and TextField of every model of the project is
either encrypted (fields.EncryptedCharField / EncryptedTextField) or listed here with a one-line
reason it says nothing of anyone's words. Choice fields and row keys need no entry. A new text
field that is in neither place fails tests/vault/test_field_table.py."""

from django.apps import apps
from django.db import models

from survivor_portal.vault.fields import EncryptedMixin, RowKeyField

PROJECT_APPS = ("survivor_portal.", "peer_support.")

PLAIN: dict[str, str] = {
    "accounts.Agency.name": "the agency's public name; unique, and looked up by it",
    "accounts.Agency.helps_with": "the agency's published line about what it helps with",
    "accounts.Agency.time_zone": "a time-zone name picked from the list",
    "accounts.Agency.crisis_resources": "the agency's published crisis lines, the same for everyone",
    "accounts.User.password": "a one-way hash (argon2)",
    "accounts.User.username": "her login handle, plain for lookup; sign-up advises against a real name",
    "accounts.User.username_key": "the username's look-alike key, derived from it for uniqueness",
    "accounts.Invite.code_hash": "a hash of a one-time code",
    "accounts.RecoveryCode.code_hash": "a hash of a one-time code",
    "accounts.ResetCode.code_hash": "a hash of a one-time code",
    "accounts.ResetCode.agency_label": "the agency's public name, kept if the agency goes",
    "accounts.LoginSession.session_key": "a random key",
    "accounts.LoginSession.handle": "a keyed hash of the session key",
    "accounts.LoginSession.browser": "a coarse browser name from a fixed list (\"Chrome\")",
    "accounts.LoginSession.system": "a coarse system name from a fixed list (\"Android\")",
    "safety.SafetySettings.unlock_pin_hash": "a one-way hash of her PIN",
    "safety.SafetySettings.cover_key_hash": "a hash of a device's random key",
    "consent.ConsentGrant.given_via": "how it was given: a fixed word (\"app\", \"staff\")",
    "consent.ConsentGrant.notice_language": "a language code",
    "consent.AccessEvent.what": "codes of what was seen (scopes, categories), never words",
    "consent.AccessEvent.via": "a fixed word (\"page\", \"api\")",
    "consent.AgencyApiKey.name": "the agency's name for its own system's key, about no person",
    "consent.AgencyApiKey.prefix": "the key's first characters, to recognise it (the key is hashed)",
    "consent.AgencyApiKey.key_hash": "a hash of the key",
    "consent.Suggestion.category": "a goal category code",
    "idempotency.IdempotencyKey.key": "a random key the client or form sent",
    "idempotency.IdempotencyKey.fingerprint": "a hash of the request",
    "idempotency.IdempotencyKey.content_type": "a media type",
    "groups.PeerGroup.name": "the agency's published group name, shown to everyone who may join",
    "groups.PeerGroup.purpose": "the agency's published group purpose, shown to everyone who may join",
    "groups.PeerGroup.agreement": "the agency's published group agreement, shown to everyone who may join",
    "groups.Membership.alias": "a group pseudonym the app suggests; plain so it stays unique in the group",
    "groups.Membership.alias_key": "the alias as compared, derived from it",
    "groups.ModerationAction.actor_label": "a mentor's alias or \"Agency admin\"",
    "groups.ModerationAction.target_label": "a member's alias",
    "groups.Meeting.set_by_label": "the mentor's alias",
    "groups.CheckIn.mentor_alias": "the alias of the mentor who checked in, as the member saw it",
}



def text_fields():
    """(label, field) for every CharField and TextField of the project's models."""
    for model in apps.get_models():
        if not model.__module__.startswith(PROJECT_APPS):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField)):
                yield f"{model._meta.app_label}.{model.__name__}.{field.name}", field


def is_encrypted(field) -> bool:
    return isinstance(field, EncryptedMixin)


def undecided() -> list[str]:
    """Text fields neither encrypted, nor a choice or row key, nor listed as plain with a reason."""
    return [label for label, field in text_fields()
            if not (is_encrypted(field) or field.choices or isinstance(field, RowKeyField) or label in PLAIN)]


def encrypted_fields() -> dict[type, list[str]]:
    """Every encrypted model and its encrypted fields' names (rotation walks these)."""
    found: dict[type, list[str]] = {}
    for _label, field in text_fields():
        if is_encrypted(field):
            found.setdefault(field.model, []).append(field.name)
    return found
