"""Her "only me" key on a real phone: one Chromium profile on disk. While she is logged in the
key travels in its own cookie; after she logs out, neither the browser nor the profile's
cookie file holds it any more."""

import sqlite3

from django.conf import settings
from playwright.sync_api import expect

from e2e.conftest import CHROMIUM_FLAGS, PHONE
from survivor_portal.accounts.only_me import COOKIE
from survivor_portal.goals.models import Goal
from tests.factories import PASSPHRASE

GOAL = "Heron street, second door"


def _cookie_rows(profile) -> list[tuple]:
    rows = []
    for path in profile.rglob("Cookies"):
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            rows += db.execute("SELECT name, value, encrypted_value FROM cookies").fetchall()
    return rows


def test_marking_a_goal_only_me_then_logging_out_leaves_no_key_in_the_profile(playwright, live_server, survivor, tmp_path):
    profile = tmp_path / "profile"
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path="/usr/bin/chromium", viewport=PHONE, args=CHROMIUM_FLAGS)
    context.set_default_timeout(15_000)
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(live_server.url + "/")
    page.locator("input[name=username]").fill(survivor.username)
    page.locator("input[name=password]").fill(PASSPHRASE)
    with page.expect_navigation():
        page.locator("button.primary[type=submit]").click()
    page.get_by_role("heading", name="Hello, Maya").wait_for()
    page.wait_for_load_state("load")

    page.get_by_label("What would you like to work on?").fill(GOAL)
    page.locator("details.folded summary").click()  # folded on Home; it opens with what it means
    only_me = page.get_by_label("Only me — not even people you share with")
    expect(page.get_by_text("An agency’s reset does not")).to_be_visible()  # told before she marks it
    only_me.check()
    page.get_by_role("button", name="Add goal").click()
    item = page.locator("li.goal", has_text=GOAL)
    expect(item).to_be_visible()
    expect(item.locator(".only-me")).to_have_text("Only me")
    assert Goal.objects.get(owner=survivor).only_me
    key = [c for c in context.cookies() if c["name"] == COOKIE]
    assert key and key[0]["httpOnly"] and key[0]["sameSite"] == "Strict"

    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    assert not [c for c in context.cookies() if c["name"] in (COOKIE, settings.SESSION_COOKIE_NAME)]
    context.close()
    rows = _cookie_rows(profile)
    assert not [row for row in rows if row[0] == COOKIE]
    assert not any(GOAL.encode() in (row[2] or b"") or GOAL in (row[1] or "") for row in rows)


def test_when_her_key_cookie_is_gone_the_add_form_asks_for_her_passphrase_and_keeps_her_words(app, page, survivor):
    from e2e.conftest import log_in_survivor

    log_in_survivor(page)
    page.context.clear_cookies(name=COOKIE)  # lost: a session that began before she had her key
    page.get_by_label("What would you like to work on?").fill(GOAL)
    page.locator("details.folded summary").click()
    page.get_by_label("Only me — not even people you share with").check()
    page.get_by_role("button", name="Add goal").click()
    passphrase = page.get_by_label("Your passphrase")
    expect(passphrase).to_be_visible()
    expect(page.get_by_text("To keep it only for you, type your passphrase.")).to_be_visible()
    expect(page.get_by_label("What would you like to work on?")).to_have_value(GOAL)
    passphrase.fill(PASSPHRASE)
    page.get_by_role("button", name="Add goal").click()
    expect(page.locator("li.goal", has_text=GOAL)).to_be_visible()
    assert Goal.objects.get(owner=survivor, only_me=True)
    assert [c for c in page.context.cookies() if c["name"] == COOKIE]
