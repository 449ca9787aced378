"""The council's pages: the whole path from an idea to "What changed", and the wrong person refused."""

from datetime import timedelta

import pytest

from peer_support.council import services
from peer_support.council.models import AgencyResponse, Idea, Proposal, Vote
from survivor_portal import times
from tests.conftest import logged_in
from tests.council.conftest import close_now, draft, in_voting

pytestmark = pytest.mark.django_db


def test_from_an_idea_to_what_changed(as_survivor, survivor, members, as_admin):
    as_survivor.post("/council/ideas", {"text": "Could the drop-in stay open on Thursday evenings?"})
    idea = Idea.objects.get()
    assert idea.sender == survivor and not idea.signed
    lin = logged_in(members[0])
    inbox = lin.get("/council/inbox").content.decode()
    assert "Someone (not signed)" in inbox and "Maya" not in inbox
    answer = lin.post(f"/council/proposals/new?idea={idea.pk}", {
        "idea": idea.pk, "title": "Evening drop-in", "problem": "Days are hard for people who work.",
        "change": "Open until 8 pm on Thursdays.", "affects": "Everyone", "open_now": "1"})
    proposal = Proposal.objects.get()
    assert answer["Location"] == f"/council/proposals/{proposal.pk}" and proposal.status == "discussion"
    closes = times.today_in(proposal.agency) + timedelta(days=3)
    lin.post(f"/council/proposals/{proposal.pk}/voting", {"closes_on": closes.isoformat()})
    for member in members[:3]:
        logged_in(member).post(f"/council/proposals/{proposal.pk}/vote", {"choice": "agree"})
    assert Vote.objects.count() == 3
    close_now(Proposal.objects.get())
    page = as_admin.get(f"/council/proposals/{proposal.pk}").content.decode()
    assert "Passed." in page and "3 of 4 members voted" in page and "Record the answer" in page
    as_admin.post(f"/council/proposals/{proposal.pk}/answer", {"answer": "accepted", "reasons": "Yes, from next month."})
    assert AgencyResponse.objects.get().answer == "accepted"
    changed = as_survivor.get("/what-changed").content.decode()
    assert "Evening drop-in" in changed and "Yes, from next month." in changed
    mine = as_survivor.get("/council/ideas").content.decode()
    assert "It became the proposal “Evening drop-in”: Passed." in mine


def test_a_block_without_a_reason_is_explained_and_not_saved(members):
    proposal = in_voting(members[0])
    page = logged_in(members[1]).post(f"/council/proposals/{proposal.pk}/vote", {"choice": "block"}, follow=True)
    assert "A block needs a reason" in page.content.decode() and not Vote.objects.exists()


def test_the_rule_and_counts_are_shown(members):
    proposal = in_voting(members[0])
    services.vote_cast(actor=members[1], proposal_id=proposal.pk, choice="disagree")
    page = logged_in(members[2]).get(f"/council/proposals/{proposal.pk}").content.decode()
    assert "at least half of the council voted" in page and "1 has voted so far." in page


def test_an_advocate_sees_only_what_changed(as_advocate, members):
    proposal = draft(members[0], open_now=True)
    assert as_advocate.get(f"/council/proposals/{proposal.pk}").status_code == 404
    assert as_advocate.get("/council").status_code == 404
    assert as_advocate.get("/council/inbox").status_code == 404
    assert as_advocate.get("/what-changed").status_code == 200


def test_only_the_author_edits(members):
    proposal = draft(members[0], open_now=True)
    assert logged_in(members[1]).get(f"/council/proposals/{proposal.pk}/edit").status_code == 404
    author = logged_in(members[0])
    author.post(f"/council/proposals/{proposal.pk}/edit", {"title": "Evening drop-in, Thursdays", "problem": "Hard days.",
                                                          "change": "Open until 8 pm.", "affects": "Everyone", "version": "1"})
    assert Proposal.objects.get().revisions.count() == 2
    assert "History (2 versions)" in author.get(f"/council/proposals/{proposal.pk}").content.decode()


def test_overdue_shows_on_the_council_page(members):
    from django.utils import timezone

    proposal = in_voting(members[0])
    for member in members[:2]:
        services.vote_cast(actor=member, proposal_id=proposal.pk, choice="agree")
    close_now(proposal)
    Proposal.objects.filter(pk=proposal.pk).update(closed_at=timezone.now() - timedelta(days=31))
    assert "Answer overdue" in logged_in(members[0]).get("/council").content.decode()


def test_the_council_speaks_spanish(as_survivor, survivor):
    survivor.language = "es"
    survivor.save()
    page = as_survivor.get("/council/ideas").content.decode()
    assert "Cuéntaselo al consejo de sobrevivientes" in page and "Mostrar mi nombre al consejo" in page


def test_times_are_the_agencys(members):
    """Voting chosen to close at the end of a day closes then on the agency's clock."""
    proposal = in_voting(members[0], days=3)
    closes_on = times.today_in(proposal.agency) + timedelta(days=3)
    page = logged_in(members[1]).get(f"/council/proposals/{proposal.pk}").content.decode()
    assert f"Voting closes {times.day(closes_on + timedelta(days=1))}, 00:00" in page


def test_a_withdrawn_draft_stays_the_authors(members):
    proposal = draft(members[0])
    services.proposal_withdraw(actor=members[0], proposal_id=proposal.pk)
    assert logged_in(members[1]).get(f"/council/proposals/{proposal.pk}").status_code == 404
    assert "Evening drop-in" not in logged_in(members[1]).get("/council").content.decode()


def test_a_draft_from_an_idea_does_not_show_its_title_to_the_sender(as_survivor, survivor, members):
    idea = services.idea_send(actor=survivor, text="Evening hours")
    draft(members[0], idea_id=idea.pk)
    page = as_survivor.get("/council/ideas").content.decode()
    assert "Evening drop-in" not in page and "preparing a proposal" in page
    assert as_survivor.get("/api/v1/council/ideas").json()[0]["proposal_status"] is None


def test_late_comments_are_refused_once_voting_has_closed(members):
    proposal = in_voting(members[0])
    from django.utils import timezone

    Proposal.objects.filter(pk=proposal.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    from peer_support.council.models import Comment
    from survivor_portal.errors import Conflict

    with pytest.raises(Conflict):
        services.comment_add(actor=members[1], proposal_id=proposal.pk, body="Late")
    assert not Comment.objects.exists()


def test_votes_of_people_who_left_the_council_do_not_count(members):
    proposal = in_voting(members[0])
    for member in members[:2]:
        services.vote_cast(actor=member, proposal_id=proposal.pk, choice="agree")
    members[1].is_council_member = False
    members[1].save()
    closed = close_now(proposal)
    assert (closed.agree, closed.council_size, closed.status) == (1, 3, "not_passed")
