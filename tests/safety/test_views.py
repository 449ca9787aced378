import json

import pytest
from django.conf import settings
from survivor_portal.accounts.login_sessions import LoginSession as Session

from survivor_portal.safety import services
from survivor_portal.safety.models import SafetySettings
from tests.conftest import logged_in


def with_pin(user, pin="2468", disguise="calculator"):
    _safety, key = services.pin_set(actor=user, pin=pin, pin_again=pin)
    services.safety_update(actor=user, disguise=disguise, exit_choice="default", lock_when_hidden=False)
    return key


# ---- Exit --------------------------------------------------------------------------------


def test_exit_link_logs_out_and_goes_to_the_exit_site(as_survivor):
    answer = as_survivor.get("/exit")
    assert answer.status_code == 302 and answer.url == settings.EXIT_URL
    assert answer["Clear-Site-Data"] == '"storage"'
    assert answer.cookies[settings.SESSION_COOKIE_NAME].value == ""  # the session cookie changes
    assert answer.cookies[settings.CSRF_COOKIE_NAME].value == ""
    assert not Session.objects.exists()
    assert as_survivor.get("/account/settings").url == "/"


def test_exit_beacon_needs_no_csrf_and_answers_without_redirect(survivor):
    client = logged_in(survivor)
    client.handler.enforce_csrf_checks = True
    answer = client.post("/exit")
    assert answer.status_code == 204 and '"storage"' in answer["Clear-Site-Data"]
    assert not Session.objects.exists()


def test_exit_works_with_no_session_at_all(client, db):
    assert client.get("/exit").status_code == 302
    assert client.post("/exit").status_code == 204


def test_exit_goes_where_she_chose(as_survivor, survivor):
    services.safety_update(actor=survivor, disguise="plain", exit_choice="recipes", lock_when_hidden=False)
    # Her choice travels in the link, so /exit itself needs no database (safety/session_end.py).
    assert 'href="/exit?to=recipes"' in as_survivor.get("/account/safety").content.decode()
    assert as_survivor.get("/exit?to=recipes").url == "https://www.bbcgoodfood.com/"


def test_every_page_has_the_exit_button_and_skip_link(client, as_survivor):
    pages = [client.get("/"), client.post("/", {"show": "join"}, follow=True)]
    client.cookies["look"] = "weather"
    pages += [client.get("/offline"), client.get("/staying-safe"),
              client.get("/nowhere"), client.get("/"), as_survivor.get("/"), as_survivor.get("/account/safety")]
    as_survivor.post("/lock")
    pages.append(as_survivor.get("/"))
    for page in pages:
        html = page.content.decode()
        assert html.count('href="/exit"') == 2, page
        assert html.index('class="skip-exit"') < html.index("<main")


# ---- Disguise, titles and manifests --------------------------------------------------------------


@pytest.mark.parametrize("look, name", [("calculator", "Calculator"), ("weather", "Weather"), ("notes", "Notes"), ("plain", "Portal")])
def test_every_page_title_is_the_disguise_name(client, db, look, name):
    client.cookies["look"] = look
    pages = [client.get(path) for path in ["/", "/staying-safe", f"/offline?d={look}"]]
    pages.append(client.post("/", {"show": "join"}, follow=True))
    for page in pages:
        assert f"<title>{name}</title>" in page.content.decode()


@pytest.mark.parametrize("look, name", [("calculator", "Calculator"), ("weather", "Weather"), ("notes", "Notes"), ("plain", "Portal")])
def test_each_manifest_matches_its_disguise(client, db, look, name):
    client.cookies["look"] = look
    answer = client.get("/manifest.webmanifest")
    assert answer["Content-Type"] == "application/manifest+json"
    manifest = json.loads(answer.content)
    assert manifest["name"] == manifest["short_name"] == name
    assert manifest["start_url"] == f"/?d={look}" and manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    assert all(f"/{look}-" in icon["src"] for icon in manifest["icons"])
    for word in ["survivor", "abuse", "traffick", "shelter", "safety", "violence"]:
        assert word not in answer.content.decode().lower()


def test_manifest_link_carries_credentials(client, db):
    assert 'rel="manifest" href="/manifest.webmanifest" crossorigin="use-credentials"' in client.get("/").content.decode()


def test_the_installed_apps_start_address_brings_its_disguise_back(client, db):
    answer = client.get("/?d=weather", headers={"Sec-Fetch-Site": "none", "Sec-Fetch-Mode": "navigate"})
    assert answer.status_code == 200 and "<title>Weather</title>" in answer.content.decode()
    assert answer.cookies["look"].value == "weather" and answer.cookies["look"]["httponly"]


