"""How many wrong tries the app lets through, and from where (ASVS 2.2.1, OWASP's "slow down
online guessing attacks with device cookies").

Someone who knows her username must neither guess her passphrase quickly nor keep her out, so
wrong tries are counted per account *and per device*:

- A phone or computer she completed a login on carries a signed cookie bound to her account
  (accounts.devices). Its tries count for that device alone: 10 wrong tries in an hour, and for the
  rest of that hour it is treated like any other device. Nobody else's failures ever touch it.
- All other devices share one count per account: 5 wrong tries pass, then each further try waits
  1, 2, 4, 8, 16, then 30 minutes after the last wrong one. While a wait runs a try is refused
  unchecked, so even a right guess is refused. Recovery codes have a count of their own, so a flood
  of wrong passphrases never stops her recovering, and a wrong code never slows her passphrase.
- One address gets 50 wrong passphrases an hour from unknown devices; then unknown devices behind
  it are refused until the hour ends (a shelter's known phones carry on).
- One account never gets more than 100 wrong tries an hour, every device together.

Counters live in the "throttle" cache (Redis with REDIS_URL, otherwise a table in the database),
so every app process sees the same numbers. Each try first takes a ticket with cache.add, which is
atomic in both, so tries sent at once are checked one at a time. Times are kept in the values and
compared here, not left to the cache's own expiry. Usernames, devices and addresses are hashed, so
the cache never holds who tried to log in. Call these outside any database transaction: a rollback
would take the database cache's counts with it.
"""

import hashlib
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.cache import caches
from django.db import DatabaseError
from redis.exceptions import RedisError

from survivor_portal.accounts.usernames import username_key

HOUR = 60 * 60
DEVICE_ALLOWANCE = 10
UNKNOWN_FREE = 5
FIRST_WAIT, LONGEST_WAIT = 60, 30 * 60
ADDRESS_LIMIT = 50
ACCOUNT_CAP = 100
TICKET_SECONDS = 60  # a try that never finishes (a crash) frees its ticket after this

# The simpler counts: one limit, then a lock (invite codes per address, the PIN per account).
WINDOW_SECONDS = 15 * 60
LOCK_SECONDS = 15 * 60
LIMITS = {"join_address": 20, "cover_pin": 5, "unlock": 5}
_ACCOUNT_KINDS = {"cover_pin", "unlock"}


class Refused(Exception):
    """Not now: too many wrong tries. Callers answer exactly as for a wrong secret."""


class _FailClosed:
    """The throttle's cache, refusing the try when its store cannot answer (Redis paused, a table
    locked) rather than letting it through unchecked or answering with an error page."""

    def __getattr__(self, name: str):
        method = getattr(caches["throttle"], name)

        def guarded(*args, **kwargs):
            try:
                return method(*args, **kwargs)
            except (DatabaseError, RedisError):
                raise Refused from None

        return guarded


def _cache():
    return _FailClosed()


def _key(*parts: str) -> str:
    return "throttle:" + hashlib.sha256(":".join(parts).encode()).hexdigest()[:40]


def _account(username: str) -> str:
    return username_key(username)


def _failures(key: str) -> int:
    value = _cache().get(key)
    return value[0] if value and value[1] > time.time() else 0


def _bump(key: str, *, sliding: bool = False) -> int:
    """One more failure in the key's hour: a fixed hour from the first failure, or, sliding,
    an hour from the latest one (so a patient guesser's count never starts again)."""
    now = time.time()
    value = _cache().get(key)
    failures, ends = value if value and value[1] > now else (0, now + HOUR)
    if sliding:
        ends = now + HOUR
    _cache().set(key, (failures + 1, ends), timeout=math.ceil(ends - now) + 1)
    return failures + 1


def _wait_after(failures: int) -> int:
    if failures < UNKNOWN_FREE:
        return 0
    return min(FIRST_WAIT * 2 ** (failures - UNKNOWN_FREE), LONGEST_WAIT)


def _waiting(key: str) -> bool:
    return (_cache().get(key) or 0) > time.time()


