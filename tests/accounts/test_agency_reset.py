"""One agency admin cannot become her: a used reset code changes nothing for 24 hours, every
session of hers shows it and her passphrase or PIN stops it, it never works if she turned agency
resets off or never shares with that agency (and the admin cannot tell), and every step is in
her "who has looked" list."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from survivor_portal.accounts import recovery
from survivor_portal.accounts.login_sessions import LoginSession
from survivor_portal.accounts.models import ResetCode
from survivor_portal.consent import services as consent
from survivor_portal.consent.selectors import access_log_for, look_sentence
from survivor_portal.errors import Invalid, NotFound
from survivor_portal.safety import services as safety
from tests.conftest import logged_in
from tests.factories import PASSPHRASE

NEW = "a-brand-new-passphrase-77"
WAITING = "Your agency asked to reset your account. Not you? Stop it"


def _use(code: str, passphrase: str = NEW, username: str = "maya"):
    """What whoever holds the code gets from the recover page's service."""
    try:
        recovery.recover(username=username, code=code, passphrase=passphrase, passphrase_again=passphrase)
    except recovery.ResetWaiting as waiting:
        return "waiting", waiting.extra["ready_at"]
    except Invalid as refused:
        return "refused", refused.message
    return "done", None


def _later(monkeypatch, hours: float) -> None:
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(hours=hours))


def test_a_used_reset_code_changes_nothing_for_24_hours_then_sets_a_new_passphrase(survivor, agency_admin, monkeypatch):
    phone = logged_in(survivor)
    _made, code = recovery.reset_code_issue(actor=agency_admin, username="maya")
    state, ready = _use(code)
    assert state == "waiting"
    survivor.refresh_from_db()
    assert survivor.check_password(PASSPHRASE)  # nothing changed: passphrase, sessions, data
    assert phone.get("/api/v1/me").status_code == 200
    assert phone.get("/api/v1/me/resets").json()[0]["state"] == "waiting"
    _later(monkeypatch, 23.9)
    assert _use(code) == ("waiting", ready)  # the same answer until the wait is over
    assert recovery.reset_state(ResetCode.objects.get()) == "waiting"
    _later(monkeypatch, 24.1)
    assert recovery.reset_state(ResetCode.objects.get()) == "ready"
    assert _use(code) == ("done", None)
    survivor.refresh_from_db()
    assert survivor.check_password(NEW)
    assert not LoginSession.objects.filter(user=survivor).exists()  # every device of hers logged out
    assert _use(code) [0] == "refused"  # once only
    sentences = [look_sentence(event) for event in access_log_for(viewer=survivor)]
    assert sentences == ["A new passphrase was set with the reset code from Northside Shelter",
                         "Someone used the reset code from Northside Shelter; it could set a new passphrase 24 hours later",
                         "Alex at Northside Shelter made a reset code for your account"]


def test_after_the_wait_the_holder_has_48_hours_to_finish(survivor, agency_admin, monkeypatch):
    _made, code = recovery.reset_code_issue(actor=agency_admin, username="maya")
    _use(code)
    _later(monkeypatch, 24 + 48 + 0.1)
    assert _use(code)[0] == "refused"


def test_every_session_of_hers_shows_the_reset_and_her_pin_or_passphrase_stops_it(survivor, agency_admin):
    phone, laptop = logged_in(survivor), logged_in(survivor)
    safety.pin_set(actor=survivor, pin="4826", pin_again="4826")
    made, code = recovery.reset_code_issue(actor=agency_admin, username="maya")
    assert WAITING not in phone.get("/").content.decode()  # made, not used: she is told, no alarm yet
    _use(code)
    assert WAITING in phone.get("/").content.decode() and WAITING in laptop.get("/").content.decode()
    wrong = laptop.post(f"/account/resets/{made.pk}/stop", {"secret": "1111"}, follow=True).content.decode()
    assert "That is not your passphrase or PIN" in wrong and WAITING in wrong
    laptop.post(f"/account/resets/{made.pk}/stop", {"secret": "4826"})
    assert WAITING not in phone.get("/").content.decode()
    assert _use(code)[0] == "refused"
    assert "You stopped the reset code from Northside Shelter" in phone.get("/sharing/looks").content.decode()


def test_she_can_stop_a_reset_through_the_api_with_her_passphrase(as_survivor, survivor, agency_admin):
    made, code = recovery.reset_code_issue(actor=agency_admin, username="maya")
    _use(code)
    send = lambda body: as_survivor.post(f"/api/v1/me/resets/{made.pk}/stop", json.dumps(body),  # noqa: E731
                                         content_type="application/json")
    assert send({"secret": "not it"}).status_code == 422
    assert send({"secret": PASSPHRASE}).status_code == 204
    assert as_survivor.get("/api/v1/me/resets").json()[0]["state"] == "stopped"


