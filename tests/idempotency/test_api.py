"""A retry over the API creates nothing twice: the same key gets the first answer back."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from survivor_portal.goals import services
from survivor_portal.goals.models import Goal, Step
from survivor_portal.idempotency.models import IdempotencyKey
from tests.conftest import logged_in


def _post(client, path: str, body: dict, key: str | None = "retry-1"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def test_a_retried_goal_is_created_once_and_gets_the_first_answer(as_survivor, survivor):
    first = _post(as_survivor, "/api/v1/goals", {"title": "Find housing"})
    again = _post(as_survivor, "/api/v1/goals", {"title": "Find housing"})
    assert first.status_code == again.status_code == 201
    assert again.content == first.content and again["Idempotent-Replayed"] == "true"
    assert Goal.objects.filter(owner=survivor).count() == 1


def test_the_same_json_spaced_differently_is_the_same_request(as_survivor, survivor):
    _post(as_survivor, "/api/v1/goals", {"title": "Find housing", "category": "housing"})
    body = '{ "category": "housing",  "title": "Find housing" }'
    again = as_survivor.post("/api/v1/goals", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="retry-1")
    assert again.status_code == 201 and Goal.objects.filter(owner=survivor).count() == 1


def test_the_same_key_with_a_different_request_is_refused(as_survivor, survivor):
    _post(as_survivor, "/api/v1/goals", {"title": "Find housing"})
    other = _post(as_survivor, "/api/v1/goals", {"title": "Learn to drive"})
    assert other.status_code == 422 and other.json()["code"] == "key_reused"
    goal = Goal.objects.get(owner=survivor)
    elsewhere = _post(as_survivor, f"/api/v1/goals/{goal.pk}/steps", {"text": "Find housing"})
    assert elsewhere.status_code == 422
    assert Goal.objects.filter(owner=survivor).count() == 1 and not Step.objects.exists()


def test_keys_belong_to_one_person(as_survivor, survivor, mentor):
    _post(as_survivor, "/api/v1/goals", {"title": "Find housing"})
    theirs = _post(logged_in(mentor), "/api/v1/goals", {"title": "Find housing"})
    assert theirs.status_code == 201 and "Idempotent-Replayed" not in theirs
    assert Goal.objects.filter(owner=mentor).count() == 1


def test_a_refused_request_keeps_nothing_so_it_can_be_sent_again(as_survivor, survivor):
    services.goal_create(actor=survivor, title="Already here")
    refused = _post(as_survivor, "/api/v1/goals", {"title": ""})
    assert refused.status_code == 422 and not IdempotencyKey.objects.exists()
    assert _post(as_survivor, "/api/v1/goals", {"title": ""}).status_code == 422


def test_a_key_is_forgotten_after_a_day(as_survivor, survivor):
    _post(as_survivor, "/api/v1/goals", {"title": "Find housing"})
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert _post(as_survivor, "/api/v1/goals", {"title": "Find housing"}).status_code == 201
    assert Goal.objects.filter(owner=survivor).count() == 2 and IdempotencyKey.objects.count() == 1


@pytest.mark.parametrize("key", ["", "x" * 256, "naïve"])
def test_a_key_that_cannot_be_read_is_refused(as_survivor, survivor, key):
    answer = as_survivor.post("/api/v1/goals", json.dumps({"title": "x"}), content_type="application/json",
                              HTTP_IDEMPOTENCY_KEY=key.encode().decode("latin-1"))
    assert answer.status_code == 400 and not Goal.objects.exists()


def test_without_a_key_each_request_creates(as_survivor, survivor):
    _post(as_survivor, "/api/v1/goals", {"title": "Find housing"}, key=None)
    _post(as_survivor, "/api/v1/goals", {"title": "Find housing"}, key=None)
    assert Goal.objects.filter(owner=survivor).count() == 2


def test_a_retried_step_is_created_once(as_survivor, survivor):
    goal = services.goal_create(actor=survivor, title="Find housing")
    answers = [_post(as_survivor, f"/api/v1/goals/{goal.pk}/steps", {"text": "Call the council"}) for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 201] and answers[0].content == answers[1].content
    assert goal.steps.count() == 1


def test_anyone_logged_out_is_refused_as_before(client, db):
    assert _post(client, "/api/v1/goals", {"title": "x"}).status_code == 401
    assert not IdempotencyKey.objects.exists()


def test_the_api_documents_the_idempotency_key_on_each_create(as_advocate):
    paths = as_advocate.get("/api/v1/openapi.json").json()["paths"]
    creates = [
        ("/api/v1/goals", "post"), ("/api/v1/goals/{goal_id}/steps", "post"),
    ]
    for path, method in creates:
        names = [p["name"] for p in paths[path][method].get("parameters", [])]
        assert "Idempotency-Key" in names, path


def test_the_kept_fingerprint_cannot_confirm_a_guess_of_her_words(as_survivor, survivor, settings):
    import hashlib

    _post(as_survivor, "/api/v1/goals", {"title": "Leave on Friday"})
    kept = IdempotencyKey.objects.get(user=survivor).fingerprint
    body = json.dumps({"title": "Leave on Friday"}, sort_keys=True, separators=(",", ":")).encode()
    guesses = [hashlib.sha256(b"POST /api/v1/goals\n" + body).hexdigest(), hashlib.sha256(body).hexdigest()]
    assert kept and kept not in guesses  # keyed with DATA_KEYS: without them a guess cannot be checked
