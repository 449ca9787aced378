import json

import pytest

from survivor_portal.consent import services
from survivor_portal.consent.models import AccessEvent, ConsentGrant
from survivor_portal.goals import services as goal_services


@pytest.fixture
def housing_goal(survivor):
    return goal_services.goal_create(actor=survivor, title="Find a flat", category="housing")


def share_housing(survivor, agency):
    return services.consent_grant(actor=survivor, agency_id=agency.pk, scopes=["goals", "display_name"],
                                  goal_scope="categories", categories=["housing"])


def test_she_chooses_then_confirms_one_plain_sentence(as_survivor, survivor, northside, housing_goal):
    choices = {"scopes": ["goals", "display_name"], "goal_scope": "categories", "categories": ["housing"],
               "purpose": "housing", "days": "90"}
    page = as_survivor.post(f"/sharing/with/{northside.pk}", choices)
    assert "Northside Shelter will be able to see your housing goals" in page.content.decode()
    assert not ConsentGrant.objects.exists()  # nothing until she confirms
    answer = as_survivor.post(f"/sharing/with/{northside.pk}", {**choices, "confirm": "yes"})
    assert answer.url == "/sharing" and ConsentGrant.objects.get().is_active()


def test_bad_choices_get_a_kind_message(as_survivor, survivor, northside):
    page = as_survivor.post(f"/sharing/with/{northside.pk}", {"scopes": [], "days": "7", "confirm": "yes"})
    assert page.status_code == 200 and not ConsentGrant.objects.exists()
    # Passes the form, refused by the service: a topic scope with no topic.
    page = as_survivor.post(f"/sharing/with/{northside.pk}", {"scopes": ["goals"], "goal_scope": "categories",
                                                               "purpose": "support", "days": "90", "confirm": "yes"})
    assert "Choose at least one topic" in page.content.decode() and not ConsentGrant.objects.exists()


def test_stop_is_one_tap_and_a_confirmation(as_survivor, survivor, northside, housing_goal):
    grant = share_housing(survivor, northside)
    assert "Stop sharing with Northside Shelter?" in as_survivor.get(f"/sharing/{grant.pk}/stop").content.decode()
    assert as_survivor.post(f"/sharing/{grant.pk}/stop").url == "/sharing"
    grant.refresh_from_db()
    assert grant.state == "withdrawn"


def test_advocate_sees_exactly_what_she_shared_then_nothing(as_survivor, as_advocate, survivor, northside, housing_goal):
    goal_services.goal_create(actor=survivor, title="Secret legal thing", category="legal")
    grant = share_housing(survivor, northside)
    people = as_advocate.get("/agency/people").content.decode()
    assert "Maya" in people
    page = as_advocate.get(f"/agency/people/{survivor.pk}").content.decode()
    assert "Find a flat" in page and "Secret legal thing" not in page
    as_survivor.post(f"/sharing/{grant.pk}/stop")
    assert as_advocate.get(f"/agency/people/{survivor.pk}").status_code == 404
    looks = as_survivor.get("/sharing/looks").content.decode()
    assert "Sam at Northside Shelter saw the name you use here and your housing goals" in looks


def test_another_agency_sees_nothing(as_other_advocate, survivor, northside, housing_goal):
    share_housing(survivor, northside)
    assert "Maya" not in as_other_advocate.get("/agency/people").content.decode()
    assert as_other_advocate.get(f"/agency/people/{survivor.pk}").status_code == 404
    assert not AccessEvent.objects.exists()


@pytest.mark.parametrize("persona", ["as_advocate", "as_admin"])
def test_staff_never_reach_her_sharing_pages(request, persona, survivor, northside, housing_goal):
    grant = share_housing(survivor, northside)
    client = request.getfixturevalue(persona)
    for path in ["/sharing", f"/sharing/with/{northside.pk}", f"/sharing/{grant.pk}/stop", "/sharing/looks"]:
        assert client.get(path).status_code == 404
    assert client.post(f"/sharing/{grant.pk}/stop").status_code == 404
    grant.refresh_from_db()
    assert grant.is_active()


