"""A restored old tab must never undo a newer change: above all "keep private"."""

import json

import pytest

from survivor_portal.goals import services
from survivor_portal.goals.models import Goal, Step
from survivor_portal.versions import Stale


def _form(goal: Goal, **changes) -> dict:
    data = {"title": goal.title, "note": goal.note, "category": goal.category, "status": goal.status,
            "version": str(goal.version)}
    if goal.keep_private:
        data["keep_private"] = "on"
    return {**data, **changes}


def _send(client, method: str, path: str, body: dict, **headers):
    return getattr(client, method)(path, json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def goal(survivor):
    return services.goal_create(actor=survivor, title="Find housing", note="Call Ana on Monday")


def test_an_old_tab_cannot_turn_keep_private_off(as_survivor, survivor, goal):
    old_tab = _form(goal)  # opened while the goal was still shared
    assert as_survivor.post(f"/goals/{goal.pk}", _form(goal, keep_private="on")).status_code == 302
    answer = as_survivor.post(f"/goals/{goal.pk}", {**old_tab, "title": "Find a flat"})
    goal.refresh_from_db()
    assert answer.status_code == 200 and "This changed in another window" in answer.content.decode()
    assert goal.keep_private is True and goal.title == "Find housing" and goal.note == "Call Ana on Monday"


def test_a_stale_form_shows_her_text_beside_the_saved_one(as_survivor, survivor, goal):
    old_tab = _form(goal)
    services.goal_update(actor=survivor, goal_id=goal.pk, note="Ana said Tuesday", keep_private=True)
    page = as_survivor.post(f"/goals/{goal.pk}", {**old_tab, "note": "Bring my ID to the office"})
    html = page.content.decode()
    assert page.status_code == 200 and "What you typed" in html and "Saved now" in html
    assert "Bring my ID to the office" in html and "Ana said Tuesday" in html
    # The form offered to keep her words carries the new version and the privacy choice as saved now.
    assert 'name="version" value="2"' in html
    assert 'name="keep_private"' in html and 'name="keep_private" id="id_keep_private" checked' in html
    assert "was changed in another window" in html
    goal.refresh_from_db()
    assert goal.note == "Ana said Tuesday"


def test_keeping_her_text_after_a_conflict_saves_it_and_keeps_private(as_survivor, survivor, goal):
    services.goal_update(actor=survivor, goal_id=goal.pk, keep_private=True)
    goal.refresh_from_db()
    answer = as_survivor.post(f"/goals/{goal.pk}", _form(goal, note="Bring my ID to the office"))
    goal.refresh_from_db()
    assert answer.status_code == 302 and goal.note == "Bring my ID to the office" and goal.keep_private
    assert goal.version == 3


def test_a_form_without_a_version_is_treated_as_stale(as_survivor, survivor, goal):
    data = _form(goal, title="Something else")
    del data["version"]
    assert "This changed in another window" in as_survivor.post(f"/goals/{goal.pk}", data).content.decode()
    goal.refresh_from_db()
    assert goal.title == "Find housing"


def test_each_edit_moves_the_version_on_and_the_service_refuses_an_older_one(survivor, goal):
    services.goal_update(actor=survivor, goal_id=goal.pk, version=1, title="Find a flat")
    with pytest.raises(Stale) as refused:
        services.goal_update(actor=survivor, goal_id=goal.pk, version=1, keep_private=False, title="Old")
    assert refused.value.extra == {"version": 2}
    goal.refresh_from_db()
    assert (goal.title, goal.version) == ("Find a flat", 2)


def test_api_sends_an_etag_and_refuses_a_stale_if_match_with_412(as_survivor, survivor, goal):
    read = as_survivor.get(f"/api/v1/goals/{goal.pk}")
    assert read["ETag"] == '"1"' and read.json()["version"] == 1
    changed = _send(as_survivor, "patch", f"/api/v1/goals/{goal.pk}", {"keep_private": True}, HTTP_IF_MATCH='"1"')
    assert changed.status_code == 200 and changed["ETag"] == '"2"' and changed.json()["keep_private"] is True
    stale = _send(as_survivor, "patch", f"/api/v1/goals/{goal.pk}", {"keep_private": False, "note": ""},
                  HTTP_IF_MATCH=read["ETag"])
    assert stale.status_code == 412 and stale.json()["code"] == "stale" and stale["ETag"] == '"2"'
    goal.refresh_from_db()
    assert goal.keep_private is True and goal.note == "Call Ana on Monday"


@pytest.mark.parametrize("header", ['W/"1"', '"nonsense"', "1", '"999"'])
def test_an_if_match_that_cannot_match_is_refused(as_survivor, goal, header):
    answer = _send(as_survivor, "patch", f"/api/v1/goals/{goal.pk}", {"title": "x"}, HTTP_IF_MATCH=header)
    assert answer.status_code == 412


def test_if_match_star_or_a_list_with_the_current_tag_is_accepted(as_survivor, goal):
    assert _send(as_survivor, "patch", f"/api/v1/goals/{goal.pk}", {"title": "a"}, HTTP_IF_MATCH="*").status_code == 200
    answer = _send(as_survivor, "patch", f"/api/v1/goals/{goal.pk}", {"title": "b"}, HTTP_IF_MATCH='"7", "2"')
    assert answer.status_code == 200 and answer["ETag"] == '"3"'


def test_without_if_match_the_api_still_saves_for_older_clients(as_survivor, goal):
    answer = _send(as_survivor, "patch", f"/api/v1/goals/{goal.pk}", {"title": "Find a flat"})
    assert answer.status_code == 200 and answer.json()["version"] == 2


def test_a_stale_step_change_is_refused_over_the_api_and_the_page(as_survivor, survivor, goal):
    step = services.step_create(actor=survivor, goal_id=goal.pk, text="Call the council")
    services.step_update(actor=survivor, goal_id=goal.pk, step_id=step.pk, text="Call the council on Monday")
    stale = _send(as_survivor, "patch", f"/api/v1/goals/{goal.pk}/steps/{step.pk}", {"text": "x"}, HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    page = as_survivor.post(f"/goals/{goal.pk}/steps/{step.pk}/toggle", {"done": "1", "version": "1"},
                            HTTP_HX_REQUEST="true")
    assert "changed in another window" in page.content.decode()
    step.refresh_from_db()
    assert (step.text, step.done, step.version) == ("Call the council on Monday", False, 2)


@pytest.mark.parametrize("path,method", [
    ("/api/v1/goals/{goal_id}", "patch"), ("/api/v1/goals/{goal_id}/steps/{step_id}", "patch"),
    ("/api/v1/me/safety", "put"), ("/api/v1/posts/{post_id}", "patch"), ("/api/v1/council/proposals/{proposal_id}", "patch"),
])
def test_the_api_documents_if_match_on_each_edit(as_advocate, path, method):
    params = as_advocate.get("/api/v1/openapi.json").json()["paths"][path][method]["parameters"]
    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in params)
