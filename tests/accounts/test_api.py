import json

import pytest
from django.test import Client

from survivor_portal.accounts.models import Invite
from tests.conftest import totp_code
from tests.factories import PASSPHRASE


def api_client() -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    token = client.get("/api/v1/auth/csrf").json()["csrf_token"]
    return client, token


def post(client: Client, token: str, path: str, body: dict):
    return client.post(path, json.dumps(body), content_type="application/json", HTTP_X_CSRFTOKEN=token)


def test_survivor_logs_in_with_the_api(survivor):
    client, token = api_client()
    answer = post(client, token, "/api/v1/auth/login", {"username": "maya", "password": PASSPHRASE})
    assert answer.status_code == 200 and answer.json() == {"username": "maya", "role": "survivor", "recovery_codes": None}
    assert client.get("/api/v1/me").json()["display_name"] == "Maya"


def test_login_without_a_csrf_token_is_refused(survivor):
    client = Client(enforce_csrf_checks=True)
    answer = client.post(
        "/api/v1/auth/login", json.dumps({"username": "maya", "password": PASSPHRASE}), content_type="application/json"
    )
    assert answer.status_code == 403 and answer.json()["code"] == "csrf_failed"


def test_bad_credentials_get_401(survivor):
    client, token = api_client()
    answer = post(client, token, "/api/v1/auth/login", {"username": "maya", "password": "nope"})
    assert answer.status_code == 401
    assert set(answer.json()) >= {"detail", "code"} and answer.json()["code"] == "bad_credentials"


def test_staff_without_a_code_get_otp_required_and_no_session(advocate):
    client, token = api_client()
    answer = post(client, token, "/api/v1/auth/login", {"username": "sam", "password": PASSPHRASE})
    assert answer.status_code == 403 and answer.json()["code"] == "otp_required"
    assert client.get("/api/v1/me").status_code == 401
    wrong = post(client, token, "/api/v1/auth/login", {"username": "sam", "password": PASSPHRASE, "otp_token": "1"})
    assert wrong.status_code == 403 and wrong.json()["code"] == "otp_required"


def test_staff_with_a_code_log_in(advocate):
    client, token = api_client()
    answer = post(
        client, token, "/api/v1/auth/login", {"username": "sam", "password": PASSPHRASE, "otp_token": totp_code(advocate)}
    )
    assert answer.status_code == 200 and answer.json()["role"] == "advocate"
    assert client.get("/api/v1/me").json()["two_factor"] is True


def test_throttled_logins_get_429(survivor):
    client, token = api_client()
    for _ in range(5):
        post(client, token, "/api/v1/auth/login", {"username": "maya", "password": "nope"})
    answer = post(client, token, "/api/v1/auth/login", {"username": "maya", "password": PASSPHRASE})
    assert answer.status_code == 429 and answer.json()["code"] == "throttled"


def test_validation_errors_name_the_field(survivor):
    client, token = api_client()
    answer = post(client, token, "/api/v1/auth/login", {"username": "maya"})
    assert answer.status_code == 422
    assert answer.json()["field"] == "password" and answer.json()["code"] == "invalid"


def test_logout_ends_the_session(survivor):
    client, token = api_client()
    post(client, token, "/api/v1/auth/login", {"username": "maya", "password": PASSPHRASE})
    token = client.get("/api/v1/auth/csrf").json()["csrf_token"]  # login rotates the token
    assert post(client, token, "/api/v1/auth/logout", {}).status_code == 200
    assert client.get("/api/v1/me").status_code == 401


def test_me_refuses_anonymous(client, db):
    answer = client.get("/api/v1/me")
    assert answer.status_code == 401 and answer.json() == {
        "detail": "Please log in.",
        "code": "not_authenticated",
        "field": None,
    }


def test_me_settings_change_and_refuse_bad_values(as_survivor, survivor):
    answer = as_survivor.patch("/api/v1/me", json.dumps({"idle_minutes": 5}), content_type="application/json")
    assert answer.status_code == 200 and answer.json()["idle_minutes"] == 5
    bad = as_survivor.patch("/api/v1/me", json.dumps({"idle_minutes": 7}), content_type="application/json")
    assert bad.status_code == 422 and bad.json()["field"] == "idle_minutes"


def test_admin_creates_and_lists_invites(as_admin):
    made = as_admin.post("/api/v1/agency/invites", json.dumps({"role": "advocate"}), content_type="application/json")
    assert made.status_code == 201 and len(made.json()["code"]) == 14
    listed = as_admin.get("/api/v1/agency/invites").json()
    assert listed[0]["state"] == "open" and "code" not in listed[0]


@pytest.mark.parametrize("persona", ["as_survivor", "as_advocate", "as_other_advocate"])
def test_invites_api_refuses_everyone_but_admins(request, persona):
    client = request.getfixturevalue(persona)
    assert client.get("/api/v1/agency/invites").status_code == 403
    made = client.post("/api/v1/agency/invites", json.dumps({"role": "survivor"}), content_type="application/json")
    assert made.status_code == 403 and not Invite.objects.exists()


def test_verified_staff_read_the_api_document_and_its_docs(as_advocate):
    doc = as_advocate.get("/api/v1/openapi.json").json()
    assert "/api/v1/auth/login" in doc["paths"]
    assert doc["info"]["title"] == "API"
    assert as_advocate.get("/api/v1/docs").status_code == 200


@pytest.mark.parametrize("persona", ["client", "as_survivor", "staff_before_two_step"])
def test_api_document_and_docs_look_like_any_unknown_address_to_everyone_else(request, db, persona):
    who = request.getfixturevalue(persona)
    unknown = who.get("/api/v1/no-such-page")
    for path in ["/api/v1/openapi.json", "/api/v1/docs"]:
        answer = who.get(path)
        assert answer.status_code == unknown.status_code in (403, 404), path
        assert [t.name for t in answer.templates] == [t.name for t in unknown.templates], path
        assert b"survivor" not in answer.content.lower()


@pytest.fixture
def staff_before_two_step(advocate):
    client = Client()
    client.force_login(advocate)  # logged in, second step not done
    return client


def test_control_characters_in_a_username_are_just_a_failed_login(survivor):
    client, token = api_client()
    answer = post(client, token, "/api/v1/auth/login", {"username": "ma\u0000ya", "password": "x"})
    assert answer.status_code == 401


def test_join_by_api_with_a_code(agency_admin):
    from survivor_portal.accounts import services

    _invite, code = services.invite_create(actor=agency_admin, role="survivor")
    client, token = api_client()
    body = {"code": code, "username": "nia", "display_name": "Nia", "passphrase": "quiet harbour at dawn"}
    answer = post(client, token, "/api/v1/auth/join", body)
    body = answer.json()
    assert answer.status_code == 201 and (body["username"], body["role"]) == ("nia", "survivor")
    assert len(body["recovery_codes"]) == 10  # shown once
    token = client.get("/api/v1/auth/csrf").json()["csrf_token"]
    again = post(client, token, "/api/v1/auth/join", {**body, "username": "nia2"})
    assert again.status_code == 422 and again.json()["field"] == "code"
