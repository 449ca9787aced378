import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from survivor_portal.consent import services as consent
from survivor_portal.consent.models import AccessEvent
from survivor_portal.conversations import services
from survivor_portal.conversations.models import Conversation, Message
from survivor_portal.safety.middleware import LOCKED
from survivor_portal.scheduling import services as scheduling
from tests.conftest import logged_in


@pytest.fixture
def talking(survivor, northside):
    consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["messages", "appointments", "display_name"])
    return services.conversation_open(actor=survivor, agency_id=northside.pk)


def test_she_writes_without_javascript_and_the_advocate_answers(survivor, northside, advocate, talking):
    her, sam = logged_in(survivor), logged_in(advocate)
    sent = her.post(f"/messages/with/{northside.pk}/send", {"body": "Is Friday still on?"})
    assert sent.status_code == 302 and sent.url.startswith(f"/messages/with/{northside.pk}#m")
    page = sam.get(f"/agency/messages/{survivor.pk}").content.decode()
    assert "Is Friday still on?" in page and "Check for new messages" in page and "Keeping records" in page
    assert sam.post(f"/agency/messages/{survivor.pk}/send", {"body": "Yes, 10 o'clock."}).status_code == 302
    page = her.get(f"/messages/with/{northside.pk}").content.decode()
    assert "Yes, 10 o&#x27;clock." in page and "Sam, Northside Shelter" in page and "Delete for everyone" in page


def test_the_unread_mark_is_in_her_menu_only_after_unlock_and_never_in_the_title(survivor, advocate, talking):
    her = logged_in(survivor)
    assert "unread-mark" not in her.get("/messages").content.decode()
    services.message_send(actor=advocate, conversation_id=talking.pk, body="Hello")
    page = her.get("/meetings").content.decode()
    assert page.count("unread-mark") == 1
    title = page.split("<title>")[1].split("</title>")[0]
    assert "1" not in title and "new" not in title.lower()
    session = her.session
    session[LOCKED] = True
    session.save()
    locked = her.get("/").content.decode()
    assert "unread-mark" not in locked and "Messages" not in locked


def test_the_mark_costs_one_query_per_page(survivor, advocate, talking):
    her = logged_in(survivor)
    her.get("/meetings")
    with CaptureQueriesContext(connection) as without_news:
        her.get("/meetings")
    services.message_send(actor=advocate, conversation_id=talking.pk, body="Hello")
    with CaptureQueriesContext(connection) as with_news:
        her.get("/meetings")
    asked = [q["sql"] for q in with_news.captured_queries if "conversations_message" in q["sql"]]
    assert len(asked) == 1 and len(with_news.captured_queries) == len(without_news.captured_queries)


def test_reading_the_conversation_clears_the_mark(survivor, northside, advocate, talking):
    services.message_send(actor=advocate, conversation_id=talking.pk, body="Hello")
    her = logged_in(survivor)
    her.get(f"/messages/with/{northside.pk}")
    assert "unread-mark" not in her.get("/meetings").content.decode()


def test_each_staff_page_read_is_one_look(survivor, advocate, talking):
    for n in range(3):
        services.message_send(actor=survivor, conversation_id=talking.pk, body=f"m{n}")
    logged_in(advocate).get(f"/agency/messages/{survivor.pk}")
    assert AccessEvent.objects.filter(survivor=survivor, what="messages").count() == 1


def test_polling_says_nothing_new_cheaply_and_new_messages_when_there_are(survivor, northside, advocate, talking):
    her = logged_in(survivor)
    first = services.message_send(actor=survivor, conversation_id=talking.pk, body="First")
    her.get(f"/messages/with/{northside.pk}")
    with CaptureQueriesContext(connection) as seen:
        idle = her.get(f"/messages/{talking.pk}/new?after={first.pk}", HTTP_X_BACKGROUND="1", HTTP_HX_REQUEST="true")
    assert idle.status_code == 204
    assert len([q for q in seen.captured_queries if "conversations_" in q["sql"]]) == 1
    services.message_send(actor=advocate, conversation_id=talking.pk, body="Answer")
    fresh = her.get(f"/messages/{talking.pk}/new?after={first.pk}", HTTP_X_BACKGROUND="1", HTTP_HX_REQUEST="true")
    html = fresh.content.decode()
    assert fresh.status_code == 200 and "Answer" in html and "First" not in html and "<html" not in html
    assert 'id="poller"' in html


def test_staff_polls_stop_when_she_stops_sharing(survivor, advocate, talking):
    sam = logged_in(advocate)
    sam.get(f"/agency/messages/{survivor.pk}")
    consent.consent_withdraw(actor=survivor, grant_id=survivor.consent_grants.get(ended_at__isnull=True).pk)
    Message.objects.create(conversation=talking, from_agency=False, body="After she stopped")
    Conversation.objects.filter(pk=talking.pk).update(newest_id=Message.objects.latest("pk").pk)
    assert sam.get(f"/messages/{talking.pk}/new?after=0", HTTP_X_BACKGROUND="1").status_code == 404
    assert sam.get(f"/agency/messages/{survivor.pk}").status_code == 404
    assert sam.get("/agency/messages").content.decode().count(f"/agency/messages/{survivor.pk}") == 0


