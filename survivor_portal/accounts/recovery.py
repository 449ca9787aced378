"""Getting back in without e-mail: ten single-use recovery codes shown once at sign-up (and
whenever she makes new ones), or a one-time reset code an agency admin makes after meeting
her in person, which she is told about on her next visit.

One admin must not be able to become her, so an agency's reset never takes effect on the
admin's word alone:
- she can turn agency resets off (her recovery codes only); and a reset from an agency she
  never shares with never works. The admin's answer is the same either way: such a code is
  made, can be "used", and simply never sets a passphrase, so nobody learns her choices.
- using a code changes nothing for 24 hours. Whoever holds it learns only when the wait ends.
  Meanwhile every device she is logged in on shows "Your agency asked to reset your account.
  Not you? Stop it", and her passphrase or PIN stops it.
- after the wait, and within 48 hours, the holder comes back with the same code to choose a
  new passphrase (and her authenticator code, if she has two-step login). Only then does
  anything change: the passphrase, and every device of hers logged out.
Each step is written to her "who has looked" list.
"""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from survivor_portal.accounts import devices, only_me, throttle
from survivor_portal.accounts.code_keys import code_hash, code_hashes, rehash_if_older
from survivor_portal.accounts.login_sessions import sessions_end_all
from survivor_portal.accounts.models import RecoveryCode, ResetCode, User
from survivor_portal.accounts.services import (
    has_second_factor,
    passphrase_confirm,
    passphrase_problem,
    second_factor_matches,
    settings_lock,
)
from survivor_portal.consent.models import AccessEvent, NeverShare
from survivor_portal.errors import DomainError, Invalid, NotFound, Throttled
from survivor_portal.safety.services import locked_session_unlock
from survivor_portal.versions import Expected
from survivor_portal.write_limits import write_limit

CODES = 10
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to copy by hand
RESET_HOURS = 48  # to use a code once it is made
WAIT_HOURS = 24  # from its use until it can set a passphrase; she can stop it meanwhile
FINISH_HOURS = 48  # after the wait, to choose the new passphrase


class ResetWaiting(DomainError):
    """Not an error for whoever holds the code: nothing changes until the wait is over."""

    status = 202
    code = "reset_waiting"


def _text(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _hash(code: str) -> str:
    """Keyed with the code keys (accounts.code_keys), so a copy of the database alone cannot test
    guesses, and rotating SECRET_KEY voids no code."""
    return code_hash(_text(code))


def _code(groups: int) -> str:
    return "-".join("".join(secrets.choice(ALPHABET) for _i in range(4)) for _g in range(groups))


@transaction.atomic
def recovery_codes_make(*, actor: User, her_key: only_me.HerKey | None = None) -> list[str]:
    """Ten new codes (about 60 bits each); earlier unused ones stop working. Shown once, never stored.
    With her "only me" key, each code gets a copy of it locked with that code (accounts.only_me)."""
    if not actor.is_authenticated or not actor.is_survivor:
        raise NotFound(_("We could not find that."))
    RecoveryCode.objects.filter(user=actor, used_at__isnull=True).delete()
    codes = [_code(3) for _n in range(CODES)]
    rows = RecoveryCode.objects.bulk_create(RecoveryCode(user=actor, code_hash=_hash(code)) for code in codes)
    if her_key is not None:
        only_me.codes_lock(user=actor, key=her_key, codes=dict(zip(codes, rows)))
    return codes


def _record(code: ResetCode, what: str, via: str, actor: User | None = None, label: str = "") -> None:
    if code.agency_id is not None:
        AccessEvent.objects.create(survivor_id=code.user_id, agency_id=code.agency_id, actor=actor, actor_label=label,
                                   what=what, via=via)


def _blocked(person: User, agency_id: int | None) -> str:
    if not person.allows_agency_reset:
        return ResetCode.Blocked.RESETS_OFF
    if NeverShare.objects.filter(survivor=person, agency_id=agency_id).exists():
        return ResetCode.Blocked.NEVER_SHARE
    return ResetCode.Blocked.NO


@write_limit("reset_code")
@transaction.atomic
def reset_code_issue(*, actor: User, username: str, via: str = "page") -> tuple[ResetCode, str]:
    """An agency admin, after meeting her in person: a one-time code to use within 48 hours.
    The answer is the same whatever she chose; her choices decide whether it can ever work."""
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
                                    agency=actor.agency, agency_label=actor.agency.name, blocked=_blocked(person, actor.agency_id),
                                    expires_at=now + timedelta(hours=RESET_HOURS))
    _record(made, "reset:made", via, actor=actor, label=actor.display_name)
    return made, code


def ready_at(code: ResetCode):
    return code.started_at + timedelta(hours=WAIT_HOURS) if code.started_at else None


