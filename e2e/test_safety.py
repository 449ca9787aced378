"""Quick exit, trail, disguise, lock and the service worker, in a real browser at phone size."""

import json
import re

from django.conf import settings
from playwright.sync_api import expect

from e2e.conftest import SCREENSHOTS, log_in_survivor, storage_snapshot, unlock
from survivor_portal.safety import services

EXIT_SITE = re.compile(re.escape(settings.EXIT_URL))
SAME_TURN = """(trigger) => {
  if (trigger === 'tap') document.getElementById('exit').click();
  else for (let i = 0; i < 3; i++) document.dispatchEvent(new KeyboardEvent('keyup', {key: 'Shift', bubbles: true}));
  const main = document.getElementById('main');
  const overlay = document.querySelector('#exit-overlay[role=alert]');
  return {hidden: main.offsetParent === null, title: document.title, overlay: overlay && overlay.textContent};
}"""


HEADINGS = {"Safety": "Safety", "Settings": "Settings", "Staying safe": "Staying safe", "Home": "Hello, Maya"}


def visit(page, link: str) -> None:
    """Follow an in-app link and wait for its page, so no request is still under way."""
    page.get_by_role("link", name=link, exact=True).first.click()
    expect(page.get_by_role("heading", name=HEADINGS[link], exact=True)).to_be_visible()
    page.wait_for_load_state("networkidle")


def status_text(page) -> str:
    return page.locator("#exit-status").text_content()


def test_exit_by_tap_hides_everything_in_the_same_turn_then_leaves(app, survivor):
    log_in_survivor(app)
    state = app.evaluate(SAME_TURN, "tap")
    assert state == {"hidden": True, "title": "", "overlay": "Loading."}
    expect(app).to_have_url(EXIT_SITE)


def test_exit_by_shift_three_times_in_the_same_turn(app, survivor):
    log_in_survivor(app)
    state = app.evaluate(SAME_TURN, "keys")
    assert state == {"hidden": True, "title": "", "overlay": "Loading."}
    expect(app).to_have_url(EXIT_SITE)


def test_real_tap_on_the_button_and_real_shift_presses_exit(app, survivor):
    log_in_survivor(app)
    button = app.get_by_role("link", name="Exit").last
    box = button.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    button.tap()
    expect(app).to_have_url(EXIT_SITE)
    app.goto(app.base + "/")  # the login on a plain phone
    for _ in range(3):
        app.keyboard.press("Shift")
    expect(app).to_have_url(EXIT_SITE)


def test_shift_with_another_key_does_not_count_and_is_announced(app, survivor):
    log_in_survivor(app)
    app.keyboard.press("Shift")
    assert status_text(app) == "Shift, press 2 more times to exit."
    app.keyboard.press("Shift+KeyA")  # a capital A: resets the count
    assert "expired" in status_text(app)
    app.keyboard.press("Shift")
    app.keyboard.press("Shift")
    assert status_text(app) == "Shift, press 1 more time to exit."
    app.keyboard.press("KeyB")  # any other key resets too
    app.keyboard.press("Shift")
    app.keyboard.press("Shift")
    expect(app.get_by_role("heading", name="Hello, Maya")).to_be_visible()
    app.keyboard.press("Shift")
    expect(app).to_have_url(EXIT_SITE)


def test_the_count_expires_after_five_seconds(app, survivor):
    log_in_survivor(app)
    app.keyboard.press("Shift")
    app.keyboard.press("Shift")
    app.wait_for_timeout(5300)
    assert status_text(app) == "Exit shortcut expired. Press Shift 3 times to exit."
    app.keyboard.press("Shift")
    assert status_text(app) == "Shift, press 2 more times to exit."
    expect(app.get_by_role("heading", name="Hello, Maya")).to_be_visible()


