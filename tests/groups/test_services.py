"""Peer groups: joining with an alias, posting, the identifying-information prompt, crisis
support, reporting and auto-hide, moderation, muting, blocking and the agenda."""

from datetime import timedelta

import pytest
from django.utils import timezone

from peer_support.groups import checks, selectors, services
from peer_support.groups.models import Membership, ModerationAction, Post
from survivor_portal.errors import Conflict, Invalid, NotAllowed, NotFound
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_joining_needs_the_agreement_and_a_unique_alias(circle, council_member):
    with pytest.raises(Invalid) as refused:
        services.join(actor=council_member, group_id=circle.pk, alias="Lin's alias", agreed=False)
    assert refused.value.field == "agreed"
    with pytest.raises(Invalid) as taken:
        services.join(actor=council_member, group_id=circle.pk, alias="Blue Lake", agreed=True)
    assert taken.value.field == "alias"
    joined = services.join(actor=council_member, group_id=circle.pk, alias="Blue Heron", agreed=True)
    assert (joined.state, joined.agreed_at is not None) == ("active", True)


def test_suggested_aliases_are_neutral_words_never_her_name(circle, survivor):
    alias = services.suggest_alias(circle.pk)
    first, second = alias.split(" ")[:2]
    assert first in services.ALIAS_WORDS[0] and second in services.ALIAS_WORDS[1]
    assert survivor.username not in alias and survivor.display_name not in alias


def test_a_group_by_request_waits_for_a_mentor(agency_admin, mentor, council_member):
    group = services.group_create(actor=agency_admin, name="Spanish circle", purpose="En español", agreement="Respeto.",
                                  language="es", open_to_join=False)
    services.mentor_appoint(actor=agency_admin, group_id=group.pk, username="rosa")
    asked = services.join(actor=council_member, group_id=group.pk, alias="Calm Lake", agreed=True)
    assert asked.state == "requested"
    with pytest.raises(NotFound):
        selectors.posts(viewer=council_member, group_id=group.pk)
    services.admit(actor=mentor, group_id=group.pk, membership_id=asked.pk)
    assert selectors.posts(viewer=council_member, group_id=group.pk)[1] == []


def test_leaving_is_silent_and_she_can_come_back(circle, survivor):
    services.leave(actor=survivor, group_id=circle.pk)
    with pytest.raises(NotFound):
        selectors.posts(viewer=survivor, group_id=circle.pk)
    assert not ModerationAction.objects.filter(target_label="Blue Lake").exists()
    services.join(actor=survivor, group_id=circle.pk, alias="Blue Lake", agreed=True)


def test_non_members_and_staff_never_see_inside(circle, council_member, advocate, agency_admin, other_advocate):
    services.post_create(actor=UserFactory._meta.model.objects.get(username="maya"), group_id=circle.pk, body="Hello")
    for someone in (council_member, advocate, agency_admin, other_advocate):
        with pytest.raises(NotFound):
            selectors.posts(viewer=someone, group_id=circle.pk)
        with pytest.raises(NotFound):
            services.post_create(actor=someone, group_id=circle.pk, body="Hi")


def test_posts_and_replies_edit_for_15_minutes_delete_any_time(circle, survivor, mentor):
    post = services.post_create(actor=survivor, group_id=circle.pk, body="Hello all", content_warning="Hard day")
    reply = services.post_create(actor=mentor, group_id=circle.pk, body="Welcome", parent_id=post.pk)
    with pytest.raises(NotFound):
        services.post_create(actor=mentor, group_id=circle.pk, body="Too deep", parent_id=reply.pk)  # one level only
    with pytest.raises(NotFound):
        services.post_edit(actor=mentor, post_id=post.pk, body="Not mine")
    services.post_edit(actor=survivor, post_id=post.pk, body="Hello everyone")
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    with pytest.raises(Conflict):
        services.post_edit(actor=survivor, post_id=post.pk, body="Again")
    services.post_delete(actor=survivor, post_id=post.pk)
    assert Post.objects.get(pk=post.pk).body == ""


