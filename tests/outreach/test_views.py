"""The pages: the alert at the top of every staff page, the check-in page and the admin's settings."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from survivor_portal.outreach import services
from survivor_portal.outreach.models import CheckIn
from tests.conftest import logged_in
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db
START = timezone.now().replace(microsecond=0)
ALERT = "has not checked back in"


@pytest.fixture
def colleague(northside):
    return StaffFactory(username="kim", display_name="Kim", agency=northside)


@pytest.fixture
def overdue(advocate):
    with time_machine.travel(START - timedelta(hours=2), tick=False):
        return services.check_in_start(actor=advocate, place="Visit north side", back_in_minutes=30)


@pytest.mark.parametrize("path", ["/", "/agency/people", "/agency/agenda", "/account/settings", "/agency/check-ins"])
def test_an_overdue_check_in_is_at_the_top_of_every_staff_page(colleague, overdue, path):
    html = logged_in(colleague).get(path).content.decode()
    assert f"Sam {ALERT}" in html and "Visit north side" in html
    assert html.index(ALERT) < html.index("</main>")


def test_survivors_and_another_agency_never_see_it(survivor, other_advocate, overdue):
    assert "Visit north side" not in logged_in(survivor).get("/").content.decode()
    assert ALERT not in logged_in(other_advocate).get("/").content.decode()


def test_acknowledging_from_any_page_ends_it_for_everyone(colleague, agency_admin, overdue):
    answer = logged_in(colleague).post(f"/agency/check-ins/{overdue.pk}/acknowledge", follow=True)
    html = answer.content.decode()
    assert "Thank you" in html and ALERT not in html
    assert "Alert acknowledged (Kim)" in html  # the log on the check-ins page
    assert ALERT not in logged_in(agency_admin).get("/").content.decode()


def test_going_out_and_coming_back_without_javascript(advocate, colleague):
    client = logged_in(advocate)
    page = client.get("/agency/check-ins").content.decode()
    assert "Never a survivor’s name or address." in page and "Kim" in page
    answer = client.post("/agency/check-ins/start", {"place": "Visit north side", "colleague_ids": [colleague.pk],
                                                     "with_others": "interpreter", "back_in_minutes": "60"}, follow=True)
    html = answer.content.decode()
    assert "You are out" in html and "Take care." in html
    check_in = CheckIn.objects.get()
    assert list(check_in.colleagues.all()) == [colleague]
    answer = client.post(f"/agency/check-ins/{check_in.pk}/extend", {"back_in_minutes": "30", "version": "1"}, follow=True)
    assert "Extended." in answer.content.decode()
    answer = client.post(f"/agency/check-ins/{check_in.pk}/end", follow=True)
    assert "Welcome back." in answer.content.decode() and "You are out" not in answer.content.decode()


def test_a_label_that_may_identify_someone_asks_first_and_keeps_what_was_typed(advocate):
    client = logged_in(advocate)
    sent = {"place": "12 Oak Street", "back_in_minutes": "60"}
    html = client.post("/agency/check-ins/start", sent).content.decode()
    assert "This may identify someone." in html and 'value="12 Oak Street"' in html
    assert not CheckIn.objects.exists()
    client.post("/agency/check-ins/start", {**sent, "confirm_identifying": "1"})
    assert CheckIn.objects.get().place == "12 Oak Street"


def test_a_resent_form_goes_out_once(advocate):
    client = logged_in(advocate)
    sent = {"place": "Visit north side", "back_in_minutes": "60", "once": "token-123"}
    client.post("/agency/check-ins/start", sent)
    assert client.post("/agency/check-ins/start", sent).status_code == 302
    assert CheckIn.objects.count() == 1


def test_the_admin_sets_grace_duty_and_crisis_resources(agency_admin, advocate, northside):
    client = logged_in(agency_admin)
    page = client.get("/agency/safety").content.decode()
    assert 'value="15"' in page and "Sam" in page
    answer = client.post("/agency/safety", {"grace_minutes": "20", "on_duty_ids": [advocate.pk],
                                            "crisis_resources": "24-hour line 555-0100", "version": "1"}, follow=True)
    assert "Saved." in answer.content.decode()
    northside.refresh_from_db()
    assert northside.crisis_resources == "24-hour line 555-0100"
    stale = client.post("/agency/safety", {"grace_minutes": "30", "version": "1"}, follow=True)
    assert "Someone changed these settings" in stale.content.decode()
    assert logged_in(advocate).get("/agency/safety").status_code == 403


def test_the_alert_costs_one_query_per_staff_page(colleague, overdue, django_assert_num_queries):
    client = logged_in(colleague)
    client.get("/account/settings")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as seen:
        client.get("/account/settings")
    assert len([q for q in seen.captured_queries if "outreach_checkin" in q["sql"]]) == 1
    with CaptureQueriesContext(connection) as seen:
        logged_in(StaffFactory(username="ana", agency=colleague.agency, role="survivor")).get("/")
    assert not [q for q in seen.captured_queries if "outreach_" in q["sql"]]


def test_no_alert_before_the_second_step_of_the_login(colleague, overdue):
    from django.test import Client

    client = Client()
    client.force_login(colleague)  # passphrase given, code not yet
    html = client.get("/").content.decode()
    assert "Enter your code" in html and ALERT not in html and "Visit north side" not in html
