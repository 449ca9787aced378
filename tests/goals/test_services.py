import pytest
from django.utils import timezone

from survivor_portal.errors import Conflict, Invalid, NotFound
from survivor_portal.goals import selectors, services
from survivor_portal.goals.models import Goal
from survivor_portal.goals.ordering import order_version


def make(user, *titles):
    return [services.goal_create(actor=user, title=title) for title in titles]


def positions(user):
    return [(g.title, g.position) for g in Goal.objects.filter(owner=user, deleted_at__isnull=True).order_by("position")]


def test_new_goals_go_to_the_end_in_her_words(survivor):
    make(survivor, "Housing", "  Work  ", "Health")
    assert positions(survivor) == [("Housing", 0), ("Work", 1), ("Health", 2)]


def test_reorder_needs_exactly_her_goals(survivor, mentor):
    a, b, c = make(survivor, "A", "B", "C")
    (other,) = make(mentor, "Not hers")
    for wrong in ([a.pk, b.pk], [a.pk, b.pk, c.pk, other.pk], [a.pk, b.pk, 999999]):
        with pytest.raises(Conflict):
            services.goals_reorder(actor=survivor, ids=wrong)
    with pytest.raises(Invalid):
        services.goals_reorder(actor=survivor, ids=[a.pk, a.pk, b.pk])
    assert positions(survivor) == [("A", 0), ("B", 1), ("C", 2)]
    services.goals_reorder(actor=survivor, ids=[c.pk, a.pk, b.pk])
    assert positions(survivor) == [("C", 0), ("A", 1), ("B", 2)]


def test_a_reorder_based_on_a_stale_list_is_refused_with_the_fresh_order(survivor):
    a, b, c = make(survivor, "A", "B", "C")
    seen = order_version([a.pk, b.pk, c.pk])
    services.goals_reorder(actor=survivor, ids=[c.pk, a.pk, b.pk], version=seen)  # another tab
    with pytest.raises(Conflict) as stale:
        services.goals_reorder(actor=survivor, ids=[b.pk, a.pk, c.pk], version=seen)
    assert stale.value.extra["ids"] == [c.pk, a.pk, b.pk]
    assert stale.value.extra["version"] == order_version([c.pk, a.pk, b.pk])
    assert positions(survivor) == [("C", 0), ("A", 1), ("B", 2)]


def test_positions_stay_a_permutation_through_delete_and_undo(survivor):
    a, b, c, d = make(survivor, "A", "B", "C", "D")
    services.goal_delete(actor=survivor, goal_id=b.pk)
    assert positions(survivor) == [("A", 0), ("C", 1), ("D", 2)]
    services.goal_restore(actor=survivor, goal_id=b.pk)
    assert positions(survivor) == [("A", 0), ("B", 1), ("C", 2), ("D", 3)]


def test_undo_only_within_the_window(survivor):
    (a,) = make(survivor, "A")
    services.goal_delete(actor=survivor, goal_id=a.pk)
    Goal.objects.filter(pk=a.pk).update(deleted_at=timezone.now() - timezone.timedelta(seconds=61))
    with pytest.raises(NotFound):
        services.goal_restore(actor=survivor, goal_id=a.pk)
    make(survivor, "B")  # her next change removes it for good
    assert not Goal.objects.filter(pk=a.pk).exists()


def test_at_most_two_hundred_goals(survivor):
    Goal.objects.bulk_create(Goal(owner=survivor, title=f"G{i}", position=i) for i in range(200))
    with pytest.raises(Invalid) as full:
        services.goal_create(actor=survivor, title="One more")
    assert "200" in full.value.message
    assert Goal.objects.filter(owner=survivor).count() == 200


def test_bad_fields_are_refused_and_nothing_changes(survivor):
    (goal,) = make(survivor, "Mine")
    for bad in [{"title": ""}, {"title": "x" * 121}, {"note": "n" * 2001}, {"category": "crime"}, {"status": "failed"}]:
        with pytest.raises(Invalid):
            services.goal_update(actor=survivor, goal_id=goal.pk, **bad)
    goal.refresh_from_db()
    assert (goal.title, goal.category, goal.status) == ("Mine", "other", "not_started")
    with pytest.raises(Invalid):
        services.goal_create(actor=survivor, title="   ")


