"""Reads of the council's record, filtered by who asks. Proposals, comments and votes are for
council members and agency admins; an idea's sender is shown only if she signed it; "What
changed because survivors asked" is for everyone at the agency."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from peer_support.council.models import AgencyResponse, Comment, Idea, ProgressUpdate, Proposal, Vote
from peer_support.council.services import _proposal, council_size, counted_votes, is_admin, is_member, settle
from survivor_portal.accounts.models import User
from survivor_portal.errors import NotFound


def _settled(proposals: list[Proposal]) -> list[Proposal]:
    return [settle(p) if p.status == Proposal.Status.VOTING else p for p in proposals]


def proposals_for(*, viewer: User) -> list[Proposal]:
    """The council's list: everything but other people's drafts, newest first."""
    if not (is_member(viewer) or is_admin(viewer)):
        raise NotFound(_("We could not find that."))
    found = (Proposal.objects.filter(agency_id=viewer.agency_id)
             .exclude(Q(opened_at__isnull=True) & ~Q(author_id=viewer.pk))
             .select_related("response").annotate(votes_now=Count("votes")))
    return _settled(list(found[:300]))


@dataclass
class Detail:
    proposal: Proposal
    revisions: list
    comments: list
    my_vote: Vote | None
    votes_now: dict
    block_reasons: list
    response: AgencyResponse | None
    updates: list
    council_size: int


def proposal_detail(*, viewer: User, proposal_id: int) -> Detail:
    proposal = settle(_proposal(viewer, proposal_id, lock=False))
    votes = list(counted_votes(proposal))
    counts = {choice: 0 for choice in Vote.Choice.values}
    for vote in votes:
        counts[vote.choice] += 1
    response = AgencyResponse.objects.filter(proposal=proposal).first()
    return Detail(
        proposal=proposal, revisions=list(proposal.revisions.all()), comments=list(proposal.comments.all()),
        my_vote=next((v for v in votes if v.member_id == viewer.pk), None), votes_now=counts,
        block_reasons=[v.reason for v in votes if v.choice == Vote.Choice.BLOCK],
        response=response, updates=list(proposal.updates.all()),
        council_size=proposal.council_size if proposal.council_size is not None else council_size(proposal.agency_id),
    )


def ideas_inbox(*, viewer: User) -> list[Idea]:
    """For council members: every idea sent to their council. Senders stay hidden unless signed."""
    if not is_member(viewer):
        raise NotFound(_("We could not find that."))
    return list(Idea.objects.filter(agency_id=viewer.agency_id).select_related("sender", "proposal")[:300])


def open_idea(*, viewer: User, idea_id: int) -> Idea | None:
    """An idea still waiting for the council, to turn into a proposal."""
    if not is_member(viewer):
        raise NotFound(_("We could not find that."))
    return Idea.objects.filter(pk=idea_id, agency_id=viewer.agency_id, status=Idea.Status.NEW).first()


def sender_label(idea: Idea) -> str:
    if idea.signed and idea.sender_id:
        return idea.sender.display_name
    return _("Someone (not signed)")


def my_ideas(*, viewer: User) -> list[Idea]:
    """Her own ideas and what became of each."""
    if not viewer.is_authenticated or not viewer.is_survivor:
        raise NotFound(_("We could not find that."))
    ideas = list(Idea.objects.filter(sender=viewer).select_related("proposal__response")[:200])
    _settled([idea.proposal for idea in ideas if idea.proposal_id])
    return ideas


def changes_for(*, viewer: User) -> list[Proposal]:
    """"What changed because survivors asked": passed proposals, the agency's answers and
    their progress. Every survivor and everyone at the agency may read it."""
    if not viewer.is_authenticated or viewer.agency_id is None:
        raise NotFound(_("We could not find that."))
    _settled(list(Proposal.objects.filter(agency_id=viewer.agency_id, status=Proposal.Status.VOTING)))
    found = (Proposal.objects.filter(agency_id=viewer.agency_id, status=Proposal.Status.PASSED)
             .select_related("response").prefetch_related(Prefetch("updates", queryset=ProgressUpdate.objects.order_by("created_at")))
             .order_by("-closed_at"))
    return list(found[:200])


def council_members(*, viewer: User) -> list[User]:
    """For an agency admin: who is on her agency's council."""
    if not is_admin(viewer):
        raise NotFound(_("We could not find that."))
    people = User.objects.filter(agency_id=viewer.agency_id, role=User.Role.SURVIVOR, is_council_member=True, is_active=True)
    return sorted(people, key=lambda person: (person.display_name.casefold(), person.pk))  # names are sealed: sorted here


def answers_for_staff_home(*, viewer: User, days: int = 14) -> tuple[list[Proposal], list[Proposal]]:
    """For an agency admin: passed proposals waiting for the agency's answer (oldest first),
    and those answered in the last two weeks. Nobody else at the agency sees proposals."""
    if not is_admin(viewer):
        return [], []
    _settled(list(Proposal.objects.filter(agency_id=viewer.agency_id, status=Proposal.Status.VOTING)))
    passed = Proposal.objects.filter(agency_id=viewer.agency_id, status=Proposal.Status.PASSED)
    waiting = list(passed.filter(response__isnull=True).order_by("closed_at")[:20])
    for proposal in waiting:
        proposal.overdue = proposal.is_overdue(False)
    since = timezone.now() - timedelta(days=days)
    answered = list(passed.filter(response__created_at__gte=since).select_related("response").order_by("-response__created_at")[:5])
    return waiting, answered
