"""An older page of her meeting preferences never puts the agency's name back into her calendar
file, and never loses the code word she typed."""

import json

from survivor_portal.scheduling import services


def test_an_old_preferences_page_shows_both_and_keeps_the_calendar_choice(as_survivor, survivor):
    services.prefs_set(actor=survivor, code_word="bluebird", calendar_details=True)
    services.prefs_set(actor=survivor, code_word="bluebird", calendar_details=False, version=2)  # another window
    page = as_survivor.post("/meetings/preferences", {"code_word": "swallow", "calendar_title": "",
                                                      "calendar_details": "on", "version": "2"})
    html = page.content.decode()
    assert page.status_code == 200 and "You saved from an older page" in html
    assert "swallow" in html and "bluebird" in html  # what she typed beside what is saved
    assert 'name="calendar_details"' in html and 'name="calendar_details" id="id_calendar_details" checked' not in html
    saved = services.prefs_of(survivor)
    assert (saved.code_word, saved.calendar_details, saved.version) == ("bluebird", False, 3)
    # Saving from the conflict page keeps her words and the calendar choice as saved now.
    as_survivor.post("/meetings/preferences", {"code_word": "swallow", "calendar_title": "", "version": "3"})
    saved = services.prefs_of(survivor)
    assert (saved.code_word, saved.calendar_details) == ("swallow", False)


def test_a_page_shown_before_her_first_save_is_stale_after_it(as_survivor, survivor):
    services.prefs_set(actor=survivor, code_word="bluebird", version=1)  # first save, another window
    as_survivor.post("/meetings/preferences", {"code_word": "", "calendar_title": "", "version": "1"})
    assert services.prefs_of(survivor).code_word == "bluebird"


def test_the_preferences_api_sends_an_etag_and_refuses_a_stale_if_match(as_survivor, survivor, as_advocate):
    tag = as_survivor.get("/api/v1/appointments/preferences")["ETag"]
    body = {"code_word": "bluebird", "calendar_details": False}
    first = as_survivor.put("/api/v1/appointments/preferences", json.dumps(body), content_type="application/json",
                            HTTP_IF_MATCH=tag)
    assert first.status_code == 200 and first["ETag"] != tag
    stale = as_survivor.put("/api/v1/appointments/preferences", json.dumps({**body, "calendar_details": True}),
                            content_type="application/json", HTTP_IF_MATCH=tag)
    assert stale.status_code == 412 and services.prefs_of(survivor).calendar_details is False
    refused = as_advocate.put("/api/v1/appointments/preferences", json.dumps(body), content_type="application/json")
    assert refused.status_code == 404


def test_an_old_times_page_cannot_undo_newer_booking_rules(as_advocate, advocate):
    services.rules_set(actor=advocate, min_notice_minutes=1440, buffer_minutes=15, version=1)  # another window
    page = as_advocate.post("/agency/times/rules", {"min_notice_minutes": "60", "buffer_minutes": "0", "version": "1"})
    assert page.status_code == 200 and "changed in another window" in page.content.decode()
    rules = services.rules_of(advocate.pk)
    assert (rules.min_notice_minutes, rules.buffer_minutes, rules.version) == (1440, 15, 2)


def test_the_rules_api_sends_an_etag_and_refuses_a_stale_if_match(as_advocate, advocate, as_survivor):
    tag = as_advocate.get("/api/v1/slots/rules")["ETag"]
    body = {"min_notice_minutes": 60, "buffer_minutes": 10}
    assert as_advocate.put("/api/v1/slots/rules", json.dumps(body), content_type="application/json",
                           HTTP_IF_MATCH=tag).status_code == 200
    stale = as_advocate.put("/api/v1/slots/rules", json.dumps({**body, "buffer_minutes": 0}),
                            content_type="application/json", HTTP_IF_MATCH=tag)
    assert stale.status_code == 412 and services.rules_of(advocate.pk).buffer_minutes == 10
    assert as_survivor.put("/api/v1/slots/rules", json.dumps(body), content_type="application/json").status_code == 404