@pytest.mark.parametrize("text", ["Call me on 555 010 0199", "write to maya@example.org", "I live at 12 Elm Street",
                                  "see https://example.org", "vivo en Calle Mayor 5", "my page is example.com"])
def test_identifying_information_asks_first(circle, survivor, text):
    assert checks.may_identify(text)
    with pytest.raises(Invalid) as asked:
        services.post_create(actor=survivor, group_id=circle.pk, body=text)
    assert asked.value.code == "may_identify" and "Post anyway?" in asked.value.message
    assert not Post.objects.exists()
    services.post_create(actor=survivor, group_id=circle.pk, body=text, confirm_identifying=True)


@pytest.mark.parametrize("text", ["I went for a walk today", "We met at 5 pm", "Week 12 of my course", "2 kids and 1 dog"])
def test_ordinary_words_are_not_flagged(text):
    assert not checks.may_identify(text) and not checks.sounds_like_crisis(text)


def test_crisis_words_mark_the_post_for_mentors_and_hide_nothing(circle, survivor, mentor):
    post = services.post_create(actor=survivor, group_id=circle.pk, body="Some days I want to die")
    assert post.needs_attention and post.hidden_at is None
    _me, found, _waiting = selectors.queue(viewer=mentor, group_id=circle.pk)
    assert [p.pk for p in found] == [post.pk]
    assert checks.sounds_like_crisis("a veces no quiero vivir")


def test_three_different_reports_hide_a_post_at_once(circle, survivor, others, mentor):
    post = services.post_create(actor=survivor, group_id=circle.pk, body="Something hurtful")
    services.report(actor=others[0], post_id=post.pk, reason="hurtful")
    with pytest.raises(Conflict):
        services.report(actor=others[0], post_id=post.pk, reason="spam")  # one per member
    with pytest.raises(Invalid):
        services.report(actor=survivor, post_id=post.pk, reason="spam")  # not her own
    services.report(actor=others[1], post_id=post.pk, reason="hurtful")
    assert Post.objects.get(pk=post.pk).hidden_at is None
    services.report(actor=others[2], post_id=post.pk, reason="other", note="Not kind")
    hidden = Post.objects.get(pk=post.pk)
    assert hidden.hidden_at is not None and hidden.auto_hidden
    assert ModerationAction.objects.filter(kind="auto_hide").count() == 1
    _me, found, _waiting = selectors.queue(viewer=mentor, group_id=circle.pk)
    assert [p.pk for p in found] == [post.pk]


def test_a_mentor_hides_with_a_reason_the_author_sees_it_others_see_a_placeholder(circle, survivor, others, mentor):
    post = services.post_create(actor=survivor, group_id=circle.pk, body="Something hurtful")
    services.hide(actor=mentor, post_id=post.pk, reason="It could hurt someone here")
    _me, mine, _more, _newest = selectors.posts(viewer=survivor, group_id=circle.pk)
    _me, theirs, _more, _newest = selectors.posts(viewer=others[0], group_id=circle.pk)
    assert mine[0].post.hidden_reason == "It could hurt someone here" and not mine[0].hidden_for_me
    assert theirs[0].hidden_for_me
    with pytest.raises(NotFound):
        services.hide(actor=others[0], post_id=post.pk, reason="I am not a mentor")
    services.restore(actor=mentor, post_id=post.pk)
    assert Post.objects.get(pk=post.pk).hidden_at is None
    assert list(ModerationAction.objects.values_list("kind", flat=True).order_by("at"))[-2:] == ["hide", "restore"]


def test_a_muted_member_can_read_not_post_and_is_told_until_when(circle, survivor, mentor):
    me = Membership.objects.get(user=survivor)
    services.mute(actor=mentor, group_id=circle.pk, membership_id=me.pk, duration="1d", reason="Cool down")
    with pytest.raises(NotAllowed) as told:
        services.post_create(actor=survivor, group_id=circle.pk, body="Hello?")
    assert "until" in told.value.message
    assert selectors.posts(viewer=survivor, group_id=circle.pk)[1] == []
    Membership.objects.filter(pk=me.pk).update(muted_until=timezone.now() - timedelta(seconds=1))
    services.post_create(actor=survivor, group_id=circle.pk, body="Hello again")


