"""Getting back in without e-mail: ten single-use recovery codes shown once at sign-up (and
whenever she makes new ones), or a one-time reset code an agency admin makes after meeting
her in person, which she is told about on her next visit."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from survivor_portal.accounts import throttle
from survivor_portal.accounts.login_sessions import sessions_end_all
from survivor_portal.accounts.models import RecoveryCode, ResetCode, User
from survivor_portal.accounts.services import credentials_check, has_second_factor, second_factor_check
from survivor_portal.errors import DomainError, Invalid, NotFound, Throttled

CODES = 10
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to copy by hand
RESET_HOURS = 48


def _hash(code: str) -> str:
    """Keyed with the server's secret, so a copy of the database alone cannot test guesses."""
    normalized = "".join(ch for ch in (code or "").lower() if ch.isalnum())
    return hmac.new(settings.SECRET_KEY.encode(), normalized.encode(), hashlib.sha256).hexdigest()


def _code(groups: int) -> str:
    return "-".join("".join(secrets.choice(ALPHABET) for _i in range(4)) for _g in range(groups))


@transaction.atomic
def recovery_codes_make(*, actor: User) -> list[str]:
    """Ten new codes (about 60 bits each); earlier unused ones stop working. Shown once, never stored."""
    if not actor.is_authenticated or not actor.is_survivor:
        raise NotFound(_("We could not find that."))
    RecoveryCode.objects.filter(user=actor, used_at__isnull=True).delete()
    codes = [_code(3) for _n in range(CODES)]
    RecoveryCode.objects.bulk_create(RecoveryCode(user=actor, code_hash=_hash(code)) for code in codes)
    return codes


@transaction.atomic
def reset_code_issue(*, actor: User, username: str) -> tuple[ResetCode, str]:
    """An agency admin, after meeting her in person: a one-time code for 48 hours."""
    if not actor.is_authenticated or actor.role != User.Role.AGENCY_ADMIN or actor.agency_id is None:
        raise NotFound(_("We could not find that."))
    person = User.objects.filter(username__iexact=(username or "").strip(), role=User.Role.SURVIVOR,
                                 agency_id=actor.agency_id, is_active=True).first() if (username or "").isprintable() else None
    if person is None:
        raise Invalid(_("We could not find that person at your agency."), field="username")
    now = timezone.now()
    ResetCode.objects.filter(user=person, used_at__isnull=True).update(expires_at=now)  # one open code at a time
    code = _code(4)
    made = ResetCode.objects.create(user=person, code_hash=_hash(code), issued_by=actor, issued_by_label=actor.display_name,
                                    agency_label=actor.agency.name, expires_at=now + timedelta(hours=RESET_HOURS))
    return made, code


@transaction.atomic
def recovery_codes_replace(*, actor: User, passphrase: str, address: str = "") -> list[str]:
    """New codes only with her passphrase: a minute with her unlocked phone is not enough."""
    if not actor.is_authenticated or not actor.is_survivor:
        raise NotFound(_("We could not find that."))
    try:
        credentials_check(username=actor.username, password=passphrase or "", address=address)
    except Throttled:
        raise
    except DomainError:
        raise Invalid(_("That passphrase is not right. Your codes did not change."), field="passphrase") from None
    return recovery_codes_make(actor=actor)


@transaction.atomic
def recover(*, username: str, code: str, passphrase: str, passphrase_again: str, address: str = "",
            otp_token: str = "") -> User:
    """A new passphrase with a recovery or reset code. Wrong username or code: one neutral
    message, counted like failed logins. Her other sessions end."""
    username = (username or "").strip()
    if throttle.is_blocked(username=username, address=address):
        raise Throttled(_("Too many tries. Please wait 15 minutes and try again."))
    refusal = Invalid(_("That username and code do not match. Check them and try again."), field="code")
    person = User.objects.select_for_update().filter(username__iexact=username, role=User.Role.SURVIVOR,
                                                     is_active=True).first() if username.isprintable() else None
    now, digest = timezone.now(), _hash(code)
    spent = None
    if person is not None:
        spent = (RecoveryCode.objects.select_for_update().filter(user=person, code_hash=digest, used_at__isnull=True).first()
                 or ResetCode.objects.select_for_update().filter(user=person, code_hash=digest, used_at__isnull=True,
                                                                 expires_at__gt=now).first())
    if spent is None:
        throttle.record_failure(username=username, address=address)
        raise refusal
    if has_second_factor(person):
        # A code alone does not undo her two-step login: her authenticator (or one of its backup codes) too.
        try:
            second_factor_check(user=person, token=otp_token or "", address=address)
        except DomainError:
            raise Invalid(_("You turned on two-step login: also type the code from your authenticator app, "
                            "or one of its backup codes."), field="otp_token") from None
    if passphrase != passphrase_again:
        raise Invalid(_("The two passphrases are not the same."), field="passphrase_again")
    try:
        password_validation.validate_password(passphrase, person)
    except ValidationError as error:
        raise Invalid(" ".join(error.messages), field="passphrase") from None
    person.set_password(passphrase)
    person.save(update_fields=["password"])
    spent.used_at = now
    spent.save(update_fields=["used_at"])
    sessions_end_all(user=person)
    throttle.clear(username=username)
    return person


def reset_notices(*, viewer: User) -> list[ResetCode]:
    """Reset codes made for her that she has not yet been told about."""
    if not viewer.is_authenticated or not viewer.is_survivor:
        return []
    return list(ResetCode.objects.filter(user=viewer, seen_at__isnull=True))


@transaction.atomic
def reset_notice_seen(*, actor: User, code_id: int) -> None:
    found = ResetCode.objects.filter(pk=code_id, user=actor).first() if actor.is_authenticated and 0 < code_id < 2**63 else None
    if found is None:
        raise NotFound(_("We could not find that."))
    if found.seen_at is None:
        found.seen_at = timezone.now()
        found.save(update_fields=["seen_at"])
