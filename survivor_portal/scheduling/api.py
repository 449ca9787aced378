from datetime import date, datetime

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status

from survivor_portal.consent.api import STAFF_OR_SYSTEM
from survivor_portal.consent.selectors import Reader
from survivor_portal.idempotency.keys import idempotent
from survivor_portal import times
from survivor_portal.scheduling import calendar, selectors, services
from survivor_portal.scheduling.models import Appointment
from survivor_portal.scheduling.schemas import (
    AppointmentOut,
    BookIn,
    CancelIn,
    AppointmentMoveIn,
    PrefsIn,
    PrefsOut,
    RulesIn,
    RulesOut,
    SlotIn,
    SlotOut,
    WeeklyIn,
)
from survivor_portal.versions import etag, expected_from_if_match, if_match_header

slots_router = Router(tags=["scheduling"])
appointments_router = Router(tags=["scheduling"])
agency_router = Router(tags=["agency"])


class RangeQuery(Schema):
    advocate: int | None = Field(default=None, ge=1, le=2**63 - 1)
    from_: datetime | date | None = Field(default=None, alias="from", description="A day or a moment; days are read in the agency's zone.")
    to: datetime | date | None = None


def _slot(slot, booked=None) -> dict:
    return {**selectors.slot_out(slot), "booked": booked}


def _mine(a: Appointment) -> dict:
    """Her own appointment, as she sees it."""
    return {
        "id": a.pk, "status": a.status, "starts_at": a.slot.starts_at, "ends_at": a.slot.ends_at,
        "time_zone": a.agency.time_zone, "shown_as": times.named(times.span(a.slot.starts_at, a.slot.ends_at, a.agency), a.agency),
        "mode": a.slot.mode, "place_label": a.slot.place_label, "agency": a.agency.name,
        "advocate": a.advocate.display_name, "contact": a.contact, "phone": a.phone, "voicemail_ok": a.voicemail_ok,
        "note": a.note, "cancelled_by": a.cancelled_by_label or (None if a.cancelled_at is None else "you"),
        "cancel_reason": a.cancel_reason or None, "replaces": a.replaces_id, "change_seen_at": a.change_seen_at,
    }


def _seen(entry: selectors.Entry) -> dict:
    """One appointment as staff see it: details only where she shares them."""
    a = entry.appointment
    out = {
        "id": a.pk, "status": a.status, "starts_at": a.slot.starts_at, "ends_at": a.slot.ends_at,
        "time_zone": a.agency.time_zone, "shown_as": times.named(times.span(a.slot.starts_at, a.slot.ends_at, a.agency), a.agency),
        "mode": a.slot.mode, "place_label": a.slot.place_label, "agency": a.agency.name,
        "person": entry.label, "shared": entry.shared,
    }
    if entry.shared:
        out.update(contact=a.contact, cancelled_by=a.cancelled_by_label or (None if a.cancelled_at is None else "her"),
                   cancel_reason=a.cancel_reason or None, replaces=a.replaces_id)
    if entry.own:
        out.update(phone=a.phone, voicemail_ok=a.voicemail_ok, note=a.note, code_word=entry.code_word)
    return out


@slots_router.get("", response=list[SlotOut])
def slots(request: HttpRequest, q: Query[RangeQuery]):
    """For a survivor: times she can book. For staff: their agency's times, booked or free."""
    asked = {"advocate_id": q.advocate, "start": q.from_, "end": q.to}
    if request.user.is_agency_staff:
        return [_slot(s, s.booked) for s in selectors.staff_slots(viewer=request.user, **asked)]
    return [_slot(s) for s in selectors.open_slots(viewer=request.user, **asked)]


@slots_router.post("", response={201: SlotOut})
def slot_create(request: HttpRequest, payload: SlotIn):
    return Status(201, _slot(services.slot_create(actor=request.user, **payload.dict()), False))


@slots_router.post("/weekly", response={201: list[SlotOut]})
def slots_weekly(request: HttpRequest, payload: WeeklyIn):
    made = services.slots_weekly(actor=request.user, **payload.dict())
    return Status(201, [_slot(s, False) for s in made])


@slots_router.get("/rules", response=RulesOut)
def rules(request: HttpRequest, response: HttpResponse):
    services.require_staff(request.user)
    rules = services.rules_of(request.user.pk)
    response["ETag"] = etag(rules)
    return rules