def test_finishing_a_goal_is_noticed_once(survivor):
    (goal,) = make(survivor, "Mine")
    _goal, just_finished = services.goal_update(actor=survivor, goal_id=goal.pk, status="done")
    assert just_finished and _goal.done_at
    _goal, again = services.goal_update(actor=survivor, goal_id=goal.pk, title="Mine!")
    assert not again
    _goal, _ = services.goal_update(actor=survivor, goal_id=goal.pk, status="not_ready")
    assert _goal.done_at is None  # "not ready yet" is a real choice, not a failure


def test_nobody_else_can_touch_her_goals(survivor, mentor, advocate):
    (goal,) = make(survivor, "Mine")
    for other in (mentor,):
        with pytest.raises(NotFound):
            services.goal_update(actor=other, goal_id=goal.pk, title="Changed")
        with pytest.raises(NotFound):
            services.goal_delete(actor=other, goal_id=goal.pk)
        with pytest.raises(NotFound):
            selectors.goal_for(viewer=other, goal_id=goal.pk)
        with pytest.raises(NotFound):
            services.step_create(actor=other, goal_id=goal.pk, text="x")
    for attempt in (
        lambda: services.goal_update(actor=advocate, goal_id=goal.pk, title="Changed"),
        lambda: services.goal_create(actor=advocate, title="Staff keep no goals here"),
        lambda: services.goals_reorder(actor=advocate, ids=[]),
        lambda: selectors.goals_for(viewer=advocate),
    ):
        with pytest.raises(NotFound):
            attempt()
    goal.refresh_from_db()
    assert goal.title == "Mine"


def test_steps_keep_their_order(survivor):
    (goal,) = make(survivor, "Mine")
    s1, s2, s3 = (services.step_create(actor=survivor, goal_id=goal.pk, text=t) for t in ("one", "two", "three"))
    services.steps_reorder(actor=survivor, goal_id=goal.pk, ids=[s3.pk, s1.pk, s2.pk])
    assert [(s.text, s.position) for s in goal.steps.all()] == [("three", 0), ("one", 1), ("two", 2)]
    services.step_delete(actor=survivor, goal_id=goal.pk, step_id=s1.pk)
    assert [(s.text, s.position) for s in goal.steps.all()] == [("three", 0), ("two", 1)]
    with pytest.raises(Conflict):
        services.steps_reorder(actor=survivor, goal_id=goal.pk, ids=[s3.pk, s1.pk])
    step = services.step_update(actor=survivor, goal_id=goal.pk, step_id=s2.pk, done=True)
    assert step.done
    with pytest.raises(Invalid):
        services.step_create(actor=survivor, goal_id=goal.pk, text="")


def test_a_step_of_another_goal_is_not_found(survivor):
    g1, g2 = make(survivor, "One", "Two")
    step = services.step_create(actor=survivor, goal_id=g1.pk, text="first")
    with pytest.raises(NotFound):
        services.step_update(actor=survivor, goal_id=g2.pk, step_id=step.pk, done=True)


def test_moving_keeps_done_goals_after_the_open_ones(survivor):
    a, b, c, d = make(survivor, "A", "B", "C", "D")
    services.goal_update(actor=survivor, goal_id=b.pk, status="done")
    goal, number, count = services.goal_move(actor=survivor, goal_id=d.pk, to="top")
    assert (goal.title, number, count) == ("D", 1, 3)
    assert [t for t, _p in positions(survivor)] == ["D", "A", "C", "B"]
    with pytest.raises(NotFound):
        services.goal_move(actor=survivor, goal_id=b.pk, to="up")  # done goals are not in the open list
    with pytest.raises(Invalid):
        services.goal_move(actor=survivor, goal_id=a.pk, to="sideways")


def test_empty_values_and_nul_characters_are_refused(survivor):
    (goal,) = make(survivor, "Mine")
    for bad in [{"note": None}, {"title": None}, {"category": None}, {"title": "a\x00b"}, {"note": "a\x00"}]:
        with pytest.raises(Invalid):
            services.goal_update(actor=survivor, goal_id=goal.pk, **bad)
    with pytest.raises(Invalid):
        services.step_create(actor=survivor, goal_id=goal.pk, text="nul\x00")
    services.goal_update(actor=survivor, goal_id=goal.pk, target_date=None)


def test_deleted_goals_are_purged_by_any_later_change(survivor):
    a, b = make(survivor, "A", "B")
    services.goal_delete(actor=survivor, goal_id=a.pk)
    Goal.objects.filter(pk=a.pk).update(deleted_at=timezone.now() - timezone.timedelta(seconds=61))
    services.goal_move(actor=survivor, goal_id=b.pk, to="top")
    assert not Goal.objects.filter(pk=a.pk).exists()
