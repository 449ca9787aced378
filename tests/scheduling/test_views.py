"""The pages: she books, moves and cancels; the advocate offers times and sees her agenda.
Bad input gets a clear message on the page and changes nothing."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from survivor_portal.consent.models import AccessEvent
from survivor_portal import times
from survivor_portal.scheduling import services
from survivor_portal.scheduling.models import Appointment, Slot
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def test_she_books_a_time_choosing_how_to_be_reached(as_survivor, shares_appointments, slot):
    listing = as_survivor.get("/meetings/book").content.decode()
    assert f"/meetings/book/{slot.pk}" in listing and "Sam" in listing
    form = as_survivor.get(f"/meetings/book/{slot.pk}").content.decode()
    assert "New York time" in form and "Message me in the app only" in form
    answer = as_survivor.post(f"/meetings/book/{slot.pk}", {"contact": "call_me", "phone": "+1 555 010 0199", "voicemail_ok": "on"})
    booked = Appointment.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/meetings/{booked.pk}"
    assert (booked.contact, booked.phone, booked.voicemail_ok) == ("call_me", "+1 555 010 0199", True)
    page = as_survivor.get(f"/meetings/{booked.pk}").content.decode()
    assert "Booked. You can move or cancel it any time." in page and "+1 555 010 0199" in page


def test_a_missing_number_is_explained_and_nothing_is_booked(as_survivor, shares_appointments, slot):
    answer = as_survivor.post(f"/meetings/book/{slot.pk}", {"contact": "call_me", "phone": ""})
    assert answer.status_code == 200 and "Write the number to call" in answer.content.decode()
    assert not Appointment.objects.exists()


def test_a_time_just_taken_shows_a_kind_message_and_the_fresh_list(as_survivor, shares_appointments, slot, make_slot, northside):
    from survivor_portal.consent import services as consent
    from tests.factories import UserFactory

    other = UserFactory(username="ana", agency=northside)
    consent.consent_grant(actor=other, agency_id=northside.pk, scopes=["appointments"])
    free = make_slot(48)
    services.appointment_book(actor=other, slot_id=slot.pk)
    page = as_survivor.post(f"/meetings/book/{slot.pk}", {"contact": "app_only"}).content.decode()
    assert "Someone just took that time. Here are the times still free." in page
    assert f'href="/meetings/book/{free.pk}"' in page and f'href="/meetings/book/{slot.pk}"' not in page
    assert 'href="/meetings/book?week=' in page
    assert Appointment.objects.count() == 1


def test_without_sharing_appointments_she_is_told_how_to_book(as_survivor, slot):
    page = as_survivor.get("/meetings").content.decode()
    assert "first share your appointments with an agency" in page
    assert as_survivor.get(f"/meetings/book/{slot.pk}").status_code == 404


def test_she_moves_then_cancels(as_survivor, survivor, shares_appointments, slot, make_slot):
    booked = services.appointment_book(actor=survivor, slot_id=slot.pk)
    target = make_slot(48)
    choices = as_survivor.get(f"/meetings/{booked.pk}/move").content.decode()
    assert f'?to={target.pk}"' in choices and "Choose a new time" in choices
    answer = as_survivor.post(f"/meetings/{booked.pk}/move", {"slot_id": target.pk})
    moved = Appointment.objects.get(status="booked")
    assert answer["Location"] == f"/meetings/{moved.pk}" and moved.replaces_id == booked.pk
    assert "Yes, cancel it" in as_survivor.get(f"/meetings/{moved.pk}/cancel").content.decode()
    as_survivor.post(f"/meetings/{moved.pk}/cancel")
    assert Appointment.objects.get(pk=moved.pk).status == "cancelled"
    assert "You cancelled" in as_survivor.get("/meetings").content.decode()


def test_a_move_to_a_time_no_longer_offered_changes_nothing(as_survivor, survivor, shares_appointments, slot, make_slot, advocate):
    booked = services.appointment_book(actor=survivor, slot_id=slot.pk)
    target = make_slot(48)
    services.slot_withdraw(actor=advocate, slot_id=target.pk)
    for asked in (target.pk, "nonsense", 2**70):
        as_survivor.post(f"/meetings/{booked.pk}/move", {"slot_id": asked})
        assert Appointment.objects.get().status == "booked"


def test_the_calendar_file_is_a_neutral_download(as_survivor, survivor, shares_appointments, slot):
    booked = services.appointment_book(actor=survivor, slot_id=slot.pk)
    answer = as_survivor.get(f"/download/event-{booked.pk}.ics")
    assert answer["Content-Type"].startswith("text/calendar") and "event.ics" in answer["Content-Disposition"]
    assert b"SUMMARY:Catch-up" in answer.content and b"Northside" not in answer.content
    assert answer["Cache-Control"].startswith("no-store") or "no-store" in answer["Cache-Control"]


def test_she_sets_a_code_word_and_her_advocate_sees_it(as_survivor, survivor, shares_appointments, slot, as_advocate):
    as_survivor.post("/meetings/preferences", {"code_word": "bluebird", "calendar_title": "", "version": "1"})
    services.appointment_book(actor=survivor, slot_id=slot.pk)
    page = as_advocate.get("/agency/agenda").content.decode()
    assert "Maya" in page and "bluebird" in page
    assert AccessEvent.objects.filter(what="appointments|name", via="page").count() == 1


def test_the_agenda_day_view_and_bad_days(as_advocate, survivor, shares_appointments, slot):
    services.appointment_book(actor=survivor, slot_id=slot.pk)
    day = times.local(slot.starts_at, slot.agency).date()
    assert "Maya" in as_advocate.get(f"/agency/agenda?day={day}&view=day").content.decode()
    assert "Maya" not in as_advocate.get(f"/agency/agenda?day={day + timedelta(days=1)}&view=day").content.decode()
    for bad in ("yesterday", "0001-01-01", "9999-12-31"):
        assert as_advocate.get(f"/agency/agenda?day={bad}").status_code == 200


def test_the_advocate_cancels_with_a_reason_she_then_reads(as_advocate, as_survivor, survivor, shares_appointments, slot):
    booked = services.appointment_book(actor=survivor, slot_id=slot.pk)
    refused = as_advocate.post(f"/agency/agenda/{booked.pk}/cancel", {"reason": ""})
    assert refused.status_code == 200 and Appointment.objects.get().status == "booked"
    as_advocate.post(f"/agency/agenda/{booked.pk}/cancel", {"reason": "I am ill today, sorry"})
    page = as_survivor.get(f"/meetings/{booked.pk}").content.decode()
    assert "Sam cancelled this meeting." in page and "I am ill today, sorry" in page


def test_the_advocate_offers_times_one_off_and_weekly(as_advocate, advocate):
    day = times.today_in(advocate.agency) + timedelta(days=2)
    answer = as_advocate.post("/agency/times/add", {"day": day, "start": "10:00", "end": "10:30", "mode": "phone"})
    assert answer.status_code == 302 and Slot.objects.count() == 1
    clash = as_advocate.post("/agency/times/add", {"day": day, "start": "10:15", "end": "10:45", "mode": "phone"})
    assert "overlaps a time you already offer" in clash.content.decode() and Slot.objects.count() == 1
    past = as_advocate.post("/agency/times/add", {"day": day - timedelta(days=5), "start": "10:00", "end": "10:30", "mode": "phone"})
    assert "already passed" in past.content.decode()
    weekly = as_advocate.post("/agency/times/weekly", {
        "weekdays": ["0", "2"], "start_time": "14:00", "end_time": "15:00", "slot_minutes": "30",
        "first_day": day, "weeks": "2", "mode": "in_person", "place_label": "Office, side entrance"})
    assert weekly.status_code == 302 and Slot.objects.count() == 1 + 2 * 2 * 2
    page = as_advocate.get("/agency/times").content.decode()
    assert "Office, side entrance" in page and "New York time" in page


def test_withdrawing_a_booked_time_is_refused_with_a_reason(as_advocate, survivor, shares_appointments, slot):
    services.appointment_book(actor=survivor, slot_id=slot.pk)
    page = as_advocate.post(f"/agency/times/{slot.pk}/withdraw", follow=True).content.decode()
    assert "Cancel the appointment instead" in page and Slot.objects.get().withdrawn_at is None


def test_booking_rules_are_saved(as_advocate, advocate):
    as_advocate.post("/agency/times/rules", {"min_notice_minutes": "1440", "buffer_minutes": "15", "version": "1"})
    rules = services.rules_of(advocate.pk)
    assert (rules.min_notice_minutes, rules.buffer_minutes) == (1440, 15)
    assert as_advocate.post("/agency/times/rules", {"min_notice_minutes": "-5", "buffer_minutes": "x"}).status_code == 200


def test_home_shows_coming_up(as_survivor, survivor, shares_appointments, slot):
    services.appointment_book(actor=survivor, slot_id=slot.pk)
    page = as_survivor.get("/").content.decode()
    assert "Coming up" in page and "New York time" in page and f'datetime="{slot.starts_at.isoformat()}"' in page


def test_the_advocate_sees_shared_appointments_on_her_page(as_advocate, survivor, shares_appointments, slot):
    services.appointment_book(actor=survivor, slot_id=slot.pk)
    page = as_advocate.get(f"/agency/people/{survivor.pk}").content.decode()
    assert "Meetings with your agency" in page and "New York time" in page
    assert AccessEvent.objects.get().what == "name|appointments"


def test_pages_speak_spanish(as_survivor, survivor, shares_appointments, slot):
    survivor.language = "es"
    survivor.save()
    page = as_survivor.get(f"/meetings/book/{slot.pk}").content.decode()
    assert "Reservar" in page and "hora de Nueva York" in page


def test_times_you_offer_shows_the_forms_first_then_one_week_at_a_time(as_advocate, advocate):
    today = times.today_in(advocate.agency)
    for days in (1, 9):
        services.slot_create(actor=advocate, starts_at=times.at(today + timedelta(days=days), time(10), advocate.agency),
                             ends_at=times.at(today + timedelta(days=days), time(10, 30), advocate.agency))
    page = as_advocate.get("/agency/times").content.decode()
    assert page.index("Add one time") < page.index("Week from") and page.count("10:00–10:30") == 2  # shown, and its label
    later = as_advocate.get(f"/agency/times?week={today + timedelta(days=7)}").content.decode()
    assert later.count("10:00–10:30") == 2 and "Earlier" in later
    assert as_advocate.get("/agency/times?week=nonsense").status_code == 200


def test_an_overlap_is_told_inside_the_form_that_caused_it(as_advocate, advocate):
    day = times.today_in(advocate.agency) + timedelta(days=2)
    as_advocate.post("/agency/times/add", {"day": day, "start": "10:00", "end": "10:30", "mode": "phone"})
    page = as_advocate.post("/agency/times/weekly", {
        "weekdays": [str(day.weekday())], "start_time": "10:00", "end_time": "11:00", "slot_minutes": "30",
        "first_day": day, "weeks": "1", "mode": "phone"}).content.decode()
    weekly = page[page.index('id="add-weekly" open'):page.index('id="rules"')]
    assert "overlaps a time you already offer" in weekly and "Week from" not in page[:page.index('id="add-weekly"')]


def test_home_names_a_meeting_her_advocate_cancelled_until_she_has_read_it(as_survivor, survivor, shares_appointments,
                                                                            slot, advocate):
    booked = services.appointment_book(actor=survivor, slot_id=slot.pk)
    services.appointment_cancel(actor=advocate, appointment_id=booked.pk, reason="The office is closed")
    home = as_survivor.get("/").content.decode()
    assert "Sam at Northside Shelter cancelled your meeting" in home and "The office is closed" in home
    assert as_survivor.post(f"/meetings/{booked.pk}/seen").url == "/"
    assert "cancelled your meeting" not in as_survivor.get("/").content.decode()


def test_moving_asks_once_before_anything_changes(as_survivor, survivor, shares_appointments, slot, make_slot):
    booked = services.appointment_book(actor=survivor, slot_id=slot.pk)
    target = make_slot(48)
    choices = as_survivor.get(f"/meetings/{booked.pk}/move").content.decode()
    assert f"/meetings/{booked.pk}/move?to={target.pk}" in choices
    ask = as_survivor.get(f"/meetings/{booked.pk}/move?to={target.pk}").content.decode()
    assert "Move your meeting?" in ask and f'name="slot_id" value="{target.pk}"' in ask
    assert Appointment.objects.get(pk=booked.pk).status == "booked"  # asking changed nothing
    gone = as_survivor.get(f"/meetings/{booked.pk}/move?to=999999").content.decode()
    assert "That time is no longer offered" in gone
