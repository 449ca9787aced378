"""With REDIS_URL set, the login counters live in Redis, so every app process sees them."""

import uuid

import pytest
import redis

from survivor_portal.accounts import throttle

REDIS = "redis://127.0.0.1:6379/0"


def _redis_up() -> bool:
    try:
        return redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_a_lock_set_by_one_process_is_seen_by_another(settings):
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS, "KEY_PREFIX": prefix}
    }
    for _ in range(5):
        throttle.record_failure(username="maya")
    assert throttle.is_blocked(username="maya")
    # Another process is just another client of the same server: it finds the lock there.
    other_process = redis.Redis.from_url(REDIS)
    locks = other_process.keys(f"{prefix}:*throttle:lock:*")
    assert len(locks) == 1 and 0 < other_process.ttl(locks[0]) <= throttle.LOCK_SECONDS
    other_process.delete(*other_process.keys(f"{prefix}:*"))
