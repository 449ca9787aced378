"""One way to show a time (survivor_portal/times.py): the reader's agency clock, one format, her
language, and the zone named once per page."""

import re
from datetime import date, datetime, timedelta
from datetime import timezone as tz
from pathlib import Path

import pytest

from django.conf import settings
from django.utils import timezone, translation

from survivor_portal import times

WINTER = datetime(2026, 12, 2, 19, 5, tzinfo=tz.utc)  # 14:05 in New York


def test_one_format_for_date_and_time_in_english_and_spanish(northside, frozen_today):
    assert times.when(WINTER, northside) == "Wednesday 2 December, 14:05"
    assert times.day(WINTER, northside) == "Wednesday 2 December"
    assert times.clock(WINTER, northside) == "14:05"
    assert times.span(WINTER, WINTER + timedelta(minutes=30), northside) == "Wednesday 2 December, 14:05–14:35"
    with translation.override("es"):
        assert times.when(WINTER, northside) == "miércoles 2 de diciembre, 14:05"
        assert times.day(date(2025, 3, 1)) == "sábado 1 de marzo de 2025"


def test_the_year_shows_only_when_it_is_not_this_year(northside, frozen_today):
    assert times.day(date(2027, 1, 12)) == "Tuesday 12 January 2027"
    assert times.day(date(2026, 1, 12)) == "Monday 12 January"


def test_the_day_is_the_day_on_the_agency_clock(northside, eastbridge):
    late_evening = datetime(2026, 12, 3, 3, 30, tzinfo=tz.utc)  # 22:30 on the 2nd in New York
    assert times.day(late_evening, northside).startswith("Wednesday 2 December")
    northside.time_zone = "UTC"
    assert times.when(late_evening, northside).startswith("Thursday 3 December")


def test_zones_are_named_by_their_city_in_her_language(northside, eastbridge):
    assert times.zone_label(northside) == "New York time"
    assert times.zone_label(eastbridge) == "Chicago time"
    with translation.override("es"):
        assert times.zone_label(northside) == "hora de Nueva York"
        assert times.named("x", northside) == "x (hora de Nueva York)"
    northside.time_zone = "UTC"
    assert times.zone_label(northside) == "UTC"


def test_pages_show_times_on_her_agency_clock_and_name_the_zone_once(as_survivor, survivor, advocate):
    from survivor_portal.consent.models import AccessEvent

    AccessEvent.objects.create(survivor=survivor, agency=survivor.agency, actor=advocate, actor_label="Sam",
                               what="goals:all", via="page", at=WINTER)
    page = as_survivor.get("/sharing/looks").content.decode()
    assert ">Wednesday 2 December, 14:05<" in page
    assert page.count("New York time") == 1 and "Times are New York time." in page


def test_a_staff_member_sees_times_on_the_clock_of_their_own_agency(other_advocate):
    from tests.conftest import logged_in

    page = logged_in(other_advocate).get("/account/settings").content.decode()
    assert "Times are Chicago time." in page


def test_nobody_logged_out_is_shown_a_zone(client):
    assert "Times are" not in client.get("/").content.decode()


def test_no_time_is_formatted_anywhere_else():
    """Every time on screen goes through times.py: no |date with a human format in templates,
    no strftime or date_format in the code."""
    base = Path(settings.BASE_DIR)
    found = []
    for path in (base / "templates").rglob("*.html"):
        for fmt in re.findall(r"\|(?:date|time):[\"']([^\"']*)[\"']", path.read_text()):
            if fmt not in ("Y-m-d", "c"):  # machine values: addresses and datetime attributes
                found.append(f"{path.name}: |date:{fmt}")
        found += [f"{path.name}: {bad}" for bad in re.findall(r"agency_time|localtime", path.read_text())]
    for folder in ("survivor_portal", "peer_support"):
        for path in (base / folder).rglob("*.py"):
            if path.name == "times.py" or "migrations" in path.parts:
                continue
            found += [f"{path.name}: {bad}" for bad in re.findall(r"strftime|date_format\(|time_format\(", path.read_text())]
    assert found == []


def test_outside_a_request_times_are_in_utc():
    assert times.zone_of().key == "UTC"
    assert times.clock(WINTER) == "19:05"


@pytest.fixture
def frozen_today(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 12, 2, 12, 0, tzinfo=tz.utc))
