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


def test_staff_record_a_grant_it_waits_for_her_yes(as_advocate, as_survivor, survivor, advocate, northside):
    goal_services.goal_create(actor=survivor, title="Find a flat", category="housing")
    answer = as_advocate.post("/agency/consents/new", {"username": "maya", "scopes": ["goals"], "goal_scope": "all",
                                                        "purpose": "support", "days": "30"})
    assert answer.status_code == 302
    grant = ConsentGrant.objects.get()
    assert grant.given_via == "staff" and grant.recorded_by == advocate and grant.awaiting_her
    reader = selectors.Reader.staff(advocate, via="page")
    with pytest.raises(NotFound):  # nothing is shared before her yes
        selectors.shared_goals_of(reader=reader, survivor_id=survivor.pk)
    home = as_survivor.get("/").content.decode()
    assert "Sam at Northside Shelter wrote down that you agreed to share" in home
    as_survivor.post(f"/sharing/{grant.pk}/confirm", {"answer": "yes"})
    assert [g.title for g in selectors.shared_goals_of(reader=reader, survivor_id=survivor.pk)] == ["Find a flat"]
    assert "Recorded by Sam after you agreed in person" in as_survivor.get("/sharing").content.decode()


def test_staff_can_never_widen_or_replace_what_she_shares(advocate, survivor, northside):
    goal_services.goal_create(actor=survivor, title="Secret legal", category="legal")
    mine = services.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["display_name"], days=30)
    recorded = services.consent_record_for(actor=advocate, username="maya", scopes=["goals"], days=365)
    mine.refresh_from_db()
    assert mine.is_active() and recorded.awaiting_her
    with pytest.raises(NotFound):
        selectors.shared_goals_of(reader=selectors.Reader.staff(advocate, via="api"), survivor_id=survivor.pk)
    services.consent_confirm(actor=survivor, grant_id=recorded.pk, yes=False)
    recorded.refresh_from_db()
    mine.refresh_from_db()
    assert recorded.state == "declined" and mine.is_active()


def test_stop_stops_whatever_is_in_force_for_that_agency(survivor, northside):
    seen = services.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["display_name"])
    services.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["goals"])  # another tab changed it
    services.consent_withdraw(actor=survivor, grant_id=seen.pk)
    assert not ConsentGrant.objects.filter(ended_at__isnull=True).exists()


def _record(client, username="maya"):
    answer = client.post("/api/v1/agency/consents", json.dumps({"username": username, "scopes": ["display_name"]}),
                         content_type="application/json")
    body = answer.json()
    return answer.status_code, {key: value for key, value in body.items() if key not in ("id", "starts_at", "expires_at", "notice_text")}


def test_staff_get_one_answer_whether_or_not_she_chose_never_share(as_advocate, as_survivor, survivor, northside):
    open_answer = _record(as_advocate)
    services.never_share_set(actor=survivor, agency_id=northside.pk, never=True)
    blocked_answer = _record(as_advocate)
    assert open_answer == blocked_answer and open_answer[0] == 201
    page = as_advocate.post("/agency/consents/new", {"username": "maya", "scopes": ["display_name"], "goal_scope": "all",
                                                     "purpose": "support", "days": "30"})
    assert page.status_code == 302  # the same "Recorded" as for anyone else


def test_a_grant_recorded_against_her_never_share_never_reaches_her(advocate, as_survivor, survivor, northside):
    services.never_share_set(actor=survivor, agency_id=northside.pk, never=True)
    withheld = services.consent_record_for(actor=advocate, username="maya", scopes=["display_name"])
    assert withheld.withheld and withheld.awaiting_her
    assert "wrote down that you agreed to share" not in as_survivor.get("/").content.decode()
    assert selectors.awaiting_her(viewer=survivor) == [] and selectors.grants_for(viewer=survivor) == []
    with pytest.raises(NotFound):
        services.consent_confirm(actor=survivor, grant_id=withheld.pk, yes=True)
    services.never_share_set(actor=survivor, agency_id=northside.pk, never=False)  # later lifting it does not bring it back
    assert selectors.awaiting_her(viewer=survivor) == []
    assert not selectors.people_sharing_with(reader=selectors.Reader.staff(advocate, via="api"))


def test_a_disclosure_notice_from_an_agency_she_never_shares_with_still_tells_her(as_advocate, as_survivor, survivor,
                                                                                    northside):
    services.never_share_set(actor=survivor, agency_id=northside.pk, never=True)
    answer = as_advocate.post("/api/v1/agency/disclosures", json.dumps(
        {"username": "maya", "shared_what": "Your address", "with_whom": "The court", "why": "A court order"}),
        content_type="application/json")
    assert answer.status_code == 201 and answer.json()["acknowledged_at"] is None
    home = as_survivor.get("/").content.decode()
    assert "Your address" in home and "You chose never to share with Northside Shelter" in home


def test_a_suggestion_records_no_look(advocate, survivor, northside):
    from survivor_portal.consent.models import AccessEvent

    goal = goal_services.goal_create(actor=survivor, title="Find a flat", category="housing")
    services.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["goals"])
    services.suggestion_make(actor=advocate, survivor_id=survivor.pk, text="Ask about the list", goal_id=goal.pk)
    assert not AccessEvent.objects.exists()


def test_renewing_keeps_the_choices_and_says_renewed(survivor, northside):
    first = services.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["goals"], goal_scope="categories",
                                   categories=["housing"], days=30)
    second = services.consent_renew(actor=survivor, grant_id=first.pk)
    first.refresh_from_db()
    assert first.state == "renewed" and second.goal_categories == ["housing"] and second.supersedes == first
    assert (second.expires_at - second.starts_at).days == 30


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
    assert [goal.title for goal in Goal.objects.order_by("position")] == ["Find a flat", "Open my own bank account"]
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
    assert made.status_code == 201 and made.json()["state"] == "awaiting_her"
    confirmed = send(as_survivor, f"/api/v1/consents/{made.json()['id']}/confirm", {"yes": True})
    assert confirmed.json()["state"] == "active" and confirmed.json()["recorded_by"] == "Sam"
    assert send(as_other_advocate, "/api/v1/agency/consents", {"username": "maya", "scopes": ["goals"]}).status_code == 404
    suggested = send(as_advocate, f"/api/v1/agency/survivors/{survivor.pk}/suggestions", {"text": "Join a class"})
    assert suggested.status_code == 201
    assert send(as_other_advocate, f"/api/v1/agency/survivors/{survivor.pk}/suggestions", {"text": "x"}).status_code == 404
    waiting = as_survivor.get("/api/v1/consents/suggestions").json()
    answered = send(as_survivor, f"/api/v1/consents/suggestions/{waiting[0]['id']}/answer", {"take": True})
    assert answered.json()["status"] == "taken" and "Join a class" in [goal.title for goal in Goal.objects.all()]
    assert as_advocate.get("/api/v1/consents/suggestions").status_code == 404
