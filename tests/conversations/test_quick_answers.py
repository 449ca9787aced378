"""With Redis (shared by every app process) the unread mark and an idle poll ask no database
for conversations at all, yet a new message always shows on the next page or poll."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from survivor_portal.consent import services as consent
from survivor_portal.conversations import services
from tests.conftest import logged_in


@pytest.fixture
def shared_cache(settings):
    settings.REDIS_URL = "redis://shared"  # the logic only; the default cache stands in for Redis


@pytest.fixture
def talking(survivor, northside):
    consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["messages"])
    return services.conversation_open(actor=survivor, agency_id=northside.pk)


def _conversation_queries(client, path, **headers):
    with CaptureQueriesContext(connection) as seen:
        answer = client.get(path, **headers)
    return answer, [q["sql"] for q in seen.captured_queries if "conversations_" in q["sql"]]


def test_the_mark_is_kept_and_dropped_when_something_reaches_her(shared_cache, survivor, advocate, talking,
                                                                 django_capture_on_commit_callbacks):
    her = logged_in(survivor)
    her.get("/meetings")
    answer, asked = _conversation_queries(her, "/meetings")
    assert asked == [] and "unread-mark" not in answer.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(actor=advocate, conversation_id=talking.pk, body="Hello")
    answer, asked = _conversation_queries(her, "/meetings")
    assert len(asked) == 1 and "unread-mark" in answer.content.decode()


def test_an_idle_poll_asks_nothing_and_a_new_message_still_arrives(shared_cache, survivor, northside, advocate, talking,
                                                                   django_capture_on_commit_callbacks):
    first = services.message_send(actor=survivor, conversation_id=talking.pk, body="Hi")
    her = logged_in(survivor)
    her.get(f"/messages/with/{northside.pk}")
    poll = f"/messages/{talking.pk}/new?after={first.pk}"
    her.get(poll, HTTP_X_BACKGROUND="1")
    answer, asked = _conversation_queries(her, poll, HTTP_X_BACKGROUND="1")
    assert answer.status_code == 204 and asked == []
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(actor=advocate, conversation_id=talking.pk, body="Answer")
    answer = her.get(poll, HTTP_X_BACKGROUND="1")
    assert answer.status_code == 200 and "Answer" in answer.content.decode()


def test_a_session_that_never_opened_it_goes_the_long_way(shared_cache, survivor, other_advocate, talking):
    services.message_send(actor=survivor, conversation_id=talking.pk, body="Hi")
    assert logged_in(other_advocate).get(f"/messages/{talking.pk}/new?after=0", HTTP_X_BACKGROUND="1").status_code == 404