def test_survivors_never_reach_agency_pages(as_survivor, mentor, survivor, northside, housing_goal):
    from tests.conftest import logged_in

    share_housing(survivor, northside)
    for client in (as_survivor, logged_in(mentor)):
        assert client.get("/agency/people").status_code == 404
        assert client.get(f"/agency/people/{survivor.pk}").status_code == 404


def test_another_survivor_cannot_stop_her_sharing(mentor, survivor, northside, housing_goal):
    from tests.conftest import logged_in

    grant = share_housing(survivor, northside)
    client = logged_in(mentor)
    assert client.get(f"/sharing/{grant.pk}/stop").status_code == 404
    assert client.post(f"/sharing/{grant.pk}/stop").status_code == 404
    grant.refresh_from_db()
    assert grant.is_active()


@pytest.mark.parametrize("path", ["/sharing", "/sharing/looks", "/agency/people"])
def test_anonymous_visitors_go_to_login(client, db, path):
    assert client.get(path).url == "/"


# ---- API ---------------------------------------------------------------------------------


def send(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_consent_api_for_her(as_survivor, survivor, northside, housing_goal):
    made = send(as_survivor, "/api/v1/consents", {"agency_id": northside.pk, "scopes": ["goals"],
                                                  "goal_scope": "categories", "categories": ["housing"]})
    assert made.status_code == 201 and made.json()["state"] == "active"
    grant_id = made.json()["id"]
    assert as_survivor.get(f"/api/v1/consents/{grant_id}").json()["notice_text"].startswith("Northside Shelter")
    assert len(as_survivor.get("/api/v1/consents").json()) == 1
    stopped = send(as_survivor, f"/api/v1/consents/{grant_id}/withdraw", {})
    assert stopped.json()["state"] == "withdrawn"
    assert send(as_survivor, "/api/v1/consents", {"agency_id": northside.pk, "scopes": [], "days": 90}).status_code == 422
    assert send(as_survivor, "/api/v1/consents", {"agency_id": northside.pk, "scopes": ["goals"], "days": 45}).status_code == 422
    assert send(as_survivor, "/api/v1/consents", {"agency_id": 999999, "scopes": ["goals"]}).status_code == 404


def test_agency_api_reads_are_consented_and_recorded(as_survivor, as_advocate, as_other_advocate, survivor, northside, housing_goal):
    grant = share_housing(survivor, northside)
    people = as_advocate.get("/api/v1/agency/survivors").json()
    assert [p["name"] for p in people] == ["Maya"]
    goals = as_advocate.get(f"/api/v1/agency/survivors/{survivor.pk}/goals").json()
    assert [g["title"] for g in goals] == ["Find a flat"]
    assert as_other_advocate.get("/api/v1/agency/survivors").json() == []
    assert as_other_advocate.get(f"/api/v1/agency/survivors/{survivor.pk}/goals").status_code == 404
    looks = as_survivor.get("/api/v1/consents/access-log").json()
    assert {look["via"] for look in looks} == {"api"} and len(looks) == 2
    send(as_survivor, f"/api/v1/consents/{grant.pk}/withdraw", {})
    assert as_advocate.get(f"/api/v1/agency/survivors/{survivor.pk}/goals").status_code == 404


@pytest.mark.parametrize("persona", ["as_advocate", "as_other_advocate"])
def test_staff_cannot_use_her_consent_api(request, persona, survivor, northside, housing_goal):
    grant = share_housing(survivor, northside)
    client = request.getfixturevalue(persona)
    assert client.get("/api/v1/consents").status_code == 404
    assert client.get(f"/api/v1/consents/{grant.pk}").status_code == 404
    assert send(client, f"/api/v1/consents/{grant.pk}/withdraw", {}).status_code == 404
    assert send(client, "/api/v1/consents", {"agency_id": northside.pk, "scopes": ["goals"]}).status_code == 404
    grant.refresh_from_db()
    assert grant.is_active()


def test_survivors_cannot_use_the_agency_api(as_survivor, survivor, northside):
    assert as_survivor.get("/api/v1/agency/survivors").status_code == 404
    assert as_survivor.get(f"/api/v1/agency/survivors/{survivor.pk}/goals").status_code == 404


def test_one_page_view_is_one_record(as_advocate, survivor, northside, housing_goal):
    share_housing(survivor, northside)
    as_advocate.get(f"/agency/people/{survivor.pk}")
    assert AccessEvent.objects.count() == 1
    assert AccessEvent.objects.get().what == "name|goals:categories:housing"


def test_people_without_a_shared_name_are_still_recorded_as_listed(as_advocate, survivor, northside, housing_goal):
    services.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["goals"])
    page = as_advocate.get("/agency/people").content.decode()
    assert "no name shared" in page and "Maya" not in page
    assert AccessEvent.objects.get().what == "listed"


