"""The group pages: joining, posting (with the identifying prompt and crisis support), reading
with folds and placeholders, polling, reporting and moderating."""

import pytest

from peer_support.groups import services
from peer_support.groups.models import Membership, Post, Report
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def test_joining_shows_the_agreement_and_suggests_a_neutral_alias(as_survivor, circle, council_member):
    lin = logged_in(council_member)
    page = lin.get(f"/groups/{circle.pk}/join").content.decode()
    assert "We keep what is said here." in page and "lin" not in page.lower().split("<main")[1].split("</main>")[0].replace("line", "")
    answer = lin.post(f"/groups/{circle.pk}/join", {"alias": "Calm Dune", "agreed": "on"})
    assert answer["Location"] == f"/groups/{circle.pk}"
    assert "Here you are “Calm Dune”." in lin.get(f"/groups/{circle.pk}").content.decode()


def test_a_post_that_may_identify_asks_first_then_posts(as_survivor, circle):
    page = as_survivor.post(f"/groups/{circle.pk}/post", {"body": "Call me on 555 010 0199"}).content.decode()
    assert "This may identify you or someone else. Post anyway?" in page and not Post.objects.exists()
    as_survivor.post(f"/groups/{circle.pk}/post", {"body": "Call me on 555 010 0199", "confirm_identifying": "1"})
    assert Post.objects.count() == 1


def test_crisis_words_show_her_the_agencys_help_privately(as_survivor, circle, northside):
    northside.crisis_resources = "Northside 24-hour line: 555-0100"
    northside.save()
    page = as_survivor.post(f"/groups/{circle.pk}/post", {"body": "I want to die some days"}, follow=True).content.decode()
    assert "If you need someone now: Northside 24-hour line: 555-0100" in page
    assert Post.objects.get().needs_attention and Post.objects.get().hidden_at is None


def test_content_warnings_fold_and_placeholders_replace_hidden_posts(as_survivor, survivor, circle, others, mentor):
    services.post_create(actor=others[0], group_id=circle.pk, body="Hard things", content_warning="talks about violence")
    hidden = services.post_create(actor=others[1], group_id=circle.pk, body="Unkind words")
    services.hide(actor=mentor, post_id=hidden.pk, reason="Not kind")
    page = as_survivor.get(f"/groups/{circle.pk}").content.decode()
    assert "Content warning: talks about violence. Tap to read." in page and "<details class=\"cw\">" in page
    assert "Hidden by a peer mentor" in page and "Unkind words" not in page
    author = logged_in(others[1]).get(f"/groups/{circle.pk}").content.decode()
    assert "A peer mentor hid this post: “Not kind”. Only you can see it." in author


def test_polling_is_one_cheap_empty_answer_when_nothing_is_new(as_survivor, survivor, circle, others, django_assert_max_num_queries):
    first = services.post_create(actor=survivor, group_id=circle.pk, body="Hi")
    with django_assert_max_num_queries(6) as seen:  # session, person, her two-step devices, membership, the question
        quiet = as_survivor.get(f"/groups/{circle.pk}/new?after={first.pk}", HTTP_X_BACKGROUND="1")
    assert quiet.status_code == 204 and quiet.content == b""
    assert not any(q["sql"].startswith("UPDATE") for q in seen.captured_queries)  # polling never keeps her session alive
    services.post_create(actor=others[0], group_id=circle.pk, body="Hello back")
    fresh = as_survivor.get(f"/groups/{circle.pk}/new?after={first.pk}").content.decode()
    assert "Hello back" in fresh and 'hx-swap-oob="true"' in fresh


def test_a_muted_member_is_told_until_when(as_survivor, survivor, circle, mentor):
    services.mute(actor=mentor, group_id=circle.pk, membership_id=Membership.objects.get(user=survivor).pk, duration="1h")
    page = as_survivor.get(f"/groups/{circle.pk}").content.decode()
    assert "A peer mentor has paused your posting until" in page and 'name="body"' not in page.split('id="posts"')[0]
    as_survivor.post(f"/groups/{circle.pk}/post", {"body": "Let me in"})
    assert not Post.objects.exists()


