"""Login and join throttling with counters in the shared cache.

Written here rather than taken from django-axes because the rule has two limits at once
(5 failures for one username, 20 for one address) and must serve the HTML form and the
API alike; axes counts one limit per request. Usernames and addresses are hashed so the
cache never holds who tried to log in.
"""

import hashlib

from django.core.cache import cache

WINDOW_SECONDS = 15 * 60
LOCK_SECONDS = 15 * 60
LIMITS = {"username": 5, "address": 20, "join_address": 20, "cover_pin": 5, "unlock": 5}


def _keys(kind: str, value: str) -> tuple[str, str]:
    digest = hashlib.sha256(f"{kind}:{value.lower()}".encode()).hexdigest()[:40]
    return f"throttle:count:{digest}", f"throttle:lock:{digest}"


def is_blocked(**subjects: str) -> bool:
    locks = [_keys(kind, value)[1] for kind, value in subjects.items() if value]
    return bool(cache.get_many(locks))


def record_failure(**subjects: str) -> None:
    for kind, value in subjects.items():
        if not value:
            continue
        count_key, lock_key = _keys(kind, value)
        cache.add(count_key, 0, WINDOW_SECONDS)
        try:
            failures = cache.incr(count_key)
        except ValueError:  # the window ran out between add and incr
            cache.set(count_key, 1, WINDOW_SECONDS)
            failures = 1
        if failures >= LIMITS[kind]:
            cache.set(lock_key, 1, LOCK_SECONDS)
            cache.delete(count_key)


def clear(**subjects: str) -> None:
    cache.delete_many([_keys(kind, value)[0] for kind, value in subjects.items() if value])
