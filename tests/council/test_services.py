"""The council's rules: ideas, proposals and revisions, the decision rule at its edges,
closing on read, the agency's answer on record, and the overdue mark."""

from datetime import timedelta

import pytest
from django.utils import timezone

from peer_support.council import selectors, services
from peer_support.council.models import AgencyResponse, Idea, Proposal, Revision, Vote
from survivor_portal.errors import Conflict, Invalid, NotAllowed, NotFound
from survivor_portal import times
from tests.council.conftest import close_now, draft, in_voting

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("counts, size, passes", [
    ({"agree": 2, "abstain": 0, "disagree": 0, "block": 0}, 4, True),   # exactly half voted
    ({"agree": 1, "abstain": 0, "disagree": 0, "block": 0}, 4, False),  # fewer than half
    ({"agree": 1, "abstain": 1, "disagree": 0, "block": 0}, 5, False),  # 2 of 5 is under half
    ({"agree": 2, "abstain": 0, "disagree": 2, "block": 0}, 4, False),  # a tie does not pass
    ({"agree": 3, "abstain": 0, "disagree": 2, "block": 0}, 5, True),
    ({"agree": 4, "abstain": 0, "disagree": 0, "block": 1}, 5, False),  # one block stops it
    ({"agree": 1, "abstain": 3, "disagree": 0, "block": 0}, 4, True),   # abstaining counts toward quorum
    ({"agree": 0, "abstain": 0, "disagree": 0, "block": 0}, 0, False),
])
def test_the_decision_rule_at_its_edges(counts, size, passes):
    assert services.decision(council_size=size, **counts) is passes


def test_an_idea_reaches_the_council_unsigned_unless_she_signs(survivor, members):
    quiet = services.idea_send(actor=survivor, text="Could we have evening hours?")
    signed = services.idea_send(actor=survivor, text="More Spanish groups", signed=True)
    inbox = {idea.pk: selectors.sender_label(idea) for idea in selectors.ideas_inbox(viewer=members[0])}
    assert inbox == {quiet.pk: "Someone (not signed)", signed.pk: "Maya"}


def test_she_sees_what_became_of_her_idea(survivor, members):
    idea = services.idea_send(actor=survivor, text="Could we have evening hours?")
    proposal = draft(members[0], idea_id=idea.pk)
    [mine] = selectors.my_ideas(viewer=survivor)
    assert (mine.status, mine.proposal_id) == (Idea.Status.PROPOSAL, proposal.pk)
    other = services.idea_send(actor=survivor, text="Free bus passes")
    services.idea_set_aside(actor=members[1], idea_id=other.pk, note="The city already does this: ask at the desk.")
    assert Idea.objects.get(pk=other.pk).council_note.startswith("The city")


def test_only_council_members_propose_and_only_about_their_own_agency(survivor, advocate, agency_admin, members, other_advocate):
    for someone in (survivor, advocate, agency_admin):
        with pytest.raises(NotFound):
            draft(someone)
    proposal = draft(members[0], open_now=True)
    with pytest.raises(NotFound):
        selectors.proposal_detail(viewer=other_advocate, proposal_id=proposal.pk)
    with pytest.raises(NotFound):
        selectors.proposal_detail(viewer=survivor, proposal_id=proposal.pk)
    assert selectors.proposal_detail(viewer=agency_admin, proposal_id=proposal.pk).proposal == proposal


def test_drafts_are_the_authors_until_opened(members, agency_admin):
    proposal = draft(members[0])
    with pytest.raises(NotFound):
        selectors.proposal_detail(viewer=members[1], proposal_id=proposal.pk)
    assert selectors.proposals_for(viewer=members[1]) == []
    services.proposal_open(actor=members[0], proposal_id=proposal.pk)
    assert [p.pk for p in selectors.proposals_for(viewer=members[1])] == [proposal.pk]


def test_every_revision_is_kept_and_only_the_author_revises_before_voting(members):
    proposal = draft(members[0], open_now=True)
    services.proposal_revise(actor=members[0], proposal_id=proposal.pk, change="Open until 9 pm on Thursdays.")
    assert [r.change for r in Revision.objects.filter(proposal=proposal)] == [
        "Open the drop-in until 8 pm on Thursdays.", "Open until 9 pm on Thursdays."]
    with pytest.raises(NotAllowed):
        services.proposal_revise(actor=members[1], proposal_id=proposal.pk, title="Mine now")
    with pytest.raises(Invalid):
        services.proposal_revise(actor=members[0], proposal_id=proposal.pk, title="   ")
    services.voting_open(actor=members[0], proposal_id=proposal.pk, closes_on=times.today_in(proposal.agency) + timedelta(days=3))
    with pytest.raises(Conflict):
        services.proposal_revise(actor=members[0], proposal_id=proposal.pk, title="Too late")
    with pytest.raises(Conflict):
        services.proposal_withdraw(actor=members[0], proposal_id=proposal.pk)


def test_only_the_author_withdraws_before_voting(members):
    proposal = draft(members[0], open_now=True)
    with pytest.raises(NotAllowed):
        services.proposal_withdraw(actor=members[1], proposal_id=proposal.pk)
    assert services.proposal_withdraw(actor=members[0], proposal_id=proposal.pk).status == "withdrawn"


