"""schemathesis against the project's own OpenAPI document: every operation, logged in as a
survivor, as an advocate and as her group's peer mentor, a bounded number of examples each. No 5xx, and every answer
matches its schema."""

import json
from datetime import timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import response_schema_conformance
from schemathesis.checks import not_a_server_error

from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.utils import timezone

from survivor_portal.wsgi import application
from ninja.responses import NinjaJSONEncoder

from survivor_portal.api import api
from tests.conftest import logged_in

# The document is served only to verified staff, so it is read from the API object itself
# (as JSON, the way a client would see it) and the examples are sent to the app in-process.
schema = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder)))
schema.app = application
# Logging in, joining, logging out and locking would end the session the examples run in.
schema = schema.exclude(path_regex=r"^/api/v1/(auth/(login|join|logout)|me/safety/(lock|unlock))$")


def _session(user) -> dict:
    """A logged-in session's cookies and CSRF token, as a browser would send them."""
    client = logged_in(user)
    token = client.get("/api/v1/auth/csrf").json()["csrf_token"]
    # identity: the in-process WSGI client does not undo the gzip the app applies for browsers.
    return {"headers": {"X-CSRFToken": token, "Accept-Encoding": "identity"}, "cookies": {name: m.value for name, m in client.cookies.items()}}


@pytest.fixture
def keep_test_connection():
    """Calling the WSGI app directly would close the test's database connection at the end of
    each request (Django's request signals); its test client turns that off the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def as_people(survivor, advocate, mentor, agency_admin, northside, keep_test_connection):
    from survivor_portal.consent import services as consent
    from survivor_portal.goals import services as goals
    from survivor_portal.scheduling import services as scheduling
    from survivor_portal.scheduling.models import Slot

    goal = goals.goal_create(actor=survivor, title="Find a flat", category="housing")
    goals.step_create(actor=survivor, goal_id=goal.pk, text="Call")
    from survivor_portal.conversations import services as conversations
    from survivor_portal.plans import services as plans

    consent.consent_grant(actor=survivor, agency_id=northside.pk,
                          scopes=["goals", "appointments", "messages", "display_name", "safety_plan"])
    plans.plan_save(actor=survivor, sections={"people": {"text": "Sister"}, "code_word": {"text": "x", "private": True}})
    talking = conversations.conversation_open(actor=survivor, agency_id=northside.pk)
    conversations.message_send(actor=survivor, conversation_id=talking.pk, body="Hello")
    starts = timezone.now() + timedelta(days=1)
    for hours in range(3):
        scheduling.slot_create(actor=advocate, starts_at=starts + timedelta(hours=hours),
                               ends_at=starts + timedelta(hours=hours, minutes=30))
    scheduling.appointment_book(actor=survivor, slot_id=Slot.objects.first().pk)
    from survivor_portal.outreach import services as outreach

    outreach.check_in_start(actor=advocate, place="Visit north side", back_in_minutes=30)
    # A group she is in, with her mentor's check-in open, so the group and check-in operations are
    # reached with ids that exist, as her and as her mentor.
    from peer_support.groups import services as groups

    circle = groups.group_create(actor=agency_admin, name="Tuesday circle", purpose="Talk", agreement="Be kind")
    groups.mentor_appoint(actor=agency_admin, group_id=circle.pk, username=mentor.username)
    groups.join(actor=survivor, group_id=circle.pk, alias="Blue Lake", agreed=True)
    crisis = groups.post_create(actor=survivor, group_id=circle.pk, body="Some nights I want to die")
    groups.check_in_start(actor=mentor, group_id=circle.pk, post_id=crisis.pk, body="How are you?")
    return [_session(survivor), _session(advocate), _session(mentor)]


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="the in-process WSGI client cannot share the test transaction's PostgreSQL connection; "
    "fuzzing runs on the SQLite pass of CI",
)
@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_errors_and_answers_match_their_schema(case, as_people):
    for session in as_people:
        case.call_and_validate(**session, checks=[not_a_server_error, response_schema_conformance])
