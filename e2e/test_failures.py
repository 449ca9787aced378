"""When a request fails (a backend down, a worker gone, a proxy's bare error page), the Exit
control stays, Shift×3 still leaves, and what she typed stays on her page."""

import re

from django.conf import settings
from django.test import RequestFactory
from playwright.sync_api import expect

from e2e.conftest import log_in_survivor
from survivor_portal.safety import error_pages

EXIT_SITE = re.compile(re.escape(settings.EXIT_URL))
# What gunicorn itself sends when the app fails before answering: no Exit, no CSP.
BARE_500 = "<html><head><title>Internal Server Error</title></head><body><h1><p>Internal Server Error</p></h1></body></html>"


def exit_is_there(page) -> None:
    button = page.locator("#exit")
    expect(button).to_be_visible()
    expect(page.get_by_role("link", name="Exit")).to_have_count(2)
    box = button.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44


def test_exit_survives_a_bare_500_answer_to_an_htmx_request(app, survivor):
    log_in_survivor(app)
    app.route("**/meetings", lambda route: route.fulfill(status=500, content_type="text/html", body=BARE_500))
    app.get_by_role("link", name="Meetings").first.click()  # a boosted link: htmx would swap <body>
    expect(app.get_by_role("alert")).to_contain_text("That did not work")
    exit_is_there(app)
    expect(app.get_by_role("heading", name="Hello, Maya")).to_be_visible()  # her page stays
    assert "Internal Server Error" not in app.content()
    app.locator("#exit").click()
    expect(app).to_have_url(EXIT_SITE)


def test_a_failed_form_keeps_what_she_typed_and_the_exit(app, survivor):
    log_in_survivor(app)
    app.route("**/goals/add", lambda route: route.fulfill(status=500, content_type="text/html", body=BARE_500))
    field = app.locator("form.add-goal input[type=text]").first
    field.fill("Find a quiet place to study")
    app.locator("form.add-goal button[type=submit]").click()
    expect(app.get_by_role("alert")).to_contain_text("That did not work")
    expect(field).to_have_value("Find a quiet place to study")
    exit_is_there(app)


def test_our_own_error_page_comes_in_whole_with_its_exit(app, survivor):
    log_in_survivor(app)
    request = RequestFactory().get("/meetings")
    unavailable = error_pages.error_answer(request, 503).content.decode()
    app.route("**/meetings", lambda route: route.fulfill(status=503, content_type="text/html", body=unavailable))
    app.get_by_role("link", name="Meetings").first.click()
    expect(app.get_by_role("heading", name="This is not available right now")).to_be_visible()
    exit_is_there(app)
    for _ in range(3):
        app.keyboard.press("Shift")
    expect(app).to_have_url(EXIT_SITE)


def test_shift_three_times_leaves_from_an_error_page(app, survivor):
    app.goto(app.base + "/nowhere")
    expect(app.get_by_role("heading", name="Page not found")).to_be_visible()
    exit_is_there(app)
    app.wait_for_load_state("load")
    for _ in range(3):
        app.keyboard.press("Shift")
    expect(app).to_have_url(EXIT_SITE)


def test_a_dropped_connection_says_so_and_keeps_the_exit(app, survivor):
    log_in_survivor(app)
    app.route("**/meetings", lambda route: route.abort("connectionreset"))
    app.get_by_role("link", name="Meetings").first.click()
    expect(app.get_by_role("alert")).to_contain_text("That did not work")
    exit_is_there(app)
