"""Offering times, booking, cancelling and moving: the rules, and that bad input changes nothing."""

from datetime import date, time, timedelta
from datetime import timezone as dt_timezone

import pytest
from django.utils import timezone

from survivor_portal.consent import services as consent
from survivor_portal.consent.models import AccessEvent
from survivor_portal.consent.selectors import Reader
from survivor_portal.errors import Conflict, Invalid, NotFound
from survivor_portal import times
from survivor_portal.scheduling import calendar, selectors, services
from survivor_portal.scheduling.models import Appointment, Slot
from tests.factories import StaffFactory, UserFactory
from tests.scheduling.conftest import hours_from_now

pytestmark = pytest.mark.django_db


# ---- Offering times ----------------------------------------------------------------------------


@pytest.mark.parametrize("start_hours, minutes, field, words", [
    (-1, 30, "starts_at", "already passed"),
    (24, -30, "ends_at", "after the start"),
    (24, 0, "ends_at", "after the start"),
    (24, 10, "ends_at", "15 to 120"),
    (24, 150, "ends_at", "15 to 120"),
    (24 * 400, 30, "starts_at", "a year ahead"),
])
def test_a_bad_slot_is_refused_with_a_clear_message(advocate, start_hours, minutes, field, words):
    starts = timezone.now() + timedelta(hours=start_hours)
    with pytest.raises(Invalid) as refused:
        services.slot_create(actor=advocate, starts_at=starts, ends_at=starts + timedelta(minutes=minutes))
    assert refused.value.field == field and words in refused.value.message
    assert not Slot.objects.exists()


def test_overlapping_slots_for_one_advocate_are_refused_but_others_may_overlap(advocate, agency_admin, make_slot):
    first = make_slot(24, 60)
    with pytest.raises(Invalid) as refused:
        services.slot_create(actor=advocate, starts_at=first.starts_at + timedelta(minutes=30),
                             ends_at=first.ends_at + timedelta(minutes=30))
    assert refused.value.code == "overlap" and "overlaps" in refused.value.message
    make_slot(24, 60, who=agency_admin)  # a colleague at the same time is fine
    services.slot_create(actor=advocate, starts_at=first.ends_at, ends_at=first.ends_at + timedelta(minutes=30))  # touching is fine
    assert Slot.objects.count() == 3


def test_in_person_needs_a_neutral_place_and_other_modes_drop_it(advocate):
    starts, ends = hours_from_now(24)
    with pytest.raises(Invalid) as refused:
        services.slot_create(actor=advocate, starts_at=starts, ends_at=ends, mode="in_person")
    assert refused.value.field == "place_label"
    phone = services.slot_create(actor=advocate, starts_at=starts, ends_at=ends, mode="phone", place_label="Main office")
    assert phone.place_label == ""


def test_times_without_a_zone_are_read_in_the_agency_zone(advocate):
    day = times.today_in(advocate.agency) + timedelta(days=3)
    from datetime import datetime

    slot = services.slot_create(actor=advocate, starts_at=datetime.combine(day, time(10)),
                                ends_at=datetime.combine(day, time(10, 30)))
    assert times.local(slot.starts_at, advocate.agency).hour == 10
    assert slot.starts_at.astimezone(dt_timezone.utc).hour in (14, 15)  # New York is UTC-5 or UTC-4


def test_a_weekly_window_is_split_into_slots_in_the_agency_zone(advocate):
    monday = times.today_in(advocate.agency) + timedelta(days=7 - times.today_in(advocate.agency).weekday())
    made = services.slots_weekly(actor=advocate, weekdays=[0, 2], start_time=time(9), end_time=time(11),
                                 slot_minutes=30, first_day=monday, weeks=2)
    assert len(made) == 2 * 2 * 4
    assert {times.local(s.starts_at, advocate.agency).strftime("%a %H:%M") for s in made} == {
        f"{d} {h}" for d in ("Mon", "Wed") for h in ("09:00", "09:30", "10:00", "10:30")}
    assert len({s.series for s in made}) == 1


