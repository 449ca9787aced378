"""Where she is logged in: she sees each device coarsely, ends any other or all others; every
session ends 12 hours after login; a new passphrase or a recovery logs the other devices out;
her sessions are found by an index, never by reading everyone's."""

import json
import uuid

import pytest
import redis
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from survivor_portal.accounts import login_sessions, recovery, services
from survivor_portal.accounts.login_sessions import LoginSession, device_of
from survivor_portal.errors import Conflict, Invalid, NotFound
from tests.conftest import logged_in, needs_redis
from tests.factories import PASSPHRASE, UserFactory

ANDROID_CHROME = ("Mozilla/5.0 (Linux; Android 14; SM-A145R) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/126.0.0.0 Mobile Safari/537.36")
IPHONE_SAFARI = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                 "Version/17.5 Mobile/15E148 Safari/604.1")


def _phone(user, agent: str) -> Client:
    client = logged_in(user)
    client.defaults["HTTP_USER_AGENT"] = agent
    client.get("/account/settings")
    return client


def _listed(client: Client) -> list[dict]:
    return client.get("/api/v1/me/sessions").json()


@pytest.mark.parametrize("agent, label", [
    (ANDROID_CHROME, ("chrome", "android")),
    (IPHONE_SAFARI, ("safari", "iphone")),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0", ("firefox", "windows")),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 "
     "Edg/126.0.0.0", ("edge", "windows")),
    ("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 "
     "Mobile Safari/537.36", ("samsung", "android")),
    ("python-requests/2.32", ("", "")),
])
def test_a_device_is_named_coarsely_from_its_browser(agent, label):
    assert device_of(agent) == label


def test_she_sees_each_device_coarsely_with_this_one_marked(survivor):
    _phone(survivor, ANDROID_CHROME)
    here = _phone(survivor, IPHONE_SAFARI)
    listed = _listed(here)
    assert sorted((s["device"], s["this_device"]) for s in listed) == [("Chrome on Android", False), ("Safari on iPhone", True)]
    assert {s["last_active"] for s in listed} == {"Active now"}
    keys = set(LoginSession.objects.values_list("session_key", flat=True))
    assert not keys & {s["id"] for s in listed}  # an id is never the key that would open the session
    page = here.get("/account/settings").content.decode()
    assert "Chrome on Android" in page and "This device" in page and "127.0.0.1" not in page
    row = LoginSession.objects.filter(user=survivor).first()
    assert "127.0.0.1" not in row.get_decoded().values() and "Mobile Safari" not in json.dumps(row.get_decoded())


def test_last_active_is_coarse():
    now = timezone.now()
    assert login_sessions.last_active_label(now - timezone.timedelta(minutes=3), now) == "Active now"
    assert login_sessions.last_active_label(now - timezone.timedelta(minutes=40), now) == "Active in the last hour"
    assert login_sessions.last_active_label(now - timezone.timedelta(minutes=200), now) == "Active about 3 hours ago"


def test_she_logs_out_the_phone_she_left_behind(survivor):
    left_behind = _phone(survivor, ANDROID_CHROME)
    here = _phone(survivor, IPHONE_SAFARI)
    other = next(s for s in _listed(here) if not s["this_device"])
    answer = here.post(f"/account/sessions/{other['id']}/end")
    assert answer.status_code == 302 and "That device is logged out" in here.get("/account/settings").content.decode()
    assert left_behind.get("/account/settings").url == "/"
    assert here.get("/account/settings").status_code == 200


def test_she_logs_out_a_device_through_the_api(survivor):
    left_behind = _phone(survivor, ANDROID_CHROME)
    here = _phone(survivor, IPHONE_SAFARI)
    other = next(s for s in _listed(here) if not s["this_device"])
    assert here.delete(f"/api/v1/me/sessions/{other['id']}").status_code == 204
    assert left_behind.get("/api/v1/me").status_code == 401
    assert here.delete(f"/api/v1/me/sessions/{other['id']}").status_code == 404  # already gone
    this = next(s for s in _listed(here) if s["this_device"])
    assert here.delete(f"/api/v1/me/sessions/{this['id']}").status_code == 409  # log out instead