@pytest.mark.parametrize("path", ["/agency/people/99999999999999999999999", "/api/v1/agency/survivors/99999999999999999999999/goals"])
def test_huge_ids_are_just_not_found(as_advocate, path):
    assert as_advocate.get(path).status_code == 404


def test_nul_and_huge_numbers_in_consent_input_are_refused(as_survivor, as_advocate, survivor, northside):
    for body in [{"agency_id": northside.pk, "scopes": ["goals"], "purpose_note": "a\u0000b"},
                 {"agency_id": northside.pk, "scopes": ["goals"], "goal_scope": "chosen", "goal_ids": [2**63]},
                 {"agency_id": 2**70, "scopes": ["goals"]}]:
        assert send(as_survivor, "/api/v1/consents", body).status_code in (404, 422), body
    for body in [{"username": "ma\u0000ya", "shared_what": "x", "with_whom": "y", "why": "z"},
                 {"username": "maya", "shared_what": "x\u0000", "with_whom": "y", "why": "z"}]:
        assert send(as_advocate, "/api/v1/agency/disclosures", body).status_code in (404, 422), body
    assert not ConsentGrant.objects.exists()


def test_duplicate_chosen_goals_count_once(survivor, northside, housing_goal):
    grant = services.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["goals"], goal_scope="chosen",
                                   goal_ids=[housing_goal.pk, housing_goal.pk])
    assert grant.goal_ids == [housing_goal.pk] and "1 goal you chose" in grant.notice_text


def test_the_share_form_speaks_her_language(as_survivor, survivor, northside):
    survivor.language = "es"
    survivor.save()
    page = as_survivor.get(f"/sharing/with/{northside.pk}").content.decode()
    assert "90 días" in page and "90 days" not in page


def test_repeated_looks_are_one_line_per_person_thing_and_day_with_every_look_underneath(
        as_survivor, as_advocate, survivor, advocate, northside, housing_goal):
    from datetime import datetime, timedelta, timezone as tz

    share_housing(survivor, northside)
    start = datetime(2026, 12, 2, 19, 0, tzinfo=tz.utc)  # 14:00 in New York, Wednesday
    for n in range(7):
        AccessEvent.objects.create(survivor=survivor, agency=northside, actor=advocate, actor_label="Sam",
                                   what="goals:all", via="page", at=start + timedelta(seconds=17 * n))
    late = AccessEvent.objects.create(survivor=survivor, agency=northside, actor=advocate, actor_label="Sam",
                                      what="goals:all", via="page", at=start + timedelta(hours=6))  # Thursday in UTC, not in New York
    AccessEvent.objects.create(survivor=survivor, agency=northside, actor=advocate, actor_label="Sam",
                               what="name", via="page", at=start)
    page = as_survivor.get("/sharing/looks").content.decode()
    assert "Sam at Northside Shelter saw your goals 8 times on Wednesday 2 December" in page
    assert page.count("<li>") == 2 and "Sam at Northside Shelter saw the name you use here, <time" in page
    assert ">Wednesday 2 December, 14:00</time>" in page
    assert page.count('<time datetime=') == 8 + 1 and ">20:00</time>" in page  # each look, on her clock
    assert f'datetime="{late.at.isoformat()}"' in page
    export = json.loads(as_survivor.get("/download/export.json").content)
    assert len(export["who_has_looked"]) == 9