def test_a_weekly_window_is_all_or_nothing(advocate, make_slot):
    monday = times.today_in(advocate.agency) + timedelta(days=7 - times.today_in(advocate.agency).weekday())
    services.slot_create(actor=advocate, starts_at=times.at(monday + timedelta(days=7), time(9, 15), advocate.agency),
                         ends_at=times.at(monday + timedelta(days=7), time(9, 45), advocate.agency))
    with pytest.raises(Invalid) as refused:
        services.slots_weekly(actor=advocate, weekdays=[0], start_time=time(9), end_time=time(11),
                              slot_minutes=30, first_day=monday, weeks=2)
    assert "Nothing was added" in refused.value.message
    assert Slot.objects.count() == 1


@pytest.mark.parametrize("change, field", [
    ({"weekdays": []}, "weekdays"), ({"weekdays": [7]}, "weekdays"), ({"slot_minutes": 5}, "slot_minutes"),
    ({"weeks": 13}, "weeks"), ({"end_time": time(8)}, "end_time"), ({"first_day": date(2000, 1, 1)}, "first_day"),
    ({"first_day": date(9999, 1, 1)}, "first_day"), ({"start_time": time(10, 45)}, "slot_minutes"),
])
def test_a_bad_weekly_window_changes_nothing(advocate, change, field):
    asked = {"weekdays": [0, 1, 2, 3, 4], "start_time": time(10), "end_time": time(11), "slot_minutes": 30,
             "weeks": 1, **change}
    with pytest.raises(Invalid) as refused:
        services.slots_weekly(actor=advocate, **asked)
    assert refused.value.field == field
    assert not Slot.objects.exists()


def test_a_free_slot_can_be_withdrawn_a_booked_one_cannot(advocate, survivor, shares_appointments, make_slot):
    free, taken = make_slot(24), make_slot(48)
    services.appointment_book(actor=survivor, slot_id=taken.pk)
    services.slot_withdraw(actor=advocate, slot_id=free.pk)
    with pytest.raises(Conflict):
        services.slot_withdraw(actor=advocate, slot_id=taken.pk)
    assert [s.pk for s in selectors.open_slots(viewer=survivor)] == []


def test_only_the_advocate_withdraws_her_own_slot(slot, agency_admin, other_advocate, survivor):
    for someone in (agency_admin, other_advocate, survivor):
        with pytest.raises(NotFound):
            services.slot_withdraw(actor=someone, slot_id=slot.pk)
    assert Slot.objects.get().withdrawn_at is None


def test_survivors_cannot_offer_times(survivor):
    starts, ends = hours_from_now(24)
    with pytest.raises(NotFound):
        services.slot_create(actor=survivor, starts_at=starts, ends_at=ends)


# ---- Who sees which times ------------------------------------------------------------------------


def test_she_sees_times_only_at_agencies_she_shares_appointments_with(survivor, northside, slot, other_advocate):
    services.slot_create(actor=other_advocate, starts_at=slot.starts_at, ends_at=slot.ends_at)
    assert selectors.open_slots(viewer=survivor) == []
    consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["goals"])
    assert selectors.open_slots(viewer=survivor) == []  # goals only: no times
    consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["appointments"])
    assert [s.pk for s in selectors.open_slots(viewer=survivor)] == [slot.pk]
    with pytest.raises(NotFound):
        selectors.open_slots(viewer=survivor, advocate_id=other_advocate.pk)


