"""Reads of meeting times, already filtered by who asks. Staff see a survivor's name,
contact choice and code word only through an active grant that shares her appointments
with their agency; every such read is recorded for her to see."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from survivor_portal.accounts.models import User
from survivor_portal.consent.selectors import Reader, agencies_seeing_appointments, appointment_grants, grant_or_404
from survivor_portal.consent.services import record_looks
from survivor_portal.errors import Invalid, NotFound
from survivor_portal import times
from survivor_portal.scheduling.models import Appointment, BookingRules, MeetingPrefs, Slot
from survivor_portal.scheduling.services import MAX_MINUTES, hide_finished_contact

DEFAULT_DAYS = 14
MAX_DAYS = 62


def window(start: datetime | date | None, end: datetime | date | None, agency=None) -> tuple[datetime, datetime]:
    """From/to as asked (days are read in the agency's zone), at most 62 days apart."""
    now = timezone.now()
    for value, field in ((start, "from"), (end, "to")):
        if value is not None:
            times.sane(value, field)

    def moment(value):
        if isinstance(value, datetime):
            return value if timezone.is_aware(value) else times.aware(value, agency) if agency else timezone.make_aware(value)
        if isinstance(value, date):
            return times.at(value, datetime.min.time(), agency) if agency else timezone.make_aware(datetime.combine(value, datetime.min.time()))
        return None

    start, end = moment(start) or now, moment(end)
    end = end or start + timedelta(days=DEFAULT_DAYS)
    if end <= start:
        raise Invalid(_("The end of the range must be after its start."), field="to")
    if end - start > timedelta(days=MAX_DAYS):
        raise Invalid(_("Ask for at most 62 days at a time."), field="to")
    return start, end


def slot_out(slot: Slot) -> dict:
    return {
        "id": slot.pk, "advocate_id": slot.advocate_id, "advocate": slot.advocate.display_name,
        "agency": slot.agency.name, "starts_at": slot.starts_at.isoformat(), "ends_at": slot.ends_at.isoformat(),
        "time_zone": slot.agency.time_zone, "shown_as": times.named(times.span(slot.starts_at, slot.ends_at, slot.agency), slot.agency),
        "mode": slot.mode, "place_label": slot.place_label,
    }


def _live_on(slot_field: str = "pk"):
    return Exists(Appointment.objects.filter(slot=OuterRef(slot_field), status=Appointment.Status.BOOKED))


def open_slots(*, viewer: User, advocate_id: int | None = None, start=None, end=None) -> list[Slot]:
    """For her: free times of advocates at agencies she shares her appointments with, that
    still meet each advocate's notice and buffer rules. Past times are never offered."""
    if not viewer.is_authenticated or not viewer.is_survivor:
        raise NotFound(_("We could not find that."))
    agencies = agencies_seeing_appointments(viewer.pk)
    start, end = window(start, end, viewer.agency)
    now = timezone.now()
    # Only times of people still working at the agency that offers them.
    slots = Slot.objects.filter(agency_id__in=agencies, withdrawn_at__isnull=True, starts_at__gt=max(start, now),
                                starts_at__lt=end, advocate__is_active=True,
                                advocate__agency_id=F("agency_id")).exclude(_live_on())
    if advocate_id is not None:
        if not agencies or not _staff_people().filter(pk=advocate_id, agency_id__in=agencies).exists():
            raise NotFound(_("We could not find that person."), field="advocate")
        slots = slots.filter(advocate_id=advocate_id)
    slots = list(slots.select_related("advocate", "agency")[:500])
    advocates = {slot.advocate_id for slot in slots}
    rules = {r.advocate_id: r for r in BookingRules.objects.filter(advocate_id__in=advocates)}
    reach = timedelta(minutes=MAX_MINUTES + 120)  # the longest slot plus the longest break
    busy = list(Appointment.objects.filter(advocate_id__in=advocates, status=Appointment.Status.BOOKED,
                                           slot__ends_at__gt=start - reach, slot__starts_at__lt=end + reach)
                .values_list("advocate_id", "slot__starts_at", "slot__ends_at"))

    def bookable(slot: Slot) -> bool:
        rule = rules.get(slot.advocate_id) or BookingRules()
        if slot.starts_at < now + timedelta(minutes=rule.min_notice_minutes):
            return False
        gap = timedelta(minutes=rule.buffer_minutes)
        return not any(who == slot.advocate_id and s < slot.ends_at + gap and e > slot.starts_at - gap for who, s, e in busy)

    return [slot for slot in slots if bookable(slot)]


def bookable_advocates(*, viewer: User) -> list[User]:
    """The people she could book with, to narrow the list."""
    agencies = agencies_seeing_appointments(viewer.pk) if viewer.is_survivor else set()
    people = _staff_people().filter(agency_id__in=agencies).select_related("agency")
    return sorted(people, key=lambda person: (person.agency.name, person.display_name.casefold(), person.pk))  # names are sealed: sorted here


def _staff_people():
    return User.objects.filter(role__in=[User.Role.ADVOCATE, User.Role.AGENCY_ADMIN], is_active=True)


def staff_slots(*, viewer: User, advocate_id: int | None = None, start=None, end=None) -> list[Slot]:
    """For staff: the times offered at their own agency (their own by default), booked or free."""
    if not viewer.is_authenticated or not viewer.is_agency_staff or viewer.agency_id is None:
        raise NotFound(_("We could not find that."))
    start, end = window(start, end, viewer.agency)
    slots = Slot.objects.filter(agency_id=viewer.agency_id, withdrawn_at__isnull=True, starts_at__gte=start, starts_at__lt=end)
    if advocate_id is not None:
        if not _staff_people().filter(pk=advocate_id, agency_id=viewer.agency_id).exists():
            raise NotFound(_("We could not find that person."), field="advocate")
        slots = slots.filter(advocate_id=advocate_id)
    return list(slots.annotate(booked=_live_on()).select_related("advocate", "agency")[:1000])


# ---- Appointments ------------------------------------------------------------------------------


def her_appointments(*, viewer: User, upcoming_only: bool = False, limit: int = 100) -> list[Appointment]:
    if not viewer.is_authenticated or not viewer.is_survivor:
        raise NotFound(_("We could not find that."))
    found = Appointment.objects.filter(survivor=viewer)
    if upcoming_only:
        found = found.filter(status=Appointment.Status.BOOKED, slot__ends_at__gt=timezone.now())
    else:
        # What is coming first, then the last few weeks, newest first.
        found = found.filter(slot__ends_at__gt=timezone.now() - timedelta(days=30)).exclude(status=Appointment.Status.MOVED)
    return hide_finished_contact(list(found.select_related("slot__agency", "agency", "advocate").order_by("slot__starts_at")[:limit]))


def for_home(*, viewer: User) -> tuple[list[Appointment], list[Appointment]]:
    """Home's two lists about meetings, in one read: her next three live meetings (nothing ever
    leaves the app as a reminder), and meetings her advocate cancelled that she has not yet said
    she read, with their reason, instead of a meeting just dropping out of "Coming up"."""
    if not viewer.is_authenticated or not viewer.is_survivor:
        return [], []
    live = Q(status=Appointment.Status.BOOKED, slot__ends_at__gt=timezone.now())
    to_tell = Q(status=Appointment.Status.CANCELLED, change_seen_at__isnull=True) & ~Q(cancelled_by_label="")
    found = hide_finished_contact(list(
        Appointment.objects.filter(live | to_tell, survivor=viewer)
        .select_related("slot__agency", "agency", "advocate").order_by("slot__starts_at")[:HOME_MEETINGS]))
    coming = [a for a in found if a.status == Appointment.Status.BOOKED][:3]
    changes = sorted((a for a in found if a.status == Appointment.Status.CANCELLED), key=lambda a: a.cancelled_at or a.slot.starts_at, reverse=True)
    return coming, changes[:5]


HOME_MEETINGS = 100  # live and cancelled-unread together: far more than anyone has at once


def coming_up(*, viewer: User) -> list[Appointment]:
    return for_home(viewer=viewer)[0]


def changes_to_tell(*, viewer: User) -> list[Appointment]:
    return for_home(viewer=viewer)[1]


def her_appointment(*, viewer: User, appointment_id: int) -> Appointment:
    if not viewer.is_authenticated or not viewer.is_survivor:
        raise NotFound(_("We could not find that meeting."))
    found = None
    if 0 < appointment_id < 2**63:
        found = (Appointment.objects.filter(pk=appointment_id, survivor=viewer)
                 .select_related("slot__agency", "agency", "advocate", "replaces__slot__agency").first())
    if found is None:
        raise NotFound(_("We could not find that meeting."))
    return hide_finished_contact([found])[0]


@dataclass
class Entry:
    """One line of an advocate's agenda: what the grant lets her see, nothing more."""

    appointment: Appointment
    shared: bool
    name: str | None
    own: bool = False  # her contact choice and code word are for the advocate she booked only
    code_word: str = ""
    closed: bool = False
    messages: bool = False  # she shares messages with the agency: the agenda links to the conversation

    @property
    def label(self) -> str:
        if self.closed:
            return _("Cancelled: the account was closed")
        if self.name:
            return self.name
        if self.shared:
            return _("Person %(number)s") % {"number": self.appointment.survivor_id}
        return _("Booked (not shared with your agency)")


def entries(reader: Reader, appointments: list[Appointment], *, record: bool = True) -> list[Entry]:
    grants = appointment_grants(reader.agency.pk, {a.survivor_id for a in appointments})
    words = {prefs.survivor_id: prefs.code_word for prefs in MeetingPrefs.objects.filter(survivor_id__in=list(grants))}
    entries = []
    for appointment in appointments:
        if appointment.survivor_id is None:  # she closed her account; the cancelled time stays
            entries.append(Entry(appointment, shared=False, name=None, closed=True))
            continue
        grant = grants.get(appointment.survivor_id)
        own = reader.actor is not None and appointment.advocate_id == reader.actor.pk
        if grant is None:
            if appointment.is_live:  # a taken time, nothing more: not who, not that she cancelled
                entries.append(Entry(appointment, shared=False, name=None))
            continue
        entries.append(Entry(appointment, shared=True, name=appointment.survivor.display_name if grant.share_display_name else None,
                             own=own, code_word=words.get(appointment.survivor_id, "") if own else "",
                             messages=grant.share_messages))
    for shares_name, what in ((True, "appointments|name"), (False, "appointments")):
        if not record:
            break
        seen = sorted({e.appointment.survivor_id for e in entries if e.shared and bool(e.name) == shares_name})
        record_looks(survivors=seen, agency=reader.agency, actor=reader.actor, actor_label=reader.label, what=what, via=reader.via)
    return entries


def agenda(*, reader: Reader, start=None, end=None) -> list[Entry]:
    """An advocate's day or week: her appointments, with only what each person shares."""
    if reader.actor is None:
        raise NotFound(_("We could not find that."))
    start, end = window(start, end, reader.agency)
    found = (Appointment.objects.filter(advocate=reader.actor, agency=reader.agency, slot__starts_at__gte=start,
                                        slot__starts_at__lt=end)
             .exclude(status=Appointment.Status.MOVED).select_related("slot__agency", "agency", "survivor").order_by("slot__starts_at"))
    return entries(reader, hide_finished_contact(list(found[:500])))


def agenda_entry(*, reader: Reader, appointment_id: int) -> Entry:
    if reader.actor is None:
        raise NotFound(_("We could not find that meeting."))
    found = None
    if 0 < appointment_id < 2**63:
        found = (Appointment.objects.filter(pk=appointment_id, advocate=reader.actor, agency=reader.agency)
                 .select_related("slot__agency", "agency", "survivor").first())
    if found is None:
        raise NotFound(_("We could not find that meeting."))
    shown = entries(reader, hide_finished_contact([found]))
    if not shown:
        raise NotFound(_("We could not find that meeting."))
    return shown[0]


def appointments_with(agency_id: int, survivor_id: int) -> list[Appointment]:
    """Her appointments with one agency: coming up, and the last 90 days."""
    found = (Appointment.objects.filter(survivor_id=survivor_id, agency_id=agency_id,
                                        slot__ends_at__gt=timezone.now() - timedelta(days=90))
             .exclude(status=Appointment.Status.MOVED).select_related("slot__agency", "agency", "survivor", "advocate")
             .order_by("slot__starts_at"))
    return hide_finished_contact(list(found[:200]))


def shared_appointments_of(*, reader: Reader, survivor_id: int) -> list[Entry]:
    """Her appointments with the reader's agency, only while she shares them."""
    grant = grant_or_404(reader, survivor_id)
    if not grant.share_appointments:
        raise NotFound(_("We could not find that person."))
    shown = entries(reader, appointments_with(reader.agency.pk, survivor_id), record=False)
    record_looks(survivors=[survivor_id], agency=reader.agency, actor=reader.actor, actor_label=reader.label,
                 what="appointments|name" if grant.share_display_name else "appointments", via=reader.via)
    return shown
