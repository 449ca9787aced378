"""Her words are sealed in the database, bound to their row and field, and open only with DATA_KEYS."""

import logging

import pytest
from django.db import connection, transaction

from survivor_portal.goals import services
from survivor_portal.goals.models import Goal, Step
from survivor_portal.vault import cipher
from survivor_portal.vault.fields import Unreadable
from tests.factories import UserFactory

NEW_KEY = b"n" * 32


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


@pytest.fixture
def goal(survivor):
    made = services.goal_create(actor=survivor, title="Find a flat near Rosa", note="Ask about the deposit")
    services.step_create(actor=survivor, goal_id=made.pk, text="Call the housing office")
    return made


def test_the_database_holds_only_sealed_words_and_reads_back_plain(goal):
    raw = _raw("goals_goal", "title", goal.pk)
    assert cipher.is_sealed(raw) and "Rosa" not in raw
    assert "deposit" not in _raw("goals_goal", "note", goal.pk)
    step = goal.steps.get()
    assert "housing" not in _raw("goals_step", "text", step.pk)
    fresh = Goal.objects.get(pk=goal.pk)
    assert (fresh.title, fresh.note, fresh.steps.get().text) == (
        "Find a flat near Rosa", "Ask about the deposit", "Call the housing office")


def test_the_same_words_seal_differently_each_time(survivor):
    one = services.goal_create(actor=survivor, title="Same words")
    two = services.goal_create(actor=survivor, title="Same words")
    assert _raw("goals_goal", "title", one.pk) != _raw("goals_goal", "title", two.pk)


def test_a_value_copied_into_another_persons_row_does_not_open(goal, caplog):
    theirs = services.goal_create(actor=UserFactory(), title="Their own goal")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE goals_goal SET title = %s WHERE id = %s", [_raw("goals_goal", "title", goal.pk), theirs.pk])
    with caplog.at_level(logging.WARNING, logger="survivor_portal.vault"):
        title = Goal.objects.get(pk=theirs.pk).title
    assert isinstance(title, Unreadable) and title == "(This could not be opened.)"
    assert "Rosa" not in caplog.text and "goals.goal.title" in caplog.text and str(theirs.pk) in caplog.text


def test_a_value_copied_into_another_field_of_the_same_row_does_not_open(goal):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE goals_goal SET note = title WHERE id = %s", [goal.pk])
    assert isinstance(Goal.objects.get(pk=goal.pk).note, Unreadable)


def test_saving_a_row_that_did_not_open_keeps_its_sealed_words(goal, settings):
    sealed = _raw("goals_goal", "title", goal.pk)
    settings.DATA_KEYS = [NEW_KEY]  # the old key removed too early
    stuck = Goal.objects.get(pk=goal.pk)
    assert isinstance(stuck.title, Unreadable)
    stuck.save()
    assert _raw("goals_goal", "title", goal.pk) == sealed


def test_any_listed_key_opens_and_a_save_moves_words_to_the_newest(goal, settings):
    old = list(settings.DATA_KEYS)
    settings.DATA_KEYS = [NEW_KEY, *old]
    reread = Goal.objects.get(pk=goal.pk)
    assert reread.title == "Find a flat near Rosa"
    reread.save()
    assert cipher.key_id_of(_raw("goals_goal", "title", goal.pk)) == cipher.newest_key_id()
    settings.DATA_KEYS = [NEW_KEY]
    assert Goal.objects.get(pk=goal.pk).title == "Find a flat near Rosa"


def test_sql_that_filters_or_writes_her_words_directly_is_refused(goal):
    step = goal.steps.get()
    for attempt in [lambda: list(Goal.objects.filter(title__icontains="flat")),
                    lambda: list(Goal.objects.filter(title="Find a flat near Rosa")),
                    lambda: Goal.objects.filter(pk=goal.pk).update(title="plain words"),
                    lambda: Step.objects.bulk_update([Step(pk=step.pk, text="plain")], ["text"])]:
        with pytest.raises(TypeError), transaction.atomic():
            attempt()
    assert Goal.objects.get(pk=goal.pk).title == "Find a flat near Rosa"


def test_an_empty_value_stays_empty_and_can_be_compared(survivor):
    made = services.goal_create(actor=survivor, title="No note")
    assert _raw("goals_goal", "note", made.pk) == ""
    assert Goal.objects.filter(note="").filter(pk=made.pk).exists()


def test_a_text_another_layer_stored_after_full_clean_is_sealed_as_it_is(goal):
    """The "only me" layer stores its own ciphertext, longer than max_length, after full_clean()."""
    theirs = "x" * 500
    goal.title = theirs
    goal.save(update_fields=["title"])
    assert Goal.objects.get(pk=goal.pk).title == theirs


def test_every_row_has_its_own_key(goal, survivor):
    other = services.goal_create(actor=survivor, title="Another")
    assert goal.row_key and other.row_key and goal.row_key != other.row_key


def test_an_answer_kept_for_a_retry_is_sealed_and_replayed_as_it_was(as_survivor):
    send = lambda: as_survivor.post("/api/v1/goals", '{"title": "Wombat papers for the court"}',  # noqa: E731
                                    content_type="application/json", HTTP_IDEMPOTENCY_KEY="retry-1")
    first, again = send(), send()
    assert first.status_code == again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.content == first.content
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM idempotency_idempotencykey")
        raw = cursor.fetchone()[0]
    assert cipher.is_sealed(raw) and "Wombat" not in raw
