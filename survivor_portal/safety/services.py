"""Every rule about her safety settings, the unlock PIN and the cover screen."""

import hashlib
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils.translation import gettext as _

from survivor_portal.accounts import throttle
from survivor_portal.accounts.models import User
from survivor_portal.errors import Invalid
from survivor_portal.safety.disguises import DISGUISES, EXIT_CHOICES
from survivor_portal.safety.models import SafetySettings
from survivor_portal.versions import Expected, version_bump, version_check

PIN_PATTERN = re.compile(r"[0-9]{4,8}")
MAX_WRONG_PINS = 5

# The PINs someone who knows her would try first. The favourites people choose most often
# (DataGenetics' 3.4 million PINs; Bonneau, Preibusch and Anderson, "A birthday present every
# eleven wallets?", 2012), and by rule: one digit repeated (0000), a run up or down (1234, 9876),
# a pair or half repeated (1212, 123123), a year (1900–2099) and a date (a birthday: DDMM, MMDD,
# DDMMYY, MMDDYY, YYMMDD, DDMMYYYY, MMDDYYYY, YYYYMMDD).
COMMON_PINS = frozenset({
    "1004", "2000", "2001", "2580", "0852", "1122", "1313", "1010", "6969", "5683", "7777",
    "112233", "159753", "147258", "258369", "131313", "696969",
})


def _is_date(day: str, month: str) -> bool:
    return 1 <= int(day) <= 31 and 1 <= int(month) <= 12


def _is_year(year: str) -> bool:
    return len(year) == 2 or 1900 <= int(year) <= 2099


def _looks_like_a_date(pin: str) -> bool:
    n = len(pin)
    if n == 4:
        return _is_date(pin[:2], pin[2:]) or _is_date(pin[2:], pin[:2])
    if n in (6, 8):
        year = n - 4  # 2 or 4 digits
        day_month, rest = pin[:4], pin[4:]
        if _is_year(rest) and (_is_date(day_month[:2], day_month[2:]) or _is_date(day_month[2:], day_month[:2])):
            return True
        first, month_day = pin[:year], pin[year:]
        return _is_year(first) and _is_date(month_day[2:], month_day[:2])
    return False


def pin_too_common(pin: str) -> bool:
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:])}
    half = len(pin) // 2
    return (
        pin in COMMON_PINS
        or len(steps) == 1 and steps <= {0, 1, -1}
        or len(pin) % 2 == 0 and (pin == pin[:2] * half or pin == pin[:half] * 2)
        or len(pin) == 4 and 1900 <= int(pin) <= 2099
        or _looks_like_a_date(pin)
    )


def safety_settings_of(user: User) -> SafetySettings:
    """Her settings, or unsaved defaults: reading never writes. Each request reads them with her
    account (accounts.backends), and every change below puts what it saved back there."""
    if not getattr(user, "safety_read_with_account", False):
        return SafetySettings.objects.filter(user=user).first() or SafetySettings(user=user)
    try:
        return user.safety
    except SafetySettings.DoesNotExist:
        return SafetySettings(user=user)


def _saved(actor: User, safety: SafetySettings) -> SafetySettings:
    if getattr(actor, "safety_read_with_account", False):
        actor.safety = safety  # what the rest of this request reads
    return safety


def exit_url_for(user: User | None, safety: SafetySettings | None = None) -> str:
    if user is not None and user.is_authenticated:
        url = EXIT_CHOICES[(safety or safety_settings_of(user)).exit_choice][0]
        if url:
            return url
    return settings.EXIT_URL


def looks_like_pin(text: str) -> bool:
    return bool(PIN_PATTERN.fullmatch(text or ""))


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def safety_update(
    *, actor: User, disguise: str, exit_choice: str, lock_when_hidden: bool, version: Expected = None
) -> SafetySettings:
    """`version` is the one her page or request started from: an older page never undoes a newer choice."""
    if disguise not in DISGUISES:
        raise Invalid(_("Pick one of the looks on the list."), field="disguise")
    if exit_choice not in EXIT_CHOICES:
        raise Invalid(_("Pick one of the pages on the list."), field="exit_choice")
    safety, _created = SafetySettings.objects.select_for_update().get_or_create(user=actor)
    version_check(safety, version)
    if disguise != "plain" and not safety.unlock_pin_hash:
        raise Invalid(_("Set an unlock PIN first, so you can always get back in."), field="disguise")
    safety.disguise = disguise
    safety.exit_choice = exit_choice
    safety.lock_when_hidden = lock_when_hidden
    safety.full_clean()
    safety.save(update_fields=["disguise", "exit_choice", "lock_when_hidden", version_bump(safety)])
    return _saved(actor, safety)


