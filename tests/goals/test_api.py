import json

import pytest

from survivor_portal.goals.models import Goal


def send(client, method: str, path: str, body: dict | None = None):
    return getattr(client, method)(path, json.dumps(body or {}), content_type="application/json")


def test_the_whole_goal_api_for_her(as_survivor, survivor):
    made = send(as_survivor, "post", "/api/v1/goals", {"title": "Find housing", "category": "housing"})
    assert made.status_code == 201 and made.json()["position"] == 0
    second = send(as_survivor, "post", "/api/v1/goals", {"title": "Learn to drive"}).json()
    listed = as_survivor.get("/api/v1/goals").json()
    ids = [goal["id"] for goal in listed["goals"]]
    reordered = send(as_survivor, "put", "/api/v1/goals/order", {"ids": ids[::-1], "version": listed["version"]})
    assert reordered.status_code == 200 and [g["id"] for g in reordered.json()["goals"]] == ids[::-1]
    stale = send(as_survivor, "put", "/api/v1/goals/order", {"ids": ids, "version": listed["version"]})
    assert stale.status_code == 409 and stale.json()["ids"] == ids[::-1] and stale.json()["code"] == "stale_order"
    patched = send(as_survivor, "patch", f"/api/v1/goals/{second['id']}", {"status": "working", "target_date": "2027-03-01"})
    assert patched.json()["status"] == "working" and patched.json()["target_date"] == "2027-03-01"
    step = send(as_survivor, "post", f"/api/v1/goals/{second['id']}/steps", {"text": "Book a lesson"})
    assert step.status_code == 201
    step_id = step.json()["id"]
    assert send(as_survivor, "patch", f"/api/v1/goals/{second['id']}/steps/{step_id}", {"done": True}).json()["done"]
    other = send(as_survivor, "post", f"/api/v1/goals/{second['id']}/steps", {"text": "Get a provisional licence"}).json()
    order = send(as_survivor, "put", f"/api/v1/goals/{second['id']}/steps/order", {"ids": [other["id"], step_id]})
    assert [s["id"] for s in order.json()["steps"]] == [other["id"], step_id]
    detail = as_survivor.get(f"/api/v1/goals/{second['id']}").json()
    assert [s["text"] for s in detail["steps"]] == ["Get a provisional licence", "Book a lesson"]
    assert as_survivor.delete(f"/api/v1/goals/{second['id']}/steps/{step_id}").status_code == 204
    assert as_survivor.delete(f"/api/v1/goals/{second['id']}").status_code == 204
    assert send(as_survivor, "post", f"/api/v1/goals/{second['id']}/restore").status_code == 200


def test_bad_input_names_the_field(as_survivor):
    answer = send(as_survivor, "post", "/api/v1/goals", {"title": "x" * 121})
    assert answer.status_code == 422 and answer.json()["field"] == "title"
    answer = send(as_survivor, "post", "/api/v1/goals", {"title": "ok", "category": "crime"})
    assert answer.status_code == 422 and answer.json()["field"] == "category"
    answer = send(as_survivor, "put", "/api/v1/goals/order", {"ids": "nope"})
    assert answer.status_code == 422


@pytest.mark.parametrize("persona", ["as_other_advocate", "as_advocate"])
def test_staff_are_refused_and_see_nothing(request, persona, as_survivor):
    goal_id = send(as_survivor, "post", "/api/v1/goals", {"title": "Mine"}).json()["id"]
    step_id = send(as_survivor, "post", f"/api/v1/goals/{goal_id}/steps", {"text": "Mine too"}).json()["id"]
    client = request.getfixturevalue(persona)
    calls = [
        ("get", "/api/v1/goals", None), ("post", "/api/v1/goals", {"title": "x"}),
        ("put", "/api/v1/goals/order", {"ids": []}), ("get", f"/api/v1/goals/{goal_id}", None),
        ("patch", f"/api/v1/goals/{goal_id}", {"title": "Theirs"}), ("delete", f"/api/v1/goals/{goal_id}", None),
        ("post", f"/api/v1/goals/{goal_id}/restore", None), ("post", f"/api/v1/goals/{goal_id}/move", {"to": "top"}),
        ("post", f"/api/v1/goals/{goal_id}/steps", {"text": "x"}),
        ("put", f"/api/v1/goals/{goal_id}/steps/order", {"ids": [step_id]}),
        ("patch", f"/api/v1/goals/{goal_id}/steps/{step_id}", {"done": True}),
        ("delete", f"/api/v1/goals/{goal_id}/steps/{step_id}", None),
    ]
    for method, path, body in calls:
        answer = client.get(path) if method == "get" else send(client, method, path, body)
        assert answer.status_code == 404, (method, path, answer.status_code)
    assert Goal.objects.get(pk=goal_id).title == "Mine" and Goal.objects.get(pk=goal_id).steps.get().done is False


def test_another_survivor_gets_404_never_403(as_survivor, mentor):
    from tests.conftest import logged_in

    goal_id = send(as_survivor, "post", "/api/v1/goals", {"title": "Mine"}).json()["id"]
    other = logged_in(mentor)
    for method, path in [("get", f"/api/v1/goals/{goal_id}"), ("patch", f"/api/v1/goals/{goal_id}"),
                         ("delete", f"/api/v1/goals/{goal_id}"), ("post", f"/api/v1/goals/{goal_id}/steps")]:
        answer = send(other, method, path, {"title": "x", "text": "x"}) if method != "get" else other.get(path)
        assert answer.status_code == 404, (method, path)


def test_anonymous_gets_401(client, db):
    assert client.get("/api/v1/goals").status_code == 401


def test_null_and_nul_never_reach_the_database(as_survivor):
    goal_id = send(as_survivor, "post", "/api/v1/goals", {"title": "Mine"}).json()["id"]
    assert send(as_survivor, "patch", f"/api/v1/goals/{goal_id}", {"note": None}).status_code == 422
    assert send(as_survivor, "post", "/api/v1/goals", {"title": "a\u0000b"}).status_code == 422
    assert send(as_survivor, "post", f"/api/v1/goals/{goal_id}/steps", {"text": "a\u0000b"}).status_code == 422


def test_move_by_api(as_survivor):
    first = send(as_survivor, "post", "/api/v1/goals", {"title": "First"}).json()["id"]
    second = send(as_survivor, "post", "/api/v1/goals", {"title": "Second"}).json()["id"]
    answer = send(as_survivor, "post", f"/api/v1/goals/{second}/move", {"to": "top"})
    assert [g["id"] for g in answer.json()["goals"]] == [second, first]
    assert send(as_survivor, "post", f"/api/v1/goals/{second}/move", {"to": "sideways"}).status_code == 422