@pytest.mark.parametrize("days, ok", [(2, False), (3, True), (30, True), (31, False), (-1, False)])
def test_voting_closes_3_to_30_days_away(members, days, ok):
    proposal = draft(members[0], open_now=True)
    closes_on = times.today_in(proposal.agency) + timedelta(days=days)
    if ok:
        assert services.voting_open(actor=members[0], proposal_id=proposal.pk, closes_on=closes_on).status == "voting"
    else:
        with pytest.raises(Invalid):
            services.voting_open(actor=members[0], proposal_id=proposal.pk, closes_on=closes_on)
        assert Proposal.objects.get().status == "discussion"


def test_a_block_needs_a_reason_and_votes_change_until_closing_not_after(members):
    proposal = in_voting(members[0])
    with pytest.raises(Invalid) as refused:
        services.vote_cast(actor=members[1], proposal_id=proposal.pk, choice="block")
    assert refused.value.field == "reason"
    services.vote_cast(actor=members[1], proposal_id=proposal.pk, choice="block", reason="It leaves no staff at night")
    services.vote_cast(actor=members[1], proposal_id=proposal.pk, choice="agree")  # changed her mind
    services.vote_cast(actor=members[0], proposal_id=proposal.pk, choice="agree")
    assert Vote.objects.filter(proposal=proposal).count() == 2
    closed = close_now(proposal)
    assert (closed.status, closed.agree, closed.block, closed.council_size) == ("passed", 2, 0, 4)
    with pytest.raises(Conflict):
        services.vote_cast(actor=members[2], proposal_id=proposal.pk, choice="disagree")
    closed.refresh_from_db()
    assert (closed.agree, closed.disagree) == (2, 0)


def test_closing_happens_on_read_once_and_the_result_stays_fixed(members, northside):
    proposal = in_voting(members[0])
    services.vote_cast(actor=members[0], proposal_id=proposal.pk, choice="agree")
    Proposal.objects.filter(pk=proposal.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    detail = selectors.proposal_detail(viewer=members[1], proposal_id=proposal.pk)
    assert detail.proposal.status == "not_passed" and detail.council_size == 4  # 1 of 4 is under half
    from tests.factories import UserFactory

    UserFactory(username="late", agency=northside, is_council_member=True)  # the council grows later
    assert selectors.proposal_detail(viewer=members[1], proposal_id=proposal.pk).council_size == 4


def test_the_agency_answers_a_passed_proposal_once_and_on_record(members, agency_admin, advocate):
    proposal = in_voting(members[0])
    for member in members[:2]:
        services.vote_cast(actor=member, proposal_id=proposal.pk, choice="agree")
    with pytest.raises(Conflict):
        services.answer_record(actor=agency_admin, proposal_id=proposal.pk, answer="accepted", reasons="Yes")
    close_now(proposal)
    with pytest.raises(NotFound):
        services.answer_record(actor=advocate, proposal_id=proposal.pk, answer="accepted", reasons="Yes")
    with pytest.raises(Conflict):
        services.update_add(actor=agency_admin, proposal_id=proposal.pk, text="Started")
    services.answer_record(actor=agency_admin, proposal_id=proposal.pk, answer="with_changes",
                           reasons="Yes, until 7 pm: that is when the last bus leaves.")
    with pytest.raises(Conflict):
        services.answer_record(actor=agency_admin, proposal_id=proposal.pk, answer="declined", reasons="Changed our mind")
    assert AgencyResponse.objects.get().answer == "with_changes"
    services.update_add(actor=agency_admin, proposal_id=proposal.pk, text="Staff rota agreed")
    services.update_add(actor=agency_admin, proposal_id=proposal.pk, text="Open since Thursday", done=True)
    with pytest.raises(Conflict):
        services.update_add(actor=agency_admin, proposal_id=proposal.pk, text="More")
    [changed] = selectors.changes_for(viewer=advocate)
    assert changed.done_at is not None and [u.text for u in changed.updates.all()] == ["Staff rota agreed", "Open since Thursday"]


def test_an_unanswered_passed_proposal_is_overdue_after_30_days(members, agency_admin):
    proposal = in_voting(members[0])
    for member in members[:3]:
        services.vote_cast(actor=member, proposal_id=proposal.pk, choice="agree")
    closed = close_now(proposal)
    assert not closed.is_overdue(answered=False)
    Proposal.objects.filter(pk=proposal.pk).update(closed_at=timezone.now() - timedelta(days=31))
    [listed] = selectors.proposals_for(viewer=members[0])
    assert listed.is_overdue(answered=hasattr(listed, "response"))
    services.answer_record(actor=agency_admin, proposal_id=proposal.pk, answer="not_now", reasons="No staff this winter.")
    [listed] = selectors.proposals_for(viewer=members[0])
    assert not listed.is_overdue(answered=hasattr(listed, "response"))


def test_what_changed_is_for_everyone_at_the_agency_and_nobody_else(survivor, members, other_advocate, agency_admin):
    proposal = in_voting(members[0])
    for member in members[:2]:
        services.vote_cast(actor=member, proposal_id=proposal.pk, choice="agree")
    close_now(proposal)
    assert [p.pk for p in selectors.changes_for(viewer=survivor)] == [proposal.pk]
    assert selectors.changes_for(viewer=other_advocate) == []


def test_comments_only_from_members_and_only_while_open(members, agency_admin):
    proposal = draft(members[0], open_now=True)
    services.comment_add(actor=members[1], proposal_id=proposal.pk, body="Yes please")
    with pytest.raises(NotFound):
        services.comment_add(actor=agency_admin, proposal_id=proposal.pk, body="Staff view")
    services.proposal_withdraw(actor=members[0], proposal_id=proposal.pk)
    with pytest.raises(Conflict):
        services.comment_add(actor=members[1], proposal_id=proposal.pk, body="Late")