def test_report_then_the_mentor_hides_with_a_reason(circle, survivor, others, mentor):
    post = services.post_create(actor=survivor, group_id=circle.pk, body="Something")
    logged_in(others[0]).post(f"/groups/posts/{post.pk}/report", {"reason": "hurtful", "note": "Unkind"})
    assert Report.objects.count() == 1
    rosa = logged_in(mentor)
    queue = rosa.get(f"/groups/{circle.pk}/moderation").content.decode()
    assert "Something" in queue and "Hurtful: Unkind" in queue and "maya" not in queue.lower()
    assert "Reports on your own posts go to another peer mentor." in queue
    rosa.post(f"/groups/posts/{post.pk}/hide", {"reason": "Please be gentle"})
    assert Post.objects.get().hidden_reason == "Please be gentle"
    log = rosa.get(f"/groups/{circle.pk}/log").content.decode()
    assert "Hid a post" in log and "Please be gentle" in log


def test_the_wrong_people_are_refused(circle, survivor, council_member, advocate, agency_admin, other_advocate, others):
    post = services.post_create(actor=survivor, group_id=circle.pk, body="Hi")
    for someone in (council_member, advocate, agency_admin, other_advocate):
        client = logged_in(someone)
        assert client.get(f"/groups/{circle.pk}").status_code == 404
        assert client.get(f"/groups/{circle.pk}/new?after=0").status_code == 404
        assert client.get(f"/groups/posts/{post.pk}/report").status_code == 404
    member = logged_in(others[0])
    assert member.get(f"/groups/{circle.pk}/moderation").status_code == 404
    assert member.post(f"/groups/posts/{post.pk}/hide", {"reason": "x"}).status_code == 404
    assert logged_in(agency_admin).get(f"/groups/{circle.pk}/log").status_code == 200


def test_leaving_is_silent(as_survivor, circle):
    as_survivor.post(f"/groups/{circle.pk}/leave")
    assert Membership.objects.get(alias="Blue Lake").state == "left"
    assert as_survivor.get(f"/groups/{circle.pk}").status_code == 404


def test_the_agenda_page(as_survivor, circle, mentor):
    as_survivor.post(f"/groups/{circle.pk}/agenda", {"text": "Sleep and nightmares"})
    page = as_survivor.get(f"/groups/{circle.pk}/agenda").content.decode()
    assert "Sleep and nightmares" in page and "1 supports this" in page
    rosa = logged_in(mentor)
    rosa.post(f"/groups/{circle.pk}/meeting", {"day": "2099-01-01", "start": "18:00", "place_label": "online"})
    assert "Choose a date within a year" in rosa.get(f"/groups/{circle.pk}/agenda").content.decode()


def test_a_reply_that_asks_first_stays_a_reply(as_survivor, survivor, circle, others):
    post = services.post_create(actor=others[0], group_id=circle.pk, body="How are you?")
    page = as_survivor.post(f"/groups/{circle.pk}/post", {"body": "Text me at 555 010 0199", "parent_id": post.pk}).content.decode()
    assert f'name="parent_id" value="{post.pk}"' in page
    as_survivor.post(f"/groups/{circle.pk}/post", {"body": "Text me at 555 010 0199", "parent_id": post.pk,
                                                   "confirm_identifying": "1"})
    assert next(p for p in Post.objects.all() if p.body == "Text me at 555 010 0199").parent_id == post.pk


def test_a_far_off_meeting_date_is_refused_plainly(circle, mentor):
    rosa = logged_in(mentor)
    answer = rosa.post(f"/groups/{circle.pk}/meeting", {"day": "9999-12-31", "start": "18:00", "place_label": "online"})
    assert answer.status_code == 302
