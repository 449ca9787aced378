"""Every rule about meeting times: offering slots, booking, cancelling and moving.

No double booking: a booking takes a row lock on the advocate (so bookings with one advocate
take turns, which also makes the buffer rule exact) and the database refuses a second live
appointment for a slot (a partial unique index), as the last word."""

import re
import uuid
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from survivor_portal.accounts.models import User
from survivor_portal.consent.selectors import agencies_seeing_appointments
from survivor_portal.conversations import services as conversations
from survivor_portal.conversations.models import Message
from survivor_portal.errors import Conflict, Invalid, NotFound, full_clean_or_invalid
from survivor_portal import times
from survivor_portal.scheduling.models import Appointment, BookingRules, MeetingPrefs, Mode, Slot
from survivor_portal.versions import Expected, version_bump, version_check
from survivor_portal.write_limits import write_limit

MIN_MINUTES, MAX_MINUTES = 15, 120
MAX_WEEKS = 12
MAX_DAYS_AHEAD = 365
MAX_SLOTS_AT_ONCE = 300
PHONE = re.compile(r"^\+?[0-9][0-9 ()\-.]{4,28}[0-9]$")


def require_staff(actor: User) -> None:
    if not actor.is_authenticated or not actor.is_agency_staff or actor.agency_id is None:
        raise NotFound(_("We could not find that."))


def require_survivor(actor: User) -> None:
    if not actor.is_authenticated or not actor.is_survivor:
        raise NotFound(_("We could not find that."))


def _lock(user_id: int) -> None:
    # NO KEY UPDATE: writers take turns, yet foreign-key checks from other inserts (access
    # records, appointments) never wait on it, so two such locks cannot deadlock with them.
    get_user_model().objects.select_for_update(no_key=True).only("pk").get(pk=user_id)


def rules_of(advocate_id: int) -> BookingRules:
    return BookingRules.objects.filter(advocate_id=advocate_id).first() or BookingRules(advocate_id=advocate_id)


def prefs_of(survivor: User) -> MeetingPrefs:
    return MeetingPrefs.objects.filter(survivor=survivor).first() or MeetingPrefs(survivor=survivor)


# ---- Offering times ------------------------------------------------------------------------------


def _checked(actor: User, starts: datetime, ends: datetime, mode: str, place_label: str, now: datetime) -> Slot:
    """One slot, checked: in the future, ending after it starts, 15 to 120 minutes long."""
    agency = actor.agency
    times.sane(starts, "starts_at")
    times.sane(ends, "ends_at")
    starts, ends = times.aware(starts, agency), times.aware(ends, agency)
    if ends <= starts:
        raise Invalid(_("The end must be after the start."), field="ends_at")
    if starts <= now:
        raise Invalid(_("That time has already passed. Choose a time in the future."), field="starts_at")
    if starts > now + timedelta(days=MAX_DAYS_AHEAD):
        raise Invalid(_("You can offer times up to a year ahead."), field="starts_at")
    minutes = (ends - starts).total_seconds() / 60
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise Invalid(_("A meeting time can be 15 to 120 minutes long."), field="ends_at")
    if mode not in Mode.values:
        raise Invalid(_("Choose phone, video or in person."), field="mode")
    place_label = (place_label or "").strip() if mode == Mode.IN_PERSON else ""
    if mode == Mode.IN_PERSON and not place_label:
        raise Invalid(_("For in person, say where in neutral words, like “Office, side entrance”."), field="place_label")
    slot = Slot(advocate=actor, agency_id=actor.agency_id, starts_at=starts, ends_at=ends, mode=mode, place_label=place_label)
    # The end-after-start constraint is checked above; skipping it saves a query per slot.
    full_clean_or_invalid(slot, exclude=["advocate", "agency", "series"], validate_constraints=False)
    return slot


