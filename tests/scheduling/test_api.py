"""The scheduling API: the same rules as the pages, one error shape, the right person only."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from survivor_portal.accounts.models import User
from survivor_portal.consent import services as consent
from survivor_portal.consent.models import AccessEvent
from survivor_portal.scheduling import services
from survivor_portal.scheduling.models import Appointment, Slot
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_booking_defaults_to_app_only_and_answers_with_her_view(as_survivor, shares_appointments, slot):
    answer = post(as_survivor, "/api/v1/appointments", {"slot_id": slot.pk})
    assert answer.status_code == 201
    body = answer.json()
    assert (body["contact"], body["advocate"], body["time_zone"]) == ("app_only", "Sam", "America/New_York")
    assert body["shown_as"].endswith("(New York time)")


def test_a_taken_slot_answers_409_with_the_fresh_slots(as_survivor, shares_appointments, slot, make_slot, northside):
    other = UserFactory(username="ana", agency=northside)
    consent.consent_grant(actor=other, agency_id=northside.pk, scopes=["appointments"])
    services.appointment_book(actor=other, slot_id=slot.pk)
    free = make_slot(48)
    answer = post(as_survivor, "/api/v1/appointments", {"slot_id": slot.pk})
    assert answer.status_code == 409
    body = answer.json()
    assert body["code"] == "slot_taken" and [s["id"] for s in body["slots"]] == [free.pk]


def test_booking_where_she_does_not_share_appointments_is_404(as_survivor, slot):
    answer = post(as_survivor, "/api/v1/appointments", {"slot_id": slot.pk})
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("body, field", [
    ({"starts_at": "-1h", "ends_at": "+30m"}, "starts_at"),
    ({"starts_at": "+24h", "ends_at": "+23h"}, "ends_at"),
    ({"starts_at": "+24h", "ends_at": "+27h"}, "ends_at"),
])
def test_bad_slots_get_422_with_the_field(as_advocate, body, field):
    def moment(text):
        number, unit = int(text[:-1]), text[-1]
        return (timezone.now() + (timedelta(hours=number) if unit == "h" else timedelta(minutes=number))).isoformat()

    answer = post(as_advocate, "/api/v1/slots", {key: moment(value) for key, value in body.items()})
    assert answer.status_code == 422 and answer.json()["field"] == field
    assert not Slot.objects.exists()


def test_staff_publish_weekly_and_withdraw(as_advocate, advocate):
    answer = post(as_advocate, "/api/v1/slots/weekly", {"weekdays": [1, 3], "start_time": "09:00", "end_time": "10:00",
                                                       "slot_minutes": 60, "weeks": 3})
    assert answer.status_code == 201 and 5 <= len(answer.json()) <= 6
    first = answer.json()[0]["id"]
    assert as_advocate.delete(f"/api/v1/slots/{first}").status_code == 200
    listed = as_advocate.get("/api/v1/slots?from=" + timezone.now().date().isoformat()).json()
    assert first not in [s["id"] for s in listed] and all(s["booked"] is False for s in listed)


def test_the_range_is_checked(as_advocate):
    assert as_advocate.get("/api/v1/slots?from=2027-01-10&to=2027-01-01").status_code == 422
    assert as_advocate.get("/api/v1/slots?from=2027-01-01&to=2027-06-01").json()["field"] == "to"
    assert as_advocate.get("/api/v1/slots?from=not-a-date").status_code == 422


def test_moving_and_cancelling_through_the_api(as_survivor, survivor, shares_appointments, slot, make_slot):
    booked = services.appointment_book(actor=survivor, slot_id=slot.pk)
    target = make_slot(48)
    moved = post(as_survivor, f"/api/v1/appointments/{booked.pk}/move", {"slot_id": target.pk}).json()
    assert moved["replaces"] == booked.pk
    cancelled = post(as_survivor, f"/api/v1/appointments/{moved['id']}/cancel", {}).json()
    assert (cancelled["status"], cancelled["cancelled_by"]) == ("cancelled", "you")


def test_someone_elses_appointment_is_404_everywhere(as_survivor, shares_appointments, slot, make_slot, northside):
    other = UserFactory(username="ana", agency=northside)
    consent.consent_grant(actor=other, agency_id=northside.pk, scopes=["appointments"])
    hers = services.appointment_book(actor=other, slot_id=slot.pk)
    target = make_slot(48)
    assert post(as_survivor, f"/api/v1/appointments/{hers.pk}/move", {"slot_id": target.pk}).status_code == 404
    assert post(as_survivor, f"/api/v1/appointments/{hers.pk}/cancel", {}).status_code == 404
    assert as_survivor.get(f"/api/v1/appointments/{hers.pk}").status_code == 404
    assert as_survivor.get(f"/api/v1/appointments/{hers.pk}/ics").status_code == 404
    assert Appointment.objects.get().status == "booked"


def test_the_advocate_must_give_a_reason(as_advocate, survivor, shares_appointments, slot):
    booked = services.appointment_book(actor=survivor, slot_id=slot.pk)
    assert post(as_advocate, f"/api/v1/appointments/{booked.pk}/cancel", {}).json()["field"] == "reason"
    answer = post(as_advocate, f"/api/v1/appointments/{booked.pk}/cancel", {"reason": "I am ill today"})
    assert answer.json()["status"] == "cancelled" and answer.json()["cancel_reason"] == "I am ill today"


def test_the_calendar_file(as_survivor, survivor, shares_appointments, slot):
    booked = services.appointment_book(actor=survivor, slot_id=slot.pk)
    answer = as_survivor.get(f"/api/v1/appointments/{booked.pk}/ics")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in answer.content and b"Northside" not in answer.content


def test_the_agenda_through_the_api_hides_what_she_does_not_share(as_advocate, survivor, northside, slot):
    consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["appointments"])  # not her name
    services.prefs_set(actor=survivor, code_word="bluebird")
    services.appointment_book(actor=survivor, slot_id=slot.pk, contact="call_me", phone="555 0100 22")
    [seen] = as_advocate.get("/api/v1/appointments").json()
    assert seen["person"] == f"Person {survivor.pk}" and seen["phone"] == "555 0100 22" and seen["code_word"] == "bluebird"
    assert seen["advocate"] is None


def test_agency_systems_see_shared_appointments_of_their_own_agency_only(survivor, shares_appointments, slot,
                                                                         agency_admin, eastbridge):
    services.appointment_book(actor=survivor, slot_id=slot.pk, contact="call_me", phone="555 0100 22")
    _record, north_key = consent.api_key_create(actor=agency_admin, name="North system")
    east_admin = StaffFactory(username="east", agency=eastbridge, role=User.Role.AGENCY_ADMIN)
    _record, east_key = consent.api_key_create(actor=east_admin, name="East system")
    path = f"/api/v1/agency/survivors/{survivor.pk}/appointments"
    [seen] = Client().get(path, HTTP_AUTHORIZATION=f"Bearer {north_key}").json()
    assert seen["person"] == "Maya" and seen["phone"] is None and seen["code_word"] is None  # not her advocate
    assert Client().get(path, HTTP_AUTHORIZATION=f"Bearer {east_key}").status_code == 404
    look = AccessEvent.objects.get()
    assert (look.actor_label, look.via, look.what) == ("North system", "api", "appointments|name")
    consent.consent_withdraw(actor=survivor, grant_id=shares_appointments.pk)
    assert Client().get(path, HTTP_AUTHORIZATION=f"Bearer {north_key}").status_code == 404


def test_preferences_round_trip(as_survivor, as_advocate):
    answer = as_survivor.put("/api/v1/appointments/preferences", json.dumps({"code_word": "bluebird"}),
                             content_type="application/json")
    assert answer.json() == {"code_word": "bluebird", "calendar_title": "", "calendar_details": False, "version": 2}
    assert as_advocate.get("/api/v1/appointments/preferences").status_code == 404


def test_odd_input_is_refused_not_a_crash(as_survivor, as_advocate, survivor, shares_appointments, slot):
    booked = services.appointment_book(actor=survivor, slot_id=slot.pk)
    assert as_survivor.get("/meetings/book?advocate=%C2%B2").status_code == 200
    assert as_survivor.get("/meetings/book?advocate=" + "9" * 5000).status_code == 200
    for weird in ("²", "9" * 5000, "-1", ""):
        assert as_survivor.post(f"/meetings/{booked.pk}/move", {"slot_id": weird}).status_code in (200, 302)
    assert Appointment.objects.get().status == "booked"
    zoned = post(as_advocate, "/api/v1/slots/weekly", {"weekdays": [0, 1, 2, 3, 4, 5, 6], "start_time": "06:00+01:00",
                                                      "end_time": "06:30", "slot_minutes": 30, "weeks": 1})
    assert zoned.status_code in (201, 422)
    nul = post(as_survivor, f"/api/v1/appointments/{booked.pk}/move", {"slot_id": slot.pk})
    assert nul.status_code == 422
    other = post(as_survivor, "/api/v1/appointments", {"slot_id": slot.pk, "note": "a\u0000b"})
    assert other.status_code in (409, 422) and other.json()["code"] != "error"
    cancel = post(as_advocate, f"/api/v1/appointments/{booked.pk}/cancel", {"reason": "ill\u0000 today"})
    assert cancel.status_code == 422 and Appointment.objects.get().status == "booked"
