import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from survivor_portal.goals import services
from survivor_portal.goals.models import Goal
from survivor_portal.goals.ordering import order_version


def make(user, *titles):
    return [services.goal_create(actor=user, title=title) for title in titles]


def test_home_lists_her_goals_in_her_order(as_survivor, survivor):
    a, b = make(survivor, "Find housing", "Learn to drive")
    services.goals_reorder(actor=survivor, ids=[b.pk, a.pk])
    page = as_survivor.get("/").content.decode()
    assert page.index("Learn to drive") < page.index("Find housing")
    assert "What would you like to work on?" in page


def test_home_counts_each_goals_steps_and_those_done(as_survivor, survivor):
    busy, empty = make(survivor, "Find housing", "Learn to drive")
    steps = [services.step_create(actor=survivor, goal_id=busy.pk, text=text) for text in ("Call", "Visit", "Sign")]
    services.step_update(actor=survivor, goal_id=busy.pk, step_id=steps[1].pk, done=True)
    page = as_survivor.get("/").content.decode()
    assert re.findall(r"\d+ of \d+ steps?", page) == ["1 of 3 steps"]  # and nothing for the goal without steps


def test_adding_a_goal_without_javascript(as_survivor, survivor):
    assert as_survivor.post("/goals/add", {"title": "Open a bank account", "category": "money"}).url == "/"
    assert Goal.objects.get(owner=survivor).category == "money"


def test_adding_with_htmx_returns_the_fragment(as_survivor, survivor):
    page = as_survivor.post("/goals/add", {"title": "Get a library card", "category": "learning"}, HTTP_HX_REQUEST="true")
    html = page.content.decode()
    assert page.status_code == 200 and 'id="goals"' in html and "<html" not in html and "Get a library card" in html


def test_a_bad_goal_gets_a_kind_message(as_survivor, survivor):
    page = as_survivor.post("/goals/add", {"title": "", "category": "money"})
    assert page.status_code == 200 and "This field is required" in page.content.decode()
    page = as_survivor.post("/goals/add", {"title": "x", "category": "nonsense"})
    assert page.status_code == 200 and not Goal.objects.exists()


def titles(user) -> list[str]:
    return [goal.title for goal in Goal.objects.filter(owner=user).order_by("position")]


def test_move_buttons_work_without_javascript(as_survivor, survivor):
    a, b, c = make(survivor, "A", "B", "C")
    version = order_version([a.pk, b.pk, c.pk])
    answer = as_survivor.post("/goals/move", {"move": f"{c.pk}:top", "version": version})
    assert answer.status_code == 302 and answer.url == f"/goals/order#g{c.pk}"
    assert titles(survivor) == ["C", "A", "B"]
    assert "“C” is now number 1 of 3." in as_survivor.get("/goals/order").content.decode()


def test_done_goals_keep_their_places_after_the_open_ones(as_survivor, survivor):
    a, b, c = make(survivor, "A", "B", "C")
    services.goal_update(actor=survivor, goal_id=b.pk, status="done")
    as_survivor.post("/goals/move", {"move": f"{c.pk}:up", "version": order_version([a.pk, b.pk, c.pk])})
    assert titles(survivor) == ["C", "A", "B"]


def test_move_with_htmx_announces_the_new_place(as_survivor, survivor):
    a, b = make(survivor, "A", "B")
    page = as_survivor.post(
        "/goals/move", {"move": f"{b.pk}:up", "version": order_version([a.pk, b.pk])}, HTTP_HX_REQUEST="true"
    )
    html = page.content.decode()
    assert 'id="order-list"' in html and "“B” is now number 1 of 2." in html and 'hx-swap-oob="innerHTML"' in html
    assert f'id="down-{b.pk}"' in html and "data-autofocus" in html  # focus goes where she can carry on


def test_the_page_grows_in_step_with_the_list(as_survivor, survivor):
    make(survivor, *[f"Goal number {n}" for n in range(10)])
    ten = len(as_survivor.get("/").content)
    # As if over many days: more than the 30 a minute one person may add (survivor_portal.write_limits).
    Goal.objects.bulk_create(Goal(owner=survivor, title=f"Goal number {n}", position=n) for n in range(10, 100))
    hundred = len(as_survivor.get("/").content)
    assert hundred < ten * 15  # linear, not quadratic, in the number of goals


