"""She books, moves and cancels a meeting; the advocate sees each change in her agenda.
Her phone is in another time zone, so she also sees her own time; and it all works
without JavaScript."""

import re
from datetime import time, timedelta

from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import PHONE, SCREENSHOTS, log_in, log_in_survivor, totp_code, visit
from survivor_portal.consent import services as consent
from survivor_portal import times
from survivor_portal.scheduling import services
from survivor_portal.scheduling.models import Appointment
from tests.factories import PASSPHRASE


def _staff_page(browser, live_server, advocate):
    staff = browser.new_context(viewport=PHONE).new_page()
    staff.base = live_server.url
    log_in(staff, "sam", PASSPHRASE)
    staff.get_by_label("Code").fill(totp_code(advocate))
    staff.get_by_role("button", name="Continue").click()
    staff.get_by_role("link", name="Agenda", exact=True).click()
    return staff


def test_book_move_cancel_and_the_advocate_sees_each_change(browser, live_server, survivor, advocate, northside):
    consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["appointments", "display_name"])
    staff = _staff_page(browser, live_server, advocate)
    # The advocate offers a time through her page; another exists already.
    day = times.today_in(northside) + timedelta(days=2)
    staff.get_by_role("link", name="Times you offer").click()
    staff.get_by_text("Add one time").click()
    staff.get_by_label("Day", exact=True).fill(day.isoformat())
    staff.locator("#one_start").fill("10:00")
    staff.locator("#one_end").fill("10:30")
    staff.get_by_role("button", name="Add", exact=True).click()
    expect(staff.get_by_text("Added.")).to_be_visible()
    services.slot_create(actor=advocate, starts_at=times.at(day, time(11), northside),
                         ends_at=times.at(day, time(11, 30), northside))

    her = browser.new_context(viewport=PHONE, timezone_id="Europe/Madrid", locale="en-GB").new_page()
    her.base = live_server.url
    log_in_survivor(her)
    her.get_by_role("link", name="Meetings", exact=True).click()
    her.get_by_role("link", name="Book a meeting").click()
    expect(her.get_by_text("Your time:").first).to_be_visible()  # Madrid is not New York
    her.get_by_role("link", name=re.compile("10:00–10:30")).click()
    her.get_by_label("I will call").check()
    her.get_by_role("button", name="Book it").click()
    expect(her.get_by_text("Booked. You can move or cancel it any time.")).to_be_visible()
    expect(her.get_by_text("Times are New York time.")).to_be_visible()
    expect(her.get_by_text("Your time:")).to_contain_text("16:00–16:30")
    her.screenshot(path=str(SCREENSHOTS / "meeting-booked.png"), full_page=True)

    staff.get_by_role("link", name="Your agenda").click()
    expect(staff.get_by_text(re.compile("10:00–10:30 · Maya"))).to_be_visible()
    expect(staff.get_by_text("I will call")).to_be_visible()

    her.get_by_role("link", name="Move").click()
    her.get_by_role("link", name=re.compile("11:00–11:30")).click()
    # Asked once before anything changes; choosing again keeps the meeting where it was.
    expect(her.get_by_role("heading", name="Move your meeting?")).to_be_visible()
    her.get_by_role("link", name="Choose another time").click()
    her.get_by_role("link", name=re.compile("11:00–11:30")).click()
    her.get_by_role("button", name="Yes, move it").click()
    expect(her.get_by_text("Moved. Your old time is free for someone else.")).to_be_visible()
    staff.get_by_role("link", name="Agenda", exact=True).click()
    expect(staff.get_by_text(re.compile("11:00–11:30 · Maya"))).to_be_visible()
    expect(staff.get_by_text(re.compile("10:00–10:30 · Maya"))).to_have_count(0)

    her.get_by_role("link", name="Cancel").click()
    her.get_by_role("button", name="Yes, cancel it").click()
    expect(her.get_by_text("Cancelled. The time is free for someone else.")).to_be_visible()
    staff.get_by_role("link", name="Agenda", exact=True).click()
    expect(staff.get_by_text("She cancelled")).to_be_visible()
    staff.screenshot(path=str(SCREENSHOTS / "agenda.png"), full_page=True)
    assert Appointment.objects.filter(status="booked").count() == 0


def test_booking_works_without_javascript(browser, live_server, survivor, advocate, northside):
    consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["appointments"])
    starts = timezone.now() + timedelta(days=1)
    services.slot_create(actor=advocate, starts_at=starts, ends_at=starts + timedelta(minutes=30))
    page = browser.new_context(viewport=PHONE, java_script_enabled=False).new_page()
    page.base = live_server.url
    log_in(page, "maya", PASSPHRASE)
    visit(page, live_server.url + "/meetings/book")
    page.locator("a.slot").first.click()
    page.get_by_label("Call me", exact=True).check()
    page.get_by_label("Number to call").fill("555 0100 22")
    page.get_by_role("button", name="Book it").click()
    expect(page.get_by_text("Booked. You can move or cancel it any time.")).to_be_visible()
    expect(page.get_by_text("Your time:")).to_have_count(0)  # no script, no guess at her zone
    assert Appointment.objects.get().phone == "555 0100 22"


