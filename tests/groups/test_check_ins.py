"""A mentor's private check-in with a member: what starts one (crisis words, a member's worry),
aliases both ways, her answer, ignore or refusal, the other mentors' view, the 7-day close, the
deletion afterwards, unread marks, polling, the API, her export and her account's deletion."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from peer_support.groups import selectors, services
from peer_support.groups.models import CheckIn, CheckInMessage, Membership, Worry
from survivor_portal.accounts import her_data
from survivor_portal.errors import Conflict, Invalid, NotAllowed, NotFound
from tests.conftest import logged_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CRISIS = "Some nights I want to die"
HELLO = "I read your post and I wanted to see how you are."


@pytest.fixture
def second_mentor(circle, agency_admin, northside):
    person = UserFactory(username="ines", display_name="Ines", agency=northside, is_peer_mentor=True)
    services.mentor_appoint(actor=agency_admin, group_id=circle.pk, username="ines")
    return person


@pytest.fixture
def peer(circle, northside):
    person = UserFactory(username="kim", display_name="Kim", agency=northside)
    services.join(actor=person, group_id=circle.pk, alias="Red Kite", agreed=True)
    return person


@pytest.fixture
def crisis_post(circle, survivor):
    return services.post_create(actor=survivor, group_id=circle.pk, body=CRISIS)


@pytest.fixture
def started(crisis_post, mentor, circle):
    return services.check_in_start(actor=mentor, group_id=circle.pk, post_id=crisis_post.pk, body=HELLO)


def _raw(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# ---- the worried tap ----------------------------------------------------------------------------


def test_worried_reaches_the_mentors_only_once_and_hides_nothing(circle, survivor, peer, mentor):
    post = services.post_create(actor=survivor, group_id=circle.pk, body="A hard week")
    services.worry(actor=peer, post_id=post.pk)
    with pytest.raises(Conflict):
        services.worry(actor=peer, post_id=post.pk)
    with pytest.raises(Invalid):
        services.worry(actor=survivor, post_id=post.pk)  # not on her own post
    post.refresh_from_db()
    assert post.hidden_at is None and not post.needs_attention
    assert [(p.pk, p.worried) for p in selectors.worried_about(viewer=mentor, group_id=circle.pk)] == [(post.pk, 1)]
    with pytest.raises(NotFound):
        selectors.worried_about(viewer=survivor, group_id=circle.pk)  # never the author, nor any member
    page = logged_in(survivor).get(f"/groups/{circle.pk}").content.decode()
    assert "worried" not in page.replace("I&#x27;m worried about them", "")  # the button on others' posts only


def test_worried_is_for_members_of_the_group(circle, survivor, council_member):
    post = services.post_create(actor=survivor, group_id=circle.pk, body="A hard week")
    with pytest.raises(NotFound):
        services.worry(actor=council_member, post_id=post.pk)


def test_the_worried_tap_as_a_page_and_through_the_api(circle, survivor, peer, mentor):
    post = services.post_create(actor=survivor, group_id=circle.pk, body="A hard week")
    answer = logged_in(peer).post(f"/groups/posts/{post.pk}/worried")
    assert answer.status_code == 302 and answer["Location"].endswith(f"#p{post.pk}")
    again = logged_in(peer).post(f"/api/v1/posts/{post.pk}/worried")
    assert again.status_code == 409
    assert Worry.objects.filter(post=post).count() == 1
    moderation = logged_in(mentor).get(f"/groups/{circle.pk}/moderation").content.decode()
    worried = moderation.split("Members others are worried about")[1].split("Private check-ins")[0]
    assert "Check in privately with Blue Lake" in worried and "1 member is worried" in worried and "Red Kite" not in worried


# ---- starting one -------------------------------------------------------------------------------


def test_a_mentor_checks_in_after_crisis_words_by_alias_only(started, survivor, mentor, circle):
    hers = selectors.check_ins_here(viewer=survivor, group_id=circle.pk)
    assert [(c.pk, c.as_member, c.unread) for c in hers] == [(started.pk, True, True)]
    assert started.mentor_alias == Membership.objects.get(user=mentor).alias
    found, role, shown = selectors.check_in(viewer=survivor, group_id=circle.pk, check_in_id=started.pk)
    assert role == "member" and [m.body for m in shown] == [HELLO]
    assert not CheckIn.objects.get(pk=started.pk).unread_for_member  # opening it cleared the mark
    page = logged_in(survivor).get(f"/groups/{circle.pk}/check-ins/{started.pk}").content.decode()
    assert started.mentor_alias in page and "Rosa" not in page.replace(started.mentor_alias, "") and "rosa" not in page
    theirs = logged_in(mentor).get(f"/groups/{circle.pk}/check-ins/{started.pk}").content.decode()
    assert "Blue Lake" in theirs and "Maya" not in theirs and "maya" not in theirs


def test_a_check_in_needs_crisis_words_or_a_worry(circle, survivor, mentor, peer):
    post = services.post_create(actor=survivor, group_id=circle.pk, body="Lovely weather")
    with pytest.raises(Invalid):
        services.check_in_start(actor=mentor, group_id=circle.pk, post_id=post.pk, body=HELLO)
    services.worry(actor=peer, post_id=post.pk)
    made = services.check_in_start(actor=mentor, group_id=circle.pk, post_id=post.pk, body=HELLO)
    assert made.reason == "worry"


def test_one_open_check_in_per_member_and_only_mentors_of_the_group(started, crisis_post, circle, second_mentor, survivor,
                                                                       peer, agency_admin, advocate, northside, agency_admin_other=None):
    with pytest.raises(Conflict):
        services.check_in_start(actor=second_mentor, group_id=circle.pk, post_id=crisis_post.pk, body=HELLO)
    for person in (survivor, peer, agency_admin, advocate):
        with pytest.raises(NotFound):
            services.check_in_start(actor=person, group_id=circle.pk, post_id=crisis_post.pk, body=HELLO)
    other_group = services.group_create(actor=agency_admin, name="Thursday", purpose="Talk", agreement="Kind")
    elsewhere = UserFactory(username="teo", agency=northside, is_peer_mentor=True)
    services.mentor_appoint(actor=agency_admin, group_id=other_group.pk, username="teo")
    with pytest.raises(NotFound):  # a mentor of another group
        services.check_in_start(actor=elsewhere, group_id=other_group.pk, post_id=crisis_post.pk, body=HELLO)
    with pytest.raises(NotFound):
        selectors.check_in(viewer=elsewhere, group_id=circle.pk, check_in_id=started.pk)


def test_nobody_but_the_two_reads_it_and_other_mentors_see_only_that_it_exists(started, circle, survivor, mentor,
                                                                                 second_mentor, peer, council_member):
    for person in (peer, council_member):
        with pytest.raises(NotFound):
            selectors.check_in(viewer=person, group_id=circle.pk, check_in_id=started.pk)
    with pytest.raises(NotFound):
        selectors.check_in(viewer=second_mentor, group_id=circle.pk, check_in_id=started.pk)
    _me, listed = selectors.check_ins_of_group(viewer=second_mentor, group_id=circle.pk)
    assert [(c.pk, c.readable) for c in listed] == [(started.pk, False)]
    moderation = logged_in(second_mentor).get(f"/groups/{circle.pk}/moderation").content.decode()
    assert "checked in with Blue Lake" in moderation and HELLO not in moderation
    services.check_in_share(actor=survivor, group_id=circle.pk, check_in_id=started.pk, allow=True)
    _found, role, shown = selectors.check_in(viewer=second_mentor, group_id=circle.pk, check_in_id=started.pk)
    assert role == "reader" and [m.body for m in shown] == [HELLO]
    with pytest.raises(NotFound):  # the reader cannot write, nor change her choice
        services.check_in_reply(actor=second_mentor, group_id=circle.pk, check_in_id=started.pk, body="Hi")
    with pytest.raises(NotFound):
        services.check_in_share(actor=mentor, group_id=circle.pk, check_in_id=started.pk, allow=False)
    services.check_in_share(actor=survivor, group_id=circle.pk, check_in_id=started.pk, allow=False)
    with pytest.raises(NotFound):
        selectors.check_in(viewer=second_mentor, group_id=circle.pk, check_in_id=started.pk)


# ---- answering, ignoring, refusing --------------------------------------------------------------


def test_she_answers_and_crisis_words_show_her_the_agency_help(started, circle, survivor, mentor, northside):
    northside.crisis_resources = "Call 0800 123 456, day or night"
    northside.save()
    client = logged_in(survivor)
    page = client.get(f"/groups/{circle.pk}/check-ins/{started.pk}")
    once = page.context["form"]["once"].value()
    sent = client.post(f"/groups/{circle.pk}/check-ins/{started.pk}", {"body": "Honestly I want to die some days", "once": once},
                       follow=True)
    text = sent.content.decode()
    assert "Call 0800 123 456, day or night" in text and "Honestly I want to die some days" in text
    assert selectors.groups_with_unread_check_ins(viewer=mentor) == {circle.pk}
    assert selectors.groups_with_unread_check_ins(viewer=survivor) == set()
    mentor_list = logged_in(mentor).get("/groups").content.decode()
    assert "a new private message" in mentor_list
    logged_in(mentor).get(f"/groups/{circle.pk}/check-ins/{started.pk}")
    assert selectors.groups_with_unread_check_ins(viewer=mentor) == set()
    api = logged_in(survivor).post(f"/api/v1/groups/{circle.pk}/check-ins/{started.pk}/messages",
                                   json.dumps({"body": "I will hurt myself"}), content_type="application/json")
    assert api.status_code == 201 and api.json()["crisis_support"] == "Call 0800 123 456, day or night"
    assert api.json()["alias"] == "Blue Lake" and api.json()["mine"]


def test_the_unread_mark_shows_on_her_group_entry_until_she_opens_it(started, circle, survivor):
    assert "a new private message" in logged_in(survivor).get("/groups").content.decode()
    logged_in(survivor).get(f"/groups/{circle.pk}/check-ins/{started.pk}")
    assert "a new private message" not in logged_in(survivor).get("/groups").content.decode()
    assert not selectors.has_unread_check_ins(survivor)


def test_she_refuses_check_ins_for_that_group(started, crisis_post, circle, survivor, mentor, second_mentor):
    client = logged_in(survivor)
    client.post(f"/groups/{circle.pk}/check-ins/refuse", {"refused": "1", "check_in_id": started.pk})
    with pytest.raises(Conflict):  # the open one closed at once
        services.check_in_reply(actor=mentor, group_id=circle.pk, check_in_id=started.pk, body="Still there?")
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        with pytest.raises(NotAllowed):
            services.check_in_start(actor=second_mentor, group_id=circle.pk, post_id=crisis_post.pk, body=HELLO)
    found, role, shown = selectors.check_in(viewer=survivor, group_id=circle.pk, check_in_id=started.pk)
    assert [m.body for m in shown] == [HELLO]  # what was written stays for her to read
    services.check_ins_refuse(actor=survivor, group_id=circle.pk, refused=False)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        services.check_in_start(actor=second_mentor, group_id=circle.pk, post_id=crisis_post.pk, body=HELLO)


def test_it_closes_after_seven_days(started, circle, survivor, mentor):
    with time_machine.travel(started.created_at + timedelta(days=7, seconds=-1), tick=False):
        services.check_in_reply(actor=survivor, group_id=circle.pk, check_in_id=started.pk, body="Thank you")
    with time_machine.travel(started.created_at + timedelta(days=7), tick=False):
        for person in (survivor, mentor):
            with pytest.raises(Conflict):
                services.check_in_reply(actor=person, group_id=circle.pk, check_in_id=started.pk, body="Late")
        page = logged_in(survivor).get(f"/groups/{circle.pk}/check-ins/{started.pk}").content.decode()
        assert "Closed" in page and 'name="body"' not in page


def test_closed_check_ins_are_deleted_fourteen_days_later_by_housekeeping(started, circle, survivor, mentor):
    from survivor_portal.housekeeping.registry import run_due

    services.check_in_reply(actor=survivor, group_id=circle.pk, check_in_id=started.pk, body="Thank you")
    closes = CheckIn.objects.get(pk=started.pk).closes_at
    with time_machine.travel(closes + timedelta(days=14, seconds=-1), tick=False):
        assert run_due(names=["check_ins_purge"]) == {"check_ins_purge": 0}
        assert selectors.check_in(viewer=survivor, group_id=circle.pk, check_in_id=started.pk)[2]
    with time_machine.travel(closes + timedelta(days=14), tick=False):
        assert run_due(names=["check_ins_purge"]) == {"check_ins_purge": 1}
        assert run_due(names=["check_ins_purge"]) == {"check_ins_purge": 0}  # idempotent
    assert _raw("SELECT id FROM groups_checkinmessage WHERE check_in_id = %s", [started.pk]) == []
    assert _raw("SELECT id FROM groups_checkin WHERE id = %s", [started.pk]) == []


def test_her_words_are_sealed_in_the_database(started, circle, survivor):
    services.check_in_reply(actor=survivor, group_id=circle.pk, check_in_id=started.pk, body="Thank you for asking")
    stored = " ".join(str(row) for row in _raw("SELECT body FROM groups_checkinmessage"))
    assert "Thank you" not in stored and "I read your post" not in stored


# ---- polling ------------------------------------------------------------------------------------


def test_polling_is_one_query_when_nothing_is_new_and_brings_what_is(started, circle, survivor, mentor):
    client = logged_in(survivor)
    newest = CheckInMessage.objects.filter(check_in=started).latest("pk").pk
    url = f"/groups/{circle.pk}/check-ins/{started.pk}/new?after={newest}"
    client.get(url, headers={"X-Background": "1"})
    with CaptureQueriesContext(connection) as seen:
        quiet = client.get(url, headers={"X-Background": "1"})
    assert quiet.status_code == 204
    asked = [q["sql"] for q in seen.captured_queries if "groups_checkin" in q["sql"]]
    assert len(asked) == 1
    services.check_in_reply(actor=mentor, group_id=circle.pk, check_in_id=started.pk, body="Are you safe tonight?")
    news = client.get(url, headers={"X-Background": "1", "HX-Request": "true"})
    assert news.status_code == 200 and "Are you safe tonight?" in news.content.decode() and "hx-swap-oob" in news.content.decode()
    assert logged_in(UserFactory(username="zoe")).get(url, headers={"X-Background": "1"}).status_code == 404


def test_the_page_has_a_check_for_new_messages_button_without_javascript(started, circle, survivor):
    page = logged_in(survivor).get(f"/groups/{circle.pk}/check-ins/{started.pk}").content.decode()
    assert "Check for new messages" in page and 'name="check" value="1"' in page
    answer = logged_in(survivor).post(f"/groups/{circle.pk}/check-ins/{started.pk}", {"check": "1"})
    assert answer.status_code == 302 and answer["Location"] == f"/groups/{circle.pk}/check-ins/{started.pk}#last"
    assert CheckInMessage.objects.filter(check_in=started).count() == 1  # it wrote nothing


# ---- the API ------------------------------------------------------------------------------------


def _send(client, method, path, body):
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


def test_the_whole_exchange_through_the_api(crisis_post, circle, survivor, mentor, second_mentor, peer):
    made = _send(logged_in(mentor), "post", f"/api/v1/groups/{circle.pk}/check-ins", {"post_id": crisis_post.pk, "body": HELLO})
    assert made.status_code == 201
    body = made.json()
    assert body["member_alias"] == "Blue Lake" and body["i_am"] == "mentor" and body["open"]
    base = f"/api/v1/groups/{circle.pk}/check-ins/{body['id']}"
    hers = logged_in(survivor).get(f"/api/v1/groups/{circle.pk}/check-ins").json()
    assert [(c["id"], c["i_am"], c["unread"], c["messages"]) for c in hers] == [(body["id"], "member", True, None)]
    read = logged_in(survivor).get(base).json()
    assert [m["alias"] for m in read["messages"]] == [body["mentor_alias"]] and not read["messages"][0]["mine"]
    assert _send(logged_in(survivor), "post", f"{base}/messages", {"body": "I am OK, thanks"}).status_code == 201
    others = logged_in(second_mentor).get(f"/api/v1/groups/{circle.pk}/check-ins").json()
    assert [(c["i_am"], c["messages"]) for c in others] == [("other_mentor", None)]
    assert logged_in(second_mentor).get(base).status_code == 404
    assert _send(logged_in(survivor), "put", f"{base}/mentors-may-read", {"allow": True}).json()["mentors_may_read"]
    assert logged_in(second_mentor).get(base).json()["i_am"] == "reader"
    for person in (peer, mentor):
        assert _send(logged_in(person), "put", f"{base}/mentors-may-read", {"allow": False}).status_code == 404
    assert logged_in(peer).get(base).status_code == 404
    refused = _send(logged_in(survivor), "put", f"/api/v1/groups/{circle.pk}/check-ins/refused", {"refused": True})
    assert refused.status_code == 200 and refused.json()["check_ins_refused"]
    assert _send(logged_in(mentor), "post", f"{base}/messages", {"body": "Hello?"}).status_code == 409


def test_creating_through_the_api_is_safe_to_retry(crisis_post, circle, mentor):
    client = logged_in(mentor)
    first, again = (client.post(f"/api/v1/groups/{circle.pk}/check-ins", json.dumps({"post_id": crisis_post.pk, "body": HELLO}),
                                content_type="application/json", headers={"Idempotency-Key": "k-1"}) for _ in range(2))
    assert (first.status_code, again.status_code) == (201, 201) and first.json()["id"] == again.json()["id"]
    assert CheckIn.objects.count() == 1


# ---- her data -----------------------------------------------------------------------------------


def test_her_export_holds_her_check_ins_and_the_mentor_s_sent_ones(started, circle, survivor, mentor):
    services.check_in_reply(actor=survivor, group_id=circle.pk, check_in_id=started.pk, body="Thank you for asking")
    hers = her_data.export_for(viewer=survivor)["groups"][0]
    assert [m["text"] for m in hers["check_ins"][0]["messages"]] == [HELLO, "Thank you for asking"]
    assert hers["check_ins"][0]["with"] == started.mentor_alias
    theirs = her_data.export_for(viewer=mentor)["groups"][0]
    assert theirs["check_ins_sent"][0]["with"] == "Blue Lake" and len(theirs["check_ins_sent"][0]["messages"]) == 2
    page = logged_in(survivor).get("/download/export.html").content.decode()
    assert "Thank you for asking" in page


def test_deleting_her_account_deletes_her_check_ins(started, circle, survivor):
    services.check_in_reply(actor=survivor, group_id=circle.pk, check_in_id=started.pk, body="Thank you for asking")
    her_data._account_delete_now(actor=survivor, posts="delete")
    assert not CheckIn.objects.exists() and not CheckInMessage.objects.exists()


def test_a_mentor_s_account_deletion_takes_her_words_and_closes_the_thread(started, circle, survivor, mentor):
    services.check_in_reply(actor=survivor, group_id=circle.pk, check_in_id=started.pk, body="Thank you for asking")
    her_data._account_delete_now(actor=mentor, posts="delete")
    found, role, shown = selectors.check_in(viewer=survivor, group_id=circle.pk, check_in_id=started.pk)
    assert not found.is_open() and [m.body for m in shown] == ["Thank you for asking"]


def test_worries_are_deleted_fourteen_days_after_the_tap(circle, survivor, peer):
    from survivor_portal.housekeeping.registry import run_due

    post = services.post_create(actor=survivor, group_id=circle.pk, body="A hard week")
    tapped = services.worry(actor=peer, post_id=post.pk)
    assert her_data.export_for(viewer=peer)["groups"][0]["worried_about"][0]["alias"] == "Blue Lake"
    with time_machine.travel(tapped.created_at + timedelta(days=14, seconds=-1), tick=False):
        assert run_due(names=["worries_purge"]) == {"worries_purge": 0}
    with time_machine.travel(tapped.created_at + timedelta(days=14), tick=False):
        assert run_due(names=["worries_purge"]) == {"worries_purge": 1}
        assert run_due(names=["worries_purge"]) == {"worries_purge": 0}
    assert _raw("SELECT id FROM groups_worry") == []


def test_an_unread_check_in_lights_the_neutral_mark_in_her_menu(started, circle, survivor, mentor):
    from survivor_portal.conversations.selectors import has_unread

    assert has_unread(survivor) and not has_unread(mentor)
    logged_in(survivor).get(f"/groups/{circle.pk}/check-ins/{started.pk}")
    assert not has_unread(survivor)
    services.check_in_reply(actor=survivor, group_id=circle.pk, check_in_id=started.pk, body="Thank you")
    assert has_unread(mentor) and not has_unread(survivor)
