"""A fresh load of the app never shows anything of hers, and only "/" is ever an address.

The headers are the ones Chromium sends, measured: a typed address, bookmark, new tab or the
installed app sends `Sec-Fetch-Site: none`; a reload `Cache-Control: max-age=0` (so does the
page a form redirects to); a tab restored after reopening repeats its last load's headers."""

import pytest
from django.conf import settings
from django.test import Client

from survivor_portal.safety import services
from tests.conftest import logged_in
from tests.factories import PASSPHRASE

TYPED = {"Sec-Fetch-Site": "none", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-User": "?1", "Sec-Fetch-Dest": "document"}
TAP = {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-User": "?1", "Sec-Fetch-Dest": "document"}
RELOAD = {**TAP, "Cache-Control": "max-age=0"}
BOOSTED = {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty", "HX-Request": "true"}


def _shows_her(page) -> bool:
    return "Maya" in page.content.decode()


@pytest.mark.parametrize("headers", [TYPED, RELOAD, {**TAP, "Sec-Fetch-Site": "cross-site"}], ids=["typed", "reload", "link from elsewhere"])
def test_a_fresh_load_of_the_start_address_shows_the_lock(as_survivor, headers):
    assert _shows_her(as_survivor.get("/"))
    page = as_survivor.get("/", headers=headers)
    assert page.status_code == 200 and "Welcome back" in page.content.decode() and not _shows_her(page)
    assert as_survivor.get("/account/settings").url == "/"  # and it stays locked


def test_a_fresh_load_of_an_inside_page_shows_her_cover_at_the_start_address(as_survivor, survivor):
    key = services.pin_set(actor=survivor, pin="2468", pin_again="2468")[1]
    services.safety_update(actor=survivor, disguise="calculator", exit_choice="default", lock_when_hidden=False)
    as_survivor.cookies["look"], as_survivor.cookies["ck"] = "calculator", key
    assert as_survivor.get("/account/settings", headers=TYPED).url == "/"
    cover = as_survivor.get("/", headers=TAP).content.decode()
    assert "<title>Calculator</title>" in cover and "Maya" not in cover
    assert as_survivor.post("/", {"screen": "cover", "expression": "2468", "key": "="}).url == "/"
    assert _shows_her(as_survivor.get("/"))


def test_a_restored_tab_asking_again_for_the_page_she_was_shown_locks(as_survivor):
    assert as_survivor.get("/account/settings", headers=TAP).status_code == 200
    assert as_survivor.get("/account/settings", headers=TAP).url == "/"
    assert not _shows_her(as_survivor.get("/"))


def test_taps_on_links_and_forms_without_javascript_do_not_lock(as_survivor):
    for path in ["/", "/account/settings", "/account/safety", "/"]:
        assert as_survivor.get(path, headers=TAP).status_code == 200, path
    answer = as_survivor.post("/account/settings", {"idle_minutes": 15, "language": "en", "version": "15.en.1"}, headers=TAP)
    assert answer.url == "/account/settings"
    # The browser marks the page a form redirects to like a reload; this one is the app's own.
    page = as_survivor.get("/account/settings", headers=RELOAD)
    assert page.status_code == 200 and "Saved." in page.content.decode()


def test_boosted_navigation_and_background_requests_never_lock(as_survivor):
    for path in ["/account/settings", "/account/settings", "/"]:
        assert as_survivor.get(path, headers=BOOSTED).status_code == 200
    assert as_survivor.get("/api/v1/me", headers={**TYPED, "Sec-Fetch-Mode": "cors"}).status_code == 200
    assert _shows_her(as_survivor.get("/", headers=TAP))


def test_a_fresh_load_does_not_trap_staff_owing_their_code(client, advocate):
    client.post("/", {"screen": "login", "username": "sam", "password": PASSPHRASE})
    page = client.get("/", headers=TYPED)
    assert page.status_code == 200 and "Enter your code" in page.content.decode()


def test_a_fresh_load_takes_a_logged_out_phone_back_to_its_cover(client, survivor):
    key = services.pin_set(actor=survivor, pin="2468", pin_again="2468")[1]
    client.cookies["look"], client.cookies["ck"] = "weather", key
    assert client.post("/", {"screen": "cover", "q": "2468"}).url == "/"
    assert "Log in" in client.get("/", headers=TAP).content.decode()
    assert "Log in" not in client.get("/", headers=TYPED).content.decode()


def test_every_logged_out_screen_answers_at_the_start_address(client, db):
    for show, heading in [("join", "Join with an invite code"), ("recover", "Set a new passphrase"), ("login", "Log in")]:
        answer = client.post("/", {"show": show})
        assert answer.status_code == 302 and answer.url == "/"
        assert heading in client.get("/").content.decode()
    for gone in ["/login", "/join", "/recover", "/unlock", "/cover"]:
        assert client.get(gone).status_code == 404


def test_session_and_csrf_cookies_end_with_the_browser_and_the_server_keeps_the_idle_time(client, survivor):
    answer = client.post("/", {"screen": "login", "username": "maya", "password": PASSPHRASE})
    session = answer.cookies[settings.SESSION_COOKIE_NAME]
    assert session.value and session["max-age"] == "" and session["expires"] == ""
    assert client.session.get_expiry_age() == survivor.idle_minutes * 60
    page = client.get("/")
    assert page.cookies.get(settings.CSRF_COOKIE_NAME) is None or page.cookies[settings.CSRF_COOKIE_NAME]["max-age"] == ""
    assert Client().get("/").cookies[settings.CSRF_COOKIE_NAME]["max-age"] == ""


def test_nothing_asks_for_a_next_address(client, db):
    for path in ["/account/settings", "/account/two-factor/setup", "/goals/1", "/download/export.json"]:
        answer = client.get(path)
        assert answer.status_code in (302, 404) and "next" not in answer.get("Location", ""), path


def test_downloads_come_from_neutral_addresses_with_neutral_names(as_survivor):
    for path, name in [("/download/export.json", "export.json"), ("/download/export.html", "export.html")]:
        answer = as_survivor.get(path)
        assert answer["Content-Disposition"] == f'attachment; filename="{name}"'


def test_downloads_refuse_staff_and_strangers(as_advocate, client, db):
    assert as_advocate.get("/download/export.json").status_code == 404
    assert client.get("/download/export.json").url == "/"


def test_the_start_address_refuses_a_logged_out_screen_to_someone_logged_in(as_survivor):
    assert as_survivor.post("/", {"screen": "login", "username": "x", "password": "y"}).url == "/"
    assert as_survivor.post("/", {"show": "join"}).url == "/"
