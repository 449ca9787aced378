from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from survivor_portal.consent import services as consent
from survivor_portal.consent.models import AccessEvent
from survivor_portal.conversations import selectors, services
from survivor_portal.conversations.jobs import old_messages_purge
from survivor_portal.conversations.models import Conversation, Message
from survivor_portal.errors import Invalid, NotFound
from survivor_portal.housekeeping.registry import registered
from tests.factories import StaffFactory, UserFactory


def share_messages(survivor, agency, scopes=("messages",)):
    return consent.consent_grant(actor=survivor, agency_id=agency.pk, scopes=list(scopes))


@pytest.fixture
def talking(survivor, northside):
    share_messages(survivor, northside)
    return services.conversation_open(actor=survivor, agency_id=northside.pk)


def test_messages_is_a_scope_with_its_own_words_on_the_receipt(survivor, northside):
    grant = share_messages(survivor, northside, ("messages", "display_name"))
    assert grant.share_messages and grant.scopes == ["messages", "display_name"]
    assert "the messages you write with them" in grant.receipt_text


def test_one_conversation_per_survivor_and_agency(survivor, northside, advocate, talking):
    assert services.conversation_open(actor=survivor, agency_id=northside.pk) == talking
    assert services.conversation_open(actor=advocate, survivor_id=survivor.pk) == talking
    assert Conversation.objects.count() == 1


def test_she_cannot_open_one_without_sharing_messages(survivor, northside):
    consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["goals"])
    with pytest.raises(NotFound):
        services.conversation_open(actor=survivor, agency_id=northside.pk)


def test_every_active_staff_member_of_the_agency_reads_and_answers(survivor, advocate, agency_admin, talking):
    services.message_send(actor=survivor, conversation_id=talking.pk, body="Can we talk on Friday?")
    services.message_send(actor=advocate, conversation_id=talking.pk, body="Yes, at 10.")
    services.message_send(actor=agency_admin, conversation_id=talking.pk, body="Sam will call.")
    thread = selectors.thread_for_staff(viewer=agency_admin, survivor_id=survivor.pk)
    assert [m.body for m in thread.messages] == ["Can we talk on Friday?", "Yes, at 10.", "Sam will call."]
    assert [m.author_label for m in thread.messages] == ["", "Sam", "Alex"]
    advocate.is_active = False
    advocate.save()
    with pytest.raises(NotFound):
        services.message_send(actor=advocate, conversation_id=talking.pk, body="Still here?")


def test_each_staff_read_is_one_look_not_one_per_message(survivor, advocate, talking):
    for n in range(5):
        services.message_send(actor=survivor, conversation_id=talking.pk, body=f"Message {n}")
    selectors.thread_for_staff(viewer=advocate, survivor_id=survivor.pk)
    looks = AccessEvent.objects.filter(survivor=survivor, what="messages")
    assert looks.count() == 1 and looks.get().actor == advocate
    selectors.thread_for_staff(viewer=advocate, survivor_id=survivor.pk, after=looks.get().pk + 10_000)
    assert looks.count() == 1  # a poll that showed nothing is no look


def test_other_agency_another_survivor_and_stopped_sharing_are_refused(survivor, northside, advocate, other_advocate,
                                                                       talking):
    services.message_send(actor=survivor, conversation_id=talking.pk, body="Hello")
    someone = UserFactory(agency=northside)
    for reader, call in ((other_advocate, lambda: selectors.thread_for_staff(viewer=other_advocate, survivor_id=survivor.pk)),
                         (someone, lambda: selectors.conversation_of(viewer=someone, conversation_id=talking.pk))):
        with pytest.raises(NotFound):
            call()
        with pytest.raises(NotFound):
            services.message_send(actor=reader, conversation_id=talking.pk, body="Hi")
    grant = survivor.consent_grants.get(ended_at__isnull=True)
    consent.consent_withdraw(actor=survivor, grant_id=grant.pk)
    with pytest.raises(NotFound):
        selectors.thread_for_staff(viewer=advocate, survivor_id=survivor.pk)
    with pytest.raises(NotFound):
        services.message_send(actor=advocate, conversation_id=talking.pk, body="Are you there?")
    with pytest.raises(Invalid):
        services.message_send(actor=survivor, conversation_id=talking.pk, body="One more")
    # She keeps her view of what was written.
    thread = selectors.thread_for_her(viewer=survivor, agency_id=talking.agency_id)
    assert [m.body for m in thread.messages] == ["Hello"] and not thread.open


def test_staff_of_an_agency_she_never_shared_with_cannot_start_one(survivor, other_advocate):
    with pytest.raises(NotFound):
        services.conversation_open(actor=other_advocate, survivor_id=survivor.pk)


def test_unread_mark_comes_with_a_staff_message_and_goes_when_she_reads(survivor, advocate, talking):
    services.message_send(actor=survivor, conversation_id=talking.pk, body="Hi")
    assert not selectors.has_unread(survivor)
    sent = services.message_send(actor=advocate, conversation_id=talking.pk, body="Hello Maya")
    assert selectors.has_unread(survivor)
    services.conversation_seen(actor=survivor, conversation=Conversation.objects.get(pk=talking.pk), upto=sent.pk)
    assert not selectors.has_unread(survivor)
    assert not selectors.has_unread(advocate)


