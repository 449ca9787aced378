"""Two reorders at once (two tabs) on PostgreSQL: one order wins whole, never a mixture."""

import threading

import pytest
from django.db import connection, connections

from survivor_portal.errors import Conflict
from survivor_portal.goals import services
from survivor_portal.goals.models import Goal
from survivor_portal.goals.ordering import order_version

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_two_reorders_at_once_leave_one_whole_order(survivor):
    goals = [services.goal_create(actor=survivor, title=f"Goal {n}") for n in range(8)]
    ids = [goal.pk for goal in goals]
    seen = order_version(ids)
    orders = [list(reversed(ids)), ids[4:] + ids[:4]]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def reorder(order: list[int]) -> None:
        try:
            start.wait()
            services.goals_reorder(actor=survivor, ids=order, version=seen)
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reorder, args=(order,)) for order in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    final = list(Goal.objects.filter(owner=survivor).order_by("position").values_list("pk", "position"))
    assert sorted(outcomes) == ["conflict", "ok"]
    assert [position for _pk, position in final] == list(range(8))
    assert [pk for pk, _position in final] in orders
