"""An agency admin makes a reset code; whoever holds it uses it and gets nothing but a time;
every device she is logged in on shows "Not you? Stop it"; she stops it with her passphrase;
the code is dead. (The wait running out is a unit test with a moved clock:
tests/accounts/test_agency_reset.py.)"""

import os

from playwright.sync_api import expect

from e2e.conftest import PHONE, log_in, log_in_survivor, totp_code, unlock, visit
from tests.factories import PASSPHRASE

WAITING = "Your agency asked to reset your account. Not you? Stop it"
SHOTS = os.environ.get("SCREENSHOTS_TO")  # a folder, to look at the pages by hand


def _page(browser, live_server):
    page = browser.new_context(viewport=PHONE).new_page()
    page.set_default_timeout(15_000)
    page.base = live_server.url
    return page


def _forgot_my_passphrase(page) -> None:
    """Every logged-out screen is at the start address: the recovery form is one tap from the login."""
    page.goto(page.base + "/")
    page.get_by_role("button", name="I forgot my passphrase").click()
    page.get_by_role("heading", name="Set a new passphrase").wait_for()


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_a_reset_code_waits_and_she_stops_it_from_her_phone(browser, live_server, survivor, agency_admin):
    her, admin, holder = (_page(browser, live_server) for _ in range(3))
    log_in_survivor(her)

    log_in(admin, "alex", PASSPHRASE)
    admin.get_by_label("Code").fill(totp_code(agency_admin))
    admin.get_by_role("button", name="Continue").click()
    visit(admin, "/agency/reset-codes")
    admin.get_by_label("Her username").fill("maya")
    admin.get_by_role("button", name="Make a reset code").click()
    code = admin.locator(".lead code").inner_text()
    _shot(admin, "reset-admin")

    _forgot_my_passphrase(holder)
    holder.get_by_label("Username").fill("maya")
    holder.get_by_label("A recovery code, or the reset code from your agency").fill(code)
    holder.get_by_role("button", name="Set my new passphrase").click()
    expect(holder.get_by_text("nothing changes for 24 hours")).to_be_visible()
    _shot(holder, "reset-holder-waits")
    holder.goto(holder.base + "/account/settings")
    expect(holder.get_by_role("heading", name="Where you are logged in")).to_have_count(0)  # nothing of hers

    her.reload()  # a fresh load locks her phone: she opens it as she always does
    unlock(her)
    expect(her.get_by_role("heading", name=WAITING)).to_be_visible()
    _shot(her, "reset-her-notice")
    her.get_by_label("Your passphrase or PIN").fill("not my passphrase")
    her.get_by_role("button", name="Stop the reset").click()
    expect(her.get_by_text("That is not your passphrase or PIN")).to_be_visible()
    expect(her.get_by_role("heading", name=WAITING)).to_be_visible()
    her.get_by_label("Your passphrase or PIN").fill(PASSPHRASE)
    her.get_by_role("button", name="Stop the reset").click()
    expect(her.get_by_text("The reset is stopped. Nobody can use that code now.")).to_be_visible()
    expect(her.get_by_role("heading", name=WAITING)).to_have_count(0)

    _forgot_my_passphrase(holder)
    holder.get_by_label("Username").fill("maya")
    holder.get_by_label("A recovery code, or the reset code from your agency").fill(code)
    holder.get_by_role("button", name="Set my new passphrase").click()
    expect(holder.get_by_text("That username and code do not match")).to_be_visible()

    visit(her, "/sharing/looks")
    expect(her.get_by_text("You stopped the reset code from Northside Shelter")).to_be_visible()
    expect(her.get_by_text("Alex at Northside Shelter made a reset code for your account")).to_be_visible()


def test_she_sees_her_devices_and_logs_one_out(browser, live_server, survivor):
    phone, laptop = _page(browser, live_server), _page(browser, live_server)
    log_in_survivor(phone)
    log_in_survivor(laptop)
    visit(laptop, "/account/settings")
    expect(laptop.get_by_role("heading", name="Where you are logged in")).to_be_visible()
    expect(laptop.get_by_text("This device")).to_be_visible()
    _shot(laptop, "settings-devices")
    laptop.get_by_role("button", name="Log out everywhere else").click()
    expect(laptop.get_by_text("Every other device is logged out.")).to_be_visible()
    visit(phone, "/account/settings")  # a tap, not a fresh load: only the logout keeps it from her page
    expect(phone.get_by_role("heading", name="Log in")).to_be_visible()
    expect(phone.get_by_role("heading", name="Where you are logged in")).to_have_count(0)
    visit(laptop, "/account/passphrase")
    _shot(laptop, "passphrase")
