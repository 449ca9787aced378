"""A stalled database or Redis frees the request in about two seconds: measured against a
loopback socket that accepts connections and never answers, as a paused server does."""

import json
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import OperationalError, connection, connections
from django.db.backends.postgresql.base import DatabaseWrapper

ROOT = settings.BASE_DIR


@contextmanager
def silent_server():
    """A port that completes the TCP handshake (the kernel does that) and then says nothing."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


def _settings_for(**env) -> dict:
    """DATABASES and CACHES as the settings module builds them for this environment."""
    code = (
        "import json; from survivor_portal import settings as s;"
        "print(json.dumps({'db': s.DATABASES['default'], 'cache': s.CACHES['default']}, default=str))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    out = subprocess.run([sys.executable, "-c", code], env={**clean, **env}, cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_postgres_gives_up_on_a_silent_server_within_about_two_seconds():
    with silent_server() as port:
        built = _settings_for(DATABASE_URL=f"postgres://portal@127.0.0.1:{port}/portal")["db"]
        assert built["OPTIONS"]["connect_timeout"] == 2
        assert built["OPTIONS"]["options"] == "-c statement_timeout=2000"
        configured = connections.configure_settings({"default": built})["default"]
        database = DatabaseWrapper(configured, alias="stalled")
        started = time.monotonic()
        with pytest.raises(OperationalError), database.wrap_database_errors:
            database.get_new_connection(database.get_connection_params())
        assert time.monotonic() - started < 3.5


def test_redis_gives_up_on_a_silent_server_within_a_second(settings):
    import redis
    from django.core.cache import caches

    with silent_server() as port:
        built = _settings_for(REDIS_URL=f"redis://127.0.0.1:{port}/0")["cache"]
        assert built["OPTIONS"] == {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
        settings.CACHES = {"default": settings.CACHES["default"], "stalled": built}
        started = time.monotonic()
        with pytest.raises((redis.exceptions.TimeoutError, redis.exceptions.ConnectionError)):
            caches["stalled"].get("anything")
        assert time.monotonic() - started < 1.5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's")
@pytest.mark.django_db
def test_a_query_running_past_the_statement_timeout_is_stopped():
    started = time.monotonic()
    with pytest.raises(OperationalError), connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(5)")
    assert time.monotonic() - started < 3.5


def test_gunicorn_takes_back_a_stuck_worker_within_seconds():
    namespace: dict = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), namespace)
    assert namespace["worker_class"] == "sync" and namespace["timeout"] <= 5 and namespace["preload_app"]