@pytest.mark.parametrize("site", ["cross-site", "same-site", "same-origin", None])
def test_a_link_from_elsewhere_never_sets_the_look(client, db, site):
    client.cookies["look"] = "notes"
    headers = {"Sec-Fetch-Site": site, "Sec-Fetch-Mode": "navigate"} if site else {}
    answer = client.get("/?d=calculator", headers=headers)
    assert "look" not in answer.cookies
    if site in ("cross-site", "same-site"):
        assert "<title>Notes</title>" in answer.content.decode()


def test_exit_and_logout_keep_the_look_and_the_cover_key(survivor):
    key = with_pin(survivor)
    for ending in ("exit", "logout"):
        client = logged_in(survivor)
        client.cookies["look"], client.cookies["ck"] = "calculator", key
        answer = client.get("/exit") if ending == "exit" else client.post("/logout")
        assert "cookies" not in answer["Clear-Site-Data"]
        assert "look" not in answer.cookies and "ck" not in answer.cookies
        assert answer.cookies[settings.SESSION_COOKIE_NAME].value == ""
        assert "<title>Calculator</title>" in client.get("/").content.decode()
        assert client.post("/", {"screen": "cover", "expression": "2468", "key": "="}).status_code == 302


def test_saving_a_disguise_sets_only_its_key_on_the_device(as_survivor, survivor):
    as_survivor.post("/account/safety", {"form": "pin", "pin": "2468", "pin_again": "2468"})
    answer = as_survivor.post(
        "/account/safety", {"form": "safety", "disguise": "notes", "exit_choice": "default", "version": "1"}
    )
    assert answer.status_code == 302 and answer.cookies["look"].value == "notes"
    assert "<title>Notes</title>" in as_survivor.get("/").content.decode()


def test_safety_settings_refuse_bad_input_kindly(as_survivor, survivor):
    page = as_survivor.post("/account/safety", {"form": "safety", "disguise": "calculator", "exit_choice": "default", "version": "1"})
    assert page.status_code == 200 and "Set an unlock PIN first" in page.content.decode()
    page = as_survivor.post("/account/safety", {"form": "pin", "pin": "12", "pin_again": "12"})
    assert page.status_code == 200 and "4 to 8 numbers" in page.content.decode()
    assert not services.safety_settings_of(survivor).unlock_pin_hash


def test_safety_settings_refuse_anonymous_visitors(client, db):
    assert client.get("/account/safety").url == "/"
    assert client.post("/account/safety", {"form": "pin", "pin": "1234", "pin_again": "1234"}).url == "/"
    assert not SafetySettings.objects.exists()


# ---- Cover screens and unlocking ----------------------------------------------------------------


@pytest.mark.parametrize("look", ["calculator", "weather", "notes"])
def test_a_logged_out_phone_with_a_disguise_shows_its_cover(client, db, look):
    client.cookies["look"] = look
    page = client.get("/").content.decode()
    assert f"<title>{look.title()}</title>" in page and "Log in" not in page


def test_a_plain_phone_goes_straight_to_login(client, db):
    assert "Log in" in client.get("/").content.decode()


def test_calculator_without_javascript_calculates(client, db):
    client.cookies["look"] = "calculator"
    page = client.post("/", {"screen": "cover", "expression": "12+3", "key": "="})
    assert '<output class="calc-display"' in page.content.decode() and ">15</output>" in page.content.decode()


def test_the_calculator_asks_quietly_whether_a_number_opens_anything(client, survivor):
    client.cookies["look"], client.cookies["ck"] = "calculator", with_pin(survivor)
    ask = {"HTTP_ACCEPT": "application/json"}
    assert client.post("/", {"expression": "1357", "key": "="}, **ask).json() == {"open": None}
    assert client.post("/", {"expression": "2468", "key": "="}, **ask).json() == {"open": "/"}


def test_after_equals_a_digit_starts_a_new_number(client, db):
    client.cookies["look"] = "calculator"
    page = client.post("/", {"expression": "2580", "key": "=", "fresh": ""}).content.decode()
    assert ">2580</output>" in page and 'name="fresh" value="1"' in page
    page = client.post("/", {"expression": "2580", "key": "1", "fresh": "1"}).content.decode()
    assert ">1</output>" in page


def test_her_pin_then_equals_opens_the_login(client, survivor):
    key = with_pin(survivor)
    client.cookies["look"], client.cookies["ck"] = "calculator", key
    assert client.post("/", {"screen": "cover", "expression": "2468", "key": "="}).url == "/"


