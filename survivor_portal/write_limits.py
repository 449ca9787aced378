"""How much one person may write, per kind of thing: generous for a person, a wall for a script.

Each limited service carries `@write_limit("kind")` above its `@transaction.atomic`, so the page,
htmx and the API are held by the one rule (they all call the service). Past a limit the service
raises `TooFast` (a Throttled, 429): the API answers with `Retry-After` and the kind message in
her language; a page shows the message beside the form, with what she typed still in it.

Counts are per person, per kind, per minute and per hour (fixed windows), in the "throttle"
cache the login limits use: Redis when REDIS_URL is set, otherwise a database table, so every app
process counts together (and while Redis is down, the table counts: survivor_portal.caches).
Keys are hashed, so the cache never names who wrote. A try past the limit is counted too, so a
script that keeps trying stays held until the window ends; a replayed or double-tapped create
(survivor_portal.idempotency) never reaches the service and is not counted.

What is never limited, and why: anything that takes away or protects (deleting, withdrawing
sharing, cancelling a booking, "never share", leaving a group, a mentor hiding a post, muting,
blocking, Exit, lock), because nothing may stand between her and undoing or protecting (reports
are limited, generously, because a script reporting everything would bury the real ones); moving and reordering (they add nothing and each list is bounded); her settings
(a handful of rows, each edited in place); logins, PINs and codes (accounts.throttle has
stricter rules of its own).

If the cache cannot answer at all, the write goes ahead (logged once per failure): a limit must
never stop her writing because a counter is missing.
"""

import hashlib
import logging
import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from typing import TypeVar

from django.core.cache import caches
from django.db import DatabaseError
from django.utils.translation import ngettext
from redis.exceptions import RedisError

from survivor_portal.errors import Throttled

logger = logging.getLogger("survivor_portal.write_limits")
MINUTE, HOUR = 60, 60 * 60


@dataclass(frozen=True)
class Limit:
    per_minute: int
    per_hour: int


# Per person. A person typing, even fast and in two tabs, stays well under each; a script does not.
LIMITS: dict[str, Limit] = {
    # her goals
    "goal": Limit(30, 200),  # also at most 200 goals in her list (goals.services.MAX_GOALS)
    "goal_edit": Limit(60, 600),
    "step": Limit(60, 600),
    "step_edit": Limit(120, 1200),  # ticking steps off one after another
    # peer groups
    "post": Limit(30, 300),
    "post_edit": Limit(30, 300),
    "report": Limit(10, 60),
    "agenda": Limit(20, 100),
    "group": Limit(10, 60),  # an admin opening groups
    "worry": Limit(10, 60),  # "I'm worried about them", once per post
    "check_in": Limit(5, 30),  # a mentor opening a private check-in
    "check_in_reply": Limit(30, 300),
    # survivor council
    "idea": Limit(10, 60),
    "proposal": Limit(10, 60),
    "proposal_edit": Limit(30, 300),
    "comment": Limit(30, 300),
    "vote": Limit(30, 300),
    "council_answer": Limit(20, 200),  # an agency's answer and progress updates
    # sharing and meetings
    "sharing": Limit(20, 200),  # a grant, a renewal, or staff recording her paper consent: each a receipt
    "suggestion": Limit(30, 300),
    "message": Limit(30, 300),  # her or staff writing in a conversation (conversations.services)
    "booking": Limit(10, 60),  # booking or moving a meeting
    "slot": Limit(30, 300),  # staff offering times (a weekly pattern counts once)
    "disclosure": Limit(20, 200),
    # staff who go out: a check-in before each trip, a few extensions
    "staff_check_in": Limit(10, 60),
    "staff_check_in_edit": Limit(30, 200),
    # her safety plan: each save, restore of a version is kept as a version (plans.services)
    "safety_plan": Limit(30, 300),
    # agency admin
    "invite": Limit(30, 300),
    "reset_code": Limit(10, 60),
    "api_key": Limit(10, 30),
}


class TooFast(Throttled):
    code = "too_fast"

    def __init__(self, retry_after: int):
        super().__init__(_message(retry_after), extra={"retry_after": retry_after})
        self.retry_after = retry_after


def _message(seconds: int) -> str:
    if seconds < 2 * MINUTE:
        return ngettext(
            "You have sent a lot in a short time. Please wait %(count)s second, then try again.",
            "You have sent a lot in a short time. Please wait %(count)s seconds, then try again.", seconds,
        ) % {"count": seconds}
    minutes = math.ceil(seconds / MINUTE)
    return ngettext(
        "You have sent a lot in a short time. Please wait %(count)s minute, then try again.",
        "You have sent a lot in a short time. Please wait %(count)s minutes, then try again.", minutes,
    ) % {"count": minutes}


def _now() -> float:
    return time.time()


def _key(kind: str, person: int) -> str:
    return "writes:" + hashlib.sha256(f"{kind}:{person}".encode()).hexdigest()[:40]


def _counts_after_one_more(kind: str, person: int, now: float) -> list[tuple[int, int]] | None:
    """(window, count) for the minute and the hour, this write included; None when the cache
    cannot answer. One key read and written once (one round trip each to Redis; a row of the
    table without it). Two writes by her at the very same moment may both read the same count,
    so with W app workers a burst can slip W - 1 writes past a limit, never more."""
    cache, key = caches["throttle"], _key(kind, person)
    try:
        stored = cache.get(key) or ()
        counts = []
        for index, span in enumerate((MINUTE, HOUR)):
            window = int(now // span)
            was_window, was_count = stored[2 * index: 2 * index + 2] or (None, 0)
            counts.append((window, (was_count if was_window == window else 0) + 1))
        cache.set(key, tuple(value for pair in counts for value in pair), timeout=HOUR + 5)
    except (DatabaseError, RedisError) as error:
        logger.warning("Write limits not counted (%s); the write goes ahead", type(error).__name__)
        return None
    return counts


_building = ContextVar("write_limits_building", default=False)


@contextmanager
def not_counted() -> Iterator[None]:
    """For tools that build data in bulk, as if over months (bench/queries.py): writes inside are
    not counted. Never around a request: a person's writes are always counted."""
    token = _building.set(True)
    try:
        yield
    finally:
        _building.reset(token)


def write_counted(*, actor, kind: str) -> None:
    """Counts one write of this kind by her; TooFast when she is past a limit."""
    if actor is None or not getattr(actor, "is_authenticated", False) or _building.get():
        return  # the service refuses anyone logged out on its own
    limit, now = LIMITS[kind], _now()
    counts = _counts_after_one_more(kind, actor.pk, now)
    if counts is None:
        return
    waits = [(window + 1) * span - now
             for (window, count), span, allowed in zip(counts, (MINUTE, HOUR), (limit.per_minute, limit.per_hour))
             if count > allowed]
    if waits:
        raise TooFast(max(1, math.ceil(max(waits))))


Service = TypeVar("Service", bound=Callable)


def write_limit(kind: str) -> Callable[[Service], Service]:
    """For a service that writes: counts each call by its `actor` under `kind` (see LIMITS)."""
    if kind not in LIMITS:
        raise KeyError(f"No write limit named {kind!r}")

    def decorate(service: Service) -> Service:
        @wraps(service)
        def limited(*args, **kwargs):
            write_counted(actor=kwargs.get("actor"), kind=kind)
            return service(*args, **kwargs)

        return limited  # type: ignore[return-value]

    return decorate
