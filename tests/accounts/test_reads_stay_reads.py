"""A request that only reads writes nothing: her session is written when it changes, and her
idle deadline moves on at most once a minute (issue: performance)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from survivor_portal.accounts.login_sessions import LoginSession
from tests.conftest import logged_in
from tests.factories import PASSPHRASE

pytestmark = pytest.mark.django_db


def _sql(client, path="/api/v1/me", **headers) -> list[str]:
    with CaptureQueriesContext(connection) as seen:
        assert client.get(path, **headers).status_code == 200
    return [q["sql"] for q in seen.captured_queries]


def test_reading_twice_writes_nothing_and_never_asks_for_two_step_devices(survivor):
    client = logged_in(survivor)
    client.get("/api/v1/me")  # the first request after login notes the device once
    client.get("/")
    for path in ("/api/v1/me", "/api/v1/goals", "/"):
        queries = _sql(client, path)
        assert not [q for q in queries if q.startswith(("UPDATE", "INSERT", "DELETE"))], path
        assert not [q for q in queries if "otp_" in q], path


def test_her_idle_deadline_moves_on_once_a_minute(survivor, monkeypatch):
    client = logged_in(survivor)
    client.get("/api/v1/me")
    first = LoginSession.objects.get(user=survivor).expire_date
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timezone.timedelta(seconds=30))
    client.get("/api/v1/me")
    assert LoginSession.objects.get(user=survivor).expire_date == first  # not written for 30 s
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timezone.timedelta(seconds=61))
    client.get("/api/v1/me")
    assert LoginSession.objects.get(user=survivor).expire_date > first


def test_a_shorter_idle_time_applies_at_once(survivor):
    client = logged_in(survivor)
    client.get("/api/v1/me")
    survivor.idle_minutes = 5
    survivor.save()
    client.get("/api/v1/me")
    assert LoginSession.objects.get(user=survivor).expire_date <= timezone.now() + timezone.timedelta(minutes=5, seconds=2)


def test_turning_two_step_on_ends_her_other_sessions(survivor):
    other = logged_in(survivor)
    assert other.get("/api/v1/me").status_code == 200
    here = logged_in(survivor)
    here.get("/account/two-factor/setup")
    device = TOTPDevice.objects.get(user=survivor)
    from django_otp.oath import totp

    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    here.post("/account/two-factor/setup", {"code": code})
    assert TOTPDevice.objects.get(user=survivor).confirmed
    assert other.get("/api/v1/me").status_code == 401  # it never passed the new step
    assert here.get("/api/v1/me").json()["two_factor"] is True


def test_a_page_asks_for_notices_only_when_something_waits(survivor, advocate):
    from survivor_portal.consent import services as consent

    client = logged_in(survivor)
    client.get("/")
    quiet = " ".join(q for q in _sql(client, "/") if not q.startswith('SELECT "accounts_user"'))  # the flag rides along
    for table in ("accounts_resetcode", "consent_disclosurenotice", "consent_suggestion"):
        assert f'FROM "{table}"' not in quiet
    consent.disclosure_record(actor=advocate, username="maya", shared_what="Her first name", with_whom="A doctor",
                              why="She asked")
    page = client.get("/").content.decode()
    assert "Her first name" in page


def test_the_news_flag_is_true_for_every_kind_of_notice_and_false_without(survivor, advocate, agency_admin, northside):
    from datetime import timedelta

    from survivor_portal.accounts.backends import AccountBackend
    from survivor_portal.accounts.recovery import reset_code_issue
    from survivor_portal.consent import services as consent
    from survivor_portal.consent.models import ConsentGrant, DisclosureNotice, Suggestion
    from survivor_portal.goals import services as goals

    def news() -> bool:
        return AccountBackend().get_user(survivor.pk).news

    assert news() is False
    grant = consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["goals"], days=30)
    assert news() is False  # in force, not ending within a week
    ConsentGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() + timedelta(days=3))
    assert news() is True  # ending soon: she is offered to renew it
    ConsentGrant.objects.all().delete()
    consent.consent_record_for(actor=advocate, username="maya", scopes=["goals"])
    assert news() is True  # waiting for her yes
    ConsentGrant.objects.all().delete()
    consent.disclosure_record(actor=advocate, username="maya", shared_what="x", with_whom="y", why="z")
    assert news() is True
    DisclosureNotice.objects.all().delete()
    goals.goal_create(actor=survivor, title="Mine", category="housing")
    consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["goals"])
    consent.suggestion_make(actor=advocate, survivor_id=survivor.pk, text="Try the library")
    assert news() is True
    Suggestion.objects.all().delete()
    assert news() is False
    reset_code_issue(actor=agency_admin, username="maya")
    assert news() is True


def test_someone_who_passed_two_step_is_not_asked_for_her_device_on_each_request(advocate):
    client = logged_in(advocate)  # staff: two-step passed in this session
    client.get("/api/v1/me")
    for path in ("/api/v1/me", "/"):
        assert not [q for q in _sql(client, path) if "otp_" in q], path


def test_a_session_that_never_passed_two_step_is_still_stopped(advocate):
    from django_otp import DEVICE_ID_SESSION_KEY

    client = logged_in(advocate)
    session = client.session
    del session[DEVICE_ID_SESSION_KEY]
    session.save()
    answer = client.get("/api/v1/me")
    assert answer.status_code == 403 and answer.json()["code"] == "otp_required"


def test_turning_two_step_off_keeps_this_session_and_forgets_its_device(survivor):
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.oath import totp

    here = logged_in(survivor)
    here.get("/account/two-factor/setup")
    device = TOTPDevice.objects.get(user=survivor)
    here.post("/account/two-factor/setup", {"code": f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"})
    assert DEVICE_ID_SESSION_KEY in here.session
    here.post("/account/two-factor/remove", {"passphrase": PASSPHRASE})
    assert not TOTPDevice.objects.filter(user=survivor).exists()
    assert DEVICE_ID_SESSION_KEY not in here.session and here.get("/api/v1/me").status_code == 200
