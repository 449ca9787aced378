"""Every rule of the survivor council: who may send, propose, revise, vote and answer; the
decision rule; and closing, which happens whenever a proposal is read after its closing time."""

from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peer_support.council.models import (
    AgencyResponse,
    Comment,
    Idea,
    ProgressUpdate,
    Proposal,
    Revision,
    Vote,
)
from survivor_portal.accounts.models import User
from survivor_portal.accounts.selectors import agency_survivor_named
from survivor_portal.errors import Conflict, Invalid, NotAllowed, NotFound, text_or_invalid
from survivor_portal import times
from survivor_portal.versions import Expected, version_bump, version_check
from survivor_portal.write_limits import write_limit

MIN_VOTING_DAYS, MAX_VOTING_DAYS = 3, 30
TEXT_FIELDS = ("title", "problem", "change", "affects")


def is_member(user: User) -> bool:
    return user.is_authenticated and user.is_survivor and user.is_council_member and user.agency_id is not None


def is_admin(user: User) -> bool:
    return user.is_authenticated and user.role == User.Role.AGENCY_ADMIN and user.agency_id is not None


def council_size(agency_id: int) -> int:
    return User.objects.filter(agency_id=agency_id, role=User.Role.SURVIVOR, is_council_member=True, is_active=True).count()


@transaction.atomic
def council_member_make(*, actor: User, username: str) -> User:
    """An agency admin asks a survivor of her agency onto the council."""
    _require_admin(actor)
    person = agency_survivor_named(admin=actor, username=username)
    if person.is_council_member:
        raise Conflict(_("%(name)s is already on the council.") % {"name": person.display_name}, code="already")
    person.is_council_member = True
    person.save(update_fields=["is_council_member"])
    return person


@transaction.atomic
def council_member_stop(*, actor: User, user_id: int) -> User:
    """She leaves the council; her past proposals, comments and votes stay as they were."""
    _require_admin(actor)
    person = User.objects.filter(pk=user_id, agency_id=actor.agency_id, is_council_member=True).first() \
        if 0 < user_id < 2**63 else None
    if person is None:
        raise NotFound(_("We could not find that person."))
    person.is_council_member = False
    person.save(update_fields=["is_council_member"])
    return person


def decision(*, council_size: int, agree: int, abstain: int, disagree: int, block: int) -> bool:
    """The rule shown on every proposal: it passes when at least half of the council voted,
    more agree than disagree, and no one blocked."""
    voted = agree + abstain + disagree + block
    return voted * 2 >= council_size and agree > disagree and block == 0


def _require_member(actor: User) -> None:
    if not is_member(actor):
        raise NotFound(_("We could not find that."))


def _require_admin(actor: User) -> None:
    if not is_admin(actor):
        raise NotFound(_("We could not find that."))


def _proposal(actor: User, proposal_id: int, *, lock: bool = True) -> Proposal:
    """A proposal the actor may see: council members and agency admins of its agency; a draft
    only its author."""
    found = None
    if (is_member(actor) or is_admin(actor)) and 0 < proposal_id < 2**63:
        query = Proposal.objects.select_for_update(of=("self",)) if lock else Proposal.objects
        found = query.filter(pk=proposal_id, agency_id=actor.agency_id).select_related("agency").first()
    # Never opened (a draft, or a draft withdrawn): its author's alone.
    if found is None or (found.opened_at is None and found.author_id != actor.pk):
        raise NotFound(_("We could not find that proposal."))
    return found


def _own(actor: User, proposal: Proposal) -> None:
    if proposal.author_id != actor.pk:
        raise NotAllowed(_("Only the person who wrote this proposal can do that."))


def _text(value: str, field: str, longest: int) -> str:
    return text_or_invalid(value, field, longest)


# ---- Ideas -------------------------------------------------------------------------------------


@write_limit("idea")
@transaction.atomic
def idea_send(*, actor: User, text: str, signed: bool = False) -> Idea:
    """Any survivor sends her council an idea; unsigned unless she chooses."""
    if not actor.is_authenticated or not actor.is_survivor or actor.agency_id is None:
        raise NotFound(_("We could not find that."))
    return Idea.objects.create(agency_id=actor.agency_id, sender=actor, signed=bool(signed),
                               text=_text(text, "text", 1000))


@transaction.atomic
def idea_set_aside(*, actor: User, idea_id: int, note: str) -> Idea:
    _require_member(actor)
    idea = Idea.objects.select_for_update().filter(pk=idea_id, agency_id=actor.agency_id, status=Idea.Status.NEW).first() \
        if 0 < idea_id < 2**63 else None
    if idea is None:
        raise NotFound(_("We could not find that idea."))
    idea.status, idea.council_note = Idea.Status.SET_ASIDE, _text(note, "note", 500)
    idea.save(update_fields=["status", "council_note"])
    return idea


