"""A poll when nothing is new asks no database at all (with Redis shared by every process), yet
a new post always reaches the next poll, and only members ever get the quick answer."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peer_support.groups import services
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_cache(settings):
    settings.REDIS_URL = "redis://shared"  # the logic only; the default cache stands in for Redis


def _poll(client, group, after):
    with CaptureQueriesContext(connection) as seen:
        answer = client.get(f"/groups/{group.pk}/new?after={after}", HTTP_X_BACKGROUND="1")
    return answer.status_code, [q["sql"] for q in seen.captured_queries]


def test_nothing_new_costs_only_her_session(shared_cache, circle, survivor, django_capture_on_commit_callbacks):
    client = logged_in(survivor)
    newest = services.post_create(actor=survivor, group_id=circle.pk, body="Hello").pk
    client.get(f"/groups/{circle.pk}")
    _poll(client, circle, newest)  # the first poll puts the newest id in the cache
    status, queries = _poll(client, circle, newest)
    # Her session (from Redis in production); not even her account (polling.quick_poll).
    asked = [q for q in queries if "accounts_login_session" not in q]
    assert status == 204 and asked == []
    with django_capture_on_commit_callbacks(execute=True):
        later = services.post_create(actor=survivor, group_id=circle.pk, body="Anyone?").pk
    status, _queries = _poll(client, circle, newest)
    assert status == 200 and later > newest


def test_someone_who_never_opened_the_group_goes_the_long_way(shared_cache, circle, council_member):
    status, queries = _poll(logged_in(council_member), circle, 0)
    assert status == 404 and len(queries) > 1


def test_without_redis_every_poll_checks_the_database(circle, survivor):
    client = logged_in(survivor)
    client.get(f"/groups/{circle.pk}")
    for _ in range(2):
        status, queries = _poll(client, circle, 10**6)
        assert status == 204 and any("groups_post" in q for q in queries)


def test_a_locked_session_goes_the_long_way(shared_cache, circle, survivor):
    client = logged_in(survivor)
    newest = services.post_create(actor=survivor, group_id=circle.pk, body="Hello").pk
    client.get(f"/groups/{circle.pk}")
    _poll(client, circle, newest)
    session = client.session
    session["locked"] = True
    session.save()
    status, queries = _poll(client, circle, newest)
    assert status == 302 and any("accounts_user" in q for q in queries)  # the lock gate answered


def test_a_logged_out_session_goes_the_long_way(shared_cache, circle, survivor):
    client = logged_in(survivor)
    newest = services.post_create(actor=survivor, group_id=circle.pk, body="Hello").pk
    client.get(f"/groups/{circle.pk}")
    _poll(client, circle, newest)
    client.post("/logout")
    status, _queries = _poll(client, circle, newest)
    assert status != 204


@pytest.mark.parametrize("after", ["", "x", "٣", "-1", "1" * 40])
def test_an_odd_after_goes_the_long_way_and_never_fails(shared_cache, circle, survivor, after):
    client = logged_in(survivor)
    client.get(f"/groups/{circle.pk}")
    answer = client.get(f"/groups/{circle.pk}/new?after={after}", HTTP_X_BACKGROUND="1")
    assert answer.status_code in (200, 204)