def test_past_and_too_soon_times_are_not_offered(survivor, shares_appointments, make_slot, advocate):
    soon, later = make_slot(1), make_slot(5)
    assert [s.pk for s in selectors.open_slots(viewer=survivor)] == [later.pk]  # default notice: 2 hours
    services.rules_set(actor=advocate, min_notice_minutes=0, buffer_minutes=0)
    assert [s.pk for s in selectors.open_slots(viewer=survivor)] == [soon.pk, later.pk]
    Slot.objects.filter(pk=soon.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    assert [s.pk for s in selectors.open_slots(viewer=survivor)] == [later.pk]


def test_staff_see_their_agencys_times_booked_or_free_never_another_agencys(advocate, agency_admin, other_advocate, slot):
    assert [s.pk for s in selectors.staff_slots(viewer=agency_admin)] == [slot.pk]
    assert selectors.staff_slots(viewer=other_advocate) == []
    with pytest.raises(NotFound):
        selectors.staff_slots(viewer=other_advocate, advocate_id=advocate.pk)


@pytest.mark.parametrize("start, end", [(date(2026, 12, 10), date(2026, 12, 1)), (date(2026, 12, 1), date(2027, 3, 1)),
                                        (date(1, 1, 1), None), (date(9999, 12, 31), None)])
def test_a_bad_range_is_refused_plainly(survivor, shares_appointments, start, end):
    with pytest.raises(Invalid):
        selectors.open_slots(viewer=survivor, start=start, end=end)


# ---- Booking -----------------------------------------------------------------------------------


def test_booking_records_her_safe_contact_choice(survivor, shares_appointments, slot):
    booked = services.appointment_book(actor=survivor, slot_id=slot.pk, contact="call_me", phone="+1 555 010 0199",
                                       voicemail_ok=True, note="  After 5 please  ")
    assert (booked.contact, booked.phone, booked.voicemail_ok, booked.note) == ("call_me", "+1 555 010 0199", True, "After 5 please")
    assert booked.advocate_id == slot.advocate_id and booked.agency_id == slot.agency_id


def test_contact_defaults_to_the_app_and_drops_a_number_she_did_not_ask_to_be_called_on(survivor, shares_appointments, slot):
    booked = services.appointment_book(actor=survivor, slot_id=slot.pk, phone="555 0100", voicemail_ok=True)
    assert (booked.contact, booked.phone, booked.voicemail_ok) == ("app_only", "", False)


@pytest.mark.parametrize("fields, field", [
    ({"contact": "call_me"}, "phone"), ({"contact": "call_me", "phone": "call me maybe"}, "phone"),
    ({"contact": "shout"}, "contact"), ({"note": "x" * 301}, "note"),
])
def test_bad_contact_details_change_nothing(survivor, shares_appointments, slot, fields, field):
    with pytest.raises(Invalid) as refused:
        services.appointment_book(actor=survivor, slot_id=slot.pk, **fields)
    assert refused.value.field == field
    assert not Appointment.objects.exists()


def test_booking_at_an_agency_she_does_not_share_with_is_not_found(survivor, other_advocate, northside):
    consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["appointments"])
    starts, ends = hours_from_now(24)
    elsewhere = services.slot_create(actor=other_advocate, starts_at=starts, ends_at=ends)
    with pytest.raises(NotFound):
        services.appointment_book(actor=survivor, slot_id=elsewhere.pk)
    assert not Appointment.objects.exists()


def test_a_taken_slot_is_refused_with_the_fresh_list(survivor, shares_appointments, slot, make_slot, northside):
    other = UserFactory(username="ana", agency=northside)
    consent.consent_grant(actor=other, agency_id=northside.pk, scopes=["appointments"])
    free = make_slot(48)
    services.appointment_book(actor=other, slot_id=slot.pk)
    with pytest.raises(Conflict) as refused:
        services.appointment_book(actor=survivor, slot_id=slot.pk)
    assert refused.value.code == "slot_taken" and "just took" in refused.value.message
    assert [s["id"] for s in refused.value.extra["slots"]] == [free.pk]
    assert Appointment.objects.count() == 1


def test_the_database_itself_refuses_a_second_live_appointment(survivor, shares_appointments, slot, northside):
    from django.db import IntegrityError, transaction

    services.appointment_book(actor=survivor, slot_id=slot.pk)
    other = UserFactory(username="ana", agency=northside)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(slot=slot, survivor=other, advocate_id=slot.advocate_id, agency_id=slot.agency_id)


def test_minimum_notice_is_enforced_when_booking(survivor, shares_appointments, advocate, make_slot):
    services.rules_set(actor=advocate, min_notice_minutes=0, buffer_minutes=0)
    soon = make_slot(1)
    services.rules_set(actor=advocate, min_notice_minutes=240, buffer_minutes=0)
    with pytest.raises(Invalid) as refused:
        services.appointment_book(actor=survivor, slot_id=soon.pk)
    assert refused.value.code == "too_soon"


def test_the_buffer_keeps_a_break_between_appointments(survivor, shares_appointments, advocate, make_slot, northside):
    first = make_slot(24)
    right_after = services.slot_create(actor=advocate, starts_at=first.ends_at, ends_at=first.ends_at + timedelta(minutes=30))
    later = services.slot_create(actor=advocate, starts_at=first.ends_at + timedelta(minutes=45),
                                 ends_at=first.ends_at + timedelta(minutes=75))
    services.rules_set(actor=advocate, min_notice_minutes=120, buffer_minutes=15)
    services.appointment_book(actor=survivor, slot_id=first.pk)
    other = UserFactory(username="ana", agency=northside)
    consent.consent_grant(actor=other, agency_id=northside.pk, scopes=["appointments"])
    assert [s.pk for s in selectors.open_slots(viewer=other)] == [later.pk]
    with pytest.raises(Conflict):
        services.appointment_book(actor=other, slot_id=right_after.pk)
    services.appointment_book(actor=other, slot_id=later.pk)


