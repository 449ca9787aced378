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

from survivor_portal.accounts import devices, throttle
from survivor_portal.accounts.login_sessions import sessions_end_all
from survivor_portal.accounts.models import RecoveryCode, ResetCode, User
from survivor_portal.accounts.services import credentials_check, has_second_factor, second_factor_matches
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


def recovery_codes_replace(*, actor: User, passphrase: str, address: str = "", device: str = "") -> list[str]:
    """New codes only with her passphrase: a minute with her unlocked phone is not enough.
    The passphrase is checked before any transaction, so a wrong one stays counted."""
    if not actor.is_authenticated or not actor.is_survivor:
        raise NotFound(_("We could not find that."))
    try:
        credentials_check(username=actor.username, password=passphrase or "", address=address, device=device)
    except Throttled:
        raise
    except DomainError:
        raise Invalid(_("That passphrase is not right. Your codes did not change."), field="passphrase") from None
    return recovery_codes_make(actor=actor)


class _WrongSecret(Exception):
    def __init__(self, error: DomainError):
        self.error = error


def recover(*, username: str, code: str, passphrase: str, passphrase_again: str, address: str = "",
            otp_token: str = "", device: str = "") -> User:
    """A new passphrase with a recovery or reset code. Wrong username or code: one neutral
    message. Tries are counted like logins but apart from them (accounts.throttle), outside the
    transaction so a rollback cannot undo the count. Her other sessions end."""
    username = (username or "").strip()
    who = throttle.Who(username=username, device=devices.device_nonce(token=device, username=username),
                       address=address, kind="recover")
    try:
        with throttle.attempt(who) as attempt:
            try:
                return _recover(username=username, code=code, passphrase=passphrase,
                                passphrase_again=passphrase_again, otp_token=otp_token)
            except _WrongSecret as wrong:
                attempt.fail()
                raise wrong.error from None
    except throttle.Refused:
        raise Throttled(_("Too many tries. Please wait a while and try again.")) from None


@transaction.atomic
def _recover(*, username: str, code: str, passphrase: str, passphrase_again: str, otp_token: str) -> User:
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
        raise _WrongSecret(refusal)
    if has_second_factor(person) and second_factor_matches(user=person, token=otp_token or "") is None:
        # A code alone does not undo her two-step login: her authenticator (or one of its backup codes) too.
        raise _WrongSecret(Invalid(_("You turned on two-step login: also type the code from your authenticator app, "
                                     "or one of its backup codes."), field="otp_token"))
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
