"""The pages and the API stay thin: status, what is shown, and who is refused."""

import json

from survivor_portal.consent import services as consent
from survivor_portal.consent.models import AccessEvent, Suggestion
from survivor_portal.plans import selectors, services
from tests.conftest import logged_in
from tests.factories import UserFactory


def test_she_writes_a_section_and_the_plan_shows_it(as_survivor, survivor):
    assert "Your safety plan" in as_survivor.get("/plan").content.decode()
    answer = as_survivor.post("/plan/part/safe_places", {"text": "  Library on Elm  ", "version": "0"})
    assert answer.status_code == 302
    page = as_survivor.get("/plan").content.decode()
    assert "Library on Elm" in page


def test_an_example_goes_into_the_field_without_saving(as_survivor, survivor):
    answer = as_survivor.post("/plan/part/safe_places", {"text": "My words", "example": "1", "version": "0"})
    page = answer.content.decode()
    assert answer.status_code == 200
    assert "My words\nThe library and the supermarket are open late and have people around.</textarea>" in page
    assert selectors.plan_for(viewer=survivor).version == 0  # never fills itself


def test_a_stale_section_save_shows_both_texts(as_survivor, survivor):
    services.plan_section_save(actor=survivor, key="people", text="Sister", version=0)
    services.plan_section_save(actor=survivor, key="people", text="Sister and Ana", version=1)
    page = as_survivor.post("/plan/part/people", {"text": "Only Ana", "version": "1"}).content.decode()
    assert "Only Ana" in page and "Sister and Ana" in page and "Save what I typed" in page


def test_versions_page_and_restore(as_survivor, survivor):
    services.plan_section_save(actor=survivor, key="people", text="First")
    services.plan_section_save(actor=survivor, key="people", text="Second")
    assert "Bring back version 1" in as_survivor.get("/plan/versions").content.decode()
    assert as_survivor.post("/plan/versions/1/restore", {"version": "1"}).status_code == 302  # stale: nothing
    assert selectors.plan_for(viewer=survivor).version == 2
    as_survivor.post("/plan/versions/1/restore", {"version": "2"})
    assert [p.text for p in selectors.plan_for(viewer=survivor).sections if p.text] == ["First"]


def test_the_plain_page_has_no_heading_or_app_name_and_says_what_a_copy_reveals(as_survivor, survivor):
    services.plan_section_save(actor=survivor, key="people", text="Sister", private=True)
    page = as_survivor.get("/plan/read").content.decode()
    assert "Sister" in page and "screenshot" in page
    assert 'class="app-name"' not in page and "<h1" not in page and "<nav" not in page
    assert "no-store" in as_survivor.get("/plan/read")["Cache-Control"]


def test_advocate_sees_the_shared_plan_and_suggests(as_advocate, survivor, advocate, northside):
    services.plan_save(actor=survivor, sections={"people": {"text": "Sister"}, "code_word": {"text": "Umbrella", "private": True}})
    consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["safety_plan", "display_name"])
    page = as_advocate.get(f"/agency/people/{survivor.pk}/safety-plan").content.decode()
    assert "Sister" in page and "Umbrella" not in page and "A code word</h2>" not in page
    answer = as_advocate.post(f"/agency/people/{survivor.pk}/safety-plan/suggest",
                              {"plan_section": "safe_places", "text": "The library"})
    assert answer.status_code == 302 and Suggestion.objects.get().plan_section == "safe_places"
    assert f"/agency/people/{survivor.pk}/safety-plan" in as_advocate.get(f"/agency/people/{survivor.pk}").content.decode()


def test_she_takes_a_suggestion_from_her_plan_page(as_survivor, survivor, advocate, northside):
    consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["safety_plan"])
    s = consent.suggestion_make(actor=advocate, survivor_id=survivor.pk, text="The library", plan_section="safe_places")
    assert "suggests an addition to your safety plan" in as_survivor.get("/plan").content.decode()
    assert "suggests an addition to your safety plan" in as_survivor.get("/").content.decode()
    answer = as_survivor.post(f"/suggestions/{s.pk}/answer", {"answer": "take", "text": "The big library"})
    assert answer["Location"] == "/plan"
    assert [p.text for p in selectors.plan_for(viewer=survivor).sections if p.text] == ["The big library"]


def test_others_are_refused_the_pages(as_advocate, as_other_advocate, survivor, northside):
    services.plan_save(actor=survivor, sections={"people": {"text": "Sister"}})
    consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["goals"])  # not the plan
    assert as_advocate.get(f"/agency/people/{survivor.pk}/safety-plan").status_code == 404
    assert as_other_advocate.get(f"/agency/people/{survivor.pk}/safety-plan").status_code == 404
    assert as_advocate.get("/plan").status_code == 404
    other = logged_in(UserFactory(username="ana", agency=survivor.agency))
    assert "Sister" not in other.get("/plan").content.decode()
    assert not AccessEvent.objects.exists()


