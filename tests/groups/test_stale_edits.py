"""Editing a post from an older window never overwrites the newer text."""

import json

from peer_support.groups import services
from peer_support.groups.models import Post


def test_a_stale_post_edit_shows_both_texts_and_changes_nothing(as_survivor, survivor, circle):
    post = services.post_create(actor=survivor, group_id=circle.pk, body="Hello all")
    services.post_edit(actor=survivor, post_id=post.pk, body="Hello all, glad to be here", version=1)
    page = as_survivor.post(f"/groups/posts/{post.pk}/edit", {"body": "Hi everyone", "version": "1"})
    html = page.content.decode()
    assert page.status_code == 200 and "Hi everyone" in html and "Hello all, glad to be here" in html
    assert 'name="version" value="2"' in html
    assert Post.objects.get(pk=post.pk).body == "Hello all, glad to be here"
    again = as_survivor.post(f"/groups/posts/{post.pk}/edit", {"body": "Hi everyone", "version": "2"})
    assert again.status_code == 302 and Post.objects.get(pk=post.pk).body == "Hi everyone"


def test_a_stale_if_match_on_a_post_is_412(as_survivor, survivor, circle):
    post = services.post_create(actor=survivor, group_id=circle.pk, body="Hello all")
    first = as_survivor.patch(f"/api/v1/posts/{post.pk}", json.dumps({"body": "Hello"}), content_type="application/json",
                              HTTP_IF_MATCH='"1"')
    assert first.status_code == 200 and first["ETag"] == '"2"' and first.json()["version"] == 2
    stale = as_survivor.patch(f"/api/v1/posts/{post.pk}", json.dumps({"body": "Hi"}), content_type="application/json",
                              HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412 and Post.objects.get(pk=post.pk).body == "Hello"