def test_she_cannot_be_in_two_meetings_at_once(survivor, shares_appointments, slot, agency_admin):
    services.appointment_book(actor=survivor, slot_id=slot.pk)
    same_time = services.slot_create(actor=agency_admin, starts_at=slot.starts_at, ends_at=slot.ends_at)
    with pytest.raises(Invalid) as refused:
        services.appointment_book(actor=survivor, slot_id=same_time.pk)
    assert refused.value.code == "you_are_busy"


def test_staff_cannot_book(advocate, slot):
    with pytest.raises(NotFound):
        services.appointment_book(actor=advocate, slot_id=slot.pk)


# ---- Cancelling and moving -----------------------------------------------------------------------


def test_she_cancels_without_a_reason_and_the_slot_reopens(survivor, shares_appointments, slot):
    booked = services.appointment_book(actor=survivor, slot_id=slot.pk, contact="call_me", phone="555 0100 22")
    cancelled = services.appointment_cancel(actor=survivor, appointment_id=booked.pk, reason="ignored")
    assert (cancelled.status, cancelled.cancel_reason, cancelled.cancelled_by_id) == ("cancelled", "", survivor.pk)
    assert cancelled.phone == "" and cancelled.contact_erased_at is not None
    assert [s.pk for s in selectors.open_slots(viewer=survivor)] == [slot.pk]
    with pytest.raises(Conflict):
        services.appointment_cancel(actor=survivor, appointment_id=booked.pk)


def test_her_advocate_cancels_with_a_reason_she_sees(survivor, shares_appointments, slot, advocate, agency_admin, other_advocate):
    booked = services.appointment_book(actor=survivor, slot_id=slot.pk)
    with pytest.raises(Invalid) as refused:
        services.appointment_cancel(actor=advocate, appointment_id=booked.pk, reason="")
    assert refused.value.field == "reason"
    for someone in (agency_admin, other_advocate):
        with pytest.raises(NotFound):
            services.appointment_cancel(actor=someone, appointment_id=booked.pk, reason="Ill today")
    services.appointment_cancel(actor=advocate, appointment_id=booked.pk, reason="I am ill today, sorry")
    mine = selectors.her_appointment(viewer=survivor, appointment_id=booked.pk)
    assert (mine.status, mine.cancelled_by_label, mine.cancel_reason) == ("cancelled", "Sam", "I am ill today, sorry")
    assert [s.pk for s in selectors.open_slots(viewer=survivor)] == [slot.pk]


def test_an_advocate_may_also_take_the_time_off_her_list(survivor, shares_appointments, slot, advocate):
    booked = services.appointment_book(actor=survivor, slot_id=slot.pk)
    services.appointment_cancel(actor=advocate, appointment_id=booked.pk, reason="Away", withdraw_slot=True)
    assert selectors.open_slots(viewer=survivor) == []


def test_moving_is_atomic_and_links_to_the_old_appointment(survivor, shares_appointments, slot, make_slot):
    booked = services.appointment_book(actor=survivor, slot_id=slot.pk, contact="i_will_call", note="Hi")
    target = make_slot(48)
    moved = services.appointment_move(actor=survivor, appointment_id=booked.pk, slot_id=target.pk)
    booked.refresh_from_db()
    assert (booked.status, moved.replaces_id, moved.contact, moved.note) == ("moved", booked.pk, "i_will_call", "Hi")
    assert [s.pk for s in selectors.open_slots(viewer=survivor)] == [slot.pk]


def test_a_move_to_a_taken_slot_keeps_the_old_one(survivor, shares_appointments, slot, make_slot, northside):
    booked = services.appointment_book(actor=survivor, slot_id=slot.pk)
    target = make_slot(48)
    other = UserFactory(username="ana", agency=northside)
    consent.consent_grant(actor=other, agency_id=northside.pk, scopes=["appointments"])
    services.appointment_book(actor=other, slot_id=target.pk)
    with pytest.raises(Conflict):
        services.appointment_move(actor=survivor, appointment_id=booked.pk, slot_id=target.pk)
    booked.refresh_from_db()
    assert booked.status == "booked" and booked.slot_id == slot.pk
    assert Appointment.objects.filter(survivor=survivor).count() == 1