def test_times_you_offer_at_phone_size(browser, live_server, advocate, northside):
    """Forms first, a compact week, each of her own times once, and an overlap told beside its form."""
    day = times.today_in(northside) + timedelta(days=1)
    for hour in (9, 10, 11, 14):
        services.slot_create(actor=advocate, starts_at=times.at(day, time(hour), northside),
                             ends_at=times.at(day, time(hour, 30), northside), mode="in_person", place_label="Office" * 13)
    staff = _staff_page(browser, live_server, advocate)  # her browser keeps UTC, the agency New York time
    staff.get_by_role("link", name="Times you offer").click()
    expect(staff.locator(".slot-lines li")).to_have_count(4)
    expect(staff.locator(".slot-lines .local-time")).to_have_count(4)  # one "Your time" a line, none in the buttons
    expect(staff.locator("button .local-time")).to_have_count(0)
    assert staff.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    staff.get_by_text("Add one time").click()
    staff.get_by_label("Day", exact=True).fill(day.isoformat())
    staff.locator("#one_start").fill("10:15")
    staff.locator("#one_end").fill("10:45")
    staff.get_by_role("button", name="Add", exact=True).click()
    error = staff.locator("#add-one").get_by_text("This overlaps a time you already offer")
    expect(error).to_be_visible()
    assert staff.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert error.bounding_box()["y"] < PHONE["height"]  # near the top, where the form is
    staff.screenshot(path="/tmp/h16c-times.png", full_page=True)


def test_home_tells_her_when_her_advocate_cancels_until_she_has_read_it(app, survivor, advocate, northside):
    consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["appointments"])
    day = times.today_in(northside) + timedelta(days=2)
    slot = services.slot_create(actor=advocate, starts_at=times.at(day, time(10), northside),
                                ends_at=times.at(day, time(10, 30), northside))
    booked = services.appointment_book(actor=survivor, slot_id=slot.pk)
    page = app
    log_in_survivor(page)
    coming_up = page.locator(".coming-up")
    expect(coming_up.get_by_text(re.compile("10:00–10:30"))).to_be_visible()
    services.appointment_cancel(actor=advocate, appointment_id=booked.pk, reason="The office is closed that day")
    page.get_by_role("link", name="Home", exact=True).click()
    notice = page.locator(".notice", has_text="cancelled your meeting")
    expect(notice.get_by_role("heading", name="Sam at Northside Shelter cancelled your meeting")).to_be_visible()
    expect(notice.get_by_text(re.compile("10:00–10:30"))).to_be_visible()
    expect(notice.get_by_text("Their reason: “The office is closed that day”")).to_be_visible()
    expect(coming_up).to_have_count(0)  # no longer coming up, but not silently gone
    page.screenshot(path="/tmp/h16a-cancel-notice.png", full_page=True)
    # It stays while she moves around the app, until she says she has read it.
    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("link", name="Home", exact=True).click()
    expect(notice).to_be_visible()
    notice.get_by_role("button", name="I have read this").click()
    expect(page.get_by_role("heading", name="Your goals")).to_be_visible()
    expect(page.locator(".notice", has_text="cancelled your meeting")).to_have_count(0)
    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("link", name="Home", exact=True).click()
    expect(page.get_by_role("heading", name="Your goals")).to_be_visible()
    expect(page.locator(".notice", has_text="cancelled your meeting")).to_have_count(0)


def test_staff_home_shows_her_day_and_who_newly_shares(browser, live_server, survivor, advocate, northside):
    consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["appointments", "display_name"])
    starts = timezone.now() + timedelta(minutes=5)
    slot = services.slot_create(actor=advocate, starts_at=starts, ends_at=starts + timedelta(minutes=30))
    Appointment.objects.create(slot=slot, survivor=survivor, advocate=advocate, agency=northside)  # sooner than booking allows
    staff = _staff_page(browser, live_server, advocate)
    staff.get_by_role("link", name="Home", exact=True).click()
    expect(staff.get_by_role("heading", name="Sharing with your agency")).to_be_visible()
    expect(staff.get_by_role("link", name="Maya")).to_be_visible()
    if times.local(starts).date() == times.today_in(northside):  # not when the test runs just before midnight
        expect(staff.get_by_text(re.compile("· Maya"))).to_be_visible()
    assert staff.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    staff.screenshot(path="/tmp/h16c-staff-home.png", full_page=True)
