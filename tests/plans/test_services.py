"""Her safety plan: private by default, versions, restore, sharing by scope with one agency at a
time, keep-private beating any grant, suggestions, and her words sealed in the database."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from survivor_portal.consent import selectors as consent_selectors
from survivor_portal.consent import services as consent
from survivor_portal.consent.models import AccessEvent, Suggestion
from survivor_portal.errors import Invalid, NotFound
from survivor_portal.plans import selectors, services
from survivor_portal.plans.models import SafetyPlan, SafetyPlanVersion
from survivor_portal.versions import Stale
from tests.factories import UserFactory


def _reader(staff):
    return consent_selectors.Reader.staff(staff, via="page")


def _texts(view):
    return {part.key: part.text for part in view.sections if part.text}


def test_a_new_plan_is_empty_and_nobody_else_can_read_it(survivor, advocate, northside):
    assert selectors.plan_for(viewer=survivor).version == 0
    services.plan_save(actor=survivor, sections={"safe_places": {"text": "My sister's flat"}})
    with pytest.raises(NotFound):  # no sharing at all: private by default
        selectors.shared_plan_of(reader=_reader(advocate), survivor_id=survivor.pk)
    with pytest.raises(NotFound):
        selectors.plan_for(viewer=advocate)


def test_every_save_keeps_the_previous_version_and_restoring_is_a_save(survivor):
    services.plan_save(actor=survivor, sections={"safe_places": {"text": "First"}}, version=0)
    services.plan_section_save(actor=survivor, key="safe_places", text="Second", version=1)
    assert _texts(selectors.plan_for(viewer=survivor)) == {"safe_places": "Second"}
    services.plan_restore(actor=survivor, number=1, version=2)
    now = selectors.plan_for(viewer=survivor)
    assert now.version == 3 and _texts(now) == {"safe_places": "First"}
    kept = selectors.versions_for(viewer=survivor)
    assert [(v["number"], v["how"], v["restored_from"]) for v in kept] == [(3, "restored", 1), (2, "saved", None), (1, "saved", None)]
    assert _texts(kept[1]["plan"]) == {"safe_places": "Second"}


def test_a_save_from_an_older_page_is_refused_when_that_section_changed(survivor):
    services.plan_section_save(actor=survivor, key="people", text="Sister", version=0)
    services.plan_section_save(actor=survivor, key="people", text="Sister and Ana", version=1)
    with pytest.raises(Stale):
        services.plan_section_save(actor=survivor, key="people", text="Only my sister", version=1)
    with pytest.raises(Stale):
        services.plan_save(actor=survivor, sections={}, version=1)
    assert _texts(selectors.plan_for(viewer=survivor)) == {"people": "Sister and Ana"}


def test_another_section_saved_in_another_tab_does_not_block_this_one(survivor):
    services.plan_section_save(actor=survivor, key="people", text="Sister", version=0)
    services.plan_section_save(actor=survivor, key="people", text="Sister and Ana", version=1)  # tab A
    services.plan_section_save(actor=survivor, key="safe_places", text="Library", version=1)  # tab B, older page
    assert _texts(selectors.plan_for(viewer=survivor)) == {"people": "Sister and Ana", "safe_places": "Library"}


def test_text_and_ticks_are_checked(survivor):
    with pytest.raises(Invalid):
        services.plan_section_save(actor=survivor, key="code_word", text="x" * 101)
    with pytest.raises(Invalid):
        services.plan_section_save(actor=survivor, key="safe_places", text="ok", ticks=["passport"])
    with pytest.raises(Invalid):
        services.plan_section_save(actor=survivor, key="people", text="a\x00b")
    with pytest.raises(Invalid):
        services.plan_section_save(actor=survivor, key="nope", text="x")
    services.plan_section_save(actor=survivor, key="documents", text="With Sam", ticks=["bank", "passport"])
    docs = next(p for p in selectors.plan_for(viewer=survivor).sections if p.key == "documents")
    assert docs.ticks == ["passport", "bank"] and docs.text == "With Sam"
    assert not SafetyPlan.objects.exclude(owner=survivor).exists()


def test_only_the_newest_hundred_versions_are_kept(survivor, monkeypatch):
    monkeypatch.setattr(services, "VERSIONS_KEPT", 3)
    for n in range(5):
        services.plan_section_save(actor=survivor, key="people", text=f"v{n}")
    assert list(SafetyPlanVersion.objects.values_list("number", flat=True)) == [5, 4, 3]


def test_shared_plan_shows_only_sections_not_kept_private_and_records_the_look(survivor, advocate, northside):
    services.plan_save(actor=survivor, sections={
        "safe_places": {"text": "Library"}, "code_word": {"text": "Blue umbrella", "private": True},
        "documents": {"ticks": ["passport"], "private": False}})
    consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["safety_plan"])
    shown = selectors.shared_plan_of(reader=_reader(advocate), survivor_id=survivor.pk)
    assert [part.key for part in shown["sections"]] == ["safe_places", "documents"]
    assert shown["name"] is None  # her name was not shared
    event = AccessEvent.objects.get()
    assert event.what == "safety_plan"
    assert consent_selectors.look_sentence(event) == "Sam at Northside Shelter saw your safety plan (not the parts you keep private)"


def test_staff_without_the_scope_or_at_another_agency_are_refused(survivor, advocate, other_advocate, northside):
    services.plan_save(actor=survivor, sections={"safe_places": {"text": "Library"}})
    consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["goals"])
    for staff in (advocate, other_advocate):
        with pytest.raises(NotFound):
            selectors.shared_plan_of(reader=_reader(staff), survivor_id=survivor.pk)
    assert not AccessEvent.objects.exists()


def test_withdrawn_or_expired_sharing_hides_the_plan_on_the_next_request(survivor, advocate, northside):
    services.plan_save(actor=survivor, sections={"safe_places": {"text": "Library"}})
    grant = consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["safety_plan"], days=30)
    selectors.shared_plan_of(reader=_reader(advocate), survivor_id=survivor.pk)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        with pytest.raises(NotFound):
            selectors.shared_plan_of(reader=_reader(advocate), survivor_id=survivor.pk)
    consent.consent_withdraw(actor=survivor, grant_id=grant.pk)
    with pytest.raises(NotFound):
        selectors.shared_plan_of(reader=_reader(advocate), survivor_id=survivor.pk)


def test_the_plan_is_shared_with_one_agency_at_a_time_a_second_is_refused(survivor, northside, eastbridge):
    consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["safety_plan"])
    with pytest.raises(Invalid) as refused:
        consent.preview(actor=survivor, agency_id=eastbridge.pk, scopes=["safety_plan"])
    assert "Northside Shelter" in refused.value.message
    with pytest.raises(Invalid):
        consent.consent_grant(actor=survivor, agency_id=eastbridge.pk, scopes=["goals", "safety_plan"])
    consent.consent_grant(actor=survivor, agency_id=eastbridge.pk, scopes=["goals"])  # other things still can be
    renewed = consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["safety_plan", "goals"])
    assert renewed.share_safety_plan  # the same agency may change its sharing
    consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["goals"])  # stops the plan there
    assert consent.consent_grant(actor=survivor, agency_id=eastbridge.pk, scopes=["safety_plan"]).share_safety_plan


def test_staff_cannot_record_her_safety_plan_as_shared(advocate, survivor):
    with pytest.raises(Invalid):
        consent.consent_record_for(actor=advocate, username=survivor.username, scopes=["safety_plan"])


def test_an_advocate_suggestion_reaches_her_only_as_a_suggestion(survivor, advocate, northside):
    services.plan_save(actor=survivor, sections={"money_bag": {"text": "Some cash at Ana's"}})
    consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["safety_plan"])
    suggestion = consent.suggestion_make(actor=advocate, survivor_id=survivor.pk, text="A spare phone charger",
                                         plan_section="money_bag")
    assert _texts(selectors.plan_for(viewer=survivor)) == {"money_bag": "Some cash at Ana's"}  # nothing added yet
    consent.suggestion_answer(actor=survivor, suggestion_id=suggestion.pk, take=True, text="My charger in the bag")
    now = selectors.plan_for(viewer=survivor)
    assert _texts(now) == {"money_bag": "Some cash at Ana's\nMy charger in the bag"}
    assert SafetyPlanVersion.objects.get(number=now.version).how == "suggestion"
    declined = consent.suggestion_make(actor=advocate, survivor_id=survivor.pk, text="Call me", plan_section="people")
    consent.suggestion_answer(actor=survivor, suggestion_id=declined.pk, take=False)
    assert "people" not in _texts(selectors.plan_for(viewer=survivor))


def test_plan_suggestions_need_the_plan_scope(survivor, advocate, other_advocate, northside):
    consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["goals"])
    with pytest.raises(NotFound):
        consent.suggestion_make(actor=advocate, survivor_id=survivor.pk, text="x", plan_section="people")
    with pytest.raises(NotFound):
        consent.suggestion_make(actor=other_advocate, survivor_id=survivor.pk, text="x", plan_section="people")
    consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["safety_plan"])
    with pytest.raises(Invalid):
        consent.suggestion_make(actor=advocate, survivor_id=survivor.pk, text="x", plan_section="nope")
    assert not Suggestion.objects.exists()


def test_the_review_prompt_comes_after_the_period_she_chose_or_never(survivor):
    services.plan_section_save(actor=survivor, key="people", text="Sister")
    assert not selectors.review_due(viewer=survivor)
    with time_machine.travel(timezone.now() + timedelta(days=400)):
        assert not selectors.review_due(viewer=survivor)  # "never" is the default
    services.plan_review_set(actor=survivor, every_days=30)
    with time_machine.travel(timezone.now() + timedelta(days=29)):
        assert not selectors.review_due(viewer=survivor)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert selectors.review_due(viewer=survivor)
        services.plan_looked_at(actor=survivor)
        assert not selectors.review_due(viewer=survivor)
    with pytest.raises(Invalid):
        services.plan_review_set(actor=survivor, every_days=7)


def test_her_plan_and_every_version_are_sealed_in_the_database(survivor):
    services.plan_save(actor=survivor, sections={"safe_places": {"text": "Cafe Girasol near the bridge"}})
    services.plan_save(actor=survivor, sections={"safe_places": {"text": "Library Marigold"}})
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM plans_safetyplan UNION ALL SELECT content FROM plans_safetyplanversion")
        stored = " ".join(row[0] for row in cursor.fetchall())
    assert "Girasol" not in stored and "Marigold" not in stored and "safe_places" not in stored


def test_export_holds_her_plan_and_its_versions_and_deletion_removes_them(survivor):
    from survivor_portal.accounts.her_data import _account_delete_now, export_for

    services.plan_save(actor=survivor, sections={"people": {"text": "Ana"}, "code_word": {"text": "Blue", "private": True}})
    services.plan_save(actor=survivor, sections={"people": {"text": "Ana and Sol"}})
    data = json.loads(json.dumps(export_for(viewer=survivor)))["safety_plan"]
    assert data["now"] == [{"part": "people", "text": "Ana and Sol", "ticked": [], "private": False}]
    assert [v["number"] for v in data["versions"]] == [2, 1]
    assert {"part": "code_word", "text": "Blue", "ticked": [], "private": True} in data["versions"][1]["parts"]
    _account_delete_now(actor=survivor, posts="delete")
    assert not SafetyPlan.objects.exists() and not SafetyPlanVersion.objects.exists()


def test_saves_are_write_limited(survivor, monkeypatch):
    from survivor_portal import write_limits
    from survivor_portal.write_limits import TooFast

    monkeypatch.setitem(write_limits.LIMITS, "safety_plan", write_limits.Limit(2, 10))
    services.plan_section_save(actor=survivor, key="people", text="a")
    services.plan_section_save(actor=survivor, key="people", text="b")
    with pytest.raises(TooFast):
        services.plan_section_save(actor=survivor, key="people", text="c")


def test_another_survivor_never_reaches_her_plan(survivor, northside):
    other = UserFactory(username="ana", agency=northside)
    services.plan_save(actor=survivor, sections={"people": {"text": "Sister"}})
    assert selectors.plan_for(viewer=other).version == 0
    assert selectors.versions_for(viewer=other) == []
