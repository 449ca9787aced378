"""Words only she can open: goals she marks "only me" are sealed with a key of her own, which
is never kept on the server (accounts.only_me, goals.sealing)."""

import base64
import json
import uuid
from datetime import timedelta

import pytest
import redis
from django.db import connection
from django.test import Client
from django.utils import timezone, translation

from survivor_portal.accounts import only_me, recovery
from survivor_portal.accounts.models import OnlyMeWrap, ResetCode
from survivor_portal.consent import selectors as consent_selectors
from survivor_portal.consent import services as consent
from survivor_portal.errors import DomainError, NotFound
from survivor_portal.goals.models import Goal, Step
from tests.conftest import logged_in, needs_redis
from tests.factories import PASSPHRASE

TITLE, NOTE, STEP = "Leave before the summer", "Aunt Rosa's flat, key under the pot", "Pack the blue bag"
NEW_PASSPHRASE = "seven quiet herons at dawn"
REDIS = "redis://127.0.0.1:6379/10"


def _json(client: Client, method: str, path: str, body: dict | None = None):
    return getattr(client, method)(path, json.dumps(body or {}), content_type="application/json")


def her_login(username: str = "maya", passphrase: str = PASSPHRASE) -> Client:
    client = Client()
    answer = client.post("/", {"screen": "login", "username": username, "password": passphrase})
    assert answer.status_code == 302, answer.content[:300]
    return client


def only_me_goal(client: Client) -> int:
    answer = _json(client, "post", "/api/v1/goals", {"title": TITLE, "note": NOTE, "only_me": True})
    assert answer.status_code == 201, answer.json()
    goal_id = answer.json()["id"]
    assert _json(client, "post", f"/api/v1/goals/{goal_id}/steps", {"text": STEP}).status_code == 201
    return goal_id


def stored(goal_id: int) -> list[str]:
    """The values as the models read them: the database-wide layer (DATA_KEYS, vault) opened."""
    goal = Goal.objects.get(pk=goal_id)
    return [goal.title, goal.note, *[step.text for step in Step.objects.filter(goal_id=goal_id)]]


def test_login_carries_her_key_in_its_own_sealed_cookie(survivor):
    client = her_login()
    cookie = client.cookies[only_me.COOKIE]
    assert cookie.value and cookie["httponly"] and cookie["samesite"] == "Strict"
    assert not cookie["max-age"] and not cookie["expires"]  # gone when the browser closes, like her session
    assert OnlyMeWrap.objects.filter(user=survivor, recovery_code__isnull=True).count() == 1


def test_staff_get_no_key(advocate):
    assert only_me.key_open_or_make(user=advocate, passphrase=PASSPHRASE) is None
    assert not OnlyMeWrap.objects.filter(user=advocate).exists()


def test_an_only_me_goal_is_stored_sealed_and_opens_for_her(survivor):
    client = her_login()
    goal_id = only_me_goal(client)
    for value in stored(goal_id):
        assert value.startswith(only_me.PREFIX)
        assert not any(word in value for word in (TITLE, NOTE, STEP, "Rosa", "blue"))
    shown = client.get(f"/api/v1/goals/{goal_id}").json()
    assert (shown["title"], shown["note"], shown["steps"][0]["text"]) == (TITLE, NOTE, STEP)
    assert shown["only_me"] and shown["keep_private"] and shown["sealed"] == ""
    page = client.get("/").content.decode()
    assert TITLE in page and "Only me" in page  # the list's small mark


def test_the_database_file_holds_none_of_her_words(survivor):
    if connection.vendor != "sqlite":
        pytest.skip("the raw file read is SQLite's; PostgreSQL's dump is checked by the database-wide tests")
    client = her_login()
    only_me_goal(client)
    raw = connection.connection.serialize()  # the database file, byte for byte
    for word in (TITLE, NOTE, STEP):
        assert word.encode() not in raw


