"""Backends made unavailable inside a test, without a real outage.

`database_down()` makes every new query fail the way a stopped PostgreSQL does (Django's
OperationalError from the connection); `cache_down()` points the cache at a closed
loopback port, so Redis calls fail with a real connection error."""

import socket
from contextlib import contextmanager
from unittest import mock

from django.db import OperationalError, connections
from django.test import override_settings


@contextmanager
def database_down():
    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    with mock.patch.object(connections["default"], "ensure_connection", side_effect=refuse):
        yield


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe closes


@contextmanager
def cache_down():
    down = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    with override_settings(CACHES={"default": down}):
        yield
