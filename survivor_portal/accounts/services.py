"""Every write and rule about accounts: invites, joining, logging in, two-factor, settings."""

import base64
import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user, match_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from survivor_portal.accounts import devices, only_me, throttle
from survivor_portal.accounts.code_keys import code_hash, code_hashes
from survivor_portal.accounts.models import Agency, Invite, RecoveryCode, ResetCode, User
from survivor_portal.accounts.passphrases import GuessableValidator
from survivor_portal.errors import DomainError, Invalid, NotAllowed, Throttled
from survivor_portal.versions import Expected, version_check
from survivor_portal.write_limits import write_limit

INVITE_DAYS = 7
# No 0/O, 1/I/L or 5/S pairs: the code is read aloud and typed on small keyboards.
INVITE_ALPHABET = "ABCDEFGHJKMNPQRTUVWXYZ2346789"
INVITE_GROUPS, INVITE_GROUP_LEN = 3, 4
BACKUP_CODE_COUNT = 10


class BadCredentials(DomainError):
    status = 401
    code = "bad_credentials"


def _neutral_login_refusal() -> str:
    # One message for a wrong name, a wrong passphrase and a lock, so none reveals that a username exists.
    return _("That did not work. Check your username and passphrase, or try again later.")


def _invite_text(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _invite_hashes(code: str) -> list[str]:
    """Under every code key (accounts.code_keys); and the plain SHA-256 invites had before they
    were keyed, so an invite made then works until it expires (7 days)."""
    text = _invite_text(code)
    return [*code_hashes(text), hashlib.sha256(text.encode()).hexdigest()]


def _new_invite_code() -> str:
    groups = (
        "".join(secrets.choice(INVITE_ALPHABET) for _i in range(INVITE_GROUP_LEN)) for _g in range(INVITE_GROUPS)
    )
    return "-".join(groups)


@write_limit("invite")
@transaction.atomic
def invite_create(*, actor: User, role: str) -> tuple[Invite, str]:
    """Returns the invite and its code; the code is shown once and never stored."""
    if actor.role != User.Role.AGENCY_ADMIN or actor.agency_id is None:
        raise NotAllowed(_("Only an agency admin can create invite codes."))
    if role not in User.Role.values:
        raise Invalid(_("Pick who this code is for."), field="role")
    code = _new_invite_code()
    invite = Invite(
        code_hash=code_hash(_invite_text(code)),
        agency_id=actor.agency_id,
        role=role,
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=INVITE_DAYS),
    )
    invite.full_clean()
    invite.save()
    return invite, code


def invite_check(*, code: str, address: str = "") -> Invite:
    """Finds an open invite for a code. Wrong, expired and used codes get one message."""
    refusal = Invalid(_("That code does not work. It may be mistyped, used or out of date."), field="code")
    if throttle.is_blocked(join_address=address):
        raise Throttled(_("Too many tries. Please wait 15 minutes and try again."), field="code")
    invite = Invite.objects.filter(code_hash__in=_invite_hashes(code or "")).select_related("agency").first()
    if invite is None or invite.state != "open":
        throttle.record_failure(join_address=address)
        raise refusal
    return invite


def account_join(*, code: str, username: str, display_name: str, passphrase: str, address: str = "") -> User:
    # Checked before the transaction, so a wrong code stays counted (accounts.throttle).
    invite = invite_check(code=code, address=address)
    return _account_join(invite_id=invite.pk, username=username, display_name=display_name, passphrase=passphrase)


@transaction.atomic
def _account_join(*, invite_id: int, username: str, display_name: str, passphrase: str) -> User:
    # Lock the invite row so two people typing the same code at once cannot both join.
    invite = Invite.objects.select_for_update().get(pk=invite_id)
    if invite.state != "open":
        raise Invalid(_("That code does not work. It may be mistyped, used or out of date."), field="code")
    # Taken and look-alike usernames are refused by User.clean (accounts.usernames), mixed alphabets by its field.
    username = (username or "").strip()
    user = User(
        username=username,
        display_name=(display_name or "").strip(),
        role=invite.role,
        agency=invite.agency,
    )
    # Every problem at once, each for its own field: a taken username and a short passphrase
    # are both told the first time, not one per try.
    problems = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            # username_key is the username's look-alike-proof twin: its "taken" is the username's
            problems.setdefault("username" if field == "username_key" else field, messages[0])
    if (wrong := passphrase_problem(passphrase, user)) is not None:
        problems["passphrase"] = wrong
    if problems:
        field, message = next(iter(problems.items()))
        raise Invalid(message, field=None if field == "__all__" else field,
                      extra={"problems": problems} if len(problems) > 1 else None)
    user.set_password(passphrase)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise Invalid(_("That username is taken. Try another."), field="username") from None
    invite.used_at = timezone.now()
    invite.used_by = user
    invite.save(update_fields=["used_at", "used_by"])
    return user