def test_api_get_put_versions_restore_with_if_match(as_survivor, survivor):
    first = as_survivor.get("/api/v1/me/safety-plan")
    assert first.status_code == 200 and first["ETag"] == '"0"' and first.json()["version"] == 0
    body = {"people": {"text": "Sister"}, "documents": {"ticks": ["passport"], "text": "With Sam"}}
    saved = as_survivor.put("/api/v1/me/safety-plan", body, content_type="application/json", headers={"If-Match": '"0"'})
    assert saved.status_code == 200 and saved["ETag"] == '"1"'
    again = as_survivor.put("/api/v1/me/safety-plan", body, content_type="application/json", headers={"If-Match": '"0"'})
    assert again.status_code == 412 and again["ETag"] == '"1"'
    wrong = as_survivor.put("/api/v1/me/safety-plan", {"people": {"ticks": ["passport"]}}, content_type="application/json")
    assert wrong.status_code == 422
    as_survivor.put("/api/v1/me/safety-plan", {}, content_type="application/json", headers={"If-Match": '"1"'})
    versions = as_survivor.get("/api/v1/me/safety-plan/versions").json()
    assert [v["number"] for v in versions] == [2, 1]
    restored = as_survivor.post("/api/v1/me/safety-plan/versions/1/restore", headers={"If-Match": '"2"'})
    assert restored.status_code == 200 and restored.json()["version"] == 3
    people = next(s for s in restored.json()["sections"] if s["key"] == "people")
    assert people["text"] == "Sister"
    review = as_survivor.put("/api/v1/me/safety-plan/review", {"every_days": 90}, content_type="application/json")
    assert review.json()["review_every_days"] == 90


def test_api_agency_read_leaves_out_private_sections_and_needs_the_scope(as_advocate, as_other_advocate, survivor, northside):
    services.plan_save(actor=survivor, sections={"people": {"text": "Sister"}, "code_word": {"text": "Umbrella", "private": True}})
    url = f"/api/v1/agency/survivors/{survivor.pk}/safety-plan"
    consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["goals"])
    assert as_advocate.get(url).status_code == 404
    consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["goals", "safety_plan"])
    shared = as_advocate.get(url)
    assert shared.status_code == 200
    assert [s["key"] for s in shared.json()["sections"]] == ["people"] and "Umbrella" not in shared.content.decode()
    assert as_other_advocate.get(url).status_code == 404
    suggestion = as_advocate.post(f"/api/v1/agency/survivors/{survivor.pk}/suggestions",
                                  {"text": "Library", "plan_section": "safe_places"}, content_type="application/json")
    assert suggestion.status_code == 201 and suggestion.json()["plan_section"] == "safe_places"


def test_home_asks_gently_once_the_period_she_chose_has_passed(as_survivor, survivor):
    from datetime import timedelta

    from django.utils import timezone

    from survivor_portal.plans.models import SafetyPlan

    services.plan_section_save(actor=survivor, key="people", text="Sister")
    services.plan_review_set(actor=survivor, every_days=30)
    assert "Would you like to read it again?" not in as_survivor.get("/").content.decode()
    SafetyPlan.objects.filter(owner=survivor).update(looked_at=timezone.now() - timedelta(days=31))
    assert "Would you like to read it again?" in as_survivor.get("/").content.decode()
    as_survivor.post("/plan/looked", {})
    assert "Would you like to read it again?" not in as_survivor.get("/").content.decode()


def test_she_deletes_her_plan_and_every_version_at_once(as_survivor, survivor, northside):
    from survivor_portal.plans.models import SafetyPlan, SafetyPlanVersion

    services.plan_section_save(actor=survivor, key="people", text="Sister")
    services.plan_section_save(actor=survivor, key="people", text="")
    consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["safety_plan"])
    page = as_survivor.get("/plan").content.decode()
    assert "Northside Shelter can see your plan, except the parts you keep private, until" in page
    assert "gone at once with every earlier version" in as_survivor.get("/staying-safe").content.decode()
    assert as_survivor.get("/plan/delete").status_code == 200
    assert as_survivor.post("/plan/delete").status_code == 302
    assert not SafetyPlan.objects.exists() and not SafetyPlanVersion.objects.exists()
    services.plan_section_save(actor=survivor, key="people", text="Again")
    assert as_survivor.delete("/api/v1/me/safety-plan").status_code == 204
    assert not SafetyPlan.objects.exists()


def test_a_stale_save_of_ticked_boxes_shows_both_lists(as_survivor, survivor):
    services.plan_section_save(actor=survivor, key="documents", ticks=["passport"], text="", version=0)
    services.plan_section_save(actor=survivor, key="documents", ticks=["passport", "bank"], text="", version=1)
    page = as_survivor.post("/plan/part/documents", {"ticks": ["id"], "text": "", "version": "1"}).content.decode()
    assert "Passport, Bank cards and papers" in page and "ID card" in page and "Save what I typed" in page
