"""The groups API: same rules, one error shape; and no lost post when many post at once."""

import json
import threading

import pytest
from django.db import connection, connections

from peer_support.groups import services
from peer_support.groups.models import Membership, Post
from tests.conftest import logged_in
from tests.factories import UserFactory


def send(client, method, path, body):
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_posting_reading_and_reporting_through_the_api(as_survivor, circle, others, mentor):
    asked = send(as_survivor, "post", f"/api/v1/groups/{circle.pk}/posts", {"body": "Mail me: maya@example.org"})
    assert asked.status_code == 422 and asked.json()["code"] == "may_identify"
    made = send(as_survivor, "post", f"/api/v1/groups/{circle.pk}/posts", {"body": "Hello", "content_warning": "none really"})
    post = made.json()
    assert made.status_code == 201 and post["alias"] == "Blue Lake" and post["crisis_support"] is None
    for other in others:
        assert send(logged_in(other), "post", f"/api/v1/posts/{post['id']}/reports", {"reason": "spam"}).status_code == 201
    listed = logged_in(others[0]).get(f"/api/v1/groups/{circle.pk}/posts").json()
    assert listed["posts"][0]["state"] == "hidden" and listed["posts"][0]["body"] is None
    mine = as_survivor.get(f"/api/v1/groups/{circle.pk}/posts").json()["posts"][0]
    assert mine["body"] == "Hello" and "waiting for a peer mentor" in mine["hidden_reason"]
    queue = logged_in(mentor).get(f"/api/v1/groups/{circle.pk}/moderation/queue").json()
    assert queue[0]["auto_hidden"] and queue[0]["reports"] == ["Spam"] * 3


@pytest.mark.django_db
def test_a_muted_member_is_told_until_when_through_the_api(as_survivor, survivor, circle, mentor):
    me = Membership.objects.get(user=survivor)
    assert send(logged_in(mentor), "post", f"/api/v1/groups/{circle.pk}/members/{me.pk}/mute", {"duration": "7d"}).status_code == 200
    refused = send(as_survivor, "post", f"/api/v1/groups/{circle.pk}/posts", {"body": "Hi"})
    assert refused.status_code == 403 and refused.json()["code"] == "muted" and "until" in refused.json()["detail"]


@pytest.mark.django_db
def test_groups_list_shows_where_she_stands(as_survivor, circle):
    [group] = as_survivor.get("/api/v1/groups").json()
    assert (group["my_state"], group["my_alias"], group["my_role"]) == ("active", "Blue Lake", "member")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL and real connections")
@pytest.mark.django_db(transaction=True)
def test_no_post_is_lost_when_many_post_at_once(agency_admin, mentor, northside):
    group = services.group_create(actor=agency_admin, name="Busy", purpose="p", agreement="a")
    people = [UserFactory(username=f"poster{n}", agency=northside) for n in range(12)]
    for n, person in enumerate(people):
        services.join(actor=person, group_id=group.pk, alias=f"Poster {n}", agreed=True)
    start = threading.Barrier(len(people))
    errors = []

    def write(person):
        try:
            start.wait()
            for k in range(5):
                services.post_create(actor=person, group_id=group.pk, body=f"{person.username} {k}")
        except Exception as error:  # noqa: BLE001 - the test reports any failure
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert Post.objects.filter(group=group).count() == 60