def test_she_logs_out_everywhere_else(survivor):
    others = [_phone(survivor, ANDROID_CHROME) for _ in range(3)]
    here = _phone(survivor, IPHONE_SAFARI)
    assert here.delete("/api/v1/me/sessions").json() == {"ended": 3}
    assert all(client.get("/api/v1/me").status_code == 401 for client in others)
    assert [s["this_device"] for s in _listed(here)] == [True]
    again = _phone(survivor, ANDROID_CHROME)
    assert here.post("/account/sessions/end-others").status_code == 302
    assert again.get("/api/v1/me").status_code == 401 and here.get("/api/v1/me").status_code == 200


def test_nobody_else_can_end_her_sessions_or_see_them(survivor, advocate, other_advocate, agency_admin):
    hers = _phone(survivor, ANDROID_CHROME)
    her_id = _listed(hers)[0]["id"]
    for person in (advocate, other_advocate, agency_admin):
        client = logged_in(person)
        assert her_id not in {s["id"] for s in _listed(client)}
        assert client.delete(f"/api/v1/me/sessions/{her_id}").status_code == 404
        assert client.post(f"/account/sessions/{her_id}/end").status_code == 404
    assert Client().get("/api/v1/me/sessions").status_code == 401
    assert Client().delete(f"/api/v1/me/sessions/{her_id}").status_code == 401
    assert Client().post(f"/account/sessions/{her_id}/end").url == "/"
    assert hers.get("/api/v1/me").status_code == 200


def test_staff_see_and_end_their_own_sessions_too(advocate):
    first = _phone(advocate, ANDROID_CHROME)
    second = _phone(advocate, IPHONE_SAFARI)
    assert len(_listed(second)) == 2
    second.delete("/api/v1/me/sessions")
    assert first.get("/api/v1/me").status_code == 401


def test_a_session_ends_12_hours_after_login_however_active_she_is(survivor, monkeypatch):
    client = _phone(survivor, ANDROID_CHROME)
    real_now = timezone.now
    for minutes in range(10, 12 * 60, 10):  # a request every 10 minutes, well inside her 15 idle minutes
        monkeypatch.setattr(timezone, "now", lambda m=minutes: real_now() + timezone.timedelta(minutes=m))
        assert client.get("/api/v1/me").status_code == 200, minutes
    row = LoginSession.objects.get(user=survivor)
    assert row.expire_date <= real_now() + timezone.timedelta(hours=12, seconds=5)
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timezone.timedelta(hours=12, seconds=10))
    assert client.get("/api/v1/me").status_code == 401


def test_a_new_passphrase_logs_out_every_other_device(survivor):
    left_behind = _phone(survivor, ANDROID_CHROME)
    here = _phone(survivor, IPHONE_SAFARI)
    answer = here.post("/account/passphrase", {"current": PASSPHRASE, "new": "a brand new river song",
                                               "new_again": "a brand new river song"})
    assert answer.status_code == 302
    assert left_behind.get("/api/v1/me").status_code == 401
    assert here.get("/api/v1/me").status_code == 200  # this device stays
    survivor.refresh_from_db()
    assert survivor.check_password("a brand new river song")


def test_a_new_passphrase_through_the_api_needs_the_current_one(survivor):
    left_behind = _phone(survivor, ANDROID_CHROME)
    here = _phone(survivor, IPHONE_SAFARI)
    wrong = here.post("/api/v1/me/passphrase", json.dumps({"current": "not it", "new": "a brand new river song",
                                                           "new_again": "a brand new river song"}),
                      content_type="application/json")
    assert wrong.status_code == 422 and wrong.json()["field"] == "current"
    assert left_behind.get("/api/v1/me").status_code == 200  # nothing changed
    right = here.post("/api/v1/me/passphrase", json.dumps({"current": PASSPHRASE, "new": "a brand new river song",
                                                           "new_again": "a brand new river song"}),
                      content_type="application/json")
    assert right.status_code == 204
    assert left_behind.get("/api/v1/me").status_code == 401 and here.get("/api/v1/me").status_code == 200


def test_a_weak_new_passphrase_changes_nothing(survivor):
    with pytest.raises(Invalid):
        services.passphrase_change(actor=survivor, current=PASSPHRASE, new="short", new_again="short")
    survivor.refresh_from_db()
    assert survivor.check_password(PASSPHRASE)


def test_recovery_logs_out_every_device(survivor):
    phones = [_phone(survivor, ANDROID_CHROME) for _ in range(2)]
    code = recovery.recovery_codes_make(actor=survivor)[0]
    recovery.recover(username="maya", code=code, passphrase="a brand new river song",
                     passphrase_again="a brand new river song")
    assert all(phone.get("/api/v1/me").status_code == 401 for phone in phones)
    assert not LoginSession.objects.filter(user=survivor).exists()