def test_a_removed_member_is_out_and_cannot_rejoin(circle, survivor, mentor):
    me = Membership.objects.get(user=survivor)
    services.remove(actor=mentor, group_id=circle.pk, membership_id=me.pk, reason="Broke the agreement")
    with pytest.raises(NotFound):
        selectors.posts(viewer=survivor, group_id=circle.pk)
    with pytest.raises(NotAllowed):
        services.join(actor=survivor, group_id=circle.pk, alias="New name", agreed=True)


def test_mentors_see_aliases_never_usernames_and_the_log_records_everything(circle, survivor, mentor, agency_admin, others):
    post = services.post_create(actor=survivor, group_id=circle.pk, body="Hi")
    services.hide(actor=mentor, post_id=post.pk, reason="Test")
    _group, log = selectors.moderation_log(viewer=agency_admin, group_id=circle.pk)
    assert {a.kind for a in log} >= {"appoint", "hide"}
    assert all("maya" not in (a.target_label + a.actor_label).lower() for a in log)
    with pytest.raises(NotFound):
        selectors.moderation_log(viewer=others[0], group_id=circle.pk)


def test_blocking_folds_their_posts_away_for_her_only(circle, survivor, others):
    post = services.post_create(actor=others[0], group_id=circle.pk, body="Loud")
    services.block(actor=survivor, group_id=circle.pk, membership_id=post.author_id)
    assert selectors.posts(viewer=survivor, group_id=circle.pk)[1][0].blocked
    assert not selectors.posts(viewer=others[1], group_id=circle.pk)[1][0].blocked


def test_the_agenda_is_ordered_by_support_and_a_mentor_sets_the_meeting(circle, survivor, others, mentor):
    first = services.agenda_add(actor=survivor, group_id=circle.pk, text="Sleep")
    second = services.agenda_add(actor=others[0], group_id=circle.pk, text="Housing forms")
    for person in others[1:]:
        services.support(actor=person, item_id=second.pk)
    services.support(actor=others[1], item_id=second.pk)  # once each
    _me, items, _meeting = selectors.agenda(viewer=survivor, group_id=circle.pk)
    assert [(i.text, i.support_count) for i in items] == [("Housing forms", 3), ("Sleep", 1)]
    with pytest.raises(NotFound):
        services.meeting_set(actor=survivor, group_id=circle.pk, starts_at=timezone.now() + timedelta(days=2), place_label="online")
    services.meeting_set(actor=mentor, group_id=circle.pk, starts_at=timezone.now() + timedelta(days=2), place_label="online")
    services.mark_discussed(actor=mentor, item_id=first.pk)
    _me, items, meeting = selectors.agenda(viewer=survivor, group_id=circle.pk)
    assert [i.text for i in items] == ["Housing forms"] and meeting.place_label == "online"


def test_show_more_pages_newest_first(circle, survivor):
    made = [services.post_create(actor=survivor, group_id=circle.pk, body=f"Post {n}") for n in range(25)]
    _me, first, more, newest = selectors.posts(viewer=survivor, group_id=circle.pk)
    assert more and len(first) == 20 and first[0].post.pk == made[-1].pk and newest == made[-1].pk
    _me, rest, more, _newest = selectors.posts(viewer=survivor, group_id=circle.pk, before=first[-1].post.pk)
    assert not more and [s.post.pk for s in rest] == [p.pk for p in reversed(made[:5])]
    assert not selectors.anything_new(viewer=survivor, group_id=circle.pk, after=newest)


def test_aliases_compare_without_case_or_spacing_and_stay_reserved(circle, survivor, council_member, northside):
    with pytest.raises(Invalid):
        services.join(actor=council_member, group_id=circle.pk, alias="  blue   LAKE ", agreed=True)
    services.leave(actor=survivor, group_id=circle.pk)
    with pytest.raises(Invalid):  # nobody can seem to have written her old posts
        services.join(actor=council_member, group_id=circle.pk, alias="Blue Lake", agreed=True)
    services.join(actor=survivor, group_id=circle.pk, alias="Blue Lake", agreed=True)  # hers again


