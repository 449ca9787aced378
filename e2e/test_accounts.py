import re

from playwright.sync_api import expect

from e2e.conftest import log_in, totp_code
from survivor_portal.accounts import services
from tests.factories import PASSPHRASE


def test_survivor_joins_with_an_invite_then_logs_in_again(app, agency_admin):
    _invite, code = services.invite_create(actor=agency_admin, role="survivor")
    page = app
    page.goto(page.base + "/")
    page.get_by_role("button", name="I have an invite code").click()
    page.get_by_label("Invite code").fill(code.lower())
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Pick a username").fill("nia")
    page.get_by_label("What should we call you?").fill("Nia")
    page.get_by_label("Pick a passphrase").fill("quiet harbour at dawn")
    page.get_by_label("Type it again").fill("quiet harbour at dawn")
    page.get_by_role("button", name="Make my account").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()  # shown once
    expect(page.locator("ol.codes li")).to_have_count(10)
    page.get_by_role("button", name="I have kept them safe").click()
    expect(page.get_by_role("heading", name="How to leave quickly")).to_be_visible()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Hello, Nia")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    log_in(page, "nia", "quiet harbour at dawn")
    expect(page.get_by_role("heading", name="Hello, Nia")).to_be_visible()


def test_a_wrong_invite_code_is_refused_kindly(app, agency_admin):
    page = app
    page.goto(page.base + "/")
    page.get_by_role("button", name="I have an invite code").click()
    page.get_by_label("Invite code").fill("AAAA-BBBB-CCCC")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("That code does not work")).to_be_visible()


def test_advocate_logs_in_with_a_code_from_her_app(app, advocate):
    page = app
    log_in(page, "sam", PASSPHRASE)
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.get_by_label("Code").fill(totp_code(advocate))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Hello, Sam")).to_be_visible()
    expect(page.get_by_text("Northside Shelter")).to_be_visible()


def test_after_deleting_her_account_a_plain_confirmation_at_the_start_address(app, survivor):
    from django.contrib.auth import get_user_model

    from e2e.conftest import log_in_survivor

    page = app
    log_in_survivor(page)
    page.get_by_role("link", name="Settings", exact=True).click()
    page.get_by_role("link", name="Delete your account").click()
    page.get_by_role("heading", name="Delete your account").wait_for()  # Settings has a field of the same name
    page.get_by_label("Your passphrase, to confirm").fill(PASSPHRASE)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("heading", name="Your account is deleted")).to_be_visible()
    assert page.url == page.base + "/"
    assert page.get_by_role("link", name="Log out").count() == 0 and page.get_by_text("Maya").count() == 0
    assert page.evaluate("() => document.cookie") == ""
    assert not get_user_model().objects.filter(username="maya").exists()
    page.screenshot(path="/tmp/h16a-deleted.png", full_page=True)
    page.get_by_role("link", name="Done").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()


def test_joining_explains_each_problem_beside_its_field_and_codes_never_break(app, agency_admin, survivor):
    _invite, code = services.invite_create(actor=agency_admin, role="survivor")
    page = app
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(page.base + "/")
    page.get_by_role("button", name="I have an invite code").click()
    page.get_by_label("Invite code").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Pick a username").fill("maya")  # already someone's
    page.get_by_label("What should we call you?").fill("Nia")
    page.get_by_label("Pick a passphrase").fill("short")
    page.get_by_label("Type it again").fill("short")
    page.get_by_role("button", name="Make my account").click()
    for label, words in [("Pick a username", "taken"), ("Pick a passphrase", "Use at least 10 characters")]:
        field = page.get_by_label(label)
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(page.locator(".field", has=field)).to_contain_text(words)  # beside the field, both at once
    expect(page.locator(".error-summary")).to_have_count(0)  # and not again at the top
    page.screenshot(path="/tmp/h16a-join-errors.png", full_page=True)
    page.get_by_label("Pick a username").fill("nia")
    page.get_by_label("Pick a passphrase").fill("quiet harbour at dawn")
    page.get_by_label("Type it again").fill("quiet harbour at dawn")
    page.get_by_role("button", name="Make my account").click()
    codes = page.locator("ol.codes code")
    expect(codes).to_have_count(10)
    line = codes.first.evaluate("el => parseFloat(getComputedStyle(el).lineHeight) || el.getBoundingClientRect().height")
    for box in [codes.nth(n).bounding_box() for n in range(10)]:
        assert box["height"] < line * 1.5 and box["x"] + box["width"] <= 320  # one line each, on the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.screenshot(path="/tmp/h16a-codes-320.png", full_page=True)
