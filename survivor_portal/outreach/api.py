from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from survivor_portal.errors import Invalid
from survivor_portal.idempotency.keys import idempotent
from survivor_portal.outreach import selectors, services
from survivor_portal.outreach.models import CheckIn
from survivor_portal.outreach.schemas import (
    AgencySafetyIn,
    AgencySafetyOut,
    StaffCheckInIn,
    StaffCheckInOut,
    StaffCheckInPatch,
)
from survivor_portal.versions import etag, expected_from_if_match, if_match_header

router = Router(tags=["check-ins"])


def _person(user) -> dict | None:
    return None if user is None else {"id": user.pk, "name": str(user)}


def _out(check_in: CheckIn, viewer) -> dict:
    now = timezone.now()
    return {
        "id": check_in.pk, "staff": _person(check_in.staff), "mine": check_in.staff_id == viewer.pk,
        "place": check_in.place, "colleagues": [_person(p) for p in check_in.colleagues.all()],
        "with_others": check_in.with_others, "note": check_in.note, "started_at": check_in.started_at,
        "back_by": check_in.back_by, "alert_at": check_in.alert_at,
        "overdue": check_in.is_overdue(now) and check_in.acknowledged_at is None,
        "ended_at": check_in.ended_at, "acknowledged_at": check_in.acknowledged_at,
        "acknowledged_by": _person(check_in.acknowledged_by),
        "events": [{"kind": e.kind, "at": e.at, "by": _person(e.actor), "back_by": e.back_by} for e in check_in.events.all()],
        "version": check_in.version,
    }


def _fresh(request: HttpRequest, check_in: CheckIn, response: HttpResponse) -> dict:
    response["ETag"] = etag(check_in)
    return _out(selectors.check_in_for(viewer=request.user, check_in_id=check_in.pk), request.user)


@router.get("/check-ins", response=list[StaffCheckInOut])
def check_in_list(request: HttpRequest):
    """Your agency's open check-ins first, then the last 30 days. Overdue ones have `overdue: true`."""
    return [_out(check_in, request.user) for check_in in selectors.check_ins_for(viewer=request.user)]


@router.post("/check-ins", response={201: StaffCheckInOut})
@idempotent
def check_in_start(request: HttpRequest, payload: StaffCheckInIn, response: HttpResponse):
    """Before going out. A place, note or companion that looks like a phone number, e-mail, street
    address or link is refused once (422, code `may_identify`); send `confirm_identifying: true` to save anyway."""
    check_in = services.check_in_start(actor=request.user, **payload.dict())
    return Status(201, _fresh(request, check_in, response))


@router.patch("/check-ins/{int:check_in_id}", response=StaffCheckInOut)
def check_in_update(request: HttpRequest, check_in_id: int, payload: StaffCheckInPatch, response: HttpResponse,
                    if_match: str | None = if_match_header()):
    """Extend (`back_in_minutes`) or end (`back: true`) your own check-in."""
    if payload.back and payload.back_in_minutes is None:
        check_in = services.check_in_end(actor=request.user, check_in_id=check_in_id)
    elif payload.back_in_minutes is not None and not payload.back:
        check_in = services.check_in_extend(actor=request.user, check_in_id=check_in_id,
                                            back_in_minutes=payload.back_in_minutes,
                                            version=expected_from_if_match(if_match))
    else:
        raise Invalid(_("Send either back_in_minutes or back: true."), field="back")
    return _fresh(request, check_in, response)


@router.post("/check-ins/{int:check_in_id}/acknowledge", response=StaffCheckInOut)
def check_in_acknowledge(request: HttpRequest, check_in_id: int, response: HttpResponse):
    """A colleague takes on an overdue check-in: its alert leaves every page. 409 before it is overdue."""
    check_in = services.check_in_acknowledge(actor=request.user, check_in_id=check_in_id)
    return _fresh(request, check_in, response)


def _settings(request: HttpRequest, response: HttpResponse) -> dict:
    current = selectors.agency_safety_for(viewer=request.user)
    response["ETag"] = etag(current.version)
    return {"grace_minutes": current.grace_minutes, "on_duty_ids": current.on_duty_ids,
            "crisis_resources": current.crisis_resources, "version": current.version}


@router.get("/safety-settings", response=AgencySafetyOut)
def agency_safety(request: HttpRequest, response: HttpResponse):
    """Agency admins only: the grace period, who is on duty, and the crisis resources."""
    return _settings(request, response)


@router.put("/safety-settings", response=AgencySafetyOut)
def agency_safety_update(request: HttpRequest, payload: AgencySafetyIn, response: HttpResponse,
                         if_match: str | None = if_match_header()):
    services.agency_safety_update(actor=request.user, version=expected_from_if_match(if_match), **payload.dict())
    request.user.agency.refresh_from_db(fields=["crisis_resources"])
    return _settings(request, response)
