"""Posts, ideas, proposals and bookings: a retried API request or a double-tapped form makes one."""

import json

import pytest

from peer_support.council.models import Idea, Proposal
from peer_support.groups.models import Post
from survivor_portal.scheduling.models import Appointment
from tests.conftest import logged_in
from tests.groups.conftest import circle  # noqa: F401 (fixtures)
from tests.scheduling.conftest import make_slot, shares_appointments, slot  # noqa: F401 (fixtures)

PROPOSAL = {"title": "Evening drop-in", "problem": "Days are hard", "change": "Open on Thursday evenings",
            "affects": "People who work"}


def _twice(client, path: str, body: dict) -> list:
    return [client.post(path, json.dumps(body), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
            for _ in range(2)]


def _same_first_answer(answers) -> None:
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].content == answers[1].content and answers[1]["Idempotent-Replayed"] == "true"


def test_a_retried_post_is_posted_once(as_survivor, circle):  # noqa: F811
    _same_first_answer(_twice(as_survivor, f"/api/v1/groups/{circle.pk}/posts", {"body": "Hello all"}))
    assert Post.objects.filter(group=circle).count() == 1


def test_a_double_tapped_post_form_posts_once(as_survivor, circle):  # noqa: F811
    for _ in range(2):
        assert as_survivor.post(f"/groups/{circle.pk}/post", {"body": "Hello all", "once": "t-1"}).status_code == 302
    assert Post.objects.filter(group=circle).count() == 1


def test_a_retried_idea_is_sent_once(as_survivor, survivor):
    _same_first_answer(_twice(as_survivor, "/api/v1/council/ideas", {"text": "Open on Thursday evenings"}))
    assert Idea.objects.count() == 1


def test_a_double_tapped_idea_form_sends_once(as_survivor, survivor):
    for _ in range(2):
        assert as_survivor.post("/council/ideas", {"text": "Open on Thursday evenings", "once": "t-1"}).status_code == 302
    assert Idea.objects.count() == 1


def test_a_retried_proposal_is_made_once(council_member):
    _same_first_answer(_twice(logged_in(council_member), "/api/v1/council/proposals", PROPOSAL))
    assert Proposal.objects.count() == 1


def test_a_double_tapped_proposal_form_makes_one(council_member):
    lin = logged_in(council_member)
    for _ in range(2):
        assert lin.post("/council/proposals/new", {**PROPOSAL, "once": "t-1"}).status_code == 302
    assert Proposal.objects.count() == 1


def test_a_retried_booking_books_once_and_is_not_told_the_time_was_taken(as_survivor, shares_appointments, slot):  # noqa: F811
    _same_first_answer(_twice(as_survivor, "/api/v1/appointments", {"slot_id": slot.pk}))
    assert Appointment.objects.filter(slot=slot).count() == 1


def test_a_double_tapped_booking_form_books_once(as_survivor, shares_appointments, slot):  # noqa: F811
    answers = [as_survivor.post(f"/meetings/book/{slot.pk}", {"contact": "app_only", "once": "t-1"}) for _ in range(2)]
    assert [a.status_code for a in answers] == [302, 302] and "taken" not in answers[1].content.decode()
    assert Appointment.objects.filter(slot=slot).count() == 1


@pytest.mark.parametrize("path,method", [
    ("/api/v1/groups/{group_id}/posts", "post"), ("/api/v1/council/ideas", "post"),
    ("/api/v1/council/proposals", "post"), ("/api/v1/council/proposals/{proposal_id}/comments", "post"),
    ("/api/v1/appointments", "post"),
])
def test_the_api_documents_the_idempotency_key(as_advocate, path, method):
    operation = as_advocate.get("/api/v1/openapi.json").json()["paths"][path][method]
    assert "Idempotency-Key" in [p["name"] for p in operation.get("parameters", [])]