def ready_text(code: ResetCode) -> str:
    """When the wait ends, on the clock of the agency that made the code."""
    from survivor_portal import times

    return times.named(times.when(ready_at(code), code.agency), code.agency)


def recovery_codes_replace(*, actor: User, passphrase: str, address: str = "", device: str = "") -> list[str]:
    """New codes only with her passphrase: a minute with her unlocked phone is not enough.
    The passphrase is checked before any transaction, so a wrong one stays counted."""
    if not actor.is_authenticated or not actor.is_survivor:
        raise NotFound(_("We could not find that."))
    passphrase_confirm(actor=actor, passphrase=passphrase, address=address, device=device, field="passphrase",
                       refusal=_("That passphrase is not right. Your codes did not change."))
    return recovery_codes_make(actor=actor, her_key=only_me.key_open_or_make(user=actor, passphrase=passphrase))


class _WrongSecret(Exception):
    def __init__(self, error: DomainError):
        self.error = error


def recover(*, username: str, code: str, passphrase: str = "", passphrase_again: str = "", address: str = "",
            otp_token: str = "", device: str = "") -> User:
    """A new passphrase with a recovery code at once, or with an agency's reset code after its
    wait (ResetWaiting until then). Wrong username or code: one neutral message. Tries are
    counted like logins but apart from them (accounts.throttle), outside the transaction so a
    rollback cannot undo the count. Every session of hers ends."""
    username = (username or "").strip()
    who = throttle.Who(username=username, device=devices.device_nonce(token=device, username=username),
                       address=address, kind="recover")
    try:
        with throttle.attempt(who) as attempt:
            try:
                outcome = _recover(username=username, code=code, passphrase=passphrase,
                                   passphrase_again=passphrase_again, otp_token=otp_token)
            except _WrongSecret as wrong:
                attempt.fail()
                raise wrong.error from None
    except throttle.Refused:
        raise Throttled(_("Too many tries. Please wait a while and try again.")) from None
    if isinstance(outcome, ResetCode):  # committed: the wait has started, or goes on
        raise ResetWaiting(_("This reset code works, but nothing changes for 24 hours: that keeps the account safe "
                             "from anyone else who got the code. From %(time)s, come back here with the same code "
                             "to choose a new passphrase.") % {"time": ready_text(outcome)},
                           extra={"ready_at": ready_at(outcome).isoformat()})
    return outcome


@transaction.atomic
def _recover(*, username: str, code: str, passphrase: str, passphrase_again: str, otp_token: str) -> User | ResetCode:
    refusal = Invalid(_("That username and code do not match. Check them and try again."), field="code")
    person = User.objects.select_for_update().filter(username__iexact=username, role=User.Role.SURVIVOR,
                                                     is_active=True).first() if username.isprintable() else None
    now, digests = timezone.now(), code_hashes(_text(code))
    spent = None
    if person is not None:
        spent = (RecoveryCode.objects.select_for_update().filter(user=person, code_hash__in=digests,
                                                                 used_at__isnull=True).first()
                 or ResetCode.objects.select_for_update().filter(user=person, code_hash__in=digests, used_at__isnull=True,
                                                                 stopped_at__isnull=True, expires_at__gt=now).first())
    if spent is not None:
        rehash_if_older(spent, _text(code))
    if isinstance(spent, ResetCode):
        if spent.started_at is None:
            return _reset_start(spent, now)
        if now < ready_at(spent):
            return spent
        if spent.blocked or _blocked(person, spent.agency_id):
            spent = None  # the same answer as a code she stopped
    if spent is None:
        raise _WrongSecret(refusal)
    if has_second_factor(person) and second_factor_matches(user=person, token=otp_token or "") is None:
        # A code alone does not undo her two-step login: her authenticator (or one of its backup codes) too.
        raise _WrongSecret(Invalid(_("You turned on two-step login: also type the code from your authenticator app, "
                                     "or one of its backup codes."), field="otp_token"))
    if passphrase != passphrase_again:
        raise Invalid(_("The two passphrases are not the same."), field="passphrase_again")
    if (wrong := passphrase_problem(passphrase, person)) is not None:
        raise Invalid(wrong, field="passphrase")
    _keep_her_key(person, spent, code, passphrase)
    person.set_password(passphrase)
    person.save(update_fields=["password"])
    spent.used_at = now
    spent.save(update_fields=["used_at"])
    if isinstance(spent, ResetCode):
        _record(spent, "reset:done", "page")
    sessions_end_all(user=person)
    return person


