"""The worker on its own: words she deleted are gone from the database within a minute of her
Undo minute ending, with no request from her (README, "Operations"; `make run` starts it).

`manage.py housekeeping --loop` runs as its own process against the test database (on SQLite a
file copy of it), with its own huey queue, and is stopped as an operator would stop it."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from survivor_portal.goals import services as goals
from survivor_portal.goals.models import Goal
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
WORDS = ["Leave the flat on Elm Street", "Friday, when he works at the depot", "Pack the green bag"]

pytestmark = pytest.mark.django_db(transaction=True)  # the worker must see what the test wrote


def _deleted_goal_past_undo() -> tuple[int, int]:
    maya = UserFactory(username="maya_worker")
    goal = goals.goal_create(actor=maya, title=WORDS[0], note=WORDS[1])
    goals.step_create(actor=maya, goal_id=goal.pk, text=WORDS[2])
    kept = goals.goal_create(actor=maya, title="Call my sister")
    goals.goal_delete(actor=maya, goal_id=goal.pk)
    # She deleted it 61 seconds ago and never came back.
    Goal.objects.filter(pk=goal.pk).update(deleted_at=timezone.now() - timedelta(seconds=61))
    return goal.pk, kept.pk


def _database_url(tmp_path: Path) -> tuple[str, Path | None]:
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        copy = tmp_path / "portal.sqlite3"
        with sqlite3.connect(copy) as target:
            connection.ensure_connection()
            connection.connection.backup(target)
        target.close()
        return f"sqlite:///{copy}", copy
    user, host, port = db.get("USER") or "postgres", db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{db['NAME']}", None


def _rows(database_url: str, file: Path | None, goal_id: int) -> int:
    if file is not None:
        with sqlite3.connect(file) as raw:
            return raw.execute("SELECT count(*) FROM goals_goal WHERE id = ?", [goal_id]).fetchone()[0] + raw.execute(
                "SELECT count(*) FROM goals_step WHERE goal_id = ?", [goal_id]).fetchone()[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT (SELECT count(*) FROM goals_goal WHERE id = %s) + (SELECT count(*) FROM goals_step "
                       "WHERE goal_id = %s)", [goal_id, goal_id])
        return cursor.fetchone()[0]


def _bytes_on_disk(file: Path) -> bytes:
    return b"".join(path.read_bytes() for path in (file, Path(f"{file}-wal")) if path.exists())


def test_the_worker_removes_a_deleted_goal_within_a_minute_with_no_request_from_her(tmp_path):
    goal_id, kept_id = _deleted_goal_past_undo()
    database_url, file = _database_url(tmp_path)
    assert _rows(database_url, file, goal_id) == 2  # the goal and its step, waiting
    env = {**os.environ, "DATABASE_URL": database_url, "HOUSEKEEPING_QUEUE": str(tmp_path / "queue.sqlite3"),
           "DEBUG": "0", "LOG_LEVEL": "WARNING"}
    env.pop("REDIS_URL", None)
    worker = subprocess.Popen([sys.executable, "manage.py", "housekeeping", "--loop"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    started = time.monotonic()
    try:
        while _rows(database_url, file, goal_id) and time.monotonic() - started < 60 and worker.poll() is None:
            time.sleep(0.25)
        assert _rows(database_url, file, goal_id) == 0, "still in the database after a minute"
        if file is not None:  # and not left in the SQLite file or its log either
            deadline = time.monotonic() + 60
            while any(word.encode() in _bytes_on_disk(file) for word in WORDS) and time.monotonic() < deadline:
                time.sleep(0.5)
            on_disk = _bytes_on_disk(file)
            assert not [word for word in WORDS if word.encode() in on_disk]
    finally:
        worker.send_signal(signal.SIGINT)  # what Ctrl-C or `make run` stopping sends: finish, then stop
        output, _ = worker.communicate(timeout=20)
    assert worker.returncode == 0, output
    assert "housekeeping: deleted_goals_purge: 1" in output
    assert not [word for word in WORDS if word in output]  # counts only, never what was removed
    assert Goal.objects.get(pk=kept_id).title == "Call my sister"  # her other goal is untouched