def test_a_wrong_pin_just_looks_like_a_sum(client, survivor):
    key = with_pin(survivor)
    client.cookies["look"], client.cookies["ck"] = "calculator", key
    page = client.post("/", {"screen": "cover", "expression": "1357", "key": "="})
    assert page.status_code == 200 and ">1357</output>" in page.content.decode()


def test_guessing_the_pin_on_a_cover_is_throttled(client, survivor):
    key = with_pin(survivor)
    client.cookies["look"], client.cookies["ck"] = "calculator", key
    for guess in range(1000, 1005):
        client.post("/", {"screen": "cover", "expression": str(guess), "key": "="})
    assert client.post("/", {"screen": "cover", "expression": "2468", "key": "="}).status_code == 200


def test_weather_search_box_takes_the_pin(client, survivor):
    key = with_pin(survivor, disguise="weather")
    client.cookies["look"], client.cookies["ck"] = "weather", key
    assert "Lisbon" in client.post("/", {"screen": "cover", "q": "Lisbon"}).content.decode()
    assert client.post("/", {"screen": "cover", "q": "2468"}).url == "/"


def test_a_phone_that_forgot_its_key_stays_disguised_whatever_is_typed(client, survivor):
    with_pin(survivor, disguise="notes")
    client.cookies["look"] = "notes"  # Exit wiped the key; the installed app's start address keeps the look
    for typed in ["5555", "2468", "groceries"]:
        page = client.post("/", {"screen": "cover", "q": typed})
        assert page.status_code == 200 and "No notes match" in page.content.decode()
    client.cookies["look"] = "calculator"
    assert ">2468</output>" in client.post("/", {"screen": "cover", "expression": "2468", "key": "="}).content.decode()


def test_lock_hides_everything_until_the_pin(as_survivor, survivor):
    with_pin(survivor)
    assert as_survivor.post("/lock").status_code == 204
    assert as_survivor.get("/account/settings").url == "/"
    assert as_survivor.get("/api/v1/me").json()["code"] == "locked"
    assert "<title>Calculator</title>" in as_survivor.get("/").content.decode()
    assert as_survivor.post("/", {"screen": "cover", "expression": "2468", "key": "="}).url == "/"
    assert as_survivor.get("/account/settings").status_code == 200


def test_five_wrong_pins_end_a_locked_session(as_survivor, survivor):
    with_pin(survivor)
    as_survivor.post("/lock")
    hers = as_survivor.session.session_key
    for guess in range(1000, 1005):
        as_survivor.post("/", {"screen": "cover", "expression": str(guess), "key": "="})
    assert not Session.objects.filter(session_key=hers).exists()
    assert as_survivor.get("/account/settings").url == "/"


def test_a_locked_session_also_opens_with_the_passphrase(as_survivor, survivor):
    as_survivor.post("/lock")
    assert "Welcome back" in as_survivor.get("/").content.decode()  # no disguise: the plain unlock page
    page = as_survivor.post("/", {"screen": "unlock", "secret": "wrong passphrase"})
    assert "did not work" in page.content.decode()
    assert as_survivor.post("/", {"screen": "unlock", "secret": "a-long-test-passphrase-42"}).url == "/"
    assert as_survivor.get("/account/settings").status_code == 200


def test_unlock_refuses_anonymous_visitors(client, db):
    assert client.post("/", {"screen": "unlock", "secret": "a-long-test-passphrase-42"}).url == "/"
    assert client.post("/lock").status_code == 204  # harmless: nothing to lock


# ---- First login, honesty, offline, worker -----------------------------------------------------


def test_first_login_shows_how_to_leave_once(client, northside):
    from survivor_portal.accounts.models import User

    User.objects.create_user("newbie", "a-long-test-passphrase-42", display_name="Ana", agency=northside)
    client.post("/", {"screen": "login", "username": "newbie", "password": "a-long-test-passphrase-42"})
    page = client.get("/").content.decode()  # at the start address, never an address of its own
    assert "Shift 3 times" in page and "does not erase your browsing history" in page and "/staying-safe" in page
    client.post("/welcome")
    assert client.get("/").status_code == 200


def test_staying_safe_says_what_it_cannot_do(client, db):
    page = client.get("/staying-safe").content.decode()
    for promise in ["cannot remove history", "visited this website", "spying software", "private or incognito"]:
        assert promise in page


def test_offline_page_is_the_same_for_everyone(as_survivor, survivor):
    page = as_survivor.get("/offline?d=notes").content.decode()
    assert "csrf" not in page.lower() and survivor.display_name not in page and "<title>Notes</title>" in page