def test_moving_someone_elses_appointment_is_not_found(survivor, shares_appointments, slot, make_slot, northside):
    other = UserFactory(username="ana", agency=northside)
    consent.consent_grant(actor=other, agency_id=northside.pk, scopes=["appointments"])
    hers = services.appointment_book(actor=other, slot_id=slot.pk)
    target = make_slot(48)
    with pytest.raises(NotFound):
        services.appointment_move(actor=survivor, appointment_id=hers.pk, slot_id=target.pk)
    with pytest.raises(NotFound):
        services.appointment_cancel(actor=survivor, appointment_id=hers.pk)


def test_what_she_wrote_about_contact_is_erased_once_the_meeting_is_over(survivor, shares_appointments, slot, advocate):
    booked = services.appointment_book(actor=survivor, slot_id=slot.pk, contact="call_me", phone="555 0100 22",
                                       voicemail_ok=True, note="Side door")
    Slot.objects.filter(pk=slot.pk).update(starts_at=timezone.now() - timedelta(hours=1),
                                          ends_at=timezone.now() - timedelta(minutes=30))
    mine = selectors.her_appointment(viewer=survivor, appointment_id=booked.pk)
    assert (mine.phone, mine.note, mine.voicemail_ok, mine.contact) == ("", "", False, "call_me")
    with pytest.raises(Invalid):
        services.appointment_cancel(actor=survivor, appointment_id=booked.pk)


# ---- What staff see ----------------------------------------------------------------------------


def test_the_agenda_shows_only_what_she_shares_and_records_the_look(survivor, shares_appointments, slot, advocate, northside):
    services.prefs_set(actor=survivor, code_word="bluebird")
    services.appointment_book(actor=survivor, slot_id=slot.pk, contact="call_me", phone="555 0100 22")
    [entry] = selectors.agenda(reader=Reader.staff(advocate, via="page"))
    assert (entry.label, entry.own, entry.code_word, entry.appointment.phone) == ("Maya", True, "bluebird", "555 0100 22")
    look = AccessEvent.objects.get()
    assert (look.actor_id, look.what, look.via) == (advocate.pk, "appointments|name", "page")


def test_after_she_stops_sharing_the_agenda_shows_only_a_taken_time(survivor, shares_appointments, slot, advocate):
    services.appointment_book(actor=survivor, slot_id=slot.pk)
    consent.consent_withdraw(actor=survivor, grant_id=shares_appointments.pk)
    [entry] = selectors.agenda(reader=Reader.staff(advocate, via="page"))
    assert (entry.shared, entry.name, entry.code_word) == (False, None, "")
    assert "not shared" in entry.label
    assert not AccessEvent.objects.exists()


def test_a_colleague_never_sees_her_code_word_or_number(survivor, shares_appointments, slot, agency_admin):
    services.prefs_set(actor=survivor, code_word="bluebird")
    services.appointment_book(actor=survivor, slot_id=slot.pk, contact="call_me", phone="555 0100 22")
    [entry] = selectors.shared_appointments_of(reader=Reader.staff(agency_admin, via="api"), survivor_id=survivor.pk)
    assert (entry.own, entry.code_word) == (False, "")
    assert selectors.agenda(reader=Reader.staff(agency_admin, via="page")) == []


def test_shared_appointments_need_the_appointments_scope(survivor, northside, advocate, other_advocate):
    consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["goals"])
    for reader in (Reader.staff(advocate, via="api"), Reader.staff(other_advocate, via="api")):
        with pytest.raises(NotFound):
            selectors.shared_appointments_of(reader=reader, survivor_id=survivor.pk)
    assert not AccessEvent.objects.exists()


def test_every_read_of_shared_appointments_writes_exactly_one_record(survivor, shares_appointments, advocate):
    selectors.shared_appointments_of(reader=Reader.staff(advocate, via="api"), survivor_id=survivor.pk)
    assert AccessEvent.objects.get().what == "appointments|name"


# ---- Times and the calendar file ----------------------------------------------------------------