# Whether she has two-step login, remembered in her session so pages do not ask the database
# on every request. It is written when the session starts and whenever she turns two-step on or
# off; doing either ends her other sessions, so no session keeps an answer that is no longer true.
TWO_STEP = "_two_step"


def has_second_factor(user: User, session=None) -> bool:
    if session is not None and session.get(TWO_STEP) is not None:
        return session[TWO_STEP]
    found = any(devices_for_user(user, confirmed=True))
    if session is not None:
        session[TWO_STEP] = found
    return found


def needs_second_factor(user: User, session=None) -> bool:
    """Staff always; a survivor only once she has chosen to add it."""
    return user.is_agency_staff or has_second_factor(user, session)


def _who(username: str, device: str, address: str, kind: str = "login") -> throttle.Who:
    return throttle.Who(username=username, device=devices.device_nonce(token=device, username=username),
                        address=address, kind=kind)


def credentials_check(*, username: str, password: str, address: str, device: str = "") -> User:
    """Her username and passphrase. `device` is this browser's device cookie (accounts.devices):
    a device she logged in on before keeps its own allowance, whatever others try."""
    username = "".join(ch for ch in (username or "") if ch.isprintable()).strip()
    try:
        with throttle.attempt(_who(username, device, address)) as attempt:
            user = authenticate(username=username, password=password or "")
            if user is None:
                attempt.fail()
    except throttle.Refused:
        raise Throttled(_neutral_login_refusal()) from None
    if user is None:
        raise BadCredentials(_neutral_login_refusal())
    return user


def second_factor_matches(*, user: User, token: str) -> Device | None:
    """A code from her authenticator app or one of her single-use backup codes (used up if it matches)."""
    return match_token(user, (token or "").replace(" ", "").strip()) if token else None


def second_factor_check(*, user: User, token: str, address: str, device: str = "") -> Device:
    """The second step of a login, counted like the passphrase."""
    try:
        with throttle.attempt(_who(user.username, device, address)) as attempt:
            matched = second_factor_matches(user=user, token=token)
            if matched is None:
                attempt.fail()
    except throttle.Refused:
        raise Throttled(_neutral_login_refusal()) from None
    if matched is None:
        raise Invalid(_("That code did not work. Codes change every 30 seconds; try the newest one."), field="code")
    return matched


def totp_setup_start(*, actor: User) -> TOTPDevice:
    """An unconfirmed device to scan; it only counts once she proves it works."""
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=actor, name="Authenticator", confirmed=False)


@transaction.atomic
def totp_setup_confirm(*, actor: User, token: str) -> tuple[TOTPDevice, list[str]]:
    device = TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=False).first()
    if device is None:
        raise Invalid(_("Start again: open the set-up page to get a new code."), field="code")
    if not device.verify_token((token or "").replace(" ", "").strip()):
        raise Invalid(_("That code did not work. Codes change every 30 seconds; try the newest one."), field="code")
    TOTPDevice.objects.filter(user=actor, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device, backup_codes_replace(actor=actor)


@transaction.atomic
def backup_codes_replace(*, actor: User) -> list[str]:
    """Ten new single-use codes; the old ones stop working. Shown once."""
    device, _created = StaticDevice.objects.get_or_create(user=actor, name="Backup codes")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def totp_secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


def two_factor_remove(*, actor: User, passphrase: str, address: str, device: str = "") -> None:
    if actor.is_agency_staff:
        raise NotAllowed(_("Staff accounts must keep two-step login."))
    # Checked before the transaction, so a wrong passphrase stays counted (accounts.throttle).
    credentials_check(username=actor.username, password=passphrase, address=address, device=device)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor).delete()
        StaticDevice.objects.filter(user=actor).delete()


def settings_version(user: User) -> str:
    """Where her own settings stand (lock time, language, agency resets), as a short text that
    changes with each of them. The settings forms carry it and the API sends it as the ETag of
    /me, so a form from an older tab cannot put back a longer lock time or turn resets on again."""
    return f"{user.idle_minutes}.{user.language}.{int(user.allows_agency_reset)}"


def settings_lock(actor: User, version: Expected) -> User:
    """Locks her row and refuses a save made from settings that have changed since (Stale)."""
    locked = User.objects.select_for_update(no_key=True).get(pk=actor.pk)
    version_check(settings_version(locked), version,
                  _("Your settings changed in another window. Here is how they stand now; nothing was saved yet."))
    return locked


