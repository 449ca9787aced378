from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from survivor_portal.accounts.only_me import key_of
from survivor_portal.goals import sealing, selectors, services
from survivor_portal.goals.ordering import order_version
from survivor_portal.goals.schemas import (
    GoalDetailOut,
    GoalIn,
    GoalListOut,
    GoalOut,
    GoalPatch,
    GoalMoveIn,
    OrderIn,
    StepIn,
    StepListOut,
    StepOut,
    StepPatch,
)
from survivor_portal.idempotency.keys import idempotent
from survivor_portal.versions import etag, expected_from_if_match, if_match_header

router = Router(tags=["goals"])


def _list(request: HttpRequest) -> dict:
    goals = selectors.goals_shown(viewer=request.user, her_key=key_of(request))
    return {"version": selectors.version_of(goals), "goals": goals}


@router.get("", response=GoalListOut)
def goal_list(request: HttpRequest):
    return _list(request)


@router.post("", response={201: GoalOut})
@idempotent
def goal_create(request: HttpRequest, payload: GoalIn, response: HttpResponse):
    goal = services.goal_create(actor=request.user, her_key=key_of(request), **payload.dict())
    request.only_me_answer = goal.only_me  # a kept answer is sealed with her key too (idempotency.keys)
    response["ETag"] = etag(goal)
    return Status(201, goal)


@router.put("/order", response=GoalListOut)
def goals_order(request: HttpRequest, payload: OrderIn):
    services.goals_reorder(actor=request.user, ids=payload.ids, version=payload.version)
    return _list(request)


@router.get("/{int:goal_id}", response=GoalDetailOut)
def goal_detail(request: HttpRequest, goal_id: int, response: HttpResponse):
    """The goal with its steps. Its `ETag` goes back in `If-Match` when you change it."""
    goal = selectors.goal_for(viewer=request.user, goal_id=goal_id, her_key=key_of(request))
    response["ETag"] = etag(goal)
    return {**GoalOut.from_orm(goal).dict(), "steps": list(goal.steps.all())}


@router.patch("/{int:goal_id}", response=GoalOut)
def goal_update(
    request: HttpRequest, goal_id: int, payload: GoalPatch, response: HttpResponse,
    if_match: str | None = if_match_header(),
):
    """Changes only the fields sent. With `If-Match`, a change based on an older read is
    refused (412) and nothing is written; the answer carries the new `ETag`."""
    goal, _just_finished = services.goal_update(
        actor=request.user, goal_id=goal_id, version=expected_from_if_match(if_match), her_key=key_of(request),
        **payload.dict(exclude_unset=True),
    )
    response["ETag"] = etag(goal)
    return goal


@router.delete("/{int:goal_id}", response={204: None})
def goal_delete(request: HttpRequest, goal_id: int):
    services.goal_delete(actor=request.user, goal_id=goal_id)
    return Status(204, None)


@router.post("/{int:goal_id}/restore", response=GoalOut)
def goal_restore(request: HttpRequest, goal_id: int):
    return sealing.show([services.goal_restore(actor=request.user, goal_id=goal_id)], key_of(request))[0]


@router.post("/{int:goal_id}/steps", response={201: StepOut})
@idempotent
def step_create(request: HttpRequest, goal_id: int, payload: StepIn):
    step = services.step_create(actor=request.user, goal_id=goal_id, text=payload.text, her_key=key_of(request))
    request.only_me_answer = step.goal.only_me  # a kept answer is sealed with her key too (idempotency.keys)
    return Status(201, step)


@router.put("/{int:goal_id}/steps/order", response=StepListOut)
def steps_order(request: HttpRequest, goal_id: int, payload: OrderIn):
    services.steps_reorder(actor=request.user, goal_id=goal_id, ids=payload.ids, version=payload.version)
    steps = list(selectors.goal_for(viewer=request.user, goal_id=goal_id, her_key=key_of(request)).steps.all())
    return {"version": order_version([step.pk for step in steps]), "steps": steps}


@router.patch("/{int:goal_id}/steps/{int:step_id}", response=StepOut)
def step_update(
    request: HttpRequest, goal_id: int, step_id: int, payload: StepPatch, response: HttpResponse,
    if_match: str | None = if_match_header(),
):
    """Changes the step's text or tick; `If-Match` with its `version` as an ETag (`"3"`) refuses a stale change (412)."""
    step = services.step_update(
        actor=request.user, goal_id=goal_id, step_id=step_id, version=expected_from_if_match(if_match),
        her_key=key_of(request), **payload.dict(exclude_unset=True),
    )
    response["ETag"] = etag(step)
    return step


@router.delete("/{int:goal_id}/steps/{int:step_id}", response={204: None})
def step_delete(request: HttpRequest, goal_id: int, step_id: int):
    services.step_delete(actor=request.user, goal_id=goal_id, step_id=step_id)
    return Status(204, None)


@router.post("/{int:goal_id}/move", response=GoalListOut)
def goal_move(request: HttpRequest, goal_id: int, payload: GoalMoveIn):
    """Move one open goal up, down or to the top, as the page's buttons do."""
    services.goal_move(actor=request.user, goal_id=goal_id, to=payload.to, version=payload.version)
    return _list(request)