def test_repeated_looks_read_well_in_spanish(as_survivor, survivor, advocate, northside):
    survivor.language = "es"
    survivor.save()
    for _ in range(3):
        AccessEvent.objects.create(survivor=survivor, agency=northside, actor=advocate, actor_label="Sam",
                                   what="goals:all", via="page")
    assert "3 veces el " in as_survivor.get("/sharing/looks").content.decode()


def _spanish(survivor):
    survivor.language = "es"
    survivor.save()


def test_what_she_shares_is_said_in_her_language_and_her_receipt_keeps_the_words_she_confirmed(
        as_survivor, survivor, northside, housing_goal):
    grant = share_housing(survivor, northside)  # confirmed in English
    services.consent_withdraw(actor=survivor, grant_id=grant.pk)
    share_housing(survivor, northside)
    _spanish(survivor)
    page = as_survivor.get("/sharing").content.decode()
    current = page[:page.index('class="receipts"')]
    assert "Northside Shelter podrá ver tus metas de vivienda y el nombre que usas aquí hasta el " in current
    assert "will be able to see" not in current
    receipts = page[page.index('class="receipts"'):]
    assert '<p lang="en">“Northside Shelter will be able to see your housing goals' in receipts
    assert "En tu idioma: Northside Shelter podrá ver" in receipts
    assert "You can stop this at any time" not in page and "Puedes detenerlo" not in receipts  # not on a stopped receipt


def test_the_check_before_sharing_says_she_can_stop_it(as_survivor, survivor, northside, housing_goal):
    _spanish(survivor)
    page = as_survivor.post(f"/sharing/with/{northside.pk}", {"scopes": ["goals"], "goal_scope": "all",
                                                               "purpose": "support", "days": "90"}).content.decode()
    assert "Northside Shelter podrá ver tus metas hasta el " in page and "Puedes detenerlo cuando quieras." in page
    as_survivor.post(f"/sharing/with/{northside.pk}", {"scopes": ["goals"], "goal_scope": "all", "purpose": "support",
                                                        "days": "90", "confirm": "yes"})
    grant = ConsentGrant.objects.get()
    assert grant.notice_language == "es" and grant.notice_text.startswith("Northside Shelter podrá ver tus metas hasta el ")


def test_sharing_staff_wrote_down_is_asked_and_kept_in_her_language(as_survivor, survivor, advocate, northside):
    recorded = services.consent_record_for(actor=advocate, username="maya", scopes=["goals"], days=90)
    assert recorded.notice_language == "en"
    _spanish(survivor)
    home = as_survivor.get("/").content.decode()
    assert "“Northside Shelter podrá ver tus metas hasta el " in home and "will be able to see" not in home
    answer = as_survivor.post(f"/sharing/{recorded.pk}/confirm", {"answer": "yes"})
    recorded.refresh_from_db()
    assert recorded.notice_language == "es" and recorded.notice_text.startswith("Northside Shelter podrá ver tus metas")
    assert recorded.is_active() and answer.status_code == 302


def test_an_older_receipt_loses_only_the_clause_that_stopped_being_true(survivor, northside):
    grant = share_housing(survivor, northside)
    grant.notice_text += " You can stop this at any time."
    assert grant.receipt_text.endswith("until " + grant.notice_text.split("until ")[1].split(".")[0] + ".")
    grant.notice_text = "Northside Shelter podrá ver tus metas hasta el 2 de marzo. Puedes detenerlo cuando quieras."
    assert grant.receipt_text == "Northside Shelter podrá ver tus metas hasta el 2 de marzo."


def test_saving_another_language_says_saved_in_it(as_survivor, survivor):
    from survivor_portal.accounts.services import settings_version

    answer = as_survivor.post("/account/settings", {"idle_minutes": survivor.idle_minutes, "language": "es",
                                                    "version": settings_version(survivor)}, follow=True)
    assert "Guardado." in answer.content.decode()