def test_she_deletes_a_message_she_sent_for_everyone_but_not_theirs(survivor, advocate, talking):
    mine = services.message_send(actor=survivor, conversation_id=talking.pk, body="Oops")
    theirs = services.message_send(actor=advocate, conversation_id=talking.pk, body="Hello")
    services.message_delete(actor=survivor, message_id=mine.pk)
    assert not Message.objects.filter(pk=mine.pk).exists()
    for message_id, who in ((theirs.pk, survivor), (theirs.pk, advocate)):
        with pytest.raises(NotFound):
            services.message_delete(actor=who, message_id=message_id)


def test_deleting_the_conversation_for_herself_leaves_the_agency_copy(survivor, advocate, talking):
    services.message_send(actor=survivor, conversation_id=talking.pk, body="Before")
    services.message_send(actor=advocate, conversation_id=talking.pk, body="Unread answer")
    services.conversation_clear(actor=survivor, conversation_id=talking.pk)
    assert selectors.thread_for_her(viewer=survivor, agency_id=talking.agency_id).messages == []
    assert not selectors.has_unread(survivor)
    assert len(selectors.thread_for_staff(viewer=advocate, survivor_id=survivor.pk).messages) == 2
    services.message_send(actor=advocate, conversation_id=talking.pk, body="After")
    assert [m.body for m in selectors.thread_for_her(viewer=survivor, agency_id=talking.agency_id).messages] == ["After"]


def test_keep_days_are_7_30_or_90_and_30_by_default(survivor, talking):
    assert talking.keep_days == 30
    with pytest.raises(Invalid):
        services.keep_days_set(actor=survivor, days=14)
    services.keep_days_set(actor=survivor, days=7)
    assert Conversation.objects.get(pk=talking.pk).keep_days == 7


def test_old_messages_are_deleted_for_everyone_after_her_keep_days(survivor, northside, advocate, talking):
    other = UserFactory(agency=northside)
    share_messages(other, northside)
    theirs = services.conversation_open(actor=other, agency_id=northside.pk)
    services.keep_days_set(actor=other, days=90)
    start = timezone.now() + timedelta(minutes=1)
    with time_machine.travel(start, tick=False):
        services.message_send(actor=survivor, conversation_id=talking.pk, body="Old")
        services.message_send(actor=other, conversation_id=theirs.pk, body="Kept 90 days")
    with time_machine.travel(start + timedelta(days=6), tick=False):
        services.message_send(actor=advocate, conversation_id=talking.pk, body="Newer")
    services.keep_days_set(actor=survivor, days=7)
    with time_machine.travel(start + timedelta(days=7, minutes=1), tick=False):
        assert old_messages_purge(timezone.now()) == 1
        assert old_messages_purge(timezone.now()) == 0  # idempotent
    assert sorted(m.body for m in Message.objects.all()) == ["Kept 90 days", "Newer"]
    with time_machine.travel(start + timedelta(days=90, minutes=1), tick=False):
        assert old_messages_purge(timezone.now()) == 2
    assert "old_messages_purge" in {job.name for job in registered()}


def test_crisis_words_in_her_message_are_noticed_only_for_her(survivor, advocate, talking):
    assert services.message_send(actor=survivor, conversation_id=talking.pk, body="I want to die").crisis
    assert not services.message_send(actor=survivor, conversation_id=talking.pk, body="See you Friday").crisis
    assert not services.message_send(actor=advocate, conversation_id=talking.pk, body="If you want to die, call us").crisis


def test_a_message_must_have_words_and_fit(survivor, talking):
    for body in ("", "   ", "x" * 2001, "a\x00b"):
        with pytest.raises(Invalid):
            services.message_send(actor=survivor, conversation_id=talking.pk, body=body)


def test_words_are_sealed_in_the_database(survivor, talking):
    from django.db import connection

    services.message_send(actor=survivor, conversation_id=talking.pk, body="My secret words")
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM conversations_message")
        assert "secret" not in cursor.fetchone()[0]


def test_account_deletion_takes_her_messages(survivor, advocate, talking):
    from survivor_portal.accounts.her_data import _account_delete_now

    services.message_send(actor=survivor, conversation_id=talking.pk, body="Mine")
    services.message_send(actor=advocate, conversation_id=talking.pk, body="Theirs")
    _account_delete_now(actor=survivor, posts="delete")
    assert not Message.objects.exists() and not Conversation.objects.exists()


def test_her_export_holds_her_messages(survivor, advocate, talking):
    from survivor_portal.accounts.her_data import export_for

    services.message_send(actor=survivor, conversation_id=talking.pk, body="Mine")
    services.message_send(actor=advocate, conversation_id=talking.pk, body="Theirs")
    services.keep_days_set(actor=survivor, days=90)
    data = export_for(viewer=survivor)
    assert data["messages"]["keep_days"] == 90
    [conversation] = data["messages"]["conversations"]
    assert conversation["agency"] == "Northside Shelter"
    assert [(m["from"], m["text"]) for m in conversation["messages"]] == [("you", "Mine"), ("Sam", "Theirs")]
    assert "messages" in export_for(viewer=survivor, readable=True)


def test_a_fresh_staff_member_counts_once_active(survivor, northside, talking):
    newcomer = StaffFactory(agency=northside)
    services.message_send(actor=newcomer, conversation_id=talking.pk, body="Hello, I am new here")
    assert Message.objects.get().author == newcomer