def test_opening_the_database_layer_with_the_server_keys_still_shows_none_of_her_words(survivor):
    from survivor_portal.vault import cipher

    client = her_login()
    goal_id = only_me_goal(client)
    with connection.cursor() as cursor:  # the row as a copy of the database holds it
        cursor.execute("SELECT title, note, row_key FROM goals_goal WHERE id = %s", [goal_id])
        title, note, row_key = cursor.fetchone()
    for label, value in (("goals.goal.title", title), ("goals.goal.note", note)):
        assert cipher.is_sealed(value)
        inner = cipher.open_sealed(value, label=label, row_key=row_key)  # with DATA_KEYS
        assert inner.startswith(only_me.PREFIX) and TITLE not in inner and NOTE not in inner


def _needles(key: only_me.HerKey) -> list[bytes]:
    secret = key.secret
    return [secret, secret.hex().encode(), base64.b64encode(secret), base64.urlsafe_b64encode(secret),
            base64.b64encode(secret).rstrip(b"="), base64.urlsafe_b64encode(secret).rstrip(b"=")]


def _every_stored_value():
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, (bytes, memoryview)):
                        yield table, bytes(value)
                    elif isinstance(value, str):
                        yield table, value.encode()


@needs_redis(REDIS)
def test_her_key_and_words_are_in_no_table_and_no_redis_value_while_she_is_logged_in(survivor, settings):
    prefix = f"onlyme-{uuid.uuid4().hex}"
    settings.CACHES = {**settings.CACHES,
                       "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS,
                                   "KEY_PREFIX": prefix},
                       "sessions": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS,
                                    "KEY_PREFIX": prefix}}
    server = redis.Redis.from_url(REDIS)
    try:
        client = her_login()
        goal_id = only_me_goal(client)
        assert client.get(f"/api/v1/goals/{goal_id}").json()["title"] == TITLE  # she is in, reading it
        key = only_me.key_open(user=survivor, passphrase=PASSPHRASE)
        needles = [*_needles(key), TITLE.encode(), NOTE.encode(), STEP.encode()]
        values = list(_every_stored_value())
        assert any(table == "accounts_login_session" for table, _v in values)  # her session is there
        for table, value in values:
            assert not any(needle in value for needle in needles), table
        keys = server.keys(f"*{prefix}*")
        assert keys  # her session's copy is in Redis
        for name in keys:
            value = server.dump(name) or b""
            assert not any(needle in value for needle in needles), name
    finally:
        names = server.keys(f"*{prefix}*")
        if names:
            server.delete(*names)


def test_passphrase_change_locks_the_same_key_again_and_the_goal_still_opens(survivor):
    client = her_login()
    goal_id = only_me_goal(client)
    answer = client.post("/account/passphrase", {"current": PASSPHRASE, "new": NEW_PASSPHRASE,
                                                 "new_again": NEW_PASSPHRASE})
    assert answer.status_code == 302
    assert client.get(f"/api/v1/goals/{goal_id}").json()["title"] == TITLE  # this session keeps it open
    assert only_me.key_open(user=survivor, passphrase=PASSPHRASE) is None
    again = her_login(passphrase=NEW_PASSPHRASE)
    assert again.get(f"/api/v1/goals/{goal_id}").json()["title"] == TITLE


def test_a_recovery_code_keeps_her_only_me_goal(survivor):
    client = her_login()
    goal_id = only_me_goal(client)
    codes = _json(client, "post", "/api/v1/me/backup-codes", {"passphrase": PASSPHRASE}).json()["codes"]
    assert OnlyMeWrap.objects.filter(user=survivor, recovery_code__isnull=False).count() == len(codes)
    answer = _json(Client(), "post", "/api/v1/auth/recover", {
        "username": "maya", "code": codes[3].upper(), "passphrase": NEW_PASSPHRASE, "passphrase_again": NEW_PASSPHRASE})
    assert answer.status_code == 204
    assert not OnlyMeWrap.objects.filter(user=survivor, recovery_code__used_at__isnull=False).exists()  # spent
    shown = her_login(passphrase=NEW_PASSPHRASE).get(f"/api/v1/goals/{goal_id}").json()
    assert (shown["title"], shown["sealed"]) == (TITLE, "")