# ---- Proposals ---------------------------------------------------------------------------------


def _revision(proposal: Proposal) -> None:
    number = proposal.revisions.count() + 1
    Revision.objects.create(proposal=proposal, number=number, **{f: getattr(proposal, f) for f in TEXT_FIELDS})


def _checked_text(fields: dict) -> dict:
    return {"title": _text(fields.get("title"), "title", 120), "problem": _text(fields.get("problem"), "problem", 2000),
            "change": _text(fields.get("change"), "change", 2000), "affects": _text(fields.get("affects"), "affects", 300)}


@write_limit("proposal")
@transaction.atomic
def proposal_create(*, actor: User, title: str, problem: str, change: str, affects: str,
                    idea_id: int | None = None, open_now: bool = False) -> Proposal:
    """A council member drafts a proposal, perhaps from an idea; the idea's sender then sees
    what became of it."""
    _require_member(actor)
    text = _checked_text({"title": title, "problem": problem, "change": change, "affects": affects})
    idea = None
    if idea_id is not None:
        idea = Idea.objects.select_for_update().filter(pk=idea_id, agency_id=actor.agency_id, status=Idea.Status.NEW).first() \
            if 0 < idea_id < 2**63 else None
        if idea is None:
            raise NotFound(_("We could not find that idea."), field="idea_id")
    now = timezone.now()
    proposal = Proposal.objects.create(
        agency_id=actor.agency_id, author=actor, author_label=actor.display_name, **text,
        status=Proposal.Status.DISCUSSION if open_now else Proposal.Status.DRAFT, opened_at=now if open_now else None,
    )
    _revision(proposal)
    if idea is not None:
        idea.status, idea.proposal = Idea.Status.PROPOSAL, proposal
        idea.save(update_fields=["status", "proposal"])
    return proposal


@transaction.atomic
def proposal_open(*, actor: User, proposal_id: int) -> Proposal:
    proposal = _proposal(actor, proposal_id)
    _own(actor, proposal)
    if proposal.status != Proposal.Status.DRAFT:
        raise Conflict(_("This proposal is already open."), code="not_a_draft")
    proposal.status, proposal.opened_at = Proposal.Status.DISCUSSION, timezone.now()
    proposal.save(update_fields=["status", "opened_at"])
    return proposal


@write_limit("proposal_edit")
@transaction.atomic
def proposal_revise(*, actor: User, proposal_id: int, version: Expected = None, **fields) -> Proposal:
    """Only the author, only before voting; the earlier text is kept as a revision. A revision
    based on an older text (another window) is refused: nothing she wrote is overwritten."""
    proposal = _proposal(actor, proposal_id)
    _own(actor, proposal)
    version_check(proposal, version)
    if proposal.status not in (Proposal.Status.DRAFT, Proposal.Status.DISCUSSION):
        raise Conflict(_("A proposal can be changed only before voting opens."), code="locked")
    merged = {f: fields.get(f) if fields.get(f) is not None else getattr(proposal, f) for f in TEXT_FIELDS}
    text = _checked_text(merged)
    if all(text[f] == getattr(proposal, f) for f in TEXT_FIELDS):
        return proposal
    for field, value in text.items():
        setattr(proposal, field, value)
    proposal.save(update_fields=[*TEXT_FIELDS, version_bump(proposal)])
    _revision(proposal)
    return proposal


@transaction.atomic
def proposal_withdraw(*, actor: User, proposal_id: int) -> Proposal:
    proposal = _proposal(actor, proposal_id)
    _own(actor, proposal)
    if proposal.status not in (Proposal.Status.DRAFT, Proposal.Status.DISCUSSION):
        raise Conflict(_("Once voting opens, a proposal stays on record."), code="locked")
    proposal.status = Proposal.Status.WITHDRAWN
    proposal.save(update_fields=["status"])
    return proposal


@write_limit("comment")
@transaction.atomic
def comment_add(*, actor: User, proposal_id: int, body: str) -> Comment:
    _require_member(actor)
    proposal = settle(_proposal(actor, proposal_id))
    if proposal.status not in (Proposal.Status.DISCUSSION, Proposal.Status.VOTING):
        raise Conflict(_("Comments are open while a proposal is discussed or voted on."), code="closed")
    return Comment.objects.create(proposal=proposal, author=actor, author_label=actor.display_name,
                                  body=_text(body, "body", 2000))


# ---- Deciding ----------------------------------------------------------------------------------


def closing_moment(closes_on: date, agency) -> datetime:
    """Voting closes at the end of the chosen day, in the agency's time zone."""
    return times.at(closes_on + timedelta(days=1), time(0), agency)


