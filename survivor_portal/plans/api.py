from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from survivor_portal.consent.api import STAFF_OR_SYSTEM
from survivor_portal.consent.selectors import Reader
from survivor_portal.plans import selectors, services
from survivor_portal.plans.schemas import PlanIn, PlanOut, ReviewIn, SharedPlanOut, VersionOut
from survivor_portal.versions import etag, expected_from_if_match, if_match_header

router = Router(tags=["safety plan"])
agency_router = Router(tags=["agency"])


def _section(part: selectors.PlanSection) -> dict:
    return {"key": part.key, "title": str(part.section.title), "text": part.text, "ticks": part.ticks,
            "private": part.private,
            "checklist": [{"code": code, "label": label, "ticked": ticked} for code, label, ticked in part.ticked]}


def _plan(request: HttpRequest, response: HttpResponse) -> dict:
    view = selectors.plan_for(viewer=request.user)
    response["ETag"] = etag(view.version)
    return {"version": view.version, "updated_at": view.updated_at, "review_every_days": view.review_every_days,
            "review_due": view.review_due, "sections": [_section(part) for part in view.sections]}


@router.get("", response=PlanOut)
def plan(request: HttpRequest, response: HttpResponse):
    """Her whole plan, private sections included. Its `ETag` goes back in `If-Match` when you save."""
    return _plan(request, response)


@router.put("", response=PlanOut)
def plan_save(request: HttpRequest, payload: PlanIn, response: HttpResponse, if_match: str | None = if_match_header()):
    """Saves her whole plan; the plan as it was stays kept as a version. With a stale `If-Match`, 412."""
    services.plan_save(actor=request.user, sections=payload.dict(), version=expected_from_if_match(if_match))
    return _plan(request, response)


@router.delete("", response={204: None})
def plan_delete(request: HttpRequest):
    """Deletes her plan and every version of it, at once."""
    services.plan_delete(actor=request.user)
    return Status(204, None)


@router.get("/versions", response=list[VersionOut])
def versions(request: HttpRequest):
    """Every kept save (the newest 100), newest first."""
    return [{"number": v["number"], "saved_at": v["saved_at"], "how": v["how"], "restored_from": v["restored_from"],
             "sections": [_section(part) for part in v["plan"].sections]}
            for v in selectors.versions_for(viewer=request.user)]


@router.post("/versions/{int:number}/restore", response=PlanOut)
def restore(request: HttpRequest, number: int, response: HttpResponse, if_match: str | None = if_match_header()):
    """Brings a version back, as a new save. With `If-Match`, a retry after it worked is refused (412), not repeated."""
    services.plan_restore(actor=request.user, number=number, version=expected_from_if_match(if_match))
    return _plan(request, response)


@router.put("/review", response=PlanOut)
def review(request: HttpRequest, payload: ReviewIn, response: HttpResponse):
    """How often the app asks her, inside the app only, to look at her plan again (0: never)."""
    services.plan_review_set(actor=request.user, every_days=payload.every_days)
    return _plan(request, response)


@agency_router.get("/survivors/{int:survivor_id}/safety-plan", response=SharedPlanOut, auth=STAFF_OR_SYSTEM)
def shared_plan(request: HttpRequest, survivor_id: int):
    """Her plan, if she shares it with your agency now: only the sections she filled in and does not
    keep private. The look is recorded, and she sees it. Suggest additions with
    `POST /agency/survivors/{id}/suggestions` and `plan_section`."""
    person = selectors.shared_plan_of(reader=Reader.from_request(request), survivor_id=survivor_id)
    return {"id": person["id"], "name": person["name"],
            "sections": [{**_section(part), "checklist": [item for item in _section(part)["checklist"] if item["ticked"]]}
                         for part in person["sections"]]}