@slots_router.put("/rules", response=RulesOut)
def rules_set(request: HttpRequest, payload: RulesIn, response: HttpResponse, if_match: str | None = if_match_header()):
    """With `If-Match` (the ETag from GET), a change based on older rules is refused (412)."""
    rules = services.rules_set(actor=request.user, version=expected_from_if_match(if_match), **payload.dict())
    response["ETag"] = etag(rules)
    return rules


@slots_router.delete("/{int:slot_id}", response=SlotOut)
def slot_withdraw(request: HttpRequest, slot_id: int):
    return _slot(services.slot_withdraw(actor=request.user, slot_id=slot_id), False)


@appointments_router.get("", response=list[AppointmentOut])
def appointments(request: HttpRequest, q: Query[RangeQuery]):
    """Hers, for a survivor; the agenda, for staff (the next 14 days unless a range is given)."""
    if request.user.is_agency_staff:
        entries = selectors.agenda(reader=Reader.staff(request.user, via="api"), start=q.from_, end=q.to)
        return [_seen(e) for e in entries]
    return [_mine(a) for a in selectors.her_appointments(viewer=request.user)]


@appointments_router.post("", response={201: AppointmentOut})
@idempotent
def book(request: HttpRequest, payload: BookIn):
    return Status(201, _mine(services.appointment_book(actor=request.user, **payload.dict())))


@appointments_router.get("/preferences", response=PrefsOut)
def preferences(request: HttpRequest, response: HttpResponse):
    """Her code word and calendar choices; the `ETag` goes back in `If-Match` when she changes them."""
    services.require_survivor(request.user)
    prefs = services.prefs_of(request.user)
    response["ETag"] = etag(prefs)
    return prefs


@appointments_router.put("/preferences", response=PrefsOut)
def preferences_set(request: HttpRequest, payload: PrefsIn, response: HttpResponse,
                    if_match: str | None = if_match_header()):
    """With `If-Match`, a change based on an older read is refused (412) and nothing is written."""
    prefs = services.prefs_set(actor=request.user, version=expected_from_if_match(if_match), **payload.dict())
    response["ETag"] = etag(prefs)
    return prefs


def _one(request: HttpRequest, appointment_id: int) -> dict:
    if request.user.is_agency_staff:
        return _seen(selectors.agenda_entry(reader=Reader.staff(request.user, via="api"), appointment_id=appointment_id))
    return _mine(selectors.her_appointment(viewer=request.user, appointment_id=appointment_id))


@appointments_router.get("/{int:appointment_id}", response=AppointmentOut)
def appointment(request: HttpRequest, appointment_id: int):
    return _one(request, appointment_id)


@appointments_router.post("/{int:appointment_id}/cancel", response=AppointmentOut)
def cancel(request: HttpRequest, appointment_id: int, payload: CancelIn):
    services.appointment_cancel(actor=request.user, appointment_id=appointment_id, **payload.dict())
    return _one(request, appointment_id)


@appointments_router.post("/{int:appointment_id}/move", response=AppointmentOut)
def move(request: HttpRequest, appointment_id: int, payload: AppointmentMoveIn):
    return _mine(services.appointment_move(actor=request.user, appointment_id=appointment_id, slot_id=payload.slot_id))


@appointments_router.post("/{int:appointment_id}/seen", response=AppointmentOut)
def change_seen(request: HttpRequest, appointment_id: int):
    """She has read that her advocate cancelled it: Home stops telling her."""
    services.appointment_change_seen(actor=request.user, appointment_id=appointment_id)
    return _mine(selectors.her_appointment(viewer=request.user, appointment_id=appointment_id))


@appointments_router.get("/{int:appointment_id}/ics", response={200: str},
                         openapi_extra={"responses": {200: {"description": "A calendar file",
                                                            "content": {"text/calendar": {"schema": {"type": "string"}}}}}})
def ics(request: HttpRequest, appointment_id: int):
    """A calendar file that says only "Catch-up", unless she chose otherwise."""
    found = selectors.her_appointment(viewer=request.user, appointment_id=appointment_id)
    return calendar.download(found, services.prefs_of(request.user))


@agency_router.get("/survivors/{int:survivor_id}/appointments", response=list[AppointmentOut], auth=STAFF_OR_SYSTEM)
def survivor_appointments(request: HttpRequest, survivor_id: int):
    """Her appointments with your agency, while she shares them."""
    shown = selectors.shared_appointments_of(reader=Reader.from_request(request), survivor_id=survivor_id)
    return [_seen(e) for e in shown]