def _keep_her_key(person: User, spent: RecoveryCode | ResetCode, code: str, passphrase: str) -> None:
    """Her recovery code opens her "only me" key, which her new passphrase then locks: nothing
    of hers is lost. An agency's reset code opens nothing: the key's copies go, and what it
    sealed cannot be opened again (she was told before she marked anything "only me")."""
    key = only_me.key_from_code(user=person, code_row=spent, code=code) if isinstance(spent, RecoveryCode) else None
    if key is None:
        only_me.key_drop(user=person)  # a new key is made at her next login
        return
    only_me.key_relock(user=person, key=key, passphrase=passphrase)
    only_me.code_spent(code_row=spent)


def _reset_start(code: ResetCode, now) -> ResetCode:
    code.started_at = now
    code.expires_at = now + timedelta(hours=WAIT_HOURS + FINISH_HOURS)
    code.save(update_fields=["started_at", "expires_at"])
    _record(code, "reset:started", "page")
    return code


def reset_state(code: ResetCode, now=None) -> str:
    now = now or timezone.now()
    if code.used_at:
        return "done"
    if code.stopped_at:
        return "stopped"
    if code.expires_at <= now:
        return "lapsed"
    if code.started_at is None:
        return "made"
    return "waiting" if now < ready_at(code) else "ready"


def resets_of(*, viewer: User) -> list[ResetCode]:
    if not viewer.is_authenticated or not viewer.is_survivor:
        raise NotFound(_("We could not find that."))
    return list(ResetCode.objects.filter(user=viewer))


def resets_waiting(*, viewer: User) -> list[ResetCode]:
    """Resets someone has started on her account that could still take effect: shown on every
    page of hers with a way to stop them."""
    if not viewer.is_authenticated or not viewer.is_survivor:
        return []
    return list(ResetCode.objects.filter(user=viewer, started_at__isnull=False, stopped_at__isnull=True,
                                         used_at__isnull=True, expires_at__gt=timezone.now(), blocked="")
                .select_related("agency"))


def _her_secret(actor: User, secret: str) -> None:
    """Her passphrase or PIN, counted with the unlock screen's tries: a phone left logged in is not enough."""
    result = locked_session_unlock(user=actor, secret=secret or "")
    if result.unlocked:
        return
    if result.end_session:
        raise Throttled(_("Too many tries. Please wait 15 minutes and try again."), field="secret")
    raise Invalid(_("That is not your passphrase or PIN. Nothing changed."), field="secret")


def reset_stop(*, actor: User, code_id: int, secret: str) -> ResetCode:
    """She stops a reset code made for her account, used or not, for good. Her secret is checked
    before the transaction, so a wrong one stays counted (accounts.throttle)."""
    if not _stoppable(actor, code_id).exists():
        raise NotFound(_("We could not find that."))
    _her_secret(actor, secret)
    return _reset_stop_now(actor=actor, code_id=code_id)


def _stoppable(actor: User, code_id: int):
    if not actor.is_authenticated or not 0 < code_id < 2**63:
        return ResetCode.objects.none()
    return ResetCode.objects.filter(pk=code_id, user=actor, used_at__isnull=True, stopped_at__isnull=True)


@transaction.atomic
def _reset_stop_now(*, actor: User, code_id: int) -> ResetCode:
    found = _stoppable(actor, code_id).select_for_update().first()
    if found is None:
        raise NotFound(_("We could not find that."))
    found.stopped_at = timezone.now()
    found.save(update_fields=["stopped_at"])
    _record(found, "reset:stopped", "app", actor=actor, label=actor.display_name)
    return found


def agency_reset_choose(*, actor: User, allow: bool, secret: str, version: Expected = None) -> User:
    """Whether an agency's reset code can ever set her passphrase. Turning it off stops every
    code made for her that has not been finished. Her secret is checked before the transaction;
    `version` (services.settings_version) refuses a choice made on an older page."""
    if not actor.is_authenticated or not actor.is_survivor:
        raise NotFound(_("We could not find that."))
    _her_secret(actor, secret)
    with transaction.atomic():
        settings_lock(actor, version)
        actor.allows_agency_reset = bool(allow)
        actor.save(update_fields=["allows_agency_reset"])
        if not allow:
            ResetCode.objects.filter(user=actor, used_at__isnull=True, stopped_at__isnull=True).update(
                stopped_at=timezone.now())
    return actor


def reset_notices(*, viewer: User) -> list[ResetCode]:
    """Reset codes made for her that she has not yet been told about."""
    if not viewer.is_authenticated or not viewer.is_survivor:
        return []
    return list(ResetCode.objects.filter(user=viewer, seen_at__isnull=True, started_at__isnull=True))


@transaction.atomic
def reset_notice_seen(*, actor: User, code_id: int) -> None:
    found = ResetCode.objects.filter(pk=code_id, user=actor).first() if actor.is_authenticated and 0 < code_id < 2**63 else None
    if found is None:
        raise NotFound(_("We could not find that."))
    if found.seen_at is None:
        found.seen_at = timezone.now()
        found.save(update_fields=["seen_at"])