def test_times_are_shown_in_the_agency_zone_with_the_zone_named(advocate, northside):
    from datetime import datetime, timezone as tz

    starts = datetime(2027, 1, 12, 15, 0, tzinfo=tz.utc)
    shown = times.span(starts, starts + timedelta(minutes=30), northside)
    assert times.named(shown, northside) == "Tuesday 12 January 2027, 10:00–10:30 (New York time)"
    northside.time_zone = "UTC"
    assert times.named(times.span(starts, starts + timedelta(minutes=30), northside), northside) == (
        "Tuesday 12 January 2027, 15:00–15:30 (UTC)")


def test_the_calendar_file_is_neutral_unless_she_chooses(survivor, shares_appointments, make_slot):
    place = make_slot(24, mode="in_person", place_label="Office, side entrance")
    booked = services.appointment_book(actor=survivor, slot_id=place.pk)
    text = calendar.ics(booked, services.prefs_of(survivor)).decode()
    assert "SUMMARY:Catch-up" in text
    for revealing in ("Northside", "Sam", "Office", "DESCRIPTION", "LOCATION"):
        assert revealing not in text
    services.prefs_set(actor=survivor, calendar_title="Coffee with A", calendar_details=True)
    text = calendar.ics(booked, services.prefs_of(survivor)).decode()
    assert "SUMMARY:Coffee with A" in text and "Northside Shelter" in text and "LOCATION:Office\\, side entrance" in text


def test_coming_up_lists_her_next_live_meetings(survivor, shares_appointments, make_slot):
    first, second = make_slot(24), make_slot(48)
    a = services.appointment_book(actor=survivor, slot_id=first.pk)
    services.appointment_book(actor=survivor, slot_id=second.pk)
    services.appointment_cancel(actor=survivor, appointment_id=a.pk)
    assert [x.slot_id for x in selectors.coming_up(viewer=survivor)] == [second.pk]


def test_a_code_word_is_hers_to_set(advocate, survivor):
    with pytest.raises(NotFound):
        services.prefs_set(actor=advocate, code_word="x")
    with pytest.raises(Invalid):
        services.prefs_set(actor=survivor, code_word="x" * 41)
    assert services.prefs_set(actor=survivor, code_word=" bluebird ").code_word == "bluebird"


def test_housekeeping_erases_finished_contact_without_waiting_for_a_read(survivor, shares_appointments, slot):
    from django.core.management import call_command

    booked = services.appointment_book(actor=survivor, slot_id=slot.pk, contact="call_me", phone="555 0100 22")
    Slot.objects.filter(pk=slot.pk).update(starts_at=timezone.now() - timedelta(hours=1),
                                          ends_at=timezone.now() - timedelta(minutes=30))
    call_command("housekeeping", "--job", "finished_contact_erase", stdout=__import__("io").StringIO())
    assert Appointment.objects.get(pk=booked.pk).phone == ""


def _next_clock_change(agency, forward: bool) -> date:
    """The next day the agency's clocks go forward (or back)."""
    from datetime import datetime

    zone = times.zone_of(agency)
    day = times.today_in(agency) + timedelta(days=1)
    for _ in range(400):
        before = datetime.combine(day, time(0), tzinfo=zone).utcoffset()
        after = datetime.combine(day, time(23), tzinfo=zone).utcoffset()
        if before != after and (after > before) == forward:
            return day
        day += timedelta(days=1)
    pytest.skip("no clock change within a year in this zone")


@pytest.mark.parametrize("forward", [True, False])
def test_slots_across_a_clock_change_last_what_they_say(advocate, forward):
    day = _next_clock_change(advocate.agency, forward)
    if (day - times.today_in(advocate.agency)).days > 360:
        pytest.skip("the next clock change is more than a year ahead")
    made = services.slots_weekly(actor=advocate, weekdays=[day.weekday()], start_time=time(0, 30), end_time=time(4),
                                 slot_minutes=30, first_day=day, weeks=1)
    assert all(s.ends_at - s.starts_at == timedelta(minutes=30) for s in made)
    # 3.5 hours on the clock: one hour less of real time going forward, one more going back.
    assert len(made) == (5 if forward else 9)