def test_not_this_time_is_not_a_ban(agency_admin, mentor, council_member):
    group = services.group_create(actor=agency_admin, name="By request", purpose="p", agreement="a", open_to_join=False)
    services.mentor_appoint(actor=agency_admin, group_id=group.pk, username="rosa")
    asked = services.join(actor=council_member, group_id=group.pk, alias="Calm Dune", agreed=True)
    services.decline(actor=mentor, group_id=group.pk, membership_id=asked.pk)
    assert services.join(actor=council_member, group_id=group.pk, alias="Calm Dune", agreed=True).state == "requested"


def test_a_reported_post_cannot_be_changed_and_dismissing_unhides(circle, survivor, others, mentor):
    post = services.post_create(actor=survivor, group_id=circle.pk, body="Words")
    for other in others:
        services.report(actor=other, post_id=post.pk, reason="spam")
    with pytest.raises(Conflict):
        services.post_edit(actor=survivor, post_id=post.pk, body="Other words")
    services.dismiss(actor=mentor, post_id=post.pk)
    assert Post.objects.get(pk=post.pk).hidden_at is None


def test_a_deleted_post_with_crisis_words_stays_for_mentors_without_its_text(circle, survivor, mentor):
    post = services.post_create(actor=survivor, group_id=circle.pk, body="I want to die")
    services.post_delete(actor=survivor, post_id=post.pk)
    _me, found, _waiting = selectors.queue(viewer=mentor, group_id=circle.pk)
    assert [p.pk for p in found] == [post.pk] and found[0].body == ""
    services.dismiss(actor=mentor, post_id=post.pk)
    assert selectors.queue(viewer=mentor, group_id=circle.pk)[1] == []


def test_a_poll_brings_every_new_post(circle, survivor, others):
    _me, _shown, _more, newest = selectors.posts(viewer=survivor, group_id=circle.pk)
    made = [services.post_create(actor=others[0], group_id=circle.pk, body=f"New {n}") for n in range(25)]
    _me, fresh, new_replies, latest = selectors.posts_after(viewer=survivor, group_id=circle.pk, after=newest)
    assert len(fresh) == 25 and latest == made[-1].pk and not new_replies


def test_deleted_posts_without_live_replies_vanish(circle, survivor, others):
    post = services.post_create(actor=survivor, group_id=circle.pk, body="Hi")
    reply = services.post_create(actor=others[0], group_id=circle.pk, body="Hey", parent_id=post.pk)
    services.post_delete(actor=survivor, post_id=post.pk)
    assert len(selectors.posts(viewer=survivor, group_id=circle.pk)[1]) == 1  # holds a live reply
    services.post_delete(actor=others[0], post_id=reply.pk)
    assert selectors.posts(viewer=survivor, group_id=circle.pk)[1] == []


def test_a_mentors_alias_is_hers_in_every_group_of_the_agency(circle, mentor, survivor, council_member, agency_admin):
    rosa = Membership.objects.get(group=circle, user=mentor).alias
    other = services.group_create(actor=agency_admin, name="Thursday circle", purpose="p", agreement="a")
    with pytest.raises(Invalid) as taken:
        services.join(actor=council_member, group_id=other.pk, alias=f" {rosa.upper()} ", agreed=True)
    assert taken.value.field == "alias" and "peer mentor" in taken.value.message
    for _ in range(30):  # a suggestion for a member never offers a mentor's alias
        assert services.suggest_alias(other.pk) != rosa
    services.join(actor=mentor, group_id=other.pk, alias=rosa, agreed=True)  # her own name, wherever she goes


