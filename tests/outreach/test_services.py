"""Check-ins for staff who go out, against the real database, on a frozen clock (never by waiting)."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from survivor_portal.accounts.models import User
from survivor_portal.errors import Conflict, Invalid, NotAllowed, NotFound
from survivor_portal.outreach import selectors, services
from survivor_portal.outreach.jobs import old_check_ins_remove
from survivor_portal.outreach.models import CheckIn, CheckInEvent, OnDuty
from survivor_portal.versions import Stale
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db
START = timezone.now().replace(microsecond=0)


def _out(who, minutes=30, **fields):
    return services.check_in_start(actor=who, place=fields.pop("place", "Visit north side"), back_in_minutes=minutes,
                                   **fields)


@pytest.fixture
def colleague(northside):
    return StaffFactory(username="kim", display_name="Kim", agency=northside)


def test_an_alert_comes_only_after_the_time_to_check_back_plus_the_grace_period(advocate, colleague):
    with time_machine.travel(START, tick=False):
        check_in = _out(advocate, minutes=30)
        assert check_in.back_by == START + timedelta(minutes=30)
        assert check_in.alert_at == START + timedelta(minutes=45)  # 15 minutes' grace by default
    with time_machine.travel(START + timedelta(minutes=44, seconds=59), tick=False):
        assert selectors.alerts_for(viewer=colleague) == []
    with time_machine.travel(START + timedelta(minutes=45), tick=False):
        assert selectors.alerts_for(viewer=colleague) == [check_in]
        assert selectors.alerts_for(viewer=advocate) == [check_in]  # she sees her own too


def test_overdue_is_read_from_the_clock_and_nothing_is_written(advocate, colleague, django_assert_num_queries):
    with time_machine.travel(START, tick=False):
        check_in = _out(advocate)
    with time_machine.travel(START + timedelta(hours=2), tick=False):
        with django_assert_num_queries(1):
            assert selectors.alerts_for(viewer=colleague) == [check_in]
    assert CheckIn.objects.get().version == 1


def test_survivors_never_see_alerts_and_cannot_touch_check_ins(advocate, survivor):
    with time_machine.travel(START, tick=False):
        check_in = _out(advocate)
    with time_machine.travel(START + timedelta(hours=2), tick=False):
        assert selectors.alerts_for(viewer=survivor) == []
        for attempt in (lambda: _out(survivor), lambda: selectors.board_for(viewer=survivor),
                        lambda: services.check_in_acknowledge(actor=survivor, check_in_id=check_in.pk),
                        lambda: selectors.check_in_for(viewer=survivor, check_in_id=check_in.pk)):
            with pytest.raises(NotFound):
                attempt()


def test_another_agency_neither_sees_nor_acknowledges(advocate, other_advocate):
    with time_machine.travel(START, tick=False):
        check_in = _out(advocate)
    with time_machine.travel(START + timedelta(hours=2), tick=False):
        assert selectors.alerts_for(viewer=other_advocate) == []
        with pytest.raises(NotFound):
            services.check_in_acknowledge(actor=other_advocate, check_in_id=check_in.pk)
        assert selectors.board_for(viewer=other_advocate).out_now == []


def test_only_colleagues_on_duty_are_alerted_once_the_agency_names_them(advocate, colleague, agency_admin):
    services.agency_safety_update(actor=agency_admin, grace_minutes=15, on_duty_ids=[colleague.pk], crisis_resources="")
    with time_machine.travel(START, tick=False):
        check_in = _out(advocate)
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        assert selectors.alerts_for(viewer=colleague) == [check_in]
        assert selectors.alerts_for(viewer=agency_admin) == []  # not on duty
        assert selectors.alerts_for(viewer=advocate) == [check_in]  # her own, on duty or not


def test_acknowledging_ends_the_alert_for_everyone_and_the_log_keeps_who_and_when(advocate, colleague, agency_admin):
    with time_machine.travel(START, tick=False):
        check_in = _out(advocate)
    with time_machine.travel(START + timedelta(minutes=20), tick=False), pytest.raises(Conflict):
        services.check_in_acknowledge(actor=colleague, check_in_id=check_in.pk)  # not overdue yet
    later = START + timedelta(minutes=50)
    with time_machine.travel(later, tick=False):
        services.check_in_acknowledge(actor=colleague, check_in_id=check_in.pk)
        services.check_in_acknowledge(actor=agency_admin, check_in_id=check_in.pk)  # twice changes nothing
        assert selectors.alerts_for(viewer=agency_admin) == []
        assert selectors.alerts_for(viewer=advocate) == []
    check_in.refresh_from_db()
    assert (check_in.acknowledged_by, check_in.acknowledged_at) == (colleague, later)
    assert [(e.kind, e.actor) for e in check_in.events.all()] == [("started", advocate), ("acknowledged", colleague)]


def test_extending_moves_the_alert_and_a_new_missed_time_alerts_again(advocate, colleague):
    with time_machine.travel(START, tick=False):
        check_in = _out(advocate)
    with time_machine.travel(START + timedelta(minutes=50), tick=False):
        services.check_in_acknowledge(actor=colleague, check_in_id=check_in.pk)
        check_in = services.check_in_extend(actor=advocate, check_in_id=check_in.pk, back_in_minutes=60, version=2)
        assert check_in.acknowledged_at is None
    with time_machine.travel(START + timedelta(minutes=50 + 74), tick=False):
        assert selectors.alerts_for(viewer=colleague) == []
    with time_machine.travel(START + timedelta(minutes=50 + 75), tick=False):
        assert selectors.alerts_for(viewer=colleague) == [check_in]
    assert [e.kind for e in check_in.events.all()] == ["started", "acknowledged", "extended"]


def test_an_extension_from_an_older_page_is_refused(advocate):
    check_in = _out(advocate)
    services.check_in_extend(actor=advocate, check_in_id=check_in.pk, back_in_minutes=60, version=1)
    with pytest.raises(Stale):
        services.check_in_extend(actor=advocate, check_in_id=check_in.pk, back_in_minutes=90, version=1)


def test_coming_back_ends_it_and_only_she_can_extend_or_end_hers(advocate, colleague):
    with time_machine.travel(START, tick=False):
        check_in = _out(advocate)
    for attempt in (lambda: services.check_in_end(actor=colleague, check_in_id=check_in.pk),
                    lambda: services.check_in_extend(actor=colleague, check_in_id=check_in.pk, back_in_minutes=30)):
        with pytest.raises(NotAllowed):
            attempt()
    with time_machine.travel(START + timedelta(hours=3), tick=False):
        services.check_in_end(actor=advocate, check_in_id=check_in.pk, version=1)  # being back is never stale
        assert selectors.alerts_for(viewer=colleague) == []
        with pytest.raises(Conflict):
            services.check_in_end(actor=advocate, check_in_id=check_in.pk)
        _out(advocate)  # and she can go out again


def test_one_open_check_in_at_a_time(advocate):
    _out(advocate)
    with pytest.raises(Conflict):
        _out(advocate)


def test_a_label_that_may_identify_someone_is_asked_about_once(advocate):
    for fields in ({"place": "12 Oak Street"}, {"note": "call her on +44 161 496 0000"}, {"with_others": "ana@example.org"}):
        with pytest.raises(Invalid) as asked:
            _out(advocate, **fields)
        assert asked.value.code == "may_identify" and asked.value.field == next(iter(fields))
    assert _out(advocate, place="12 Oak Street", confirm_identifying=True).place == "12 Oak Street"


def test_colleagues_must_be_staff_of_her_agency(advocate, colleague, other_advocate, survivor):
    for stranger in (other_advocate, survivor):
        with pytest.raises(Invalid):
            _out(advocate, colleague_ids=[stranger.pk])
    assert list(_out(advocate, colleague_ids=[colleague.pk], with_others="interpreter").colleagues.all()) == [colleague]


@pytest.mark.parametrize("minutes", [0, 4, 12 * 60 + 1, None])
def test_the_time_to_check_back_is_between_5_minutes_and_12_hours(advocate, minutes):
    with pytest.raises(Invalid):
        _out(advocate, minutes=minutes)


def test_a_new_grace_period_moves_open_alerts_at_once(advocate, colleague, agency_admin):
    with time_machine.travel(START, tick=False):
        check_in = _out(advocate, minutes=30)
        services.agency_safety_update(actor=agency_admin, grace_minutes=0, on_duty_ids=[], crisis_resources="",
                                      version=1)
    with time_machine.travel(START + timedelta(minutes=30), tick=False):
        assert selectors.alerts_for(viewer=colleague) == [check_in]
    with pytest.raises(Stale):
        services.agency_safety_update(actor=agency_admin, grace_minutes=10, on_duty_ids=[], crisis_resources="", version=1)


def test_only_an_admin_changes_the_settings_and_they_extend_the_agencys_crisis_resources(advocate, agency_admin, northside):
    with pytest.raises(NotAllowed):
        services.agency_safety_update(actor=advocate, grace_minutes=5, on_duty_ids=[], crisis_resources="")
    with pytest.raises(NotAllowed):
        selectors.agency_safety_for(viewer=advocate)
    services.agency_safety_update(actor=agency_admin, grace_minutes=5, on_duty_ids=[advocate.pk, agency_admin.pk],
                                  crisis_resources="Line: 555-0100")
    northside.refresh_from_db()
    assert northside.crisis_resources == "Line: 555-0100"  # the one the peer groups show
    shown = selectors.agency_safety_for(viewer=User.objects.get(pk=agency_admin.pk))
    assert (shown.grace_minutes, shown.on_duty_ids, shown.version) == (5, sorted([advocate.pk, agency_admin.pk]), 2)
    with pytest.raises(Invalid):
        services.agency_safety_update(actor=agency_admin, grace_minutes=121, on_duty_ids=[], crisis_resources="")
    services.agency_safety_update(actor=agency_admin, grace_minutes=5, on_duty_ids=[], crisis_resources="")
    assert not OnDuty.objects.exists()


def test_words_are_sealed_in_the_database(advocate):
    _out(advocate, place="Visit north side", with_others="interpreter", note="phone on silent")
    with connection.cursor() as cursor:
        cursor.execute("SELECT place, with_others, note FROM outreach_checkin")
        row = cursor.fetchone()
    assert not {"Visit north side", "interpreter", "phone on silent"} & set(row)
    assert all(value and "north" not in value for value in row)


def test_the_cleanup_job_removes_check_ins_30_days_after_they_end_and_only_then(advocate, colleague):
    with time_machine.travel(START, tick=False):
        ended = _out(advocate)
        services.check_in_end(actor=advocate, check_in_id=ended.pk)
        forgotten = _out(colleague, minutes=60)  # never ended: counted from its alert time
    with time_machine.travel(START + timedelta(days=30), tick=False):
        assert old_check_ins_remove(timezone.now()) == 0
    with time_machine.travel(START + timedelta(days=30, seconds=1), tick=False):
        assert old_check_ins_remove(timezone.now()) == 1
        assert list(CheckIn.objects.all()) == [forgotten]
    with time_machine.travel(START + timedelta(days=30, minutes=75, seconds=1), tick=False):
        assert old_check_ins_remove(timezone.now()) == 1
        assert old_check_ins_remove(timezone.now()) == 0  # a second run changes nothing
    assert not CheckInEvent.objects.exists()
