"""A calendar file for one appointment. By default it says only "Catch-up": no agency, no
place, no description, nothing that tells anyone who looks at her calendar what it is."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from survivor_portal.scheduling.models import Appointment, MeetingPrefs


def ics(appointment: Appointment, prefs: MeetingPrefs) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Calendar//EN")
    cal.add("version", "2.0")
    event = Event()
    event.add("uid", f"{appointment.public_id}@calendar.invalid")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", appointment.slot.starts_at)
    event.add("dtend", appointment.slot.ends_at)
    event.add("summary", prefs.calendar_title or _("Catch-up"))
    if not appointment.is_live:
        event.add("status", "CANCELLED")
    if prefs.calendar_details:
        event.add("description", _("%(mode)s with %(who)s at %(agency)s") % {
            "mode": appointment.slot.get_mode_display(), "who": appointment.advocate.display_name,
            "agency": appointment.agency.name})
        if appointment.slot.place_label:
            event.add("location", appointment.slot.place_label)
    cal.add_component(event)
    return cal.to_ical()


def download(appointment: Appointment, prefs: MeetingPrefs) -> HttpResponse:
    response = HttpResponse(ics(appointment, prefs), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="event.ics"'
    return response