def test_a_new_mentor_gets_an_alias_nobody_at_the_agency_uses(agency_admin, northside, monkeypatch):
    first = services.group_create(actor=agency_admin, name="One", purpose="p", agreement="a")
    second = services.group_create(actor=agency_admin, name="Two", purpose="p", agreement="a")
    member = UserFactory(username="kim", agency=northside)
    services.join(actor=member, group_id=first.pk, alias="Steady Willow", agreed=True)
    UserFactory(username="willow", agency=northside, is_peer_mentor=True)
    picks = iter(["Steady", "Willow", "Calm", "Fern"])
    monkeypatch.setattr(services.random, "choice", lambda _words: next(picks))
    appointed = services.mentor_appoint(actor=agency_admin, group_id=second.pk, username="willow")
    assert appointed.alias == "Calm Fern"  # "Steady Willow" is a member's in another group


def test_a_mentor_alias_stays_reserved_after_she_stops_mentoring(circle, mentor, council_member, agency_admin):
    rosa = Membership.objects.get(group=circle, user=mentor)
    rosa.role = Membership.Role.MEMBER
    rosa.save(update_fields=["role"])
    other = services.group_create(actor=agency_admin, name="Thursday circle", purpose="p", agreement="a")
    with pytest.raises(Invalid):  # the moderation log still names her
        services.join(actor=council_member, group_id=other.pk, alias=rosa.alias, agreed=True)


def test_reports_on_a_mentors_own_post_go_to_another_mentor(circle, mentor, others, agency_admin, northside):
    own = services.post_create(actor=mentor, group_id=circle.pk, body="Mentor words")
    services.report(actor=others[0], post_id=own.pk, reason="hurtful")
    assert selectors.queue(viewer=mentor, group_id=circle.pk)[1] == []
    with pytest.raises(NotAllowed):
        services.dismiss(actor=mentor, post_id=own.pk)
    with pytest.raises(NotAllowed):
        services.hide(actor=mentor, post_id=own.pk, reason="fine")
    ines = UserFactory(username="ines", agency=northside, is_peer_mentor=True)
    services.mentor_appoint(actor=agency_admin, group_id=circle.pk, username="ines")
    with pytest.raises(NotAllowed):  # another mentor is there: not the admin's to judge
        services.dismiss(actor=agency_admin, post_id=own.pk)
    assert selectors.queue(viewer=agency_admin, group_id=circle.pk)[1] == []
    assert [p.pk for p in selectors.queue(viewer=ines, group_id=circle.pk)[1]] == [own.pk]
    services.dismiss(actor=ines, post_id=own.pk)
    assert not own.reports.filter(dismissed_at__isnull=True).exists()


def test_with_no_other_mentor_the_agency_admin_looks_at_it(circle, mentor, others, agency_admin, other_advocate, advocate):
    own = services.post_create(actor=mentor, group_id=circle.pk, body="Mentor words")
    services.report(actor=others[0], post_id=own.pk, reason="hurtful")
    members_post = services.post_create(actor=others[1], group_id=circle.pk, body="Member words")
    services.report(actor=others[0], post_id=members_post.pk, reason="spam")
    assert [p.pk for p in selectors.queue(viewer=agency_admin, group_id=circle.pk)[1]] == [own.pk]
    assert selectors.admin_queue_sizes(viewer=agency_admin) == {circle.pk: 1}
    with pytest.raises(NotAllowed):  # the mentor looks at members' posts
        services.hide(actor=agency_admin, post_id=members_post.pk, reason="x")
    for stranger in (other_advocate, advocate):
        with pytest.raises(NotFound):
            services.dismiss(actor=stranger, post_id=own.pk)
        with pytest.raises(NotFound):
            selectors.queue(viewer=stranger, group_id=circle.pk)
    services.hide(actor=agency_admin, post_id=own.pk, reason="Please keep names out")
    assert ModerationAction.objects.filter(kind="hide").get().actor_label == "Agency admin"
    assert selectors.admin_queue_sizes(viewer=agency_admin) == {circle.pk: 1}  # hidden: still there, to restore
    services.restore(actor=agency_admin, post_id=own.pk)
    assert selectors.admin_queue_sizes(viewer=agency_admin) == {}
