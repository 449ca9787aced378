"""Nothing lost on the way in: words written before sealing read back unchanged after migrating,
and the old plain words are gone from the database file."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

from survivor_portal.vault import cipher, table
from tests.vault import old_schema


def _every_sealed_label() -> set[str]:
    return {f"{model._meta.app_label}.{model._meta.model_name}.{name}"
            for model, names in table.encrypted_fields().items() for name in names} - old_schema.BORN_SEALED


@pytest.mark.django_db(transaction=True)
def test_words_written_through_the_old_schema_read_back_unchanged_and_sealed():
    executor = old_schema.migrate_to(old_schema.BEFORE)
    written = old_schema.fill(executor.loader.project_state(old_schema.BEFORE).apps)
    assert {label for label, _pk in written} == _every_sealed_label()  # every sealed field is covered

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    row_keys = set()
    for (label, pk), words in written.items():
        app, model_name, name = label.split(".")
        model = apps.get_model(app, model_name)
        assert getattr(model._base_manager.get(pk=pk), name) == words, label
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {name}, row_key FROM {model._meta.db_table} WHERE {model._meta.pk.column} = %s", [pk])
            raw, row_key = cursor.fetchone()
        assert cipher.is_sealed(raw) and words not in raw, label
        row_keys.add((model._meta.db_table, row_key))
    assert len({key for _table, key in row_keys}) == len(row_keys)  # every row got its own key


SCRIPT = """
import json, django
django.setup()
from django.db import connection
# Many builds keep deleted bytes in free pages (Debian's zeroes them): test as they do.
connection.cursor().execute("PRAGMA secure_delete = OFF")
from tests.vault import old_schema
executor = old_schema.migrate_to(old_schema.BEFORE)
written = old_schema.fill(executor.loader.project_state(old_schema.BEFORE).apps)
executor.loader.build_graph()
executor.migrate(executor.loader.graph.leaf_nodes())
from tests.vault.old_schema import word
print(json.dumps(sorted({word(label) for label, _pk in written})))
"""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads the SQLite file itself")
def test_no_old_word_is_left_in_the_sqlite_file_after_migrating(tmp_path):
    database = tmp_path / "old.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}",
           "DATA_KEYS": ",".join(__import__("base64").urlsafe_b64encode(k).decode() for k in settings.DATA_KEYS)}
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env,
                          cwd=settings.BASE_DIR, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    words = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(words) == len(_every_sealed_label())
    raw = b"".join(Path(f).read_bytes() for f in tmp_path.glob("old.sqlite3*"))
    found = [w for w in words if w.split()[0].encode() in raw]  # "Quokka123456", unique to each field
    assert found == []