@transaction.atomic
def user_settings_update(*, actor: User, idle_minutes: int | None = None, language: str | None = None,
                         version: Expected = None) -> User:
    settings_lock(actor, version)
    fields = []
    if idle_minutes is not None:
        if idle_minutes not in dict(User.IDLE_CHOICES):
            raise Invalid(_("Pick 5, 15 or 30 minutes."), field="idle_minutes")
        actor.idle_minutes = idle_minutes
        fields.append("idle_minutes")
    if language is not None:
        if language not in dict(User.LANGUAGE_CHOICES):
            raise Invalid(_("Pick English or Spanish."), field="language")
        actor.language = language
        fields.append("language")
    if fields:
        actor.save(update_fields=fields)
    return actor


def agency_create(*, name: str, kind: str, time_zone: str = "UTC", crisis_resources: str = "") -> Agency:
    agency = Agency(name=name, kind=kind, time_zone=time_zone, crisis_resources=crisis_resources)
    agency.full_clean()
    agency.save()
    return agency


def passphrase_problem(passphrase: str, user: User) -> str | None:
    """What is wrong with a new passphrase, in her words (Django's own checks say "password"),
    or None. Joining, changing it and recovering all ask this."""
    try:
        password_validation.validate_password(passphrase or "", user)
    except ValidationError as error:
        plain = {
            "password_too_short": _("Use at least 10 characters. A few words you can remember work well."),
            "password_too_common": _("Many people use that one, so it is easy to guess. Choose a few words of your own."),
            "password_entirely_numeric": _("Use words too, not only numbers."),
            "password_too_similar": _("Make it different from your username and your name."),
        }
        found = [(e.code, plain.get(e.code, message)) for e, message in zip(error.error_list, error.messages)]
        # "Easy to guess" sums up the others: said alone it names why; beside them it only repeats.
        named = [message for code, message in found if code != GuessableValidator.code] or [m for _c, m in found]
        return " ".join(dict.fromkeys(named))
    return None


def passphrase_confirm(*, actor: User, passphrase: str, address: str, device: str, refusal: str, field: str) -> None:
    """Her passphrase again before something that matters. Call it before any transaction, so a
    wrong one stays counted (accounts.throttle); "too many tries" is said as such, not as wrong."""
    try:
        credentials_check(username=actor.username, password=passphrase or "", address=address, device=device)
    except Throttled:
        raise
    except DomainError:
        raise Invalid(refusal, field=field) from None


def passphrase_change(*, actor: User, current: str, new: str, new_again: str, address: str = "",
                      current_session_key: str | None = None, device: str = "") -> User:
    """A new passphrase, with the current one. Every other place she is logged in is logged out:
    whoever knew the old one, or holds a phone still logged in, is out (ASVS 7.4.3)."""
    from survivor_portal.accounts.login_sessions import sessions_end_others

    if not actor.is_authenticated:
        raise NotAllowed(_("Please log in."))
    passphrase_confirm(actor=actor, passphrase=current, address=address, device=device, field="current",
                       refusal=_("That is not your current passphrase. Nothing changed."))
    if (new or "") != (new_again or ""):
        raise Invalid(_("The two passphrases are not the same."), field="new_again")
    if (wrong := passphrase_problem(new, actor)) is not None:
        raise Invalid(wrong, field="new")
    # Her "only me" key is locked again with the new passphrase: the same key, so what it sealed still opens.
    key = only_me.key_open(user=actor, passphrase=current) if actor.is_survivor else None
    with transaction.atomic():
        actor.set_password(new)
        actor.save(update_fields=["password"])
        if key is not None:
            only_me.key_relock(user=actor, key=key, passphrase=new)
        elif actor.is_survivor:
            only_me.key_make(user=actor, passphrase=new)
        sessions_end_others(actor=actor, current_key=current_session_key)
    return actor


# ---- Housekeeping (accounts/jobs.py runs these each minute) --------------------------------------

# Spent invites and finished reset codes stay this long, so the admin's "Recent codes" and her
# notice about a reset still show them; then nothing of them is kept.
SPENT_CODES_KEPT = timedelta(days=30)


def spent_invites_remove(*, now) -> int:
    """Invites used, or out of date, more than 30 days ago."""
    since = now - SPENT_CODES_KEPT
    return Invite.objects.filter(Q(used_at__lt=since) | Q(expires_at__lt=since)).delete()[0]


def used_recovery_codes_remove(*, now) -> int:
    """A recovery code works once; once used nothing needs it."""
    return RecoveryCode.objects.filter(used_at__lte=now).delete()[0]


def ended_reset_codes_remove(*, now) -> int:
    """Reset codes that stopped working (used, stopped or lapsed) more than 30 days ago. What
    happened stays in her "who has looked" list, which records every step of a reset."""
    since = now - SPENT_CODES_KEPT
    return ResetCode.objects.filter(expires_at__lt=since).delete()[0]