def test_a_stale_move_changes_nothing_and_says_so(as_survivor, survivor):
    a, b = make(survivor, "A", "B")
    page = as_survivor.post("/goals/move", {"move": f"{b.pk}:up", "version": "stale"}, HTTP_HX_REQUEST="true")
    assert "changed in another window" in page.content.decode()
    assert titles(survivor) == ["A", "B"]


@pytest.mark.parametrize("move", ["1:sideways", "two:up", "", "99999999999999999999:up", "1"])
def test_garbled_moves_are_refused_kindly(as_survivor, survivor, move):
    make(survivor, "A")
    answer = as_survivor.post("/goals/move", {"move": move, "version": ""})
    assert answer.status_code == 302
    assert "could not be read" in as_survivor.get("/").content.decode()
    assert titles(survivor) == ["A"]


def test_edit_finish_and_warm_word(as_survivor, survivor):
    (goal,) = make(survivor, "Find housing")
    answer = as_survivor.post(
        f"/goals/{goal.pk}", {"title": "Find housing", "note": "", "category": "housing", "status": "done", "version": "1"}
    )
    assert answer.url == "/"
    html = as_survivor.get("/").content.decode()
    assert "Well done" in html and "Done (1)" in html


def test_delete_asks_once_then_offers_undo(as_survivor, survivor):
    (goal,) = make(survivor, "Find housing")
    assert "Delete this goal?" in as_survivor.get(f"/goals/{goal.pk}/delete").content.decode()
    as_survivor.post(f"/goals/{goal.pk}/delete")
    html = as_survivor.get("/").content.decode()
    assert "was deleted" in html and "Undo" in html
    as_survivor.post(f"/goals/{goal.pk}/restore")
    assert Goal.objects.get(pk=goal.pk).deleted_at is None


def test_steps_by_plain_forms(as_survivor, survivor):
    (goal,) = make(survivor, "Find housing")
    as_survivor.post(f"/goals/{goal.pk}/steps", {"text": "Call the council"})
    as_survivor.post(f"/goals/{goal.pk}/steps", {"text": "Visit the flat"})
    one, two = goal.steps.order_by("position")
    as_survivor.post(f"/goals/{goal.pk}/steps/{two.pk}/toggle", {"done": "1"})
    answer = as_survivor.post(
        f"/goals/{goal.pk}/steps/move", {"move": f"{two.pk}:up", "version": order_version([one.pk, two.pk])}
    )
    assert answer.url == f"/goals/{goal.pk}"
    assert "“Visit the flat” is now step 1 of 2." in as_survivor.get(answer.url).content.decode()
    assert [(s.text, s.done) for s in goal.steps.order_by("position")] == [("Visit the flat", True), ("Call the council", False)]
    as_survivor.post(f"/goals/{goal.pk}/steps/{one.pk}/delete")
    assert goal.steps.count() == 1
    page = as_survivor.post(f"/goals/{goal.pk}/steps", {"text": ""}, HTTP_HX_REQUEST="true")
    assert page.status_code == 200 and "required" in page.content.decode()


@pytest.mark.parametrize("persona", ["as_advocate", "as_other_advocate", "as_admin"])
def test_staff_never_reach_goal_pages(request, persona, survivor):
    (goal,) = make(survivor, "Mine")
    client = request.getfixturevalue(persona)
    for path in [f"/goals/{goal.pk}", f"/goals/{goal.pk}/delete"]:
        assert client.get(path).status_code == 404
    step = services.step_create(actor=survivor, goal_id=goal.pk, text="Mine too")
    for path in ["/goals/add", "/goals/move", f"/goals/{goal.pk}/steps", f"/goals/{goal.pk}/restore",
                 f"/goals/{goal.pk}/steps/move", f"/goals/{goal.pk}/steps/{step.pk}/toggle",
                 f"/goals/{goal.pk}/steps/{step.pk}/delete"]:
        for body in ({"title": "x", "move": f"{goal.pk}:up", "text": "x", "done": "1"}, {"move": "x", "text": ""}):
            assert client.post(path, body).status_code == 404, path
            assert client.post(path, body, HTTP_HX_REQUEST="true").status_code == 404, path
    assert client.post(f"/goals/{goal.pk}/delete").status_code == 302  # refused quietly: nothing happens
    step.refresh_from_db()
    assert Goal.objects.get(pk=goal.pk).deleted_at is None and not step.done and step.text == "Mine too"
    assert Goal.objects.get(pk=goal.pk).title == "Mine" and not Goal.objects.exclude(owner=survivor).exists()


