from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.security import HttpBearer, django_auth

from survivor_portal.consent import selectors, services
from survivor_portal.consent.models import AgencyApiKey, ConsentGrant, DisclosureNotice
from survivor_portal.consent.schemas import (
    ApiKeyCreatedOut,
    ApiKeyIn,
    ApiKeyOut,
    ConsentIn,
    ConsentOut,
    DisclosureIn,
    DisclosureOut,
    SuggestionAnswerIn,
    ConfirmIn,
    LookOut,
    NeverShareIn,
    PersonOut,
    RecordForIn,
    SharedGoalOut,
    SuggestionIn,
    SuggestionOut,
)
from survivor_portal.versions import etag, expected_from_if_match, if_match_header


class AgencyKeyAuth(HttpBearer):
    """`Authorization: Bearer <key>` for an agency's own system; the same consent rules apply."""

    def authenticate(self, request: HttpRequest, token: str) -> AgencyApiKey | None:
        return services.api_key_check(token)


router = Router(tags=["consent"])
agency_router = Router(tags=["agency"])
STAFF_OR_SYSTEM = [AgencyKeyAuth(), django_auth]


def _disclosure(notice: DisclosureNotice) -> dict:
    return {
        "id": notice.pk, "agency": notice.agency.name, "author": notice.author_label,
        "shared_what": notice.shared_what, "with_whom": notice.with_whom, "why": notice.why,
        "at": notice.at, "acknowledged_at": notice.acknowledged_at,
    }


def _out(grant: ConsentGrant, versions: dict[int, str] | None = None) -> dict:
    """A grant. `versions` (services.sharing_versions) only in answers to her: where her sharing
    stands is never told to staff, since it would show a never-share choice."""
    return {"sharing_version": versions.get(grant.agency_id, "0.0") if versions is not None else None,
        "id": grant.pk, "agency_id": grant.agency_id, "agency": grant.agency.name, "scopes": grant.scopes,
        "goal_scope": grant.goal_scope, "categories": grant.goal_categories, "goal_ids": grant.goal_ids,
        "purpose": grant.purpose, "starts_at": grant.starts_at, "expires_at": grant.expires_at,
        "ended_at": grant.ended_at, "state": grant.state, "supersedes": grant.supersedes_id,
        "notice_text": grant.receipt_text, "notice_language": grant.notice_language,
        "summary": services.summary_of(grant), "purpose_note": grant.purpose_note, "given_via": grant.given_via,
        "recorded_by": grant.recorded_by.display_name if grant.recorded_by_id else None,
    }


@router.get("", response=list[ConsentOut])
def consents(request: HttpRequest):
    grants = selectors.grants_for(viewer=request.user)
    versions = services.sharing_versions(request.user)
    return [_out(grant, versions) for grant in grants]


def _tagged(response: HttpResponse, grant: ConsentGrant) -> dict:
    """The grant, with the ETag of her sharing with its agency (what `If-Match` takes)."""
    out = _out(grant, services.sharing_versions(grant.survivor))
    response["ETag"] = etag(out["sharing_version"])
    return out


@router.post("", response={201: ConsentOut})
def consent_create(request: HttpRequest, payload: ConsentIn, response: HttpResponse,
                   if_match: str | None = if_match_header()):
    """With `If-Match` (a `sharing_version` as an ETag, `"0.0"` for an agency she never shared
    with), nothing starts if her sharing with that agency changed since you read it (412)."""
    grant = services.consent_grant(actor=request.user, version=expected_from_if_match(if_match), **payload.dict())
    return Status(201, _tagged(response, grant))


@router.get("/access-log", response=list[LookOut])
def access_log(request: HttpRequest):
    return [
        {"sentence": selectors.look_sentence(event), "at": event.at, "via": event.via}
        for event in selectors.access_log_for(viewer=request.user)
    ]


@router.get("/disclosures", response=list[DisclosureOut])
def disclosures(request: HttpRequest):
    return [_disclosure(notice) for notice in selectors.disclosures_for(viewer=request.user)]


@router.post("/disclosures/{int:notice_id}/acknowledge", response=DisclosureOut)
def disclosure_acknowledge(request: HttpRequest, notice_id: int):
    return _disclosure(services.disclosure_acknowledge(actor=request.user, notice_id=notice_id))


def _suggestion(s) -> dict:
    return {"id": s.pk, "agency": s.agency.name, "author": s.author_label, "goal_id": s.goal_id,
            "plan_section": s.plan_section or None, "text": s.text, "category": s.category, "status": s.status}


@router.post("/never-share", response={204: None})
def never_share(request: HttpRequest, payload: NeverShareIn, if_match: str | None = if_match_header()):
    """Turning never-share off with `If-Match` is refused (412) if her sharing with that agency changed since."""
    services.never_share_set(actor=request.user, agency_id=payload.agency_id, never=payload.never,
                             version=expected_from_if_match(if_match))
    return Status(204, None)