@transaction.atomic
def pin_set(*, actor: User, pin: str, pin_again: str) -> tuple[SafetySettings, str]:
    """Sets her PIN and returns a new key for this device's cover screen (the old device key stops working)."""
    if not looks_like_pin(pin):
        raise Invalid(_("Use 4 to 8 numbers."), field="pin")
    if pin_too_common(pin):
        raise Invalid(_("Many people choose that PIN, or it looks like a date or a year, so it is easy to guess. "
                        "Choose numbers nobody would link to you."), field="pin")
    if pin != pin_again:
        raise Invalid(_("The two PINs are not the same."), field="pin_again")
    safety, _created = SafetySettings.objects.select_for_update().get_or_create(user=actor)
    device_key = secrets.token_urlsafe(32)
    safety.unlock_pin_hash = make_password(pin)
    safety.cover_key_hash = _key_hash(device_key)
    safety.save(update_fields=["unlock_pin_hash", "cover_key_hash"])
    return _saved(actor, safety), device_key


@transaction.atomic
def device_key_issue(*, actor: User) -> str | None:
    """A new cover key for the device she just logged in on, if she uses a PIN."""
    safety = SafetySettings.objects.select_for_update().filter(user=actor).exclude(unlock_pin_hash="").first()
    if safety is None:
        return None
    device_key = secrets.token_urlsafe(32)
    safety.cover_key_hash = _key_hash(device_key)
    safety.save(update_fields=["cover_key_hash"])
    _saved(actor, safety)
    return device_key


def owner_of_device_key(device_key: str | None) -> User | None:
    if not device_key:
        return None
    safety = SafetySettings.objects.filter(cover_key_hash=_key_hash(device_key)).select_related("user").first()
    return safety.user if safety else None


def pin_matches(*, user: User, pin: str) -> bool:
    safety = safety_settings_of(user)
    return bool(safety.unlock_pin_hash) and looks_like_pin(pin) and check_password(pin, safety.unlock_pin_hash)


@dataclass
class UnlockResult:
    unlocked: bool
    end_session: bool = False
    last_try_next: bool = False  # one more wrong try ends the session
    by_passphrase: bool = False  # opened with her passphrase (which also opens her "only me" key)


def locked_session_unlock(*, user: User, secret: str) -> UnlockResult:
    """A locked session opens with her PIN or her passphrase. Wrong tries are counted in the
    shared cache and checked one at a time: tries sent at once are refused and end the session,
    and the fifth wrong one ends it too."""
    subject = user.username  # counted for her account too (accounts.throttle)
    try:
        with throttle.one_at_a_time("unlock", subject):
            if throttle.is_blocked(unlock=subject):
                return UnlockResult(unlocked=False, end_session=True)
            pin_used = bool(looks_like_pin(secret) and safety_settings_of(user).unlock_pin_hash)
            if pin_used:
                opened = pin_matches(user=user, pin=secret)
            else:
                opened = user.check_password(secret or "")
            if opened:
                throttle.clear(unlock=subject)
                return UnlockResult(unlocked=True, by_passphrase=not pin_used)
            throttle.record_failure(unlock=subject)
            ended = throttle.is_blocked(unlock=subject)
            return UnlockResult(unlocked=False, end_session=ended,
                                last_try_next=not ended and throttle.tries_left("unlock", subject) == 1)
    except throttle.Refused:
        return UnlockResult(unlocked=False, end_session=True)  # tries sent at once: only one is checked


@transaction.atomic
def exit_intro_seen(*, actor: User) -> None:
    safety, _created = SafetySettings.objects.get_or_create(user=actor)
    if not safety.seen_exit_intro:
        safety.seen_exit_intro = True
        safety.save(update_fields=["seen_exit_intro"])
    _saved(actor, safety)