def test_crisis_words_show_her_agency_help_privately(survivor, northside, advocate, talking):
    northside.crisis_resources = "Northside 24-hour line: 555-0100"
    northside.save()
    her = logged_in(survivor)
    page = her.post(f"/messages/with/{northside.pk}/send", {"body": "I want to die"}, follow=True).content.decode()
    assert "555-0100" in page and "Thank you for telling us" in page
    staff_page = logged_in(advocate).get(f"/agency/messages/{survivor.pk}").content.decode()
    assert "Thank you for telling us" not in staff_page


def test_keep_days_form_and_clearing_for_herself(survivor, northside, advocate, talking):
    her = logged_in(survivor)
    assert her.post("/messages/keep", {"days": "7", "version": "1"}).status_code == 302
    assert Conversation.objects.get(pk=talking.pk).keep_days == 7
    assert "Select a valid choice" in her.post("/messages/keep", {"days": "14"}).content.decode()
    services.message_send(actor=advocate, conversation_id=talking.pk, body="Hello")
    assert her.post(f"/messages/with/{northside.pk}/clear").status_code == 302
    assert "Hello" not in her.get(f"/messages/with/{northside.pk}").content.decode()


def test_she_deletes_her_own_message(survivor, northside, talking):
    mine = services.message_send(actor=survivor, conversation_id=talking.pk, body="Take this back")
    her = logged_in(survivor)
    assert her.post(f"/messages/sent/{mine.pk}/delete").status_code == 302
    assert not Message.objects.filter(pk=mine.pk).exists()


def test_app_only_meetings_link_the_conversation_and_changes_post_a_line(survivor, northside, advocate, talking):
    starts = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    slots = [scheduling.slot_create(actor=advocate, starts_at=starts + timedelta(hours=h),
                                    ends_at=starts + timedelta(hours=h, minutes=30)) for h in range(2)]
    booked = scheduling.appointment_book(actor=survivor, slot_id=slots[0].pk, contact="app_only")
    assert booked.conversation_id == talking.pk
    agenda = logged_in(advocate).get(f"/agency/agenda?day={starts.date().isoformat()}").content.decode()
    assert f"/agency/messages/{survivor.pk}" in agenda
    moved = scheduling.appointment_move(actor=survivor, appointment_id=booked.pk, slot_id=slots[1].pk)
    scheduling.appointment_cancel(actor=advocate, appointment_id=moved.pk, reason="I am ill today")
    lines = list(Message.objects.filter(conversation=talking).order_by("pk"))
    assert [(m.event, m.from_agency) for m in lines] == [("moved", False), ("cancelled", True)]
    page = logged_in(survivor).get(f"/messages/with/{northside.pk}").content.decode()
    assert "was moved to" in page and "was cancelled" in page and "I am ill" not in page


def test_a_meeting_booked_another_way_has_no_conversation(survivor, advocate, talking):
    starts = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    slot = scheduling.slot_create(actor=advocate, starts_at=starts, ends_at=starts + timedelta(minutes=30))
    booked = scheduling.appointment_book(actor=survivor, slot_id=slot.pk, contact="i_will_call")
    scheduling.appointment_cancel(actor=survivor, appointment_id=booked.pk)
    assert booked.conversation_id is None and not Message.objects.exists()


def test_api_exchange_and_refusals(survivor, northside, advocate, other_advocate, talking):
    her, sam, jordan = logged_in(survivor), logged_in(advocate), logged_in(other_advocate)
    listed = her.get("/api/v1/conversations").json()
    assert [c["id"] for c in listed] == [talking.pk]
    sent = her.post(f"/api/v1/conversations/{talking.pk}/messages", json.dumps({"body": "I want to die"}),
                    content_type="application/json")
    assert sent.status_code == 201 and sent.json()["mine"] and "crisis_resources" in sent.json()
    answer = sam.post(f"/api/v1/conversations/{talking.pk}/messages", json.dumps({"body": "We are here."}),
                      content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    again = sam.post(f"/api/v1/conversations/{talking.pk}/messages", json.dumps({"body": "We are here."}),
                     content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    assert answer.status_code == again.status_code == 201 and Message.objects.count() == 2
    read = her.get(f"/api/v1/conversations/{talking.pk}/messages").json()
    assert [m["body"] for m in read["messages"]] == ["I want to die", "We are here."]
    assert jordan.get(f"/api/v1/conversations/{talking.pk}/messages").status_code == 404
    assert sam.delete(f"/api/v1/messages/{sent.json()['id']}").status_code == 404
    assert her.delete(f"/api/v1/messages/{sent.json()['id']}").status_code == 204
    keep = her.put("/api/v1/me/messages/keep-days", json.dumps({"days": 90}), content_type="application/json")
    assert keep.status_code == 200 and keep.json() == {"days": 90}
    assert her.put("/api/v1/me/messages/keep-days", json.dumps({"days": 3}), content_type="application/json").status_code == 422
    consent.consent_withdraw(actor=survivor, grant_id=survivor.consent_grants.get(ended_at__isnull=True).pk)
    assert sam.get(f"/api/v1/conversations/{talking.pk}/messages").status_code == 404
    assert her.get(f"/api/v1/conversations/{talking.pk}/messages").status_code == 200


def test_her_readable_export_shows_her_messages(survivor, advocate, talking):
    services.message_send(actor=advocate, conversation_id=talking.pk, body="Bring the landlord's letter")
    page = logged_in(survivor).get("/download/export.html", HTTP_SEC_FETCH_SITE="same-origin").content.decode()
    assert "Kept for 30 days." in page and "Bring the landlord" in page and "Sam" in page