def test_recovery_codes_made_before_her_key_are_named_on_the_form(survivor):
    recovery.recovery_codes_make(actor=survivor)  # no key with them: made before the feature
    client = her_login()
    goal = Goal.objects.create(owner=survivor, title="Rent", position=0)
    assert "Your recovery codes are older than this" in client.get(f"/goals/{goal.pk}").content.decode()


def test_an_agency_reset_cannot_open_it_and_she_was_told(survivor, agency_admin):
    client = her_login()
    form = client.get("/").content.decode()
    assert "Only me — not even people you share with" in form
    assert "An agency’s reset does not: after one, this goal cannot be opened again." in form
    goal_id = only_me_goal(client)
    _made, code = recovery.reset_code_issue(actor=agency_admin, username="maya")
    with pytest.raises(recovery.ResetWaiting):
        recovery.recover(username="maya", code=code)
    ResetCode.objects.filter(user=survivor).update(started_at=timezone.now() - timedelta(hours=25))
    recovery.recover(username="maya", code=code, passphrase=NEW_PASSPHRASE, passphrase_again=NEW_PASSPHRASE)
    again = her_login(passphrase=NEW_PASSPHRASE)
    shown = again.get(f"/api/v1/goals/{goal_id}").json()
    assert shown["sealed"] == "lost" and TITLE not in json.dumps(shown)
    page = again.get(f"/goals/{goal_id}").content.decode()
    assert "This goal was kept with your old passphrase and cannot be opened." in page
    assert f"/goals/{goal_id}/delete" in page
    assert "A goal kept with your old passphrase" in again.get("/").content.decode()
    refused = _json(again, "patch", f"/api/v1/goals/{goal_id}", {"status": "done"})
    assert refused.status_code == 422 and refused.json()["code"] == "only_me_lost"
    assert again.post(f"/goals/{goal_id}/delete").status_code == 302
    assert not Goal.objects.filter(pk=goal_id, deleted_at__isnull=True).exists()


def test_staff_never_see_it_whatever_she_shares(survivor, advocate, other_advocate):
    client = her_login()
    goal_id = only_me_goal(client)
    open_goal = _json(client, "post", "/api/v1/goals", {"title": "Find a course"}).json()["id"]
    consent.consent_grant(actor=survivor, agency_id=advocate.agency_id, scopes=["goals"], goal_scope="all")
    reader = consent_selectors.Reader(agency=advocate.agency, actor=advocate, label="Sam", via="page")
    assert [g.pk for g in consent_selectors.shared_goals_of(reader=reader, survivor_id=survivor.pk)] == [open_goal]
    staff = logged_in(advocate)
    answer = staff.get(f"/api/v1/agency/survivors/{survivor.pk}/goals")
    assert answer.status_code == 200 and [g["id"] for g in answer.json()] == [open_goal]
    for path in (f"/api/v1/goals/{goal_id}", f"/goals/{goal_id}"):
        assert staff.get(path).status_code == 404
    assert logged_in(other_advocate).get(f"/api/v1/goals/{goal_id}").status_code == 404
    page = staff.get(f"/agency/people/{survivor.pk}").content.decode()
    assert "Find a course" in page and TITLE not in page and only_me.PREFIX not in page
    with pytest.raises(NotFound):
        consent.suggestion_make(actor=advocate, survivor_id=survivor.pk, text="Call us", goal_id=goal_id)
    with pytest.raises(DomainError):  # nor can she pick it to share by hand
        consent.preview(actor=survivor, agency_id=advocate.agency_id, scopes=["goals"], goal_scope="chosen",
                        goal_ids=[goal_id])


def test_exit_and_logout_take_the_key_cookie_away(survivor):
    for leave in (lambda c: c.post("/logout"), lambda c: c.get("/exit")):
        client = her_login()
        assert client.cookies[only_me.COOKIE].value
        answer = leave(client)
        gone = answer.cookies[only_me.COOKIE]
        assert gone.value == "" and gone["max-age"] == 0


