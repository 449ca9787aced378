import json

import pytest

from survivor_portal.consent import selectors, services
from survivor_portal.consent.models import ConsentGrant, Suggestion
from survivor_portal.errors import Invalid, NotFound
from survivor_portal.goals import services as goal_services
from survivor_portal.goals.models import Goal


def test_never_share_ends_sharing_now_and_blocks_it_later(as_survivor, survivor, northside):
    services.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["display_name"])
    as_survivor.post(f"/sharing/never/{northside.pk}", {"never": "1"})
    assert not ConsentGrant.objects.get().is_active()
    with pytest.raises(Invalid):
        services.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["display_name"])
    as_survivor.post(f"/sharing/never/{northside.pk}", {"never": "0"})
    assert services.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["display_name"]).is_active()


def test_staff_record_a_grant_she_sees_who_recorded(as_advocate, as_survivor, survivor, advocate, northside):
    answer = as_advocate.post("/agency/consents/new", {"username": "maya", "scopes": ["goals"], "goal_scope": "all",
                                                        "purpose": "support", "days": "30"})
    assert answer.status_code == 302
    grant = ConsentGrant.objects.get()
    assert grant.given_via == "staff" and grant.recorded_by == advocate and grant.agency == northside
    assert "Recorded by Sam after you agreed in person" in as_survivor.get("/sharing").content.decode()


def test_staff_cannot_record_for_strangers_or_other_agencies(other_advocate, survivor):
    with pytest.raises(NotFound):
        services.consent_record_for(actor=other_advocate, username="maya", scopes=["goals"])
    assert not ConsentGrant.objects.exists()


def test_staff_cannot_pick_single_goals_for_her(advocate, survivor):
    with pytest.raises(Invalid):
        services.consent_record_for(actor=advocate, username="maya", scopes=["goals"], goal_scope="chosen")


def test_a_suggestion_never_enters_her_list_without_her(as_advocate, as_survivor, survivor, northside):
    goal = goal_services.goal_create(actor=survivor, title="Find a flat", category="housing")
    services.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["goals"])
    as_advocate.post(f"/agency/people/{survivor.pk}/suggest", {"text": "Ask about the housing list", "goal_id": goal.pk, "category": "housing"})
    as_advocate.post(f"/agency/people/{survivor.pk}/suggest", {"text": "Open a bank account", "category": "money"})
    assert Goal.objects.count() == 1 and goal.steps.count() == 0
    home = as_survivor.get("/").content.decode()
    assert "Suggestions for you" in home and "Open a bank account" in home
    step_suggestion, goal_suggestion = Suggestion.objects.order_by("pk")
    as_survivor.post(f"/suggestions/{goal_suggestion.pk}/answer", {"answer": "take", "text": "Open my own bank account"})
    as_survivor.post(f"/suggestions/{step_suggestion.pk}/answer", {"answer": "decline"})
    assert list(Goal.objects.values_list("title", flat=True).order_by("position")) == ["Find a flat", "Open my own bank account"]
    assert goal.steps.count() == 0
    assert as_survivor.post(f"/suggestions/{step_suggestion.pk}/answer", {"answer": "take"}).status_code == 404


def test_only_agencies_she_shares_goals_with_can_suggest(other_advocate, advocate, survivor, mentor, northside):
    from tests.conftest import logged_in

    secret = goal_services.goal_create(actor=survivor, title="Private", category="legal", keep_private=True)
    with pytest.raises(NotFound):
        services.suggestion_make(actor=advocate, survivor_id=survivor.pk, text="x")
    services.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["goals"])
    with pytest.raises(NotFound):
        services.suggestion_make(actor=other_advocate, survivor_id=survivor.pk, text="x")
    with pytest.raises(NotFound):
        services.suggestion_make(actor=advocate, survivor_id=survivor.pk, text="x", goal_id=secret.pk)
    with pytest.raises(Invalid):
        services.suggestion_make(actor=advocate, survivor_id=survivor.pk, text="")
    assert logged_in(mentor).post(f"/agency/people/{survivor.pk}/suggest", {"text": "x"}).status_code == 404
    assert not Suggestion.objects.exists()


def test_another_survivor_cannot_answer_her_suggestions(mentor, advocate, survivor, northside):
    from tests.conftest import logged_in

    services.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["goals"])
    suggestion = services.suggestion_make(actor=advocate, survivor_id=survivor.pk, text="Rest more")
    assert logged_in(mentor).post(f"/suggestions/{suggestion.pk}/answer", {"answer": "take"}).status_code == 404
    suggestion.refresh_from_db()
    assert suggestion.status == "waiting"


def test_private_and_suggestion_api(as_survivor, as_advocate, as_other_advocate, survivor, northside):
    send = lambda c, p, b: c.post(p, json.dumps(b), content_type="application/json")  # noqa: E731
    assert send(as_survivor, "/api/v1/consents/never-share", {"agency_id": northside.pk}).status_code == 204
    assert send(as_survivor, "/api/v1/consents", {"agency_id": northside.pk, "scopes": ["goals"]}).status_code == 422
    send(as_survivor, "/api/v1/consents/never-share", {"agency_id": northside.pk, "never": False})
    made = send(as_advocate, "/api/v1/agency/consents", {"username": "maya", "scopes": ["goals"]})
    assert made.status_code == 201
    assert send(as_other_advocate, "/api/v1/agency/consents", {"username": "maya", "scopes": ["goals"]}).status_code == 404
    suggested = send(as_advocate, f"/api/v1/agency/survivors/{survivor.pk}/suggestions", {"text": "Join a class"})
    assert suggested.status_code == 201
    assert send(as_other_advocate, f"/api/v1/agency/survivors/{survivor.pk}/suggestions", {"text": "x"}).status_code == 404
    waiting = as_survivor.get("/api/v1/consents/suggestions").json()
    answered = send(as_survivor, f"/api/v1/consents/suggestions/{waiting[0]['id']}/answer", {"take": True})
    assert answered.json()["status"] == "taken" and Goal.objects.filter(title="Join a class").exists()
    assert as_advocate.get("/api/v1/consents/suggestions").status_code == 404
