from datetime import timedelta

import pytest
from django.utils import timezone

from survivor_portal.consent import services as consent
from survivor_portal.scheduling import services


def hours_from_now(hours: float, minutes: int = 30):
    start = (timezone.now() + timedelta(hours=hours)).replace(second=0, microsecond=0)
    return start, start + timedelta(minutes=minutes)


@pytest.fixture
def shares_appointments(survivor, northside):
    """Maya shares her appointments and her name with Northside."""
    return consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["appointments", "display_name"])


@pytest.fixture
def make_slot(advocate):
    def make(hours: float = 24, minutes: int = 30, who=None, **fields):
        starts, ends = hours_from_now(hours, minutes)
        return services.slot_create(actor=who or advocate, starts_at=starts, ends_at=ends, **fields)

    return make


@pytest.fixture
def slot(make_slot):
    return make_slot(24)