def test_the_last_wrong_pin_takes_the_key_cookie_away(survivor):
    from survivor_portal.safety import services as safety

    safety.pin_set(actor=survivor, pin="4831", pin_again="4831")
    client = her_login()
    client.post("/lock")
    answer = None
    for _try in range(safety.MAX_WRONG_PINS):
        answer = _json(client, "post", "/api/v1/me/safety/unlock", {"secret": "9999"})
    assert answer.cookies[only_me.COOKIE].value == ""


def test_a_cookie_taken_to_another_session_opens_nothing(survivor):
    first = her_login()
    goal_id = only_me_goal(first)
    stolen = first.cookies[only_me.COOKIE].value
    second = her_login()  # her own other session, with its own cookie and token
    second.cookies[only_me.COOKIE] = stolen
    assert second.get(f"/api/v1/goals/{goal_id}").json()["sealed"] == "closed"
    bare = logged_in(survivor)  # a session that holds no token at all
    bare.cookies[only_me.COOKIE] = stolen
    answer = bare.get(f"/api/v1/goals/{goal_id}")
    assert answer.json()["sealed"] == "closed" and TITLE not in answer.content.decode()
    assert answer.cookies[only_me.COOKIE].value == ""  # and it is thrown away


def test_without_her_key_she_is_asked_for_her_passphrase_not_shown_an_error(survivor):
    goal_id = only_me_goal(her_login())
    client = logged_in(survivor)  # a session that began before she had her key
    home = client.get("/").content.decode()
    assert "A goal only you can open" in home and TITLE not in home
    answer = client.get(f"/goals/{goal_id}")
    assert answer.status_code == 302 and answer["Location"] == f"/account/only-me?next=/goals/{goal_id}"
    wrong = client.post("/account/only-me", {"passphrase": "not it at all", "next": f"/goals/{goal_id}"})
    assert wrong.status_code == 200 and "That passphrase is not right" in wrong.content.decode()
    assert only_me.COOKIE not in wrong.cookies
    right = client.post("/account/only-me", {"passphrase": PASSPHRASE, "next": f"/goals/{goal_id}"})
    assert right.status_code == 302 and right["Location"] == f"/goals/{goal_id}"
    assert TITLE in client.get(f"/goals/{goal_id}").content.decode()
    assert client.post("/account/only-me", {"passphrase": PASSPHRASE, "next": "//elsewhere.example"})["Location"] == "/"


def test_the_api_asks_for_her_passphrase_too(survivor):
    goal_id = only_me_goal(her_login())
    client = logged_in(survivor)
    refused = _json(client, "patch", f"/api/v1/goals/{goal_id}", {"title": "x"})
    assert refused.status_code == 403 and refused.json()["code"] == "only_me_closed"
    assert _json(client, "post", "/api/v1/me/only-me/open", {"passphrase": "wrong one"}).status_code == 422
    assert _json(client, "post", "/api/v1/me/only-me/open", {"passphrase": PASSPHRASE}).status_code == 200
    assert client.get(f"/api/v1/goals/{goal_id}").json()["title"] == TITLE


def test_the_lock_screen_shows_nothing_of_it(survivor):
    client = her_login()
    only_me_goal(client)
    client.post("/lock")
    page = client.get("/").content.decode()
    assert TITLE not in page and STEP not in page and "A goal only you can open" not in page


def test_marking_and_unmarking_on_the_goal_page_seals_and_opens_its_steps(survivor):
    client = her_login()
    goal_id = _json(client, "post", "/api/v1/goals", {"title": TITLE, "note": NOTE}).json()["id"]
    _json(client, "post", f"/api/v1/goals/{goal_id}/steps", {"text": STEP})
    version = client.get(f"/api/v1/goals/{goal_id}").json()["version"]
    form = {"title": TITLE, "note": NOTE, "category": "other", "status": "working", "version": version, "only_me": "on"}
    assert client.post(f"/goals/{goal_id}", form).status_code == 302
    assert all(value.startswith(only_me.PREFIX) for value in stored(goal_id))
    assert Goal.objects.get(pk=goal_id).keep_private  # only me is always private too
    assert client.get(f"/api/v1/goals/{goal_id}").json()["steps"][0]["text"] == STEP
    del form["only_me"]
    form["version"] = version + 1
    assert client.post(f"/goals/{goal_id}", form).status_code == 302
    assert stored(goal_id) == [TITLE, NOTE, STEP]