def test_a_huge_weekly_window_is_refused_before_any_work(advocate, django_assert_max_num_queries):
    # 3, and the 6 of the write limit's one row in the throttle table (survivor_portal.write_limits).
    with django_assert_max_num_queries(3 + 6), pytest.raises(Invalid) as refused:
        services.slots_weekly(actor=advocate, weekdays=list(range(7)), start_time=time(0), end_time=time(23, 59),
                              slot_minutes=15, weeks=12)
    assert "more than 300" in refused.value.message


def test_a_moved_advocates_old_times_are_not_offered_and_her_agenda_stays_behind(survivor, shares_appointments, slot,
                                                                              advocate, eastbridge, northside):
    booked = services.appointment_book(actor=survivor, slot_id=slot.pk)
    spare = services.slot_create(actor=advocate, starts_at=slot.ends_at + timedelta(hours=3),
                                 ends_at=slot.ends_at + timedelta(hours=3, minutes=30))
    advocate.agency = eastbridge
    advocate.save()
    assert selectors.open_slots(viewer=survivor) == []
    with pytest.raises(NotFound):
        services.appointment_book(actor=survivor, slot_id=spare.pk)
    assert selectors.agenda(reader=Reader.staff(advocate, via="page")) == []
    with pytest.raises(NotFound):
        selectors.agenda_entry(reader=Reader.staff(advocate, via="page"), appointment_id=booked.pk)


def test_other_survivors_ids_are_not_advocates(survivor, shares_appointments, mentor):
    with pytest.raises(NotFound):
        selectors.open_slots(viewer=survivor, advocate_id=mentor.pk)


def test_after_she_stops_sharing_a_cancelled_meeting_leaves_no_trace_in_the_agenda(survivor, shares_appointments, slot, advocate):
    booked = services.appointment_book(actor=survivor, slot_id=slot.pk)
    consent.consent_withdraw(actor=survivor, grant_id=shares_appointments.pk)
    services.appointment_cancel(actor=survivor, appointment_id=booked.pk)
    assert selectors.agenda(reader=Reader.staff(advocate, via="page")) == []


def test_home_tells_her_when_her_advocate_cancels_until_she_says_she_read_it(survivor, shares_appointments, slot, advocate,
                                                                                make_slot, mentor):
    theirs = services.appointment_book(actor=survivor, slot_id=slot.pk)
    mine = services.appointment_book(actor=survivor, slot_id=make_slot(30).pk)
    services.appointment_cancel(actor=survivor, appointment_id=mine.pk)  # her own choice: nothing to tell her
    assert selectors.changes_to_tell(viewer=survivor) == []
    services.appointment_cancel(actor=advocate, appointment_id=theirs.pk, reason="I am ill today, sorry")
    told = selectors.changes_to_tell(viewer=survivor)
    assert [(a.pk, a.cancelled_by_label, a.cancel_reason) for a in told] == [(theirs.pk, "Sam", "I am ill today, sorry")]
    for someone in (advocate, mentor):  # nobody else can mark it read for her
        with pytest.raises(NotFound):
            services.appointment_change_seen(actor=someone, appointment_id=theirs.pk)
    services.appointment_change_seen(actor=survivor, appointment_id=theirs.pk)
    services.appointment_change_seen(actor=survivor, appointment_id=theirs.pk)  # twice changes nothing
    assert selectors.changes_to_tell(viewer=survivor) == []
    assert selectors.changes_to_tell(viewer=advocate) == []


def test_a_finished_meeting_never_shows_her_number_and_no_read_writes(survivor, advocate, shares_appointments, slot):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    booked = services.appointment_book(actor=survivor, slot_id=slot.pk, contact="call_me", phone="555 0100 22")
    Slot.objects.filter(pk=slot.pk).update(starts_at=timezone.now() - timedelta(hours=1),
                                          ends_at=timezone.now() - timedelta(minutes=30))
    with CaptureQueriesContext(connection) as seen:  # before the housekeeping job's next minute
        shown = selectors.her_appointment(viewer=survivor, appointment_id=booked.pk)
        [entry] = selectors.agenda(reader=Reader.staff(advocate, via="page"), start=timezone.now() - timedelta(days=1))
    assert shown.phone == "" and entry.appointment.phone == ""
    assert not any(q["sql"].startswith('UPDATE "scheduling') for q in seen.captured_queries)
    assert Appointment.objects.get(pk=booked.pk).phone == "555 0100 22"  # the job erases it, not a read
