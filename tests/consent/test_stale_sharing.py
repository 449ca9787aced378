"""A share or never-share form from an older page never undoes a newer sharing choice."""

from survivor_portal.consent import services
from survivor_portal.consent.models import ConsentGrant, NeverShare

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