@transaction.atomic
def voting_open(*, actor: User, proposal_id: int, closes_on: date) -> Proposal:
    proposal = _proposal(actor, proposal_id)
    _own(actor, proposal)
    if proposal.status != Proposal.Status.DISCUSSION:
        raise Conflict(_("Voting can be opened once, on a proposal in discussion."), code="not_in_discussion")
    times.sane(closes_on, "closes_on")
    days = (closes_on - times.today_in(proposal.agency)).days
    if not MIN_VOTING_DAYS <= days <= MAX_VOTING_DAYS:
        raise Invalid(_("Choose a closing date between 3 and 30 days from today."), field="closes_on")
    proposal.status, proposal.voting_opened_at = Proposal.Status.VOTING, timezone.now()
    proposal.closes_at = closing_moment(closes_on, proposal.agency)
    proposal.save(update_fields=["status", "voting_opened_at", "closes_at"])
    return proposal


def counted_votes(proposal: Proposal):
    """Votes of people on the council now: someone who has left it no longer counts, so the
    votes and the council's size always describe the same people."""
    return proposal.votes.filter(member__role=User.Role.SURVIVOR, member__is_council_member=True,
                                 member__is_active=True, member__agency_id=proposal.agency_id)


def settle(proposal: Proposal) -> Proposal:
    """Fix the result once the closing time has passed. Called on every read; the first
    reader after closing writes it, under a lock, exactly once."""
    if proposal.status != Proposal.Status.VOTING or timezone.now() < proposal.closes_at:
        return proposal
    with transaction.atomic():
        locked = Proposal.objects.select_for_update(of=("self",)).get(pk=proposal.pk)
        if locked.status == Proposal.Status.VOTING:
            counts = {choice: 0 for choice in Vote.Choice.values}
            for choice in counted_votes(locked).values_list("choice", flat=True):
                counts[choice] += 1
            size = council_size(locked.agency_id)
            passed = decision(council_size=size, **counts)
            locked.council_size, locked.closed_at = size, timezone.now()
            locked.agree, locked.abstain, locked.disagree, locked.block = (counts[c] for c in ("agree", "abstain", "disagree", "block"))
            locked.status = Proposal.Status.PASSED if passed else Proposal.Status.NOT_PASSED
            locked.save()
    proposal.refresh_from_db()
    return proposal


@write_limit("vote")
@transaction.atomic
def vote_cast(*, actor: User, proposal_id: int, choice: str, reason: str = "") -> Vote:
    """One vote per member, changeable until closing. A block needs a reason."""
    _require_member(actor)
    proposal = settle(_proposal(actor, proposal_id))
    if proposal.status != Proposal.Status.VOTING:
        raise Conflict(_("Voting on this proposal is closed."), code="voting_closed")
    if choice not in Vote.Choice.values:
        raise Invalid(_("Choose agree, abstain, disagree or block."), field="choice")
    reason = (reason or "").strip()
    if choice == Vote.Choice.BLOCK:
        if not reason:
            raise Invalid(_("A block needs a reason: what would have to change for you?"), field="reason")
        reason = _text(reason, "reason", 500)
    elif len(reason) > 500 or "\x00" in reason:
        raise Invalid(_("Please keep the reason to 500 characters."), field="reason")
    vote, _created = Vote.objects.update_or_create(
        proposal=proposal, member=actor, defaults={"choice": choice, "reason": reason, "updated_at": timezone.now()})
    return vote


# ---- The agency's answer -----------------------------------------------------------------------


@write_limit("council_answer")
@transaction.atomic
def answer_record(*, actor: User, proposal_id: int, answer: str, reasons: str) -> AgencyResponse:
    _require_admin(actor)
    proposal = settle(_proposal(actor, proposal_id))
    if proposal.status != Proposal.Status.PASSED:
        raise Conflict(_("The agency answers proposals the council passed."), code="not_passed")
    if answer not in AgencyResponse.Answer.values:
        raise Invalid(_("Choose accepted, accepted with changes, not now, or declined."), field="answer")
    response = AgencyResponse(proposal=proposal, answer=answer, reasons=_text(reasons, "reasons", 2000),
                              author=actor, author_label=actor.display_name)
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:
        raise Conflict(_("This proposal already has the agency's answer. It stays on record; add a progress update instead."),
                       code="answered") from None
    return response


@write_limit("council_answer")
@transaction.atomic
def update_add(*, actor: User, proposal_id: int, text: str, done: bool = False) -> ProgressUpdate:
    _require_admin(actor)
    proposal = _proposal(actor, proposal_id)
    if not AgencyResponse.objects.filter(proposal=proposal).exists():
        raise Conflict(_("Record the agency's answer first."), code="not_answered")
    if proposal.done_at is not None:
        raise Conflict(_("This change is marked done."), code="done")
    update = ProgressUpdate.objects.create(proposal=proposal, text=_text(text, "text", 2000), marks_done=bool(done),
                                           author=actor, author_label=actor.display_name)
    if done:
        proposal.done_at = update.created_at
        proposal.save(update_fields=["done_at"])
    return update