def test_another_survivor_gets_not_found(mentor, survivor):
    from tests.conftest import logged_in

    (goal,) = make(survivor, "Mine")
    client = logged_in(mentor)
    assert client.get(f"/goals/{goal.pk}").status_code == 404
    assert client.get(f"/goals/{goal.pk}/delete").status_code == 404
    assert client.post(f"/goals/{goal.pk}/delete").status_code == 302
    for text in ("x", ""):
        assert client.post(f"/goals/{goal.pk}/steps", {"text": text}, HTTP_HX_REQUEST="true").status_code == 404
    assert client.post(f"/goals/{goal.pk}/steps/1/toggle", {"done": "1"}).status_code == 404
    assert client.post("/goals/move", {"move": f"{goal.pk}:top"}).status_code == 404
    assert Goal.objects.get(pk=goal.pk).deleted_at is None


@pytest.mark.parametrize("path", ["/goals/1", "/goals/1/delete"])
def test_anonymous_visitors_are_sent_to_login(client, db, path):
    assert client.get(path).url == "/"


def test_the_goal_list_costs_the_same_queries_for_1_and_200_goals(as_survivor, survivor):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert as_survivor.get("/").status_code == 200
        return len(queries)

    make(survivor, "Only one")
    as_survivor.get("/")  # her first request after logging in notes the device once
    one = count()
    Goal.objects.bulk_create(Goal(owner=survivor, title=f"G{i}", position=i + 1) for i in range(199))
    assert count() == one
    api_one = len(json.loads(as_survivor.get("/api/v1/goals").content)["goals"])
    assert api_one == 200


def test_deleting_twice_is_harmless(as_survivor, survivor):
    (goal,) = make(survivor, "Mine")
    assert as_survivor.post(f"/goals/{goal.pk}/delete").url == "/"
    assert as_survivor.post(f"/goals/{goal.pk}/delete").url == "/"


def test_goal_page_and_api_cost_the_same_queries_for_1_and_200(as_survivor, survivor):
    def count(path: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert as_survivor.get(path).status_code == 200
        return len(queries)

    (goal,) = make(survivor, "Only one")
    services.step_create(actor=survivor, goal_id=goal.pk, text="first")
    as_survivor.get("/")  # her first request after logging in notes the device once
    before = (count(f"/goals/{goal.pk}"), count("/api/v1/goals"), count(f"/api/v1/goals/{goal.pk}"))
    Goal.objects.bulk_create(Goal(owner=survivor, title=f"G{i}", position=i + 1, status="done") for i in range(199))
    from survivor_portal.goals.models import Step

    Step.objects.bulk_create(Step(goal=goal, text=f"s{i}", position=i + 1) for i in range(49))
    assert (count(f"/goals/{goal.pk}"), count("/api/v1/goals"), count(f"/api/v1/goals/{goal.pk}")) == before


def test_adding_with_htmx_announces_and_keeps_focus_ready(as_survivor, survivor):
    html = as_survivor.post(
        "/goals/add", {"title": "Get a library card", "category": "learning"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Goal added: “Get a library card”." in html and "data-autofocus" in html


def test_home_is_a_list_to_read_and_the_move_buttons_wait_on_their_own_page(as_survivor, survivor):
    a, b = make(survivor, "Find housing", "Learn to drive")
    home = as_survivor.get("/").content.decode()
    assert "Move up" not in home and 'href="/goals/order"' in home and "Change order" in home
    order = as_survivor.get("/goals/order").content.decode()
    assert 'aria-label="Move up: Learn to drive"' in order and f'value="{b.pk}:up"' in order
    assert 'hx-disinherit="*"' in order  # nothing inside the move form borrows its target


def test_one_goal_needs_no_change_order(as_survivor, survivor):
    make(survivor, "Find housing")
    assert "Change order" not in as_survivor.get("/").content.decode()


def test_staff_cannot_open_the_order_page(as_advocate):
    assert as_advocate.get("/goals/order").status_code == 404
