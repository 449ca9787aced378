import json

import pytest

from survivor_portal.consent import services
from survivor_portal.consent.models import AccessEvent, AgencyApiKey, DisclosureNotice
from survivor_portal.errors import Invalid, NotFound
from survivor_portal.goals import services as goal_services

NOTICE = {"shared_what": "That you are staying with us", "with_whom": "Child protection services",
          "why": "The law requires us to report a risk to a child."}


def test_staff_record_a_notice_she_sees_and_acknowledges(as_survivor, as_advocate, survivor):
    answer = as_advocate.post("/agency/disclosures/new", {"username": "MAYA", **NOTICE})
    assert answer.status_code == 302
    page = as_survivor.get("/").content.decode()
    assert "had to share something without asking you" in page and "Child protection services" in page
    notice = DisclosureNotice.objects.get()
    as_survivor.post(f"/sharing/notices/{notice.pk}/seen")
    assert "Child protection services" not in as_survivor.get("/").content.decode()
    notice.refresh_from_db()
    assert notice.acknowledged_at is not None


def test_staff_of_an_agency_she_never_met_cannot_record_notices(as_other_advocate, survivor):
    page = as_other_advocate.post("/agency/disclosures/new", {"username": "maya", **NOTICE})
    assert page.status_code == 200 and "could not find" in page.content.decode()
    assert not DisclosureNotice.objects.exists()


def test_a_notice_needs_every_part(advocate, survivor):
    with pytest.raises(Invalid):
        services.disclosure_record(actor=advocate, username="maya", shared_what="", with_whom="x", why="y")


def test_only_she_can_acknowledge(mentor, advocate, survivor):
    notice = services.disclosure_record(actor=advocate, username="maya", **NOTICE)
    with pytest.raises(NotFound):
        services.disclosure_acknowledge(actor=mentor, notice_id=notice.pk)


def test_survivors_cannot_record_notices(as_survivor, survivor):
    assert as_survivor.get("/agency/disclosures/new").status_code == 404
    assert as_survivor.post("/agency/disclosures/new", {"username": "maya", **NOTICE}).status_code == 404


def test_disclosure_api(as_survivor, as_advocate, as_other_advocate, survivor):
    body = json.dumps({"username": "maya", **NOTICE})
    assert as_other_advocate.post("/api/v1/agency/disclosures", body, content_type="application/json").status_code == 404
    made = as_advocate.post("/api/v1/agency/disclosures", body, content_type="application/json")
    assert made.status_code == 201
    listed = as_survivor.get("/api/v1/consents/disclosures").json()
    assert listed[0]["with_whom"] == "Child protection services" and listed[0]["acknowledged_at"] is None
    seen = as_survivor.post(f"/api/v1/consents/disclosures/{listed[0]['id']}/acknowledge")
    assert seen.json()["acknowledged_at"] is not None
    assert as_advocate.get("/api/v1/consents/disclosures").status_code == 404


# ---- Agency API keys ------------------------------------------------------------------------------


def test_a_key_is_shown_once_kept_hashed_and_reads_only_what_she_shared(
    as_admin, client, survivor, northside, eastbridge
):
    goal_services.goal_create(actor=survivor, title="Find a flat", category="housing")
    goal_services.goal_create(actor=survivor, title="Papers", category="legal")
    services.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["goals"], goal_scope="categories",
                           categories=["housing"])
    page = as_admin.post("/agency/keys", {"name": "Case system"}).content.decode()
    key = page.split("<code>")[1].split("</code>")[0]
    assert key.startswith("spk_") and key not in AgencyApiKey.objects.get().key_hash
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert [p["id"] for p in client.get("/api/v1/agency/survivors", **bearer).json()] == [survivor.pk]
    goals = client.get(f"/api/v1/agency/survivors/{survivor.pk}/goals", **bearer).json()
    assert [g["title"] for g in goals] == ["Find a flat"]
    event = AccessEvent.objects.get(what__startswith="goals")
    assert event.actor is None and event.actor_label == "Case system" and event.via == "api"
    # Revoked: refused at once.
    as_admin.post("/agency/keys", {"revoke": AgencyApiKey.objects.get().pk})
    assert client.get("/api/v1/agency/survivors", **bearer).status_code == 401


def test_a_key_of_another_agency_sees_nothing(survivor, northside, eastbridge, client):
    from survivor_portal.accounts.models import User

    goal_services.goal_create(actor=survivor, title="Find a flat", category="housing")
    services.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["goals"])
    east_admin = User.objects.create_user("eastadmin", "x" * 12, display_name="E", role="agency_admin", agency=eastbridge)
    _record, key = services.api_key_create(actor=east_admin, name="East system")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get("/api/v1/agency/survivors", **bearer).json() == []
    assert client.get(f"/api/v1/agency/survivors/{survivor.pk}/goals", **bearer).status_code == 404
    assert client.get("/api/v1/agency/survivors", HTTP_AUTHORIZATION="Bearer spk_made-up").status_code == 401
    assert not AccessEvent.objects.exists()


@pytest.mark.parametrize("persona", ["as_survivor", "as_advocate", "as_other_advocate"])
def test_only_admins_manage_keys(request, persona):
    client = request.getfixturevalue(persona)
    assert client.get("/agency/keys").status_code == 404
    assert client.post("/agency/keys", {"name": "Sneaky"}).status_code == 404
    assert client.get("/api/v1/agency/keys").status_code == 404
    made = client.post("/api/v1/agency/keys", json.dumps({"name": "Sneaky"}), content_type="application/json")
    assert made.status_code == 404 and not AgencyApiKey.objects.exists()


def test_key_api_for_admins(as_admin):
    made = as_admin.post("/api/v1/agency/keys", json.dumps({"name": "Case system"}), content_type="application/json")
    assert made.status_code == 201 and made.json()["key"].startswith("spk_")
    assert "key" not in as_admin.get("/api/v1/agency/keys").json()[0]
    assert as_admin.delete(f"/api/v1/agency/keys/{made.json()['id']}").json()["revoked_at"]
