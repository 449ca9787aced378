"""The council API: the same rules as the pages, one error shape."""

import json
from datetime import timedelta

import pytest
from django.test import Client

from peer_support.council.models import Idea
from survivor_portal import times
from tests.conftest import logged_in
from tests.council.conftest import close_now, in_voting

pytestmark = pytest.mark.django_db


def send(client, method, path, body):
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


def test_the_whole_path_through_the_api(as_survivor, members, as_admin, as_advocate):
    idea = send(as_survivor, "post", "/api/v1/council/ideas", {"text": "Evening hours", "signed": True}).json()
    lin = logged_in(members[0])
    [seen] = lin.get("/api/v1/council/ideas").json()
    assert seen["sender"] == "Maya"
    made = send(lin, "post", "/api/v1/council/proposals", {"title": "Evening drop-in", "problem": "Hard days",
                                                           "change": "Open until 8", "affects": "All", "idea_id": idea["id"]})
    proposal = made.json()
    assert made.status_code == 201 and proposal["status"] == "draft" and "at least half" in proposal["decision_rule"]
    revised = send(lin, "patch", f"/api/v1/council/proposals/{proposal['id']}", {"change": "Open until 9", "status": "discussion"})
    assert revised.json()["status"] == "discussion" and len(revised.json()["revisions"]) == 2
    assert send(lin, "post", f"/api/v1/council/proposals/{proposal['id']}/comments", {"body": "Yes"}).status_code == 201
    closes = (times.today_in(members[0].agency) + timedelta(days=4)).isoformat()
    voting = send(lin, "post", f"/api/v1/council/proposals/{proposal['id']}/open-voting", {"closes_on": closes}).json()
    assert voting["status"] == "voting"
    for member in members[:2]:
        assert send(logged_in(member), "post", f"/api/v1/council/proposals/{proposal['id']}/votes", {"choice": "agree"}).status_code == 200
    from peer_support.council.models import Proposal

    close_now(Proposal.objects.get(pk=proposal["id"]))
    answer = send(as_admin, "post", f"/api/v1/council/proposals/{proposal['id']}/answer", {"answer": "accepted", "reasons": "Yes"})
    assert answer.status_code == 201
    again = send(as_admin, "post", f"/api/v1/council/proposals/{proposal['id']}/answer", {"answer": "declined", "reasons": "No"})
    assert again.status_code == 409 and again.json()["code"] == "answered"
    [change] = as_advocate.get("/api/v1/council/changes").json()
    assert change["answer"]["answer"] == "accepted"
    [mine] = as_survivor.get("/api/v1/council/ideas").json()
    assert (mine["sender"], mine["proposal_status"]) == ("you", "passed")


def test_bad_input_gets_a_clear_answer(members):
    proposal = in_voting(members[0])
    lin = logged_in(members[1])
    block = send(lin, "post", f"/api/v1/council/proposals/{proposal.pk}/votes", {"choice": "block"})
    assert block.status_code == 422 and block.json()["field"] == "reason"
    nul = send(lin, "post", f"/api/v1/council/proposals/{proposal.pk}/comments", {"body": "a\u0000b"})
    assert nul.status_code == 422
    assert send(lin, "post", "/api/v1/council/ideas", {"text": "   "}).status_code == 422
    assert not Idea.objects.exists()


def test_anonymous_and_other_agencies_are_refused(members, other_advocate):
    proposal = in_voting(members[0])
    assert Client().get("/api/v1/council/proposals").status_code == 401
    assert logged_in(other_advocate).get(f"/api/v1/council/proposals/{proposal.pk}").status_code == 404
