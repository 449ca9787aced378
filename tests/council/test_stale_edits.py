"""Revising a proposal from an older window never overwrites the newer text."""

import json

from peer_support.council import services
from peer_support.council.models import Proposal
from tests.conftest import logged_in
from tests.council.conftest import draft


def _form(proposal, **changes) -> dict:
    return {**{f: getattr(proposal, f) for f in services.TEXT_FIELDS}, "version": str(proposal.version), **changes}


def test_a_stale_revision_shows_both_texts_and_keeps_the_newer_one(council_member):
    proposal = draft(council_member)
    old_window = _form(proposal)
    services.proposal_revise(actor=council_member, proposal_id=proposal.pk, change="Open until 9pm on Thursdays")
    lin = logged_in(council_member)
    page = lin.post(f"/council/proposals/{proposal.pk}/edit", {**old_window, "change": "Open until 8pm"})
    html = page.content.decode()
    assert page.status_code == 200 and "Open until 8pm" in html and "Open until 9pm on Thursdays" in html
    assert Proposal.objects.get(pk=proposal.pk).change == "Open until 9pm on Thursdays"
    assert proposal.revisions.count() == 2


def test_a_stale_if_match_on_a_proposal_is_412(council_member):
    proposal = draft(council_member)
    lin = logged_in(council_member)
    read = lin.get(f"/api/v1/council/proposals/{proposal.pk}")
    assert read["ETag"] == '"1"' and read.json()["version"] == 1
    ok = lin.patch(f"/api/v1/council/proposals/{proposal.pk}", json.dumps({"title": "Evenings"}),
                   content_type="application/json", HTTP_IF_MATCH='"1"')
    assert ok.status_code == 200 and ok["ETag"] == '"2"'
    stale = lin.patch(f"/api/v1/council/proposals/{proposal.pk}", json.dumps({"title": "Late"}),
                      content_type="application/json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412 and Proposal.objects.get(pk=proposal.pk).title == "Evenings"