def test_too_long_is_judged_on_what_she_typed(survivor):
    client = her_login()
    assert _json(client, "post", "/api/v1/goals", {"title": "é" * 120, "only_me": True}).status_code == 201
    assert _json(client, "post", "/api/v1/goals", {"title": "é" * 121, "only_me": True}).status_code == 422


def test_her_export_opens_it_and_deleting_her_account_removes_her_key(survivor):
    client = her_login()
    only_me_goal(client)
    exported = client.get("/api/v1/me/export").json()["goals"][0]
    assert (exported["title"], exported["note"], exported["steps"][0]["text"]) == (TITLE, NOTE, STEP)
    assert _json(client, "post", "/api/v1/me/delete", {"passphrase": PASSPHRASE}).status_code == 204
    assert not OnlyMeWrap.objects.exists() and not Goal.objects.exists()


def test_the_choice_and_its_warning_are_in_spanish(survivor):
    survivor.language = "es"
    survivor.save(update_fields=["language"])
    page = her_login().get("/").content.decode()
    translation.activate("en")
    assert "Solo yo: ni siquiera las personas con quienes compartes" in page
    assert "El restablecimiento de una agencia no" in page


def test_when_her_session_expires_the_key_cookie_goes_with_it(survivor):
    from survivor_portal.accounts.login_sessions import LoginSession

    client = her_login()
    assert client.cookies[only_me.COOKIE].value
    LoginSession.objects.all().delete()  # as the server forgets a session past her idle time
    assert client.get("/").cookies[only_me.COOKIE].value == ""


def test_sealed_words_open_only_in_their_own_field_for_their_own_person(survivor):
    key = only_me.key_make(user=survivor, passphrase=PASSPHRASE)
    sealed = only_me.seal(key, user_id=survivor.pk, field="goals.goal.note", text=NOTE)
    assert only_me.unseal(key, user_id=survivor.pk, field="goals.goal.note", value=sealed) == NOTE
    assert only_me.unseal(key, user_id=survivor.pk, field="goals.goal.title", value=sealed) is None
    assert only_me.unseal(key, user_id=survivor.pk + 1, field="goals.goal.note", value=sealed) is None
    assert only_me.unseal(None, user_id=survivor.pk, field="goals.goal.note", value=sealed) is None


def test_joining_makes_her_key_and_locks_it_with_each_of_her_first_recovery_codes(agency_admin):
    from survivor_portal.accounts.models import User
    from survivor_portal.accounts.services import invite_create

    _invite, code = invite_create(actor=agency_admin, role="survivor")
    client = Client()
    answer = _json(client, "post", "/api/v1/auth/join", {"code": code, "username": "noor", "display_name": "Noor",
                                                          "passphrase": NEW_PASSPHRASE})
    assert answer.status_code == 201 and client.cookies[only_me.COOKIE].value
    noor = User.objects.get(username="noor")
    codes = answer.json()["recovery_codes"]
    assert OnlyMeWrap.objects.filter(user=noor, recovery_code__isnull=False).count() == len(codes) == 10
    key = only_me.key_open(user=noor, passphrase=NEW_PASSPHRASE)
    row = noor.recovery_codes.get(only_me_wrap__isnull=False, pk=OnlyMeWrap.objects.filter(
        user=noor, recovery_code__isnull=False).first().recovery_code_id)
    assert any(only_me.key_from_code(user=noor, code_row=row, code=c) == key for c in codes)


