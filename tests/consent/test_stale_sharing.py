"""A share or never-share form from an older page never undoes a newer sharing choice."""

import json

from survivor_portal.consent import services
from survivor_portal.consent.models import ConsentGrant, NeverShare
from survivor_portal.errors import NotFound
from survivor_portal.versions import Stale

CHOICES = {"scopes": ["goals"], "goal_scope": "all", "purpose": "support", "days": "90"}


def _token(page) -> str:
    html = page.content.decode()
    start = html.index('name="sharing" value="') + len('name="sharing" value="')
    return html[start:html.index('"', start)]


def test_an_old_share_page_cannot_start_sharing_again_after_she_stopped(as_survivor, survivor, northside):
    old_page = _token(as_survivor.get(f"/sharing/with/{northside.pk}"))
    grant = services.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["goals"])  # another window
    services.consent_withdraw(actor=survivor, grant_id=grant.pk)
    page = as_survivor.post(f"/sharing/with/{northside.pk}", {**CHOICES, "sharing": old_page, "confirm": "yes"})
    html = page.content.decode()
    assert page.status_code == 200 and "changed in another window" in html and "Your choices are below" in html
    assert not ConsentGrant.objects.filter(survivor=survivor, ended_at__isnull=True).exists()
    # The form now carries how things stand: confirming from it is her fresh choice.
    fresh = _token(page)
    assert fresh != old_page
    as_survivor.post(f"/sharing/with/{northside.pk}", {**CHOICES, "sharing": fresh, "confirm": "yes"})
    assert ConsentGrant.objects.filter(survivor=survivor, ended_at__isnull=True).count() == 1


def test_an_old_sharing_page_cannot_turn_never_share_off(as_survivor, survivor, northside):
    services.never_share_set(actor=survivor, agency_id=northside.pk, never=True)
    services.never_share_set(actor=survivor, agency_id=northside.pk, never=False)
    old_page = _token(as_survivor.get("/sharing"))
    services.never_share_set(actor=survivor, agency_id=northside.pk, never=True)  # another window, on again
    as_survivor.post(f"/sharing/never/{northside.pk}", {"never": "0", "sharing": old_page})
    assert NeverShare.objects.filter(survivor=survivor, agency=northside).exists()
    page = as_survivor.get("/sharing").content.decode()
    assert "changed in another window" in page


def test_the_current_sharing_page_still_works(as_survivor, survivor, northside):
    token = _token(as_survivor.get("/sharing"))
    as_survivor.post(f"/sharing/never/{northside.pk}", {"never": "1", "sharing": token})
    assert NeverShare.objects.filter(survivor=survivor, agency=northside).exists()


def test_an_old_renew_button_cannot_start_sharing_again(as_survivor, survivor, northside):
    grant = services.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["goals"], days=30)
    services.consent_withdraw(actor=survivor, grant_id=grant.pk)  # another window
    answer = as_survivor.post(f"/sharing/{grant.pk}/renew")
    assert answer.status_code == 302
    assert not ConsentGrant.objects.filter(survivor=survivor, ended_at__isnull=True).exists()
    assert "nothing was renewed" in as_survivor.get("/sharing").content.decode()


def test_an_old_renew_button_cannot_bring_back_wider_sharing(survivor, northside):
    wide = services.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["goals", "appointments"])
    narrow = services.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["appointments"])
    try:
        services.consent_renew(actor=survivor, grant_id=wide.pk)
    except Stale:
        pass
    in_force = ConsentGrant.objects.get(survivor=survivor, ended_at__isnull=True)
    assert in_force.pk == narrow.pk and in_force.scopes == ["appointments"]
    assert services.consent_renew(actor=survivor, grant_id=narrow.pk).scopes == ["appointments"]


def test_never_share_ends_recorded_sharing_that_waits_for_her(survivor, advocate, northside):
    recorded = services.consent_record_for(actor=advocate, username="maya", scopes=["goals"])
    services.never_share_set(actor=survivor, agency_id=northside.pk, never=True)  # another window
    try:
        services.consent_confirm(actor=survivor, grant_id=recorded.pk, yes=True)  # the old notice's "Yes"
    except NotFound:
        pass
    assert not ConsentGrant.objects.filter(survivor=survivor, ended_at__isnull=True).exists()


def test_the_consent_api_sends_etags_and_honours_if_match(as_survivor, survivor, northside):
    body = {"agency_id": northside.pk, "scopes": ["goals"]}
    first = as_survivor.post("/api/v1/consents", json.dumps(body), content_type="application/json", HTTP_IF_MATCH='"0.0"')
    assert first.status_code == 201
    tag = first["ETag"]
    assert tag == f'"{first.json()["sharing_version"]}"' == as_survivor.get(f"/api/v1/consents/{first.json()['id']}")["ETag"]
    assert as_survivor.get("/api/v1/consents").json()[0]["sharing_version"] == tag.strip('"')
    services.consent_withdraw(actor=survivor, grant_id=first.json()["id"])  # another window
    grant_id = first.json()["id"]
    for path, payload in ((f"/api/v1/consents/{grant_id}/renew", {}), ("/api/v1/consents", body),
                          ("/api/v1/consents/never-share", {"agency_id": northside.pk, "never": True})):
        stale = as_survivor.post(path, json.dumps(payload), content_type="application/json", HTTP_IF_MATCH=tag)
        assert stale.status_code == 412 and stale.json()["code"] == "stale" and stale["ETag"] != tag, path
    assert not ConsentGrant.objects.filter(survivor=survivor, ended_at__isnull=True).exists()
    assert not NeverShare.objects.filter(survivor=survivor).exists()
    # Without If-Match an old grant's renew is still refused: only the sharing in force renews.
    assert as_survivor.post(f"/api/v1/consents/{grant_id}/renew").status_code == 412


def test_stopping_over_the_api_needs_no_if_match_but_honours_one(as_survivor, survivor, northside):
    grant = services.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["goals"])
    services.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["appointments"])  # another window
    stale = as_survivor.post(f"/api/v1/consents/{grant.pk}/withdraw", HTTP_IF_MATCH='"0.0"')
    assert stale.status_code == 412 and ConsentGrant.objects.filter(survivor=survivor, ended_at__isnull=True).exists()
    assert as_survivor.post(f"/api/v1/consents/{grant.pk}/withdraw").status_code == 200
    assert not ConsentGrant.objects.filter(survivor=survivor, ended_at__isnull=True).exists()


def test_confirming_recorded_sharing_over_the_api_honours_if_match(as_survivor, survivor, advocate, northside):
    recorded = services.consent_record_for(actor=advocate, username="maya", scopes=["goals"])
    tag = as_survivor.get(f"/api/v1/consents/{recorded.pk}")["ETag"]
    services.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["appointments"])  # another window
    stale = as_survivor.post(f"/api/v1/consents/{recorded.pk}/confirm", json.dumps({"yes": True}),
                             content_type="application/json", HTTP_IF_MATCH=tag)
    assert stale.status_code == 412
    assert ConsentGrant.objects.get(survivor=survivor, ended_at__isnull=True, awaiting_her=False).scopes == ["appointments"]
    assert ConsentGrant.objects.get(pk=recorded.pk).awaiting_her


def test_staff_never_learn_where_her_sharing_stands(as_advocate, survivor, northside):
    services.never_share_set(actor=survivor, agency_id=northside.pk, never=True)
    answer = as_advocate.post("/api/v1/agency/consents", json.dumps({"username": "maya", "scopes": ["display_name"]}),
                              content_type="application/json")
    assert answer.status_code == 201 and answer.json()["sharing_version"] is None and "ETag" not in answer
