"""Rotation: a new key first, `manage.py rotate_data_keys`, and every row ends on the newest key,
also when it was stopped halfway and run again."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from survivor_portal.goals import services
from survivor_portal.goals.models import Goal
from survivor_portal.vault import cipher, rotation

NEW_KEY = b"r" * 32


def _raw_titles() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT title FROM goals_goal ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def _rotate(**options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("rotate_data_keys", stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def goals(survivor):
    return [services.goal_create(actor=survivor, title=f"Goal number {n}", note=f"Note {n}") for n in range(5)]


@pytest.mark.django_db(transaction=True)
def test_stopped_halfway_and_run_again_every_row_ends_on_the_newest_key(goals, settings, monkeypatch):
    old_id = cipher.newest_key_id()
    settings.DATA_KEYS = [NEW_KEY, *settings.DATA_KEYS]

    def stop_after_the_first_batch_of_goals(rows: int) -> None:
        if cipher.newest_key_id() in {cipher.key_id_of(title) for title in _raw_titles()}:
            raise KeyboardInterrupt

    real_rotate = rotation.rotate
    monkeypatch.setattr(rotation, "rotate", lambda **kw: real_rotate(**{**kw, "on_batch": stop_after_the_first_batch_of_goals}))
    with pytest.raises(CommandError, match="run it again"):
        _rotate(batch_size=2)
    keys = [cipher.key_id_of(title) for title in _raw_titles()]
    assert keys.count(cipher.newest_key_id()) == 2 and keys.count(old_id) == 3  # the first batch was kept

    monkeypatch.setattr(rotation, "rotate", real_rotate)
    out, err = _rotate(batch_size=2)
    total = rotation.rows_to_rotate()
    assert "goals.Goal: 3 rows re-encrypted" in out and err.strip().endswith(f"] {total}/{total} rows")
    assert {cipher.key_id_of(title) for title in _raw_titles()} == {cipher.newest_key_id()}

    out, _err = _rotate()
    assert "Re-encrypted 0 values" in out
    settings.DATA_KEYS = [NEW_KEY]  # the old key removed: everything still opens
    assert sorted(goal.title for goal in Goal.objects.all()) == [f"Goal number {n}" for n in range(5)]


def test_a_value_no_key_opens_is_reported_and_kept(goals, settings):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE goals_goal SET note = title WHERE id = %s", [goals[0].pk])
    settings.DATA_KEYS = [NEW_KEY, *settings.DATA_KEYS]
    with pytest.raises(CommandError, match="keep every old key"):
        _rotate()
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM goals_goal WHERE id = %s", [goals[0].pk])
        assert cipher.key_id_of(cursor.fetchone()[0]) != cipher.newest_key_id()


def test_nothing_to_do_when_every_row_is_on_the_newest_key(goals):
    out, _err = _rotate()
    assert "Re-encrypted 0 values in 0 of" in out
