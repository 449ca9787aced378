from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status

from peer_support.council import selectors, services
from peer_support.council.models import Idea, Proposal
from peer_support.council.schemas import (
    ProposalAnswerIn,
    AnswerOut,
    ChangeOut,
    CommentIn,
    CommentOut,
    IdeaIn,
    IdeaOut,
    ProposalIn,
    ProposalOut,
    ProposalPatch,
    ProposalSummary,
    UpdateIn,
    UpdateOut,
    VoteIn,
    VoteOut,
    VotingIn,
)
from survivor_portal.accounts.schemas import RoleHolderOut, UsernameIn
from survivor_portal.idempotency.keys import idempotent
from survivor_portal.versions import etag, expected_from_if_match, if_match_header

router = Router(tags=["council"])


def decision_rule() -> str:
    return _("It passes when at least half of the council voted, more agree than disagree, and no one blocked.")


def _idea(idea: Idea, viewer) -> dict:
    mine = idea.sender_id == viewer.pk
    return {
        "id": idea.pk, "text": idea.text, "signed": idea.signed,
        "sender": _("you") if mine else (selectors.sender_label(idea) if idea.signed else None),
        "status": idea.status, "council_note": idea.council_note, "proposal_id": idea.proposal_id if idea.proposal_id and idea.proposal.opened_at else None,
        # A proposal still being drafted is not shown, not even its state.
        "proposal_status": idea.proposal.status if idea.proposal_id and idea.proposal.opened_at else None,
        "created_at": idea.created_at,
    }


def _answer(response) -> dict | None:
    if response is None:
        return None
    return {"answer": response.answer, "reasons": response.reasons, "author": response.author_label,
            "created_at": response.created_at}


def _updates(updates) -> list[dict]:
    return [{"text": u.text, "marks_done": u.marks_done, "author": u.author_label, "created_at": u.created_at} for u in updates]


def _detail(d: selectors.Detail) -> dict:
    p = d.proposal
    closed = p.closed_at is not None
    counts = {c: getattr(p, c) for c in ("agree", "abstain", "disagree", "block")} if closed else d.votes_now
    return {
        "id": p.pk, "title": p.title, "problem": p.problem, "change": p.change, "affects": p.affects, "version": p.version,
        "status": p.status, "author": p.author_label, "decision_rule": decision_rule(), "council_size": d.council_size,
        "opened_at": p.opened_at, "closes_at": p.closes_at, "closed_at": p.closed_at, "votes": counts,
        "block_reasons": d.block_reasons,
        "my_vote": {"choice": d.my_vote.choice, "reason": d.my_vote.reason, "updated_at": d.my_vote.updated_at} if d.my_vote else None,
        "revisions": [{f: getattr(r, f) for f in ("number", "title", "problem", "change", "affects", "created_at")} for r in d.revisions],
        "comments": [{"id": c.pk, "author": c.author_label, "body": c.body, "created_at": c.created_at} for c in d.comments],
        "answer": _answer(d.response), "answer_due": p.answer_due if p.status == Proposal.Status.PASSED else None,
        "overdue": p.is_overdue(d.response is not None), "updates": _updates(d.updates), "done_at": p.done_at,
    }


def _summary(p: Proposal) -> dict:
    answered = hasattr(p, "response")
    return {"id": p.pk, "title": p.title, "status": p.status, "author": p.author_label, "closes_at": p.closes_at,
            "answered": answered, "overdue": p.is_overdue(answered)}


@router.get("/ideas", response=list[IdeaOut])
def ideas(request: HttpRequest):
    """For council members, every idea sent to the council; for any other survivor, her own."""
    found = selectors.ideas_inbox(viewer=request.user) if services.is_member(request.user) else selectors.my_ideas(viewer=request.user)
    return [_idea(idea, request.user) for idea in found]


@router.post("/ideas", response={201: IdeaOut})
@idempotent
def idea_send(request: HttpRequest, payload: IdeaIn):
    return Status(201, _idea(services.idea_send(actor=request.user, **payload.dict()), request.user))


@router.get("/proposals", response=list[ProposalSummary])
def proposals(request: HttpRequest):
    return [_summary(p) for p in selectors.proposals_for(viewer=request.user)]


