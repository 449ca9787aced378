"""A screenshot of every page in English and Spanish at phone size (390 px), with the demo
people and their things, to look at by eye: SCREENSHOTS/pages/<language>-<who>-<page>.png
(the temporary folder, or docs/screenshots with UPDATE_SCREENSHOTS=1)."""

import pytest
from django.conf import settings
from django.core.management import call_command

from e2e.conftest import SCREENSHOTS
from e2e.pages import every_page, log_in, name_of, new_phone
from survivor_portal.accounts import services as account_services
from survivor_portal.accounts.management.commands.seed_demo import DEMO_PASSPHRASE
from survivor_portal.accounts.models import User

PEOPLE = {"survivor": "demo_survivor", "mentor": "demo_mentor", "council": "demo_council",
          "advocate": "demo_advocate", "admin": "demo_admin"}
LOOKS = ["calculator", "weather", "notes"]


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))


def shoot(page, folder, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def start_in(page, language: str) -> None:
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": page.base}])
    page.goto(page.base + "/")


def logged_out_screens(page, folder, language: str) -> None:
    start_in(page, language)
    shoot(page, folder, f"{language}-start-login")
    for screen in ["recover", "login", "join"]:
        page.locator(f"button[name=show][value={screen}]").click()
        page.locator(f"input[name=screen][value={screen}]").wait_for(state="attached")
        if screen != "login":
            shoot(page, folder, f"{language}-start-{screen}")
    _, code = account_services.invite_create(actor=User.objects.get(username="demo_admin"), role="survivor")
    page.locator("input[name=code]").fill(code)
    page.locator("button.primary[type=submit]").click()
    page.locator("input[name=display_name]").wait_for()
    shoot(page, folder, f"{language}-start-join-details")
    for look in LOOKS:
        page.context.add_cookies([{"name": "look", "value": look, "url": page.base}])
        page.goto(page.base + "/")
        shoot(page, folder, f"{language}-start-cover-{look}")
    page.context.clear_cookies(name="look")
    for path, name in [("/staying-safe", "staying-safe"), ("/offline", "offline"), ("/nothing-here", "not-found")]:
        page.goto(page.base + path)
        shoot(page, folder, f"{language}-start-{name}")


def test_every_page_in_both_languages_at_phone_size(browser, live_server, browser_context_args, demo):
    folder = SCREENSHOTS / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    taken = 0
    for language in ["en", "es"]:
        page = new_phone(browser, live_server, browser_context_args)
        logged_out_screens(page, folder, language)
        page.context.close()
        User.objects.filter(username__in=PEOPLE.values()).update(language=language)
        for who, username in PEOPLE.items():
            page = new_phone(browser, live_server, browser_context_args)
            start_in(page, language)
            log_in(page, User.objects.get(username=username), DEMO_PASSPHRASE)
            if page.locator("form[action='/welcome']").count():  # "How to leave quickly", the first time
                shoot(page, folder, f"{language}-{who}-welcome")
                page.locator("form[action='/welcome'] button").click()
                page.locator("form[action='/welcome']").wait_for(state="detached")
            for path in every_page(page):
                shoot(page, folder, f"{language}-{who}-{name_of(path)}")
                taken += 1
            page.goto(page.base + "/")  # a fresh load: the unlock screen
            shoot(page, folder, f"{language}-{who}-unlock")
            page.context.close()
    assert taken > 80, taken