@pytest.mark.parametrize("choice", ["resets_off", "never_share"])
def test_the_admin_cannot_tell_that_her_choice_rules_a_reset_out(as_admin, survivor, northside, choice, monkeypatch):
    def attempt() -> tuple:
        answer = as_admin.post("/api/v1/agency/reset-codes", json.dumps({"username": "maya"}), content_type="application/json")
        code = answer.json()["code"]
        return answer.status_code, sorted(answer.json()), _use(code)[0], code

    plain = attempt()
    if choice == "resets_off":
        recovery.agency_reset_choose(actor=survivor, allow=False, secret=PASSPHRASE)
    else:
        consent.never_share_set(actor=survivor, agency_id=northside.pk, never=True)
    ruled_out = attempt()
    assert plain[:3] == ruled_out[:3] == (201, ["code", "expires_at"], "waiting")
    assert WAITING not in logged_in(survivor).get("/").content.decode()  # nothing for her to stop
    _later(monkeypatch, 24.1)
    assert _use(ruled_out[3]) == _use("wrong-code-0000")  # then the same refusal as a code she stopped
    survivor.refresh_from_db()
    assert survivor.check_password(PASSPHRASE)


def test_she_is_told_before_choosing_and_needs_her_passphrase_to_turn_resets_off(as_survivor, survivor, agency_admin):
    page = as_survivor.get("/account/settings").content.decode()
    assert "Yes, with a 24-hour wait" in page and "No, only my recovery codes" in page
    assert "you cannot get back in" in page
    as_survivor.post("/account/agency-resets", {"allow": "no", "secret": "not it"})
    survivor.refresh_from_db()
    assert survivor.allows_agency_reset
    made, _code = recovery.reset_code_issue(actor=agency_admin, username="maya")
    as_survivor.post("/account/agency-resets", {"allow": "no", "secret": PASSPHRASE, "version": "15.en.1"})
    survivor.refresh_from_db()
    made.refresh_from_db()
    assert not survivor.allows_agency_reset and made.stopped_at is not None  # open codes stop too
    answer = as_survivor.put("/api/v1/me/agency-resets", json.dumps({"allow": True, "secret": PASSPHRASE}),
                             content_type="application/json")
    assert answer.json() == {"allow": True}


def test_the_holder_gets_nothing_while_it_waits(survivor, agency_admin):
    _made, code = recovery.reset_code_issue(actor=agency_admin, username="maya")
    holder = Client()
    page = holder.post("/", {"screen": "recover", "username": "maya", "code": code}).content.decode()
    assert "nothing changes for 24 hours" in page
    assert holder.get("/api/v1/me").status_code == 401 and holder.get("/api/v1/me/export").status_code == 401
    api = holder.post("/api/v1/auth/recover", json.dumps({"username": "maya", "code": code}),
                      content_type="application/json", HTTP_X_CSRFTOKEN=holder.get("/api/v1/auth/csrf").json()["csrf_token"])
    assert api.status_code == 202 and api.json()["code"] == "reset_waiting" and api.json()["ready_at"]


def test_nobody_else_sees_or_stops_her_resets(survivor, agency_admin, advocate, other_advocate, mentor):
    made, code = recovery.reset_code_issue(actor=agency_admin, username="maya")
    _use(code)
    for person in (agency_admin, advocate, other_advocate, mentor):
        client = logged_in(person)
        assert client.post(f"/account/resets/{made.pk}/stop", {"secret": PASSPHRASE}).status_code == 404
        stop = client.post(f"/api/v1/me/resets/{made.pk}/stop", json.dumps({"secret": PASSPHRASE}),
                           content_type="application/json")
        assert stop.status_code == 404
        with pytest.raises(NotFound):
            recovery.reset_stop(actor=person, code_id=made.pk, secret=PASSPHRASE)
    for person in (agency_admin, advocate, other_advocate):
        assert logged_in(person).get("/api/v1/me/resets").status_code == 404
        assert logged_in(person).post("/account/agency-resets", {"allow": "no", "secret": PASSPHRASE}).status_code == 404
    assert Client().post(f"/account/resets/{made.pk}/stop", {"secret": PASSPHRASE}).url == "/"
    assert ResetCode.objects.get().stopped_at is None


def test_wrong_secrets_when_stopping_resets_or_turning_them_off_stay_counted(survivor):
    """Checked before the transaction, so the counts are not rolled back with it (accounts.throttle)."""
    from survivor_portal.accounts import recovery as recovery_module
    from survivor_portal.errors import DomainError, Throttled as TooMany

    for _ in range(4):
        with pytest.raises(DomainError):
            recovery_module.agency_reset_choose(actor=survivor, allow=False, secret="not it at all")
    with pytest.raises(DomainError):
        recovery_module.agency_reset_choose(actor=survivor, allow=False, secret="still not it")
    with pytest.raises(TooMany):
        recovery_module.agency_reset_choose(actor=survivor, allow=False, secret="a-long-test-passphrase-42")
