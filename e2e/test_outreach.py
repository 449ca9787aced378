"""An advocate says she is going out; her time to check back passes, plus the grace period; a
colleague sees the alert at the top of the page and takes it on. The clock is moved, never
waited for: time-machine shifts this process's clock, and Django's live server runs in a thread
of this process, so the server reads the moved clock too (nothing in the app can move it).

Run with JavaScript on and off, in English and Spanish, in the plain and a disguised look."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import PHONE, SCREENSHOTS, log_in, totp_code, visit
from survivor_portal.outreach.models import CheckIn
from tests.factories import PASSPHRASE, StaffFactory

SHOTS = SCREENSHOTS / "outreach"
SHOTS.mkdir(parents=True, exist_ok=True)
WORDS = {
    "en": {"alert": "Sam has not checked back in", "take": "I am following this up", "log": "Alert acknowledged (Alex)",
           "thanks": "Thank you.", "going_out": "Going out"},
    "es": {"alert": "Sam no ha avisado que volvió", "take": "Yo me encargo", "log": "Alerta atendida (Alex)",
           "thanks": "Gracias.", "going_out": "Salidas"},
}


def _staff(browser, live_server, user, *, javascript: bool = True):
    page = browser.new_context(viewport=PHONE, java_script_enabled=javascript, locale="en-GB").new_page()
    page.set_default_timeout(15_000)
    page.base = live_server.url
    log_in(page, user.username, PASSPHRASE)
    page.get_by_label("Code").fill(totp_code(user))
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    return page


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("() => document.scrollingElement.scrollWidth <= innerWidth")


@pytest.mark.parametrize("javascript, language, look", [(True, "es", "calculator"), (False, "en", None)],
                         ids=["js-spanish-calculator", "no-js-english-plain"])
def test_a_missed_check_in_alerts_a_colleague_who_takes_it_on(browser, live_server, advocate, agency_admin, northside,
                                                              javascript, language, look):
    kim = StaffFactory(username="kim", display_name="Kim", agency=northside)
    name = f"{'js' if javascript else 'nojs'}-{language}-{look or 'plain'}"
    with time_machine.travel(timezone.now(), tick=True) as clock:
        sam = _staff(browser, live_server, advocate, javascript=javascript)
        sam.get_by_role("link", name="Going out").click()
        expect(sam.get_by_text("Never a survivor’s name or address.")).to_be_visible()
        sam.get_by_label("Where").fill("12 Oak Street")  # an address: asked about first
        sam.get_by_label("Kim").check()
        sam.get_by_label("Anyone else with you").fill("Interpreter " + "W" * 100)
        sam.get_by_label("I will check back").select_option(label="in 15 minutes")
        sam.get_by_role("button", name="Save and go").click()
        expect(sam.get_by_text("This may identify someone.")).to_be_visible()
        sam.screenshot(path=str(SHOTS / f"{name}-asked.png"), full_page=True)
        sam.get_by_label("Where").fill("Visit north side")
        sam.get_by_role("button", name="Save and go").click()
        expect(sam.get_by_role("heading", name="You are out")).to_be_visible()
        sam.screenshot(path=str(SHOTS / f"{name}-out.png"), full_page=True)
        check_in = CheckIn.objects.get()
        assert check_in.place == "Visit north side" and list(check_in.colleagues.all()) == [kim]

        # 15 minutes to check back, 15 minutes' grace: at 29 minutes nobody is alerted yet.
        clock.shift(timedelta(minutes=29))
        alex = _staff(browser, live_server, agency_admin, javascript=javascript)
        expect(alex.get_by_text("Sam has not checked back in")).to_have_count(0)
        clock.shift(timedelta(minutes=2))
        if language == "es":
            alex.get_by_role("button", name="Español").click()
            expect(alex.get_by_role("link", name="Salidas")).to_be_visible()
        if look:
            alex.context.add_cookies([{"name": "look", "value": look, "url": alex.base}])
        visit(alex, "/agency/agenda") if javascript else alex.get_by_role("link", name="Agenda").first.click()
        words = WORDS[language]
        alert = alex.get_by_role("alert").filter(has_text=words["alert"])
        expect(alert).to_be_visible()
        expect(alert).to_contain_text("Visit north side")
        if look:
            expect(alex.locator("body")).to_have_class(f"look-{look}")
        _no_sideways_scroll(alex)
        alex.screenshot(path=str(SHOTS / f"{name}-alert.png"), full_page=True)
        alert.get_by_role("button", name=words["take"]).click()
        expect(alex.get_by_text(words["thanks"])).to_be_visible()
        expect(alex.get_by_role("alert").filter(has_text=words["alert"])).to_have_count(0)
        expect(alex.get_by_text(words["log"])).to_be_visible()
        alex.screenshot(path=str(SHOTS / f"{name}-acknowledged.png"), full_page=True)

        check_in.refresh_from_db()
        assert check_in.acknowledged_by == agency_admin and check_in.ended_at is None
        # Kim, also on duty, no longer sees it either.
        kims = _staff(browser, live_server, kim, javascript=javascript)
        expect(kims.get_by_text("has not checked back in")).to_have_count(0)
