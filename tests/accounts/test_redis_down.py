"""Redis fails soft and safe: with Redis down she logs in, unlocks and uses her pages; the login
limits still hold (counted in the database table meanwhile), nobody else is locked out, and a
session copy made stale during the outage is never trusted once Redis is back."""

import logging
import uuid
from unittest import mock

import pytest
import redis
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCacheClient
from django.db import connection
from django.test import Client, override_settings

from survivor_portal import caches as resilient
from tests.factories import PASSPHRASE
from tests.outage import closed_port

MY_REDIS = "redis://127.0.0.1:6379/8"


def _redis_caches(location: str, prefix: str = "") -> dict:
    return {
        **settings.CACHES,
        "throttle": {
            "BACKEND": "survivor_portal.caches.RedisOrTableCache", "LOCATION": location,
            "KEY_PREFIX": f"{prefix}throttle", "TIMEOUT": None,
            "OPTIONS": {**settings.REDIS_OPTIONS, "FALLBACK": {"TABLE": settings.THROTTLE_CACHE_TABLE}},
        },
        "sessions": {"BACKEND": "survivor_portal.caches.RedisCopyCache", "LOCATION": location,
                     "KEY_PREFIX": prefix, "OPTIONS": settings.REDIS_OPTIONS},
    }


@pytest.fixture(autouse=True)
def fresh_state(settings, tmp_path):
    settings.STALE_COPIES_REGISTER = str(tmp_path / "stale")
    resilient._resting_until.clear()
    yield
    resilient._resting_until.clear()


@pytest.fixture
def redis_down(db):
    with override_settings(CACHES=_redis_caches(f"redis://127.0.0.1:{closed_port()}/0")):
        yield


def login(client: Client, username: str, password: str = PASSPHRASE):
    return client.post("/", {"screen": "login", "username": username, "password": password})


def test_with_redis_down_she_logs_in_and_uses_her_pages(client, survivor, redis_down):
    assert login(client, "maya").url == "/"
    assert "Maya" in client.get("/").content.decode()
    assert client.get("/account/settings").status_code == 200
    assert client.get("/api/v1/me").json()["display_name"] == "Maya"


def test_with_redis_down_the_login_limit_still_holds_in_the_database(client, survivor, redis_down):
    for _ in range(5):
        assert "That did not work" in login(client, "maya", "wrong-passphrase").content.decode()
    refused = login(client, "maya")  # even the right passphrase, while the wait runs
    assert "That did not work" in refused.content.decode() and "_auth_user_id" not in client.session
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {settings.THROTTLE_CACHE_TABLE}")
        assert cursor.fetchone()[0] > 0  # counted in the shared table, not in one process


def test_with_redis_down_guessing_at_one_account_locks_nobody_else_out(client, survivor, mentor, redis_down):
    for _ in range(6):
        login(client, "maya", "wrong-passphrase")
    assert login(Client(), "rosa").url == "/"


def test_with_redis_down_a_locked_session_unlocks(client, survivor, redis_down):
    login(client, "maya")
    client.post("/lock")
    assert client.get("/account/settings").url == "/"
    assert client.post("/", {"screen": "unlock", "secret": PASSPHRASE}).url == "/"
    assert client.get("/account/settings").status_code == 200


def test_a_redis_outage_writes_one_log_line_per_process(client, survivor, redis_down, caplog):
    with caplog.at_level(logging.WARNING):
        login(client, "maya")
        for _ in range(3):
            for server in resilient._resting_until:  # each call comes after the rest, Redis still down
                resilient._resting_until[server] = 0.0
            client.get("/")
    assert len([r for r in caplog.records if "Redis unavailable" in r.getMessage()]) == 1


def _my_redis_up() -> bool:
    try:
        return redis.Redis.from_url(MY_REDIS, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


@pytest.mark.skipif(not _my_redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_a_session_copy_from_before_an_outage_never_undoes_a_lock(client, survivor, db):
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    with override_settings(CACHES=_redis_caches(MY_REDIS, prefix)):
        login(client, "maya")
        assert client.get("/account/settings").status_code == 200  # her session is now copied in Redis
        down = redis.exceptions.ConnectionError("Connection refused")
        with mock.patch.object(RedisCacheClient, "get_client", side_effect=down):
            assert client.post("/lock").status_code == 204  # saved in the table; Redis could not hear of it
        resilient._resting_until.clear()  # Redis is back
        assert client.get("/account/settings").url == "/"  # still locked: the old copy is not used
        caches["sessions"].clear()


@pytest.mark.skipif(not _my_redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_an_outage_in_the_middle_of_guessing_gives_at_most_one_fresh_allowance(client, survivor, db):
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    with override_settings(CACHES=_redis_caches(MY_REDIS, prefix)):
        for _ in range(4):
            login(client, "maya", "wrong-passphrase")  # counted in Redis
        with mock.patch.object(RedisCacheClient, "get_client", side_effect=redis.exceptions.ConnectionError()):
            for _ in range(5):
                login(client, "maya", "wrong-passphrase")  # counted afresh in the table
            assert "That did not work" in login(client, "maya").content.decode()
        resilient._resting_until.clear()
        login(client, "maya", "wrong-passphrase")  # Redis's own count goes on where it was
        assert "That did not work" in login(client, "maya").content.decode()
        caches["throttle"].clear()
        caches["sessions"].clear()
