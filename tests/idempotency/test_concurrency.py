"""Two identical requests at the same moment on PostgreSQL: one create, one answer."""

import json
import threading
import time

import pytest
from django.db import connection, connections

from survivor_portal.goals import services
from survivor_portal.goals.models import Goal
from tests.conftest import logged_in

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL")


def _race(monkeypatch, send, count: int = 2) -> list:
    """Runs `send` in `count` threads at once, each create held open a moment so they overlap."""
    create = services.goal_create

    def slow_create(**kwargs):
        goal = create(**kwargs)
        time.sleep(0.4)  # the first transaction is still open when the second arrives
        return goal

    monkeypatch.setattr(services, "goal_create", slow_create)
    start = threading.Barrier(count)
    answers: list = []

    def run() -> None:
        try:
            start.wait()
            answers.append(send())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return answers


@pytest.mark.django_db(transaction=True)
def test_two_identical_api_requests_at_once_create_one_goal(monkeypatch, survivor):
    clients = iter([logged_in(survivor), logged_in(survivor)])
    lock = threading.Lock()

    def send():
        with lock:
            client = next(clients)
        return client.post("/api/v1/goals", json.dumps({"title": "Find housing"}), content_type="application/json",
                           HTTP_IDEMPOTENCY_KEY="same-moment")

    answers = _race(monkeypatch, send)
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].content == answers[1].content
    assert Goal.objects.filter(owner=survivor).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_identical_form_posts_at_once_create_one_goal(monkeypatch, survivor):
    clients = iter([logged_in(survivor), logged_in(survivor)])
    lock = threading.Lock()

    def send():
        with lock:
            client = next(clients)
        return client.post("/goals/add", {"title": "Find housing", "category": "other", "once": "same-tap"})

    answers = _race(monkeypatch, send)
    assert [a.status_code for a in answers] == [302, 302]
    assert Goal.objects.filter(owner=survivor).count() == 1
