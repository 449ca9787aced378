"""With REDIS_URL set, the login counters live in Redis, so every app process sees them."""

import uuid

import pytest
import redis
from django.core.cache import caches

from survivor_portal.accounts import throttle
from tests.conftest import needs_redis

REDIS = "redis://127.0.0.1:6379/0"


@needs_redis(REDIS)
def test_a_lock_set_by_one_process_is_seen_by_another(settings):
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,
        "throttle": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS, "KEY_PREFIX": prefix},
    }
    for _ in range(throttle.UNKNOWN_FREE):
        with throttle.attempt(throttle.Who(username="maya")) as attempt:
            attempt.fail()
    # Another process is just another client of the same server: it finds the wait there.
    other_process = redis.Redis.from_url(REDIS)
    assert other_process.keys(f"{prefix}:*throttle:*")
    caches["throttle"].close()
    with pytest.raises(throttle.Refused), throttle.attempt(throttle.Who(username="maya")):
        pass
    other_process.delete(*other_process.keys(f"{prefix}:*"))


def test_when_redis_cannot_answer_a_try_is_refused_not_an_error(settings, survivor):
    from survivor_portal.accounts import services
    from survivor_portal.errors import Throttled

    settings.CACHES = {
        **settings.CACHES,
        "throttle": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0",
                     "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}},
    }
    caches["throttle"].close()
    with pytest.raises(Throttled):
        services.credentials_check(username="maya", password="a-long-test-passphrase-42", address="1.1.1.1")
