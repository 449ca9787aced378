"""An older settings page never undoes a newer safety choice."""

import json

from survivor_portal.safety import services


def test_an_old_settings_page_cannot_turn_the_lock_off(as_survivor, survivor):
    services.safety_update(actor=survivor, disguise="plain", exit_choice="default", lock_when_hidden=True)
    page = as_survivor.post("/account/safety", {"form": "safety", "disguise": "plain", "exit_choice": "news",
                                                "version": "1"})
    html = page.content.decode()
    assert page.status_code == 200 and "This changed in another window" in html
    assert 'name="form" value="safety"' in html and 'name="version" value="2"' in html
    assert 'name="lock_when_hidden" id="id_lock_when_hidden" checked' in html  # offered as saved, not as the old page had it
    saved = services.safety_settings_of(survivor)
    assert (saved.lock_when_hidden, saved.exit_choice, saved.version) == (True, "default", 2)


def test_the_settings_api_sends_an_etag_and_refuses_a_stale_if_match(as_survivor, survivor):
    read = as_survivor.get("/api/v1/me/safety")
    assert read["ETag"] == '"1"'
    body = {"disguise": "plain", "exit_choice": "default", "lock_when_hidden": True}
    first = as_survivor.put("/api/v1/me/safety", json.dumps(body), content_type="application/json", HTTP_IF_MATCH='"1"')
    assert first.status_code == 200 and first["ETag"] == '"2"'
    stale = as_survivor.put("/api/v1/me/safety", json.dumps({**body, "lock_when_hidden": False}),
                            content_type="application/json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412 and services.safety_settings_of(survivor).lock_when_hidden is True
