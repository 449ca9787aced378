"""A copy of the database says nothing: after the demo data and a journey through the API, a raw
read of the SQLite file or of a pg_dump finds none of the words written; a dump restored into a
fresh PostgreSQL database reads back with the keys, and opens with no other key."""

import json
import os
import shutil
import subprocess
import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from peer_support.groups.models import PeerGroup
from survivor_portal.goals.models import Goal
from survivor_portal.vault import cipher, table
from tests.conftest import logged_in

WORDS = {
    "title": "Wombat flat near the river", "note": "Wombat deposit is four hundred", "step": "Wombat ring the landlord",
    "display_name": "Wombatina", "post": "Wombat slept well at last", "idea": "Wombat a quiet room for calls",
}


def _journey(client: Client) -> None:
    def send(method: str, path: str, body: dict) -> dict:
        answer = getattr(client, method)(f"/api/v1{path}", json.dumps(body), content_type="application/json")
        assert answer.status_code in (200, 201), (path, answer.content)
        return answer.json()

    goal = send("post", "/goals", {"title": WORDS["title"], "note": WORDS["note"]})
    send("post", f"/goals/{goal['id']}/steps", {"text": WORDS["step"]})
    send("patch", "/me", {"display_name": WORDS["display_name"]})
    group = PeerGroup.objects.get(name="Tuesday circle")  # the demo survivor is a member
    send("post", f"/groups/{group.pk}/posts", {"body": WORDS["post"]})
    send("post", "/council/ideas", {"text": WORDS["idea"]})


def _everything_written() -> list[str]:
    """The demo's and the journey's words, read through the app (long enough to be telling)."""
    found = set(WORDS.values())
    for model, names in table.encrypted_fields().items():
        for row in model._base_manager.all():
            found |= {value for value in (getattr(row, name) for name in names) if len(value) >= 12}
    return sorted(found)


@pytest.fixture
def demo_and_journey(db, django_db_blocker):
    call_command("seed_demo", verbosity=0)
    from survivor_portal.accounts.models import User
    _journey(logged_in(User.objects.get(username="demo_survivor")))
    written = _everything_written()
    assert len(written) > 20 and set(WORDS.values()) <= set(written)
    return written


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads the SQLite database image")
def test_a_raw_read_of_the_sqlite_database_finds_none_of_the_words(demo_and_journey):
    image = connection.connection.serialize()
    assert b"Northside Shelter" in image  # the read sees plain columns
    assert [words for words in demo_and_journey if words.encode() in image] == []


def _postgres(*args: str, **env: str) -> subprocess.CompletedProcess:
    params = connection.settings_dict
    return subprocess.run(args, capture_output=True, timeout=300, env={
        **os.environ, "PGHOST": params["HOST"] or "127.0.0.1", "PGPORT": str(params["PORT"] or 5432),
        "PGUSER": params["USER"] or "postgres", "PGPASSWORD": params["PASSWORD"] or "", **env})


@pytest.mark.skipif(connection.vendor != "postgresql" or not shutil.which("pg_dump"), reason="PostgreSQL's pg_dump")
@pytest.mark.django_db(transaction=True)
def test_a_dump_says_nothing_and_a_restore_reads_back_with_the_keys(demo_and_journey, tmp_path, settings):
    name = connection.settings_dict["NAME"]
    plain_dump, dump = tmp_path / "portal.sql", tmp_path / "portal.dump"
    assert _postgres("pg_dump", "--format=plain", f"--file={plain_dump}", name).returncode == 0
    assert _postgres("pg_dump", "--format=custom", f"--file={dump}", name).returncode == 0
    raw = plain_dump.read_bytes()
    assert b"Northside Shelter" in raw
    assert [words for words in demo_and_journey if words.encode() in raw] == []

    restored = f"{name.removeprefix('test_')}_restored_{uuid.uuid4().hex[:8]}"
    assert _postgres("createdb", restored).returncode == 0
    try:
        done = _postgres("pg_restore", "--no-owner", f"--dbname={restored}", str(dump))
        assert done.returncode == 0, done.stderr
        import psycopg
        params = connection.settings_dict
        with psycopg.connect(host=params["HOST"] or "127.0.0.1", port=params["PORT"] or 5432,
                             user=params["USER"] or "postgres", dbname=restored) as other:
            rows = other.execute("SELECT title, note, row_key FROM goals_goal").fetchall()
        titles = {cipher.open_sealed(title, label="goals.goal.title", row_key=key) for title, _note, key in rows}
        assert WORDS["title"] in titles and titles == {goal.title for goal in Goal.objects.all()}
        settings.DATA_KEYS = [b"w" * 32]  # without her keys nothing opens
        for title, _note, key in rows:
            with pytest.raises(cipher.CannotOpen):
                cipher.open_sealed(title, label="goals.goal.title", row_key=key)
    finally:
        _postgres("dropdb", "--if-exists", restored)
