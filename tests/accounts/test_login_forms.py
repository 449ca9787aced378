"""No login form is an oracle (issue 15 part 1): the admin is only for staff who finished the app's
own login with two-step, and a right passphrase gets the same answer as a wrong one wherever the
answer must be a refusal."""

import json
import re

import pytest
from django.test import Client

from survivor_portal.accounts import recovery, services
from survivor_portal.accounts.models import User
from tests.conftest import logged_in, totp_code
from tests.factories import PASSPHRASE

WRONG = "not-the-passphrase-9"
# What differs between two answers that say the same: the CSRF token in the page, and nothing else.
_TOKEN = re.compile(r"[A-Za-z0-9]{32,64}")


def _answer(response, typed: tuple[str, ...] = ()) -> tuple:
    """Status, where it sends you, the page apart from the CSRF token and the form echoing what was typed, cookies set."""
    body = response.content.decode()
    for text in typed:
        body = body.replace(text, "TYPED") if text else body
    return response.status_code, response.get("Location"), _TOKEN.sub("TOKEN", body), sorted(response.cookies.keys())


def _api(path: str, body: dict):
    client = Client(enforce_csrf_checks=True)
    token = client.get("/api/v1/auth/csrf").json()["csrf_token"]
    return client.post(path, json.dumps(body), content_type="application/json", HTTP_X_CSRFTOKEN=token)


def _admin_login(username: str, password: str, otp: str = ""):
    return Client().post("/admin/login/", {"username": username, "password": password, "otp_token": otp,
                                           "next": "/admin/"})


def _login_forms(username: str, secret: str, otp: str, code: str) -> dict:
    """Every form that takes a passphrase or a code before there is a session."""
    return {
        "login page": Client().post("/", {"screen": "login", "username": username, "password": secret}),
        "login api": _api("/api/v1/auth/login", {"username": username, "password": secret, "otp_token": otp}),
        "admin login": _admin_login(username, secret, otp),
        "recover page": Client().post("/", {
            "screen": "recover", "username": username, "code": code, "passphrase": "a brand new passphrase 7",
            "passphrase_again": "a brand new passphrase 7"}),
        "recover api": _api("/api/v1/auth/recover", {
            "username": username, "code": code, "passphrase": "a brand new passphrase 7",
            "passphrase_again": "a brand new passphrase 7", "otp_token": otp}),
    }


@pytest.fixture
def operator(advocate):
    """Agency staff who also runs the server: the only kind of person the admin is for."""
    advocate.is_staff = advocate.is_superuser = True
    advocate.save(update_fields=["is_staff", "is_superuser"])
    return advocate


@pytest.mark.parametrize("persona", ["survivor", "operator"])
def test_every_login_form_answers_a_right_passphrase_like_a_wrong_one_once_the_guesser_is_held(request, db, persona):
    person: User = request.getfixturevalue(persona)
    for n in range(30):  # the guesser, from many addresses, without her device cookie
        for kind in ("login", "recover"):
            with pytest.raises(Exception):
                if kind == "login":
                    services.credentials_check(username=person.username, password=WRONG, address=f"198.51.100.{n}")
                else:
                    recovery.recover(username=person.username, code="zzzz-zzzz-zzzz", passphrase=WRONG,
                                     passphrase_again=WRONG, address=f"198.51.100.{n}")
    right_code = recovery.recovery_codes_make(actor=person)[0] if person.is_survivor else "abcd-efgh-jkmn"
    otp = totp_code(person) if person.is_agency_staff else ""
    right = _login_forms(person.username, PASSPHRASE, otp, right_code)
    wrong = _login_forms(person.username, WRONG, "000000", "zzzz-zzzz-zzzz")
    for form in right:
        assert _answer(right[form], (right_code, otp)) == _answer(wrong[form], ("zzzz-zzzz-zzzz", "000000")), form
    assert right["login page"].status_code == 200 and "That did not work" in right["login page"].content.decode()
    assert right["login api"].status_code == 429
    person.refresh_from_db()
    assert person.check_password(PASSPHRASE)  # the right code changed nothing either


@pytest.mark.parametrize("persona", ["survivor", "advocate", "operator"])
def test_the_admin_login_answers_everyone_with_the_apps_404_right_passphrase_or_not(request, db, persona):
    person: User = request.getfixturevalue(persona)
    otp = totp_code(person) if person.is_agency_staff else ""
    right, wrong = _admin_login(person.username, PASSPHRASE, otp), _admin_login(person.username, WRONG, "000000")
    assert right.status_code == 404 and _answer(right, (otp,)) == _answer(wrong, ("000000",))
    ordinary_404 = _answer(Client().get("/no-such-page/"), ("/no-such-page/",))
    for path in ("/admin/", "/admin/login/", "/admin/accounts/user/"):
        assert _answer(Client().get(path), (path,)) == ordinary_404, path
    assert _answer(right, ("/admin/login/", otp)) == ordinary_404


def test_the_admin_login_checks_no_passphrase_at_all(operator, monkeypatch):
    from django.contrib import auth

    calls = []
    monkeypatch.setattr(auth, "authenticate", lambda *a, **k: calls.append(1))
    _admin_login("sam", PASSPHRASE, totp_code(operator))
    assert calls == []


@pytest.mark.parametrize("persona", ["survivor", "mentor", "advocate", "agency_admin"])
def test_people_who_do_not_run_the_server_never_reach_the_admin(request, db, persona):
    client = logged_in(request.getfixturevalue(persona))
    for path in ("/admin/", "/admin/login/", "/admin/accounts/user/", "/admin/logout/"):
        assert client.get(path).status_code == 404, path


def test_a_survivor_marked_as_staff_by_mistake_still_never_reaches_it(survivor):
    survivor.is_staff = survivor.is_superuser = True
    survivor.save(update_fields=["is_staff", "is_superuser"])
    assert logged_in(survivor).get("/admin/").status_code == 404


def test_an_operator_who_has_not_finished_two_step_is_sent_to_finish_it(client, operator):
    client.force_login(operator)
    answer = client.get("/admin/")
    assert answer.status_code == 302 and answer.url == "/"


def test_an_operator_after_the_apps_own_two_step_login_reaches_the_admin(operator):
    client = logged_in(operator)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/login/").url == "/admin/"
    assert client.get("/admin/accounts/user/").status_code == 200