@router.get("/suggestions", response=list[SuggestionOut])
def suggestions(request: HttpRequest):
    selectors.grants_for(viewer=request.user)  # survivors only
    return [_suggestion(s) for s in selectors.waiting_suggestions(viewer=request.user)]


@router.post("/suggestions/{int:suggestion_id}/answer", response=SuggestionOut)
def suggestion_answer(request: HttpRequest, suggestion_id: int, payload: SuggestionAnswerIn):
    answered = services.suggestion_answer(actor=request.user, suggestion_id=suggestion_id, take=payload.take, text=payload.text)
    return _suggestion(answered)


@router.get("/{int:grant_id}", response=ConsentOut)
def consent_detail(request: HttpRequest, grant_id: int, response: HttpResponse):
    """The grant; its `ETag` is where her sharing with that agency stands."""
    return _tagged(response, selectors.grant_of(viewer=request.user, grant_id=grant_id))


@router.post("/{int:grant_id}/renew", response=ConsentOut)
def consent_renew(request: HttpRequest, grant_id: int, response: HttpResponse,
                  if_match: str | None = if_match_header()):
    """Only the grant in force can be renewed (412 otherwise, and with a stale `If-Match`)."""
    grant = services.consent_renew(actor=request.user, grant_id=grant_id, version=expected_from_if_match(if_match))
    return _tagged(response, grant)


@router.post("/{int:grant_id}/confirm", response=ConsentOut)
def consent_confirm(request: HttpRequest, grant_id: int, payload: ConfirmIn, response: HttpResponse,
                    if_match: str | None = if_match_header()):
    """Her yes or no to sharing that staff recorded after she agreed in person."""
    grant = services.consent_confirm(actor=request.user, grant_id=grant_id, yes=payload.yes,
                                     version=expected_from_if_match(if_match))
    return _tagged(response, grant)


@router.post("/{int:grant_id}/withdraw", response=ConsentOut)
def consent_withdraw(request: HttpRequest, grant_id: int, response: HttpResponse,
                     if_match: str | None = if_match_header()):
    """Stops her sharing with that grant's agency. Works without `If-Match`: stopping is always safe."""
    grant = services.consent_withdraw(actor=request.user, grant_id=grant_id, version=expected_from_if_match(if_match))
    return _tagged(response, grant)


@agency_router.get("/survivors", response=list[PersonOut], auth=STAFF_OR_SYSTEM)
def survivors(request: HttpRequest, news_days: int | None = Query(None, ge=1, le=31)):
    """Everyone sharing with the agency now; with `news_days`, only who started sharing
    (`new`) or whose sharing ends within that many days."""
    return selectors.people_sharing_with(reader=selectors.Reader.from_request(request), news_days=news_days)


@agency_router.get("/survivors/{int:survivor_id}/goals", response=list[SharedGoalOut], auth=STAFF_OR_SYSTEM)
def survivor_goals(request: HttpRequest, survivor_id: int):
    goals = selectors.shared_goals_of(reader=selectors.Reader.from_request(request), survivor_id=survivor_id)
    return [
        {"id": g.pk, "title": g.title, "category": g.category, "status": g.status,
         "target_date": g.target_date.isoformat() if g.target_date else None,
         "steps": [{"text": s.text, "done": s.done} for s in g.steps.all()]}
        for g in goals
    ]


@agency_router.post("/disclosures", response={201: DisclosureOut})
def disclosure_create(request: HttpRequest, payload: DisclosureIn):
    return Status(201, _disclosure(services.disclosure_record(actor=request.user, **payload.dict())))


@agency_router.get("/keys", response=list[ApiKeyOut])
def api_keys(request: HttpRequest):
    return selectors.api_keys_for(viewer=request.user)


@agency_router.post("/keys", response={201: ApiKeyCreatedOut})
def api_key_create(request: HttpRequest, payload: ApiKeyIn):
    record, key = services.api_key_create(actor=request.user, name=payload.name)
    return Status(201, {**ApiKeyOut.from_orm(record).dict(), "key": key})


@agency_router.delete("/keys/{int:key_id}", response=ApiKeyOut)
def api_key_revoke(request: HttpRequest, key_id: int):
    return services.api_key_revoke(actor=request.user, key_id=key_id)


@agency_router.post("/consents", response={201: ConsentOut})
def record_for(request: HttpRequest, payload: RecordForIn):
    """Staff record sharing she agreed to in person (to their own agency only)."""
    return Status(201, _out(services.consent_record_for(actor=request.user, **payload.dict())))


@agency_router.post("/survivors/{int:survivor_id}/suggestions", response={201: SuggestionOut})
def suggest(request: HttpRequest, survivor_id: int, payload: SuggestionIn):
    return Status(201, _suggestion(services.suggestion_make(actor=request.user, survivor_id=survivor_id, **payload.dict())))