@router.post("/proposals", response={201: ProposalOut})
@idempotent
def proposal_create(request: HttpRequest, payload: ProposalIn):
    proposal = services.proposal_create(actor=request.user, **payload.dict())
    return Status(201, _detail(selectors.proposal_detail(viewer=request.user, proposal_id=proposal.pk)))


@router.get("/proposals/{int:proposal_id}", response=ProposalOut)
def proposal(request: HttpRequest, proposal_id: int, response: HttpResponse):
    detail = selectors.proposal_detail(viewer=request.user, proposal_id=proposal_id)
    response["ETag"] = etag(detail.proposal)
    return _detail(detail)


@router.patch("/proposals/{int:proposal_id}", response=ProposalOut)
def proposal_patch(request: HttpRequest, proposal_id: int, payload: ProposalPatch, response: HttpResponse,
                   if_match: str | None = if_match_header()):
    """The author revises (every revision is kept), opens a draft, or withdraws before voting.
    With `If-Match`, a revision based on an older text is refused (412)."""
    changes = payload.dict(exclude_none=True)
    status = changes.pop("status", None)
    if changes:
        services.proposal_revise(actor=request.user, proposal_id=proposal_id,
                                 version=expected_from_if_match(if_match), **changes)
    if status == "discussion":
        services.proposal_open(actor=request.user, proposal_id=proposal_id)
    elif status == "withdrawn":
        services.proposal_withdraw(actor=request.user, proposal_id=proposal_id)
    detail = selectors.proposal_detail(viewer=request.user, proposal_id=proposal_id)
    response["ETag"] = etag(detail.proposal)
    return _detail(detail)


@router.post("/proposals/{int:proposal_id}/comments", response={201: CommentOut})
@idempotent
def comment(request: HttpRequest, proposal_id: int, payload: CommentIn):
    made = services.comment_add(actor=request.user, proposal_id=proposal_id, body=payload.body)
    return Status(201, {"id": made.pk, "author": made.author_label, "body": made.body, "created_at": made.created_at})


@router.post("/proposals/{int:proposal_id}/open-voting", response=ProposalOut)
def open_voting(request: HttpRequest, proposal_id: int, payload: VotingIn):
    services.voting_open(actor=request.user, proposal_id=proposal_id, closes_on=payload.closes_on)
    return _detail(selectors.proposal_detail(viewer=request.user, proposal_id=proposal_id))


@router.post("/proposals/{int:proposal_id}/votes", response=VoteOut)
def vote(request: HttpRequest, proposal_id: int, payload: VoteIn):
    return services.vote_cast(actor=request.user, proposal_id=proposal_id, **payload.dict())


@router.post("/proposals/{int:proposal_id}/answer", response={201: AnswerOut})
def answer(request: HttpRequest, proposal_id: int, payload: ProposalAnswerIn):
    return Status(201, _answer(services.answer_record(actor=request.user, proposal_id=proposal_id, **payload.dict())))


@router.post("/proposals/{int:proposal_id}/updates", response={201: UpdateOut})
def update(request: HttpRequest, proposal_id: int, payload: UpdateIn):
    made = services.update_add(actor=request.user, proposal_id=proposal_id, **payload.dict())
    return Status(201, _updates([made])[0])


@router.get("/changes", response=list[ChangeOut])
def changes(request: HttpRequest):
    """What changed because survivors asked."""
    return [
        {"id": p.pk, "title": p.title, "change": p.change, "closed_at": p.closed_at,
         "answer": _answer(getattr(p, "response", None)), "overdue": p.is_overdue(hasattr(p, "response")),
         "updates": _updates(p.updates.all()), "done_at": p.done_at}
        for p in selectors.changes_for(viewer=request.user)
    ]


@router.get("/members", response=list[RoleHolderOut])
def members(request: HttpRequest):
    """For agency admins: who is on the council."""
    return selectors.council_members(viewer=request.user)


@router.post("/members", response={201: RoleHolderOut})
def member_make(request: HttpRequest, payload: UsernameIn):
    return Status(201, services.council_member_make(actor=request.user, username=payload.username))


@router.delete("/members/{int:user_id}", response={204: None})
def member_stop(request: HttpRequest, user_id: int):
    services.council_member_stop(actor=request.user, user_id=user_id)
    return Status(204, None)