def test_her_sessions_are_ended_by_index_without_reading_anyone_elses(survivor, northside):
    for n in range(20):
        logged_in(UserFactory(username=f"someone{n}", agency=northside))
    _phone(survivor, ANDROID_CHROME)
    with CaptureQueriesContext(connection) as queries:
        login_sessions.sessions_end_all(user=survivor)
    touching = [q["sql"] for q in queries.captured_queries if "accounts_login_session" in q["sql"]]
    assert touching and all("user_id" in sql or "session_key" in sql for sql in touching)
    assert not any("session_data" in sql for sql in touching)  # nobody's session is decoded
    assert LoginSession.objects.filter(user__isnull=False).count() == 20


def test_a_session_is_ended_by_its_id_only_for_its_owner(survivor, advocate):
    _phone(survivor, ANDROID_CHROME)
    her_id = LoginSession.objects.get(user=survivor).handle
    with pytest.raises(NotFound):
        login_sessions.session_end(actor=advocate, session_id=her_id, current_key=None)
    with pytest.raises(NotFound):
        login_sessions.session_end(actor=survivor, session_id="not-an-id", current_key=None)
    with pytest.raises(Conflict):
        login_sessions.session_end(actor=survivor, session_id=her_id,
                                   current_key=LoginSession.objects.get(user=survivor).session_key)


REDIS = "redis://127.0.0.1:6379/5"


@needs_redis(REDIS)
def test_with_redis_an_ended_session_leaves_no_copy_behind(survivor, settings, django_capture_on_commit_callbacks):
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {**settings.CACHES, "sessions": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                                       "LOCATION": REDIS, "KEY_PREFIX": prefix}}
    left_behind = _phone(survivor, ANDROID_CHROME)
    here = _phone(survivor, IPHONE_SAFARI)
    server = redis.Redis.from_url(REDIS)
    assert len(server.keys(f"{prefix}:*")) == 2
    with django_capture_on_commit_callbacks(execute=True):
        here.delete("/api/v1/me/sessions")
    assert len(server.keys(f"{prefix}:*")) == 1
    assert left_behind.get("/api/v1/me").status_code == 401
    server.delete(*server.keys(f"{prefix}:*"))


def _sessions_in_redis(settings) -> tuple[str, redis.Redis]:
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {**settings.CACHES, "sessions": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                                       "LOCATION": REDIS, "KEY_PREFIX": prefix}}
    return prefix, redis.Redis.from_url(REDIS)


@needs_redis(REDIS)
def test_the_redis_copy_of_her_session_holds_none_of_her_words(survivor, settings):
    prefix, server = _sessions_in_redis(settings)
    phone = _phone(survivor, ANDROID_CHROME)
    session = phone.session
    session["_words"] = "Leave on Friday with my sister Ana"  # as a flash message naming her goal would
    session.save()
    try:
        [key] = server.keys(f"{prefix}:*")
        raw = server.get(key)
        assert b"Ana" not in raw and b"Friday" not in raw and b"_auth_user_id" not in raw
        assert phone.session["_words"] == "Leave on Friday with my sister Ana"  # read back through the copy
    finally:
        server.delete(*server.keys(f"{prefix}:*"))


@needs_redis(REDIS)
def test_a_redis_copy_that_does_not_open_here_is_read_from_her_row_again(survivor, advocate, settings):
    prefix, server = _sessions_in_redis(settings)
    hers, theirs = _phone(survivor, ANDROID_CHROME), _phone(advocate, IPHONE_SAFARI)
    try:
        her_key = next(key for key in server.keys(f"{prefix}:*") if key.endswith(hers.session.session_key.encode()))
        their_key = next(key for key in server.keys(f"{prefix}:*") if key.endswith(theirs.session.session_key.encode()))
        server.set(their_key, server.get(her_key))  # her sealed copy put under someone else's key
        assert theirs.get("/api/v1/me").json()["username"] == advocate.username
        server.set(her_key, b"not sealed")  # a copy written before copies were sealed
        assert hers.get("/api/v1/me").json()["username"] == survivor.username
    finally:
        server.delete(*server.keys(f"{prefix}:*"))
