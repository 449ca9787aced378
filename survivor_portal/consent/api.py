from django.http import HttpRequest
from ninja import Router, Status

from survivor_portal.consent import selectors, services
from survivor_portal.consent.models import ConsentGrant
from survivor_portal.consent.schemas import ConsentIn, ConsentOut, LookOut, PersonOut, SharedGoalOut

router = Router(tags=["consent"])
agency_router = Router(tags=["agency"])


def _out(grant: ConsentGrant) -> dict:
    scopes = [name for name, on in (("goals", grant.share_goals), ("appointments", grant.share_appointments),
                                    ("display_name", grant.share_display_name)) if on]
    return {
        "id": grant.pk, "agency_id": grant.agency_id, "agency": grant.agency.name, "scopes": scopes,
        "goal_scope": grant.goal_scope, "categories": grant.goal_categories, "goal_ids": grant.goal_ids,
        "purpose": grant.purpose, "starts_at": grant.starts_at, "expires_at": grant.expires_at,
        "ended_at": grant.ended_at, "state": grant.state, "supersedes": grant.supersedes_id,
        "notice_text": grant.notice_text,
    }


@router.get("", response=list[ConsentOut])
def consents(request: HttpRequest):
    return [_out(grant) for grant in selectors.grants_for(viewer=request.user)]


@router.post("", response={201: ConsentOut})
def consent_create(request: HttpRequest, payload: ConsentIn):
    return Status(201, _out(services.consent_grant(actor=request.user, **payload.dict())))


@router.get("/access-log", response=list[LookOut])
def access_log(request: HttpRequest):
    return [
        {"sentence": selectors.look_sentence(event), "at": event.at, "via": event.via}
        for event in selectors.access_log_for(viewer=request.user)
    ]


@router.get("/{int:grant_id}", response=ConsentOut)
def consent_detail(request: HttpRequest, grant_id: int):
    return _out(selectors.grant_of(viewer=request.user, grant_id=grant_id))


@router.post("/{int:grant_id}/withdraw", response=ConsentOut)
def consent_withdraw(request: HttpRequest, grant_id: int):
    return _out(services.consent_withdraw(actor=request.user, grant_id=grant_id))


@agency_router.get("/survivors", response=list[PersonOut])
def survivors(request: HttpRequest):
    return selectors.people_sharing_with(reader=selectors.Reader.staff(request.user, via="api"))


@agency_router.get("/survivors/{int:survivor_id}/goals", response=list[SharedGoalOut])
def survivor_goals(request: HttpRequest, survivor_id: int):
    goals = selectors.shared_goals_of(reader=selectors.Reader.staff(request.user, via="api"), survivor_id=survivor_id)
    return [
        {"id": g.pk, "title": g.title, "category": g.category, "status": g.status,
         "target_date": g.target_date.isoformat() if g.target_date else None,
         "steps": [{"text": s.text, "done": s.done} for s in g.steps.all()]}
        for g in goals
    ]
