"""An older page of her account settings never undoes a newer choice: a longer lock time, or
agency resets turned on again."""

import json

from survivor_portal.accounts import recovery, services
from survivor_portal.accounts.models import User
from tests.factories import PASSPHRASE


def _version(page) -> str:
    html = page.content.decode()
    start = html.index('name="version" value="') + len('name="version" value="')
    return html[start:html.index('"', start)]


def test_an_old_settings_page_cannot_put_back_a_longer_lock_time(as_survivor, survivor):
    old_page = _version(as_survivor.get("/account/settings"))
    services.user_settings_update(actor=survivor, idle_minutes=5)  # another window
    page = as_survivor.post("/account/settings", {"idle_minutes": "30", "language": "es", "version": old_page})
    html = page.content.decode()
    assert page.status_code == 200 and "Your settings changed in another window" in html
    assert 'value="5" id="id_idle_minutes_0" required checked' in html and 'value="en" id="id_language_0" required checked' in html
    fresh = User.objects.get(pk=survivor.pk)
    assert (fresh.idle_minutes, fresh.language) == (5, "en")
    # The page now carries how things stand: saving from it is her fresh choice.
    again = as_survivor.post("/account/settings", {"idle_minutes": "15", "language": "en", "version": _version(page)})
    assert again.status_code == 302 and User.objects.get(pk=survivor.pk).idle_minutes == 15


def test_an_old_page_cannot_turn_agency_resets_back_on(as_survivor, survivor):
    old_page = _version(as_survivor.get("/account/settings"))
    recovery.agency_reset_choose(actor=survivor, allow=False, secret=PASSPHRASE)  # another window
    as_survivor.post("/account/agency-resets", {"allow": "yes", "secret": PASSPHRASE, "version": old_page})
    assert User.objects.get(pk=survivor.pk).allows_agency_reset is False
    assert "Your settings changed in another window" in as_survivor.get("/account/settings").content.decode()


def test_the_current_settings_page_still_saves(as_survivor, survivor):
    page = as_survivor.get("/account/settings")
    as_survivor.post("/account/agency-resets", {"allow": "no", "secret": PASSPHRASE, "version": _version(page)})
    assert User.objects.get(pk=survivor.pk).allows_agency_reset is False


def test_me_sends_an_etag_and_refuses_a_stale_if_match(as_survivor, survivor):
    read = as_survivor.get("/api/v1/me")
    tag = read["ETag"]
    assert tag == f'"{services.settings_version(survivor)}"'
    first = as_survivor.patch("/api/v1/me", json.dumps({"idle_minutes": 5}), content_type="application/json",
                              HTTP_IF_MATCH=tag)
    assert first.status_code == 200 and first["ETag"] != tag
    stale = as_survivor.patch("/api/v1/me", json.dumps({"idle_minutes": 30}), content_type="application/json",
                              HTTP_IF_MATCH=tag)
    assert stale.status_code == 412 and stale["ETag"] == first["ETag"] and stale.json()["code"] == "stale"
    assert User.objects.get(pk=survivor.pk).idle_minutes == 5
    resets = as_survivor.put("/api/v1/me/agency-resets", json.dumps({"allow": False, "secret": PASSPHRASE}),
                             content_type="application/json", HTTP_IF_MATCH=tag)
    assert resets.status_code == 412 and User.objects.get(pk=survivor.pk).allows_agency_reset is True
    ok = as_survivor.put("/api/v1/me/agency-resets", json.dumps({"allow": False, "secret": PASSPHRASE}),
                         content_type="application/json", HTTP_IF_MATCH=first["ETag"])
    assert ok.status_code == 200 and User.objects.get(pk=survivor.pk).allows_agency_reset is False


def test_a_weak_or_foreign_tag_never_matches(as_survivor, survivor):
    for header in ('W/"15.en.1"', '"5"', '"nonsense"', "15.en.1"):
        answer = as_survivor.patch("/api/v1/me", json.dumps({"idle_minutes": 5}), content_type="application/json",
                                   HTTP_IF_MATCH=header)
        assert answer.status_code == 412, header
    assert User.objects.get(pk=survivor.pk).idle_minutes == survivor.idle_minutes


def test_a_settings_form_without_a_version_is_treated_as_older(as_survivor, survivor):
    page = as_survivor.post("/account/settings", {"idle_minutes": "30", "language": "en"})
    assert "Your settings changed in another window" in page.content.decode()
    assert User.objects.get(pk=survivor.pk).idle_minutes == survivor.idle_minutes