def test_an_answer_kept_for_a_retry_is_sealed_with_her_key_too(survivor):
    from survivor_portal.idempotency.models import IdempotencyKey

    client = her_login()
    body = json.dumps({"title": TITLE, "note": NOTE, "only_me": True})
    first = client.post("/api/v1/goals", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == 201
    kept = IdempotencyKey.objects.get().body  # as the model reads it: the database's own layer opened
    assert kept.startswith(only_me.PREFIX)
    assert base64.b64encode(first.content).decode() not in kept and TITLE not in kept
    again = client.post("/api/v1/goals", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    assert again.status_code == 201 and again.json()["title"] == TITLE and again["Idempotent-Replayed"] == "true"
    elsewhere = logged_in(survivor)  # a session without her key
    refused = elsewhere.post("/api/v1/goals", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    assert refused.status_code == 403 and refused.json()["code"] == "only_me_closed"
    assert Goal.objects.count() == 1


def test_without_her_key_a_new_only_me_goal_keeps_her_words_and_asks_for_the_passphrase_on_the_form(survivor):
    only_me_goal(her_login())  # she has a key, but this session began before it
    client = logged_in(survivor)
    sent = {"title": "Call the clinic about Rosa", "category": "health", "only_me": "on"}
    asked = client.post("/goals/add", sent)
    page = asked.content.decode()
    assert asked.status_code == 200 and "Call the clinic about Rosa" in page and "type your passphrase" in page
    assert Goal.objects.filter(owner=survivor, only_me=True).count() == 1  # nothing saved yet
    wrong = client.post("/goals/add", {**sent, "passphrase": "not it at all"})
    assert "That passphrase is not right" in wrong.content.decode() and "Call the clinic about Rosa" in wrong.content.decode()
    assert only_me.COOKIE not in wrong.cookies
    right = client.post("/goals/add", {**sent, "passphrase": PASSPHRASE})
    assert right.status_code == 302 and right.cookies[only_me.COOKIE].value
    assert Goal.objects.filter(owner=survivor, only_me=True).count() == 2
    assert "Call the clinic about Rosa" in client.get("/").content.decode()  # the cookie opens it from now on


def test_without_her_key_marking_a_goal_only_me_keeps_her_edit_and_asks_on_the_form(survivor):
    client = logged_in(survivor)  # she has never had a key
    goal_id = _json(client, "post", "/api/v1/goals", {"title": "Find a lawyer"}).json()["id"]
    version = client.get(f"/api/v1/goals/{goal_id}").json()["version"]
    sent = {"title": "Find a lawyer for the visa", "note": "", "category": "legal", "status": "working",
            "only_me": "on", "version": version}
    asked = client.post(f"/goals/{goal_id}", sent).content.decode()
    assert "Find a lawyer for the visa" in asked and "type your passphrase" in asked
    assert Goal.objects.get(pk=goal_id).only_me is False
    done = client.post(f"/goals/{goal_id}", {**sent, "passphrase": PASSPHRASE})
    assert done.status_code == 302 and done.cookies[only_me.COOKIE].value
    assert Goal.objects.get(pk=goal_id).only_me is True
    assert "Find a lawyer for the visa" in client.get(f"/goals/{goal_id}").content.decode()


@pytest.mark.parametrize("face", ["page", "api"])
def test_unlocking_the_lock_screen_with_her_passphrase_opens_her_key_again(survivor, face):
    goal_id = only_me_goal(her_login())
    client = logged_in(survivor)  # this session lost her key's cookie (or began before it)
    client.post("/lock")
    if face == "page":
        answer = client.post("/", {"screen": "unlock", "secret": PASSPHRASE})
        assert answer.status_code == 302
    else:
        answer = _json(client, "post", "/api/v1/me/safety/unlock", {"secret": PASSPHRASE})
        assert answer.status_code == 204
    assert answer.cookies[only_me.COOKIE].value
    assert TITLE in client.get(f"/goals/{goal_id}").content.decode()


def test_unlocking_with_her_pin_asks_for_the_passphrase_on_the_goal_as_before(survivor):
    goal_id = only_me_goal(her_login())
    client = logged_in(survivor)
    assert _json(client, "put", "/api/v1/me/safety/pin", {"pin": "4831", "pin_again": "4831"}).status_code == 200
    client.post("/lock")
    answer = client.post("/", {"screen": "unlock", "secret": "4831"})
    assert answer.status_code == 302 and only_me.COOKIE not in answer.cookies
    assert client.get(f"/goals/{goal_id}")["Location"].startswith("/account/only-me")
