"""A double tap or a resent form creates once."""

from survivor_portal.goals import services
from survivor_portal.goals.models import Goal


def _token(page) -> str:
    html = page.content.decode()
    start = html.index('name="once" value="') + len('name="once" value="')
    return html[start:html.index('"', start)]


def test_a_double_tapped_goal_form_adds_one_goal(as_survivor, survivor):
    token = _token(as_survivor.get("/"))
    form = {"title": "Find housing", "category": "housing", "once": token}
    first = as_survivor.post("/goals/add", form)
    again = as_survivor.post("/goals/add", form)
    assert first.status_code == again.status_code == 302
    assert Goal.objects.filter(owner=survivor).count() == 1


def test_each_page_gets_a_fresh_token(as_survivor, survivor):
    assert _token(as_survivor.get("/")) != _token(as_survivor.get("/"))


def test_a_double_tap_with_htmx_adds_one_goal(as_survivor, survivor):
    form = {"title": "Find housing", "category": "housing", "once": "tap-1"}
    for _ in range(2):
        page = as_survivor.post("/goals/add", form, HTTP_HX_REQUEST="true")
        assert page.status_code == 200 and "Find housing" in page.content.decode()
    assert Goal.objects.filter(owner=survivor).count() == 1


def test_a_refused_form_can_be_corrected_and_sent_with_the_same_token(as_survivor, survivor):
    Goal.objects.bulk_create(Goal(owner=survivor, title=f"Goal {n}", position=n) for n in range(200))
    form = {"title": "One more", "category": "other", "once": "tok-1"}
    assert as_survivor.post("/goals/add", form).status_code == 200  # refused: the list is full
    services.goal_delete(actor=survivor, goal_id=next(g.pk for g in Goal.objects.filter(owner=survivor) if g.title == "Goal 0"))
    assert as_survivor.post("/goals/add", form).status_code == 302
    assert [g.title for g in Goal.objects.filter(owner=survivor)].count("One more") == 1


def test_a_double_tapped_step_form_adds_one_step(as_survivor, survivor):
    goal = services.goal_create(actor=survivor, title="Find housing")
    token = _token(as_survivor.get(f"/goals/{goal.pk}"))
    for _ in range(2):
        as_survivor.post(f"/goals/{goal.pk}/steps", {"text": "Call the council", "once": token})
    assert goal.steps.count() == 1


def test_someone_elses_token_does_not_stop_her(as_survivor, survivor, mentor):
    from tests.conftest import logged_in

    logged_in(mentor).post("/goals/add", {"title": "Mine", "category": "other", "once": "same"})
    as_survivor.post("/goals/add", {"title": "Hers", "category": "other", "once": "same"})
    assert Goal.objects.filter(owner=survivor).count() == 1
