"""Browser tests: Debian's Chromium driven by Playwright against Django's live server,
at phone size. The exit site is answered by Playwright itself: the machine has no internet."""

import os
import tempfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from tests.conftest import (  # noqa: F401  the same personas as the unit suite
    advocate,
    agency_admin,
    eastbridge,
    fast_hasher_and_clean_cache,
    northside,
    other_advocate,
    survivor,
    totp_code,
)

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in test code are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 390, "height": 844}
# `make test` leaves the work tree as it found it: screenshots go to the temporary folder unless
# UPDATE_SCREENSHOTS=1 asks for the ones in docs/ (the README shows them) to be replaced.
SCREENSHOTS = (
    Path(__file__).resolve().parent.parent / "docs" / "screenshots"
    if os.environ.get("UPDATE_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "portal-screenshots"
)
SCREENSHOTS.mkdir(parents=True, exist_ok=True)
EXIT_PAGE = "<!doctype html><title>Weather</title><h1>Weather today</h1>"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """An SQLite file rather than one in-memory connection shared by every server thread:
    the browser sends several requests at once, and each thread should have its own connection."""
    database = django_settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("e2e") / "e2e.sqlite3")


@pytest.fixture(scope="session", autouse=True)
def static_files_as_in_production():
    """Django's live server would serve /static/ through the finders, which know nothing of
    hashed names; hand those requests to the app so WhiteNoise serves them as in production."""
    from django.contrib.staticfiles import handlers

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(handlers, "StaticFilesHandler", lambda application: application)
        yield


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "is_mobile": True, "has_touch": True, "locale": "en-GB"}


@pytest.fixture
def app(live_server, page, settings):
    """The page, with the exit site stubbed and a base URL for the live server."""
    page.route(f"{django_settings.EXIT_URL.rstrip('/')}**", lambda route: route.fulfill(
        status=200, content_type="text/html", body=EXIT_PAGE
    ))
    page.set_default_timeout(15_000)
    page.base = live_server.url
    return page


def log_in(page, username: str, passphrase: str) -> None:
    """From the start address, where a plain phone shows the login."""
    page.goto(page.base + "/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Passphrase").fill(passphrase)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


def log_in_survivor(page, username: str = "maya") -> None:
    from tests.factories import PASSPHRASE

    log_in(page, username, PASSPHRASE)
    page.get_by_role("heading", name="Hello, Maya").wait_for()
    page.wait_for_load_state("load")  # app.js is deferred: wait until it runs


def unlock(page, secret: str | None = None) -> None:
    """After a fresh load (reload, typed address) a plain phone shows the unlock screen."""
    from tests.factories import PASSPHRASE

    page.get_by_label("Your PIN or passphrase").fill(secret or PASSPHRASE)
    with page.expect_navigation():
        page.get_by_role("button", name="Open").click()


def visit(page, path: str) -> None:
    """Opens a page of the app the way a tap on one of its links does. A typed address
    (page.goto) is a fresh load, which locks her session, as it must for a watcher."""
    with page.expect_navigation():
        page.evaluate(
            """path => { const a = document.createElement("a"); a.href = path; document.body.appendChild(a); a.click(); }""",
            path,
        )


def storage_snapshot(page) -> dict:
    return page.evaluate(
        "() => ({session: Object.assign({}, sessionStorage), local: Object.assign({}, localStorage)})"
    )