def test_after_exit_back_shows_nothing_and_the_old_cookie_is_dead(app, survivor):
    log_in_survivor(app)
    old_sid = next(c for c in app.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)["value"]
    app.get_by_role("link", name="Exit").last.click()
    expect(app).to_have_url(EXIT_SITE)
    app.go_back()
    app.wait_for_load_state()
    assert "Maya" not in app.content()
    answer = app.request.get(app.base + "/api/v1/me", headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={old_sid}"})
    assert answer.status == 401


def test_exit_works_without_javascript(browser, live_server, survivor):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.route(f"{settings.EXIT_URL}**", lambda route: route.fulfill(status=200, content_type="text/html", body="<title>Weather</title>"))
    page.goto(live_server.url + "/")
    page.get_by_label("Username").fill("maya")
    page.get_by_label("Passphrase").fill("a-long-test-passphrase-42")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Hello, Maya")).to_be_visible()
    page.get_by_role("link", name="Exit").last.click()
    expect(page).to_have_url(EXIT_SITE)
    page.goto(live_server.url + "/account/settings")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    context.close()


def test_browsing_leaves_no_trail_in_history_or_storage(app, survivor):
    log_in_survivor(app)
    start = app.url
    for name in ["Safety", "Settings", "Home", "Staying safe"]:
        visit(app, name)
    assert app.url == start  # the address bar never moved
    assert app.evaluate("() => history.length") <= 3
    snapshot = storage_snapshot(app)
    assert snapshot["local"] == {}
    # htmx always notes the current path (here the start path); nothing else may be kept.
    assert snapshot["session"] in ({}, {"htmx-current-path-for-history": "/"}), json.dumps(snapshot)


def test_every_title_is_the_disguise_and_the_calculator_unlocks_with_her_pin(app, survivor):
    services.pin_set(actor=survivor, pin="2468", pin_again="2468")
    services.safety_update(actor=survivor, disguise="calculator", exit_choice="default", lock_when_hidden=False)
    log_in_survivor(app)
    for name in ["Safety", "Settings", "Staying safe", "Home"]:
        visit(app, name)
        assert app.title() == "Calculator"
    # Her idle time runs out: the server forgets the session, the phone keeps its look and key.
    app.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    app.goto(app.base + "/")
    assert app.title() == "Calculator"
    display = app.locator("output")
    for key in ["1", "2", "plus", "3", "equals"]:
        app.get_by_role("button", name=key, exact=True).click()
    expect(display).to_have_text("15")
    app.get_by_role("button", name="clear").click()
    for key in "1357":
        app.get_by_role("button", name=key, exact=True).click()
    app.get_by_role("button", name="equals").click()
    expect(display).to_have_text("1357")  # a wrong PIN is just a number
    app.get_by_role("button", name="clear").click()
    for key in "2468":
        app.get_by_role("button", name=key, exact=True).click()
    app.get_by_role("button", name="equals").click()
    expect(app.get_by_role("heading", name="Log in")).to_be_visible()
    assert app.title() == "Calculator"


def test_lock_when_hidden_shows_the_cover_and_the_pin_opens_it(app, survivor):
    services.pin_set(actor=survivor, pin="2468", pin_again="2468")
    services.safety_update(actor=survivor, disguise="weather", exit_choice="default", lock_when_hidden=True)
    log_in_survivor(app)
    app.evaluate("""() => {
        Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'hidden'});
        document.dispatchEvent(new Event('visibilitychange'));
        const realNow = Date.now; Date.now = () => realNow() + 31000;
        Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'visible'});
        document.dispatchEvent(new Event('visibilitychange'));
    }""")
    expect(app.get_by_role("searchbox", name="Search for a place")).to_be_visible()
    assert "Maya" not in app.content()
    app.get_by_role("searchbox").fill("2468")
    app.get_by_role("button", name="Search").click()
    expect(app.get_by_role("heading", name="Hello, Maya")).to_be_visible()


def test_the_app_is_installable_and_its_worker_keeps_nothing_private(
    browser_type, browser_type_launch_args, live_server, survivor, tmp_path
):
    # A persistent profile: Chrome never offers to install from an incognito one.
    context = browser_type.launch_persistent_context(
        str(tmp_path / "profile"), viewport={"width": 390, "height": 844}, **browser_type_launch_args
    )
    app = context.new_page()
    app.base = live_server.url
    log_in_survivor(app)
    app.evaluate("() => navigator.serviceWorker.ready")
    app.reload()  # now controlled by the worker; a reload is a fresh load, so first the lock
    unlock(app)
    for name in ["Safety", "Settings", "Home"]:
        visit(app, name)
    cdp = app.context.new_cdp_session(app)
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    kept = app.evaluate("""async () => {
        const out = [];
        for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            for (const request of await cache.keys()) {
                const body = await (await cache.match(request)).text();
                out.push({url: new URL(request.url).pathname + new URL(request.url).search, maya: body.includes('Maya')});
            }
        }
        return out;
    }""")
    assert kept, "the worker should keep the static shell"
    for entry in kept:
        assert entry["url"].startswith("/static/") or entry["url"] == "/offline", entry
        assert not entry["maya"]
    manifest = app.evaluate("async () => (await fetch('/manifest.webmanifest', {credentials: 'include'})).json()")
    assert manifest["name"] == "Portal" and manifest["display"] == "standalone"
    context.close()


def test_screenshots_of_each_cover_and_home_in_each_look(app, survivor):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for look in ["calculator", "weather", "notes"]:
        app.context.add_cookies([{"name": "look", "value": look, "url": app.base}])
        app.goto(f"{app.base}/")
        assert app.title() == look.title()
        app.screenshot(path=str(SCREENSHOTS / f"cover-{look}.png"))
    app.get_by_role("searchbox").fill("soup")
    app.get_by_role("button", name="Search").click()
    # The search is a page load: wait until only the matching note is left, so the screenshot
    # is never taken while the page is being replaced.
    expect(app.get_by_text("Rice, onions")).to_have_count(0)
    expect(app.get_by_text("Lentils 1 cup")).to_be_visible()
    app.wait_for_load_state()
    app.screenshot(path=str(SCREENSHOTS / "cover-notes-search.png"))
    app.context.add_cookies([{"name": "look", "value": "weather", "url": app.base}])
    app.goto(f"{app.base}/")
    app.get_by_role("searchbox").fill("Lisboa")
    app.get_by_role("button", name="Search").click()
    expect(app.get_by_text("Lisbon")).to_be_visible()
    app.screenshot(path=str(SCREENSHOTS / "cover-weather-search.png"))
    app.context.clear_cookies()
    from survivor_portal.goals import services as goal_services

    for title, category, status in [("Find a safe place to live", "housing", "working"),
                                    ("Make a safety plan I trust", "safety", "working"),
                                    ("Get my documents back", "legal", "not_ready")]:
        goal_services.goal_create(actor=survivor, title=title, category=category, status=status)
    services.pin_set(actor=survivor, pin="2468", pin_again="2468")
    for look in ["plain", "calculator", "weather", "notes"]:
        services.safety_update(actor=survivor, disguise=look, exit_choice="default", lock_when_hidden=False)
        app.context.clear_cookies()
        log_in_survivor(app)
        expect(app.get_by_role("link", name="Find a safe place to live")).to_be_visible()
        app.screenshot(path=str(SCREENSHOTS / ("home.png" if look == "plain" else f"home-{look}.png")))


def _press(page, keys: str) -> None:
    names = {"+": "plus", "-": "minus", "×": "times", "÷": "divide", "=": "equals", "C": "clear"}
    for key in keys:
        page.get_by_role("button", name=names.get(key, key), exact=True).click()


def test_the_calculator_counts_like_a_phone_and_a_number_never_moves_the_address(app, survivor):
    services.pin_set(actor=survivor, pin="2468", pin_again="2468")
    services.safety_update(actor=survivor, disguise="calculator", exit_choice="default", lock_when_hidden=False)
    log_in_survivor(app)  # the phone learns her look and its cover key
    app.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    app.goto(app.base + "/")
    start, depth = app.url, app.evaluate("() => history.length")
    display = app.locator("output")
    for keys, shown in [("2580=", "2580"), ("12+3=", "15"), ("123400002580+0=", "123400002580"), ("1÷3=", "0.333333333333"),
                        ("0.1+0.2=", "0.3"), ("7÷0=", "Error"), ("×2=", "2"), ("C1357=", "1357"), ("9", "9")]:
        _press(app, keys)
        expect(display).to_have_text(shown)
    app.wait_for_timeout(300)  # any answer to the quiet PIN check has arrived
    assert (app.url, app.evaluate("() => history.length")) == (start, depth)
    _press(app, "C2468=")
    expect(app.get_by_role("heading", name="Log in")).to_be_visible()
    assert app.evaluate("() => history.length") == depth


def test_the_calculator_counts_without_javascript_at_the_start_address(browser, live_server, db):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    context.add_cookies([{"name": "look", "value": "calculator", "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + "/")
    for keys, shown in [("12+3=", "15"), ("4", "4"), ("C123400002580+0=", "123400002580")]:
        _press(page, keys)
        expect(page.locator("output")).to_have_text(shown)
        assert page.url == live_server.url + "/"
    context.close()


def test_a_cover_has_no_alarm_bar_but_a_quiet_way_out(app, db):
    for look in ["calculator", "weather", "notes"]:
        app.context.add_cookies([{"name": "look", "value": look, "url": app.base}])
        app.goto(app.base + "/")
        assert app.locator(".exit-bar").count() == 0
        app.keyboard.press("Tab")
        assert app.evaluate("() => document.activeElement.textContent") == "Exit"  # the skip link comes first
        button = app.locator("#exit")
        expect(button).to_have_accessible_name("Exit")
        box = button.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44
    button.tap()
    expect(app).to_have_url(EXIT_SITE)
    app.goto(app.base + "/")
    for _ in range(3):
        app.keyboard.press("Shift")
    expect(app).to_have_url(EXIT_SITE)


def test_after_her_idle_time_the_app_locks_itself(app, survivor):
    app.clock.install()
    log_in_survivor(app)
    app.clock.run_for("14:00")
    expect(app.get_by_role("heading", name="Hello, Maya")).to_be_visible()
    app.clock.run_for("01:05")
    expect(app.get_by_role("heading", name="Welcome back")).to_be_visible()
    assert "Maya" not in app.content()
    app.get_by_label("Your PIN or passphrase").fill("a-long-test-passphrase-42")
    app.get_by_role("button", name="Open").click()
    expect(app.get_by_role("heading", name="Hello, Maya")).to_be_visible()


def test_a_pin_anyone_would_guess_is_refused_and_wrong_pins_are_explained(app, survivor):
    log_in_survivor(app)
    visit(app, "Safety")
    app.get_by_label("New unlock PIN").fill("1990")
    app.get_by_label("Type the PIN again").fill("1990")
    app.get_by_role("button", name="Save PIN").click()
    field = app.get_by_label("New unlock PIN")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(app.locator(".field", has=field)).to_contain_text("easy to guess")  # beside the field it is about
    app.get_by_label("New unlock PIN").fill("4826")
    app.get_by_label("Type the PIN again").fill("4826")
    app.get_by_role("button", name="Save PIN").click()
    expect(app.get_by_text("Your unlock PIN is set.")).to_be_visible()

    app.reload()  # a fresh load locks the session: the plain unlock screen
    for _ in range(3):
        app.get_by_label("Your PIN or passphrase").fill("1357")
        app.get_by_role("button", name="Open").click()
        expect(app.get_by_text("That did not work. Try again.")).to_be_visible()
    app.get_by_label("Your PIN or passphrase").fill("1357")
    app.get_by_role("button", name="Open").click()
    expect(app.get_by_text("One more wrong try ends this session")).to_be_visible()
    app.screenshot(path="/tmp/h16a-last-try.png", full_page=True)
    app.get_by_label("Your PIN or passphrase").fill("1357")
    app.get_by_role("button", name="Open").click()
    expect(app.get_by_role("heading", name="Log in")).to_be_visible()
    expect(app.get_by_text("You were logged out because the PIN or passphrase was wrong 5 times")).to_be_visible()
    app.screenshot(path="/tmp/h16a-why-login.png", full_page=True)
