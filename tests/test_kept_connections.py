"""A kept database connection is checked without a round trip, and one the server ended is
replaced before her request uses it (survivor_portal/postgresql)."""

import psycopg
import pytest
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the check is PostgreSQL's"),
    pytest.mark.django_db(transaction=True),
]


def _between_requests():
    """What Django does when a request ends and the next starts."""
    close_old_connections()


def test_a_healthy_kept_connection_is_reused_without_asking_the_server():
    connection.ensure_connection()
    kept = connection.connection
    _between_requests()
    with CaptureQueriesContext(connection) as asked:
        connection.close_if_health_check_failed()
    assert connection.connection is kept and connection.is_usable()
    assert asked.captured_queries == []


def test_a_connection_the_server_ended_is_replaced_before_use(survivor):
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    settings = connection.settings_dict
    with psycopg.connect(host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"],
                         dbname=settings["NAME"], autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(50):  # the backend says goodbye as it goes
            if not other.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
                break
    _between_requests()
    assert not connection.is_usable()
    from survivor_portal.accounts.models import User

    assert User.objects.filter(pk=survivor.pk).exists()  # her next request is served, on a new connection
    assert connection.connection.info.backend_pid != pid