@dataclass(frozen=True)
class Who:
    """A try at one account: the username typed, this device's nonce if its cookie is bound to
    that account (accounts.devices), the address, and what is tried ("login" or "recover")."""

    username: str
    device: str = ""
    address: str = ""
    kind: str = "login"


@dataclass
class Attempt:
    failed: bool = False

    def fail(self) -> None:
        self.failed = True


def _bucket(who: Who) -> tuple[str, bool]:
    """Which count this try belongs to, and whether it is a known device's; Refused if none may try."""
    account = _account(who.username)
    if _failures(_key("cap", account)) >= ACCOUNT_CAP:
        raise Refused
    if who.device:
        device = _key("device", account, who.device)
        if _failures(device) < DEVICE_ALLOWANCE:
            return device, True
    if who.kind == "login" and who.address and _failures(_key("address", who.address)) >= ADDRESS_LIMIT:
        raise Refused
    unknown = _key(who.kind, account)
    if _waiting(unknown + ":wait"):
        raise Refused
    return unknown, False


@contextmanager
def attempt(who: Who) -> Iterator[Attempt]:
    """Check one secret inside this block and call .fail() if it was wrong. Raises Refused before
    the block when this try may not be checked at all."""
    bucket, known = _bucket(who)
    ticket = f"{bucket}:try:{_failures(bucket)}"
    if not _cache().add(ticket, 1, timeout=TICKET_SECONDS):
        raise Refused  # another try at the same count is being checked right now
    outcome = Attempt()
    try:
        yield outcome
    finally:
        if outcome.failed:
            _record(who, bucket, known)
        else:
            _cache().delete(ticket)


def _record(who: Who, bucket: str, known: bool) -> None:
    if not known:
        # The wait is set before the count moves on, so no try slips between the two.
        wait = _wait_after(_failures(bucket) + 1)
        if wait:
            _cache().set(bucket + ":wait", time.time() + wait, timeout=wait + 1)
        if who.kind == "login" and who.address:
            _bump(_key("address", who.address))
    _bump(bucket, sliding=not known)
    _bump(_key("cap", _account(who.username)))


# ---- The simpler counts ---------------------------------------------------------------------------


def _simple_key(kind: str, value: str) -> str:
    return _key(kind, _account(value) if kind in _ACCOUNT_KINDS else value.lower())


@contextmanager
def one_at_a_time(kind: str, value: str) -> Iterator[None]:
    """Tries sent at once at one of the simpler counts are checked one by one (the others are
    Refused), so every checked try is counted before the next is checked."""
    key = _simple_key(kind, value)
    ticket = f"{key}:try:{_failures(key)}"
    if not _cache().add(ticket, 1, timeout=TICKET_SECONDS):
        raise Refused
    try:
        yield
    finally:
        _cache().delete(ticket)


def is_blocked(**subjects: str) -> bool:
    for kind, value in subjects.items():
        if not value:
            continue
        if _waiting(_simple_key(kind, value) + ":lock"):
            return True
        if kind in _ACCOUNT_KINDS and _failures(_key("cap", _account(value))) >= ACCOUNT_CAP:
            return True
    return False


def record_failure(**subjects: str) -> None:
    for kind, value in subjects.items():
        if not value:
            continue
        key = _simple_key(kind, value)
        value_now = _cache().get(key)
        now = time.time()
        failures, ends = value_now if value_now and value_now[1] > now else (0, now + WINDOW_SECONDS)
        if failures + 1 >= LIMITS[kind]:
            _cache().set(key + ":lock", now + LOCK_SECONDS, timeout=LOCK_SECONDS + 1)
            _cache().delete(key)
        else:
            _cache().set(key, (failures + 1, ends), timeout=math.ceil(ends - now) + 1)
        if kind in _ACCOUNT_KINDS:
            _bump(_key("cap", _account(value)))


def tries_left(kind: str, value: str) -> int:
    """How many more wrong tries one of the simpler counts takes before it locks."""
    return LIMITS[kind] - _failures(_simple_key(kind, value))


def clear(**subjects: str) -> None:
    _cache().delete_many([_simple_key(kind, value) for kind, value in subjects.items() if value])
