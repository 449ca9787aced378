"""The API: the same services, JSON shapes, ETags, retries and refusals."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from survivor_portal.outreach.models import CheckIn
from tests.conftest import logged_in
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db
START = timezone.now().replace(microsecond=0)


def _json(client, method, path, body=None, **headers):
    return getattr(client, method)(path, json.dumps(body or {}), content_type="application/json", **headers)


def test_out_extend_acknowledge_and_back(advocate, northside):
    colleague = StaffFactory(username="kim", display_name="Kim", agency=northside)
    with time_machine.travel(START, tick=False):
        sam, kim = logged_in(advocate), logged_in(colleague)
        made = _json(sam, "post", "/api/v1/agency/check-ins",
                     {"place": "Visit north side", "back_in_minutes": 30, "colleague_ids": [colleague.pk]})
        assert made.status_code == 201 and made["ETag"] == '"1"'
        body = made.json()
        assert (body["place"], body["mine"], body["overdue"], body["colleagues"]) == (
            "Visit north side", True, False, [{"id": colleague.pk, "name": "Kim"}])
        assert _json(kim, "post", f"/api/v1/agency/check-ins/{body['id']}/acknowledge").status_code == 409
    with time_machine.travel(START + timedelta(minutes=45), tick=False):
        sam, kim = logged_in(advocate), logged_in(colleague)  # a staff session ends after its idle time
        listed = kim.get("/api/v1/agency/check-ins").json()
        assert [(c["id"], c["overdue"], c["mine"]) for c in listed] == [(body["id"], True, False)]
        acknowledged = _json(kim, "post", f"/api/v1/agency/check-ins/{body['id']}/acknowledge").json()
        assert acknowledged["acknowledged_by"] == {"id": colleague.pk, "name": "Kim"} and not acknowledged["overdue"]
        stale = _json(sam, "patch", f"/api/v1/agency/check-ins/{body['id']}", {"back_in_minutes": 30}, HTTP_IF_MATCH='"1"')
        assert stale.status_code == 412 and stale["ETag"] == '"2"'
        extended = _json(sam, "patch", f"/api/v1/agency/check-ins/{body['id']}", {"back_in_minutes": 30}, HTTP_IF_MATCH='"2"')
        assert extended.status_code == 200 and extended.json()["acknowledged_at"] is None
        assert _json(kim, "patch", f"/api/v1/agency/check-ins/{body['id']}", {"back": True}).status_code == 403
        back = _json(sam, "patch", f"/api/v1/agency/check-ins/{body['id']}", {"back": True}).json()
        assert back["ended_at"] is not None
        assert [e["kind"] for e in back["events"]] == ["started", "acknowledged", "extended", "ended"]
    assert _json(sam, "patch", f"/api/v1/agency/check-ins/{body['id']}", {}).status_code == 422


def test_a_retried_create_makes_one(advocate):
    client = logged_in(advocate)
    sent = {"place": "Visit north side", "back_in_minutes": 60}
    first = _json(client, "post", "/api/v1/agency/check-ins", sent, HTTP_IDEMPOTENCY_KEY="k-1")
    again = _json(client, "post", "/api/v1/agency/check-ins", sent, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert CheckIn.objects.count() == 1


def test_a_place_that_may_identify_someone_is_422_until_confirmed(advocate):
    client = logged_in(advocate)
    refused = _json(client, "post", "/api/v1/agency/check-ins", {"place": "12 Oak Street", "back_in_minutes": 60})
    assert refused.status_code == 422 and refused.json()["code"] == "may_identify"
    assert _json(client, "post", "/api/v1/agency/check-ins",
                 {"place": "12 Oak Street", "back_in_minutes": 60, "confirm_identifying": True}).status_code == 201


def test_refused_to_survivors_and_the_settings_to_advocates(survivor, advocate, agency_admin):
    assert logged_in(survivor).get("/api/v1/agency/check-ins").status_code == 404
    assert logged_in(advocate).get("/api/v1/agency/safety-settings").status_code == 403
    admin = logged_in(agency_admin)
    read = admin.get("/api/v1/agency/safety-settings")
    assert read.json() == {"grace_minutes": 15, "on_duty_ids": [], "crisis_resources": "", "version": 1}
    put = _json(admin, "put", "/api/v1/agency/safety-settings",
                {"grace_minutes": 10, "on_duty_ids": [advocate.pk], "crisis_resources": "Line 555-0100"}, HTTP_IF_MATCH='"1"')
    assert put.status_code == 200 and put.json()["on_duty_ids"] == [advocate.pk] and put["ETag"] == '"2"'
    assert _json(admin, "put", "/api/v1/agency/safety-settings", {"grace_minutes": 10}, HTTP_IF_MATCH='"1"').status_code == 412