def test_service_worker_is_served_from_the_root(client, db):
    answer = client.get("/sw.js")
    assert answer.status_code == 200 and "javascript" in answer["Content-Type"]
    assert b'"/api/' not in answer.content and b"credentials: \"omit\"" in answer.content


def test_safety_api_reads_and_changes_settings(as_survivor):
    assert as_survivor.get("/api/v1/me/safety").json()["has_pin"] is False
    refused = as_survivor.put(
        "/api/v1/me/safety", json.dumps({"disguise": "weather"}), content_type="application/json"
    )
    assert refused.status_code == 422 and refused.json()["field"] == "disguise"
    as_survivor.put("/api/v1/me/safety/pin", json.dumps({"pin": "2468", "pin_again": "2468"}), content_type="application/json")
    saved = as_survivor.put("/api/v1/me/safety", json.dumps({"disguise": "weather"}), content_type="application/json")
    assert saved.status_code == 200 and saved.json()["disguise"] == "weather" and saved.json()["has_pin"]


def test_safety_api_refuses_anonymous(client, db):
    assert client.get("/api/v1/me/safety").status_code == 401
    assert client.put("/api/v1/me/safety", "{}", content_type="application/json").status_code in (401, 403)


def test_five_wrong_passphrases_on_the_lock_screen_end_the_session(as_survivor, survivor):
    as_survivor.post("/lock")
    for _ in range(4):
        assert "did not work" in as_survivor.post("/", {"screen": "unlock", "secret": "not my passphrase"}).content.decode()
    assert as_survivor.post("/", {"screen": "unlock", "secret": "still not it"}).url == "/"
    assert as_survivor.get("/account/settings").url == "/"


def test_before_the_last_wrong_try_she_is_warned_and_afterwards_the_login_says_why(as_survivor, survivor):
    with_pin(survivor)
    as_survivor.post("/lock")
    for _ in range(3):
        page = as_survivor.post("/", {"screen": "unlock", "secret": "1357"}).content.decode()
        assert "Try again" in page and "One more wrong try" not in page
    page = as_survivor.post("/", {"screen": "unlock", "secret": "1357"}).content.decode()
    assert "One more wrong try ends this session" in page
    assert as_survivor.post("/", {"screen": "unlock", "secret": "1357"}).url == "/"
    login = as_survivor.get("/").content.decode()
    assert "Log in" in login and "You were logged out because the PIN or passphrase was wrong 5 times" in login
    assert "You were logged out" not in as_survivor.get("/").content.decode()  # told once


def test_a_common_pin_is_refused_next_to_the_field(as_survivor, survivor):
    page = as_survivor.post("/account/safety", {"form": "pin", "pin": "1990", "pin_again": "1990"}).content.decode()
    assert "easy to guess" in page and 'aria-invalid="true"' in page
    assert not services.safety_settings_of(survivor).unlock_pin_hash


def test_activity_keeps_the_session_and_refuses_anonymous(client, as_survivor):
    assert as_survivor.post("/alive").status_code == 204
    assert client.post("/alive").url == "/"


@pytest.mark.parametrize("pin", ["1234\n", "١٢٣٤", "12 34", "12a4"])
def test_pins_are_plain_digits_she_can_type(as_survivor, survivor, pin):
    answer = as_survivor.put(
        "/api/v1/me/safety/pin", json.dumps({"pin": pin[:8], "pin_again": pin[:8]}), content_type="application/json"
    )
    assert answer.status_code == 422
    assert not services.safety_settings_of(survivor).unlock_pin_hash


def test_lock_and_unlock_by_api(as_survivor, survivor):
    assert as_survivor.post("/api/v1/me/safety/lock").status_code == 204
    assert as_survivor.get("/api/v1/goals").json()["code"] == "locked"
    wrong = as_survivor.post("/api/v1/me/safety/unlock", json.dumps({"secret": "nope"}), content_type="application/json")
    assert wrong.status_code == 403 and wrong.json()["code"] == "unlock_failed"
    right = as_survivor.post(
        "/api/v1/me/safety/unlock", json.dumps({"secret": "a-long-test-passphrase-42"}), content_type="application/json"
    )
    assert right.status_code == 204 and as_survivor.get("/api/v1/goals").status_code == 200


def test_lock_api_refuses_anonymous(client, db):
    assert client.post("/api/v1/me/safety/lock").status_code in (401, 403)
    assert client.post("/api/v1/me/safety/unlock", "{}", content_type="application/json").status_code in (401, 403)
