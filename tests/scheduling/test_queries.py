"""A booking costs a fixed number of queries, whatever the data size (pages: tests/quality/test_query_counts.py)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from survivor_portal.consent import services as consent
from survivor_portal.scheduling import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _count(call) -> int:
    with CaptureQueriesContext(connection) as seen:
        answer = call()
    assert answer.status_code in (200, 201), answer.content[:300]
    return len(seen)


def _grow(survivor, advocate, northside, make_slot, start: int, count: int) -> None:
    for n in range(start, start + count):
        slot = make_slot(24 + n)
        other = UserFactory(username=f"p{n}", agency=northside)
        consent.consent_grant(actor=other, agency_id=northside.pk, scopes=["appointments", "display_name"])
        services.appointment_book(actor=other if n % 2 else survivor, slot_id=slot.pk)
        make_slot(24 + n + 0.5)


def test_a_booking_takes_a_fixed_number_of_queries(as_survivor, survivor, advocate, northside, shares_appointments, make_slot):
    import json

    def book(slot):
        return lambda: as_survivor.post("/api/v1/appointments", json.dumps({"slot_id": slot.pk}), content_type="application/json")

    as_survivor.get("/api/v1/me")  # her first request after logging in notes the device once
    first = _count(book(make_slot(24)))
    _grow(survivor, advocate, northside, make_slot, 2, 10)
    assert _count(book(make_slot(100))) == first
    assert first <= 25