def _refuse_overlaps(actor: User, slots: list[Slot]) -> None:
    if not slots:
        return
    first, last = min(s.starts_at for s in slots), max(s.ends_at for s in slots)
    taken = list(Slot.objects.filter(advocate=actor, withdrawn_at__isnull=True, starts_at__lt=last, ends_at__gt=first))
    for slot in slots:
        for other in taken:
            if other.starts_at < slot.ends_at and slot.starts_at < other.ends_at:
                raise Invalid(
                    _("This overlaps a time you already offer: %(when)s. Nothing was added.")
                    % {"when": times.span(other.starts_at, other.ends_at, actor.agency)},
                    field="starts_at", code="overlap",
                )
        taken.append(slot)


@write_limit("slot")
@transaction.atomic
def slot_create(*, actor: User, starts_at: datetime, ends_at: datetime, mode: str = Mode.PHONE,
                place_label: str = "") -> Slot:
    require_staff(actor)
    _lock(actor.pk)
    slot = _checked(actor, starts_at, ends_at, mode, place_label, timezone.now())
    _refuse_overlaps(actor, [slot])
    slot.save()
    return slot


@write_limit("slot")
@transaction.atomic
def slots_weekly(*, actor: User, weekdays: list[int], start_time: time, end_time: time, slot_minutes: int,
                 first_day: date | None = None, weeks: int = 4, mode: str = Mode.PHONE, place_label: str = "") -> list[Slot]:
    """A weekly window (say Mondays and Wednesdays 10:00–12:00) for some weeks, split into
    slots of the same length, in the agency's time zone. All or nothing."""
    require_staff(actor)
    if not weekdays or any(not isinstance(d, int) or not 0 <= d <= 6 for d in weekdays):
        raise Invalid(_("Choose at least one day of the week."), field="weekdays")
    if not isinstance(slot_minutes, int) or not MIN_MINUTES <= slot_minutes <= MAX_MINUTES:
        raise Invalid(_("A meeting time can be 15 to 120 minutes long."), field="slot_minutes")
    if not isinstance(weeks, int) or not 1 <= weeks <= MAX_WEEKS:
        raise Invalid(_("Repeat for 1 to 12 weeks."), field="weeks")
    start_time, end_time = start_time.replace(tzinfo=None), end_time.replace(tzinfo=None)  # the agency's wall clock
    if end_time <= start_time:
        raise Invalid(_("The end must be after the start."), field="end_time")
    agency, now = actor.agency, timezone.now()
    first_day = first_day or times.today_in(agency)
    times.sane(first_day, "first_day")
    if first_day < times.today_in(agency):
        raise Invalid(_("That day has already passed. Choose a day from today on."), field="first_day")
    window_minutes = (end_time.hour * 60 + end_time.minute) - (start_time.hour * 60 + start_time.minute)
    days = sum(1 for offset in range(weeks * 7) if (first_day + timedelta(days=offset)).weekday() in weekdays)
    if days * (window_minutes // slot_minutes) > MAX_SLOTS_AT_ONCE:  # counted before any work
        raise Invalid(_("That is more than 300 times at once. Choose fewer weeks or longer meetings."), field="weeks")
    _lock(actor.pk)
    series, slots, length = uuid.uuid4(), [], timedelta(minutes=slot_minutes)
    for offset in range(weeks * 7):
        day = first_day + timedelta(days=offset)
        if day.weekday() not in weekdays:
            continue
        start, window_end = times.at(day, start_time, agency), times.at(day, end_time, agency)
        while start + length <= window_end:
            if start > now:  # times already gone today are simply not offered
                slot = _checked(actor, start, start + length, mode, place_label, now)
                slot.series = series
                slots.append(slot)
            start += length
    if not slots:
        raise Invalid(_("No meeting times fit in that window. Make the window longer or the meetings shorter."),
                      field="slot_minutes")
    _refuse_overlaps(actor, slots)
    return Slot.objects.bulk_create(slots)


@transaction.atomic
def slot_withdraw(*, actor: User, slot_id: int) -> Slot:
    """A free slot can be withdrawn; a booked one only by cancelling its appointment."""
    require_staff(actor)
    _lock(actor.pk)
    slot = Slot.objects.filter(pk=slot_id, advocate=actor, withdrawn_at__isnull=True).first() if 0 < slot_id < 2**63 else None
    if slot is None:
        raise NotFound(_("We could not find that time."))
    if slot.appointments.filter(status=Appointment.Status.BOOKED).exists():
        raise Conflict(_("Someone has booked this time. Cancel the appointment instead; she will see your reason."),
                       code="booked")
    slot.withdrawn_at = timezone.now()
    slot.save(update_fields=["withdrawn_at"])
    return slot


@transaction.atomic
def rules_set(*, actor: User, min_notice_minutes: int, buffer_minutes: int, version: Expected = None) -> BookingRules:
    require_staff(actor)
    _lock(actor.pk)  # a double-clicked Save must not create the row twice
    rules = rules_of(actor.pk)
    version_check(rules, version)
    version_bump(rules)
    rules.min_notice_minutes, rules.buffer_minutes = min_notice_minutes, buffer_minutes
    if not isinstance(min_notice_minutes, int) or not 0 <= min_notice_minutes <= 7 * 24 * 60:
        raise Invalid(_("Notice can be from 0 minutes to 7 days."), field="min_notice_minutes")
    if not isinstance(buffer_minutes, int) or not 0 <= buffer_minutes <= 120:
        raise Invalid(_("A break between meetings can be 0 to 120 minutes."), field="buffer_minutes")
    rules.save()
    return rules


@transaction.atomic
def prefs_set(*, actor: User, code_word: str = "", calendar_title: str = "", calendar_details: bool = False,
              version: Expected = None) -> MeetingPrefs:
    """Her code word and what a calendar file may say. A save from an older page (`version`)
    changes nothing: it could otherwise put the agency's name back into her calendar."""
    require_survivor(actor)
    _lock(actor.pk)
    prefs = prefs_of(actor)
    version_check(prefs, version)
    version_bump(prefs)  # the first save too: a page shown before it said 1
    prefs.code_word = (code_word or "").strip()
    prefs.calendar_title = (calendar_title or "").strip()
    prefs.calendar_details = bool(calendar_details)
    full_clean_or_invalid(prefs, exclude=["survivor"])
    prefs.save()
    return prefs


# ---- Booking -----------------------------------------------------------------------------------


def bookable_slot(actor: User, slot_id: int) -> Slot:
    """A slot she may book: at an agency she shares her appointments with, still offered."""
    slot = None
    if isinstance(slot_id, int) and 0 < slot_id < 2**63:
        slot = (Slot.objects.filter(pk=slot_id, withdrawn_at__isnull=True, advocate__is_active=True,
                                    advocate__agency_id=F("agency_id")).select_related("advocate", "agency").first())
    if slot is None or slot.agency_id not in agencies_seeing_appointments(actor.pk):
        raise NotFound(_("We could not find that time."), field="slot_id")
    return slot


def _taken(actor: User) -> Conflict:
    from survivor_portal.scheduling.selectors import open_slots, slot_out

    fresh = [slot_out(slot) for slot in open_slots(viewer=actor)]
    return Conflict(_("Someone just took that time. Here are the times still free."), code="slot_taken",
                    field="slot_id", extra={"slots": fresh})


def _contact(contact: str, phone: str, voicemail_ok: bool, note: str) -> dict:
    if contact not in Appointment.Contact.values:
        raise Invalid(_("Choose how we can reach you safely."), field="contact")
    phone = (phone or "").strip() if contact == Appointment.Contact.CALL_ME else ""
    if contact == Appointment.Contact.CALL_ME and not PHONE.match(phone):
        raise Invalid(_("Write the number to call, like +1 555 010 0199."), field="phone")
    note = (note or "").strip()
    if "\x00" in note:
        raise Invalid(_("The note has a character we cannot keep. Please type it again."), field="note")
    if len(note) > 300:
        raise Invalid(_("Keep the note to 300 characters."), field="note")
    return {"contact": contact, "phone": phone, "note": note,
            "voicemail_ok": bool(voicemail_ok) and contact == Appointment.Contact.CALL_ME}


def _book(actor: User, slot: Slot, details: dict, replaces: Appointment | None = None) -> Appointment:
    """Inside the caller's transaction, with her row locked."""
    _lock(slot.advocate_id)  # bookings with one advocate take turns
    live = Appointment.objects.filter(status=Appointment.Status.BOOKED)
    if live.filter(slot=slot).exists() or Slot.objects.filter(pk=slot.pk, withdrawn_at__isnull=True).count() == 0:
        raise _taken(actor)
    now, rules = timezone.now(), rules_of(slot.advocate_id)
    if slot.starts_at < now + timedelta(minutes=rules.min_notice_minutes):
        raise Invalid(_("That time is too soon to book now. Choose a later time."), field="slot_id", code="too_soon")
    gap = timedelta(minutes=rules.buffer_minutes)
    if live.filter(advocate_id=slot.advocate_id, slot__starts_at__lt=slot.ends_at + gap,
                   slot__ends_at__gt=slot.starts_at - gap).exists():
        raise _taken(actor)
    if live.filter(survivor=actor, slot__starts_at__lt=slot.ends_at, slot__ends_at__gt=slot.starts_at).exists():
        raise Invalid(_("You already have a meeting at that time."), field="slot_id", code="you_are_busy")
    appointment = Appointment(slot=slot, survivor=actor, advocate_id=slot.advocate_id, agency_id=slot.agency_id,
                              replaces=replaces, **details)
    if appointment.contact == Appointment.Contact.APP_ONLY:
        appointment.conversation = conversations.conversation_for_meeting(survivor=actor, agency_id=slot.agency_id)
    try:
        with transaction.atomic():
            appointment.save()
    except IntegrityError:
        raise _taken(actor) from None  # the database's own guard
    return appointment


@write_limit("booking")
@transaction.atomic
def appointment_book(*, actor: User, slot_id: int, contact: str = Appointment.Contact.APP_ONLY, phone: str = "",
                     voicemail_ok: bool = False, note: str = "") -> Appointment:
    require_survivor(actor)
    _lock(actor.pk)
    slot = bookable_slot(actor, slot_id)
    return _book(actor, slot, _contact(contact, phone, voicemail_ok, note))


def _erase(appointment: Appointment) -> None:
    appointment.phone, appointment.note, appointment.voicemail_ok = "", "", False
    appointment.contact_erased_at = timezone.now()


def erase_finished_contact(*, now: datetime | None = None) -> int:
    """What she wrote about contact is erased once the meeting is over (one statement).
    housekeeping runs it each minute; no read ever writes it."""
    now = now or timezone.now()
    return Appointment.objects.filter(contact_erased_at__isnull=True, slot__ends_at__lte=now).update(
        phone="", note="", voicemail_ok=False, contact_erased_at=now
    )


def hide_finished_contact(appointments: list[Appointment]) -> list[Appointment]:
    """Until the next run of that job (within a minute), what a read shows of a finished meeting
    is blanked in memory, so nobody ever sees her contact details after the meeting ends."""
    for appointment in appointments:
        if appointment.contact_erased_at is None and appointment.is_over:
            appointment.phone, appointment.note, appointment.voicemail_ok = "", "", False
    return appointments


def _live_appointment(actor: User, appointment_id: int, **who) -> Appointment:
    found = None
    if 0 < appointment_id < 2**63:
        # Only the appointment's own row: locking the joined agency row too would block every
        # booking at that agency (a new appointment takes a key-share lock on it) and deadlock.
        found = (Appointment.objects.select_for_update(of=("self",)).filter(pk=appointment_id, **who)
                 .select_related("slot", "agency").first())
    if found is None:
        raise NotFound(_("We could not find that meeting."))
    if not found.is_live:
        raise Conflict(_("This meeting was already cancelled or moved."), code="not_live")
    if found.is_over:
        raise Invalid(_("This meeting is over."), code="over")
    return found


@transaction.atomic
def appointment_cancel(*, actor: User, appointment_id: int, reason: str = "", withdraw_slot: bool = False) -> Appointment:
    """She cancels any time, without a reason. Her advocate cancels with a reason she sees.
    The slot opens again (unless the advocate also withdraws it)."""
    if actor.is_authenticated and actor.is_survivor:
        _lock(actor.pk)
        appointment, reason, label = _live_appointment(actor, appointment_id, survivor=actor), "", ""
    else:
        require_staff(actor)
        appointment = _live_appointment(actor, appointment_id, advocate=actor)
        reason, label = (reason or "").strip(), actor.display_name
        if "\x00" in reason:
            raise Invalid(_("The reason has a character we cannot keep. Please type it again."), field="reason")
        if len(reason) < 3:
            raise Invalid(_("Tell her why, in a few plain words. She will see it."), field="reason")
        if len(reason) > 300:
            raise Invalid(_("Keep the reason to 300 characters."), field="reason")
    appointment.status = Appointment.Status.CANCELLED
    appointment.cancelled_at, appointment.cancelled_by = timezone.now(), actor
    appointment.cancelled_by_label, appointment.cancel_reason = label, reason
    _erase(appointment)
    appointment.save()
    if appointment.conversation_id:
        conversations.meeting_line(survivor=appointment.survivor, agency_id=appointment.agency_id,
                                   by_agency=not actor.is_survivor, event=Message.Event.MEETING_CANCELLED,
                                   meeting_at=appointment.slot.starts_at)
    if withdraw_slot and actor.is_agency_staff:
        Slot.objects.filter(pk=appointment.slot_id).update(withdrawn_at=timezone.now())
    return appointment


@transaction.atomic
def appointment_change_seen(*, actor: User, appointment_id: int) -> Appointment:
    """She has read that her advocate cancelled this meeting: Home stops telling her. Saying it
    twice changes nothing."""
    require_survivor(actor)
    found = None
    if isinstance(appointment_id, int) and 0 < appointment_id < 2**63:
        found = Appointment.objects.select_for_update(of=("self",)).filter(pk=appointment_id, survivor=actor).first()
    if found is None:
        raise NotFound(_("We could not find that meeting."))
    if found.change_seen_at is None:
        found.change_seen_at = timezone.now()
        found.save(update_fields=["change_seen_at"])
    return found


@write_limit("booking")
@transaction.atomic
def appointment_move(*, actor: User, appointment_id: int, slot_id: int) -> Appointment:
    """To another open time, atomically: the old time is freed only if the new one is booked."""
    require_survivor(actor)
    _lock(actor.pk)
    old = _live_appointment(actor, appointment_id, survivor=actor)
    if slot_id == old.slot_id:
        raise Invalid(_("That is the time you already have."), field="slot_id")
    slot = bookable_slot(actor, slot_id)
    details = {"contact": old.contact, "phone": old.phone, "voicemail_ok": old.voicemail_ok, "note": old.note}
    old.status = Appointment.Status.MOVED
    _erase(old)
    old.save()
    moved = _book(actor, slot, details, replaces=old)  # if this refuses, the whole move is undone
    if old.conversation_id or moved.conversation_id:
        conversations.meeting_line(survivor=actor, agency_id=moved.agency_id, by_agency=False,
                                   event=Message.Event.MEETING_MOVED, meeting_at=old.slot.starts_at,
                                   moved_to=slot.starts_at)
    return moved
