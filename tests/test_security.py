import subprocess
import sys

from django.conf import settings


def test_every_response_carries_the_security_headers(client, db):
    answer = client.get("/")
    csp = answer["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert answer["Referrer-Policy"] == "no-referrer"
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer["X-Frame-Options"] == "DENY"
    assert answer["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in answer["Permissions-Policy"] and "geolocation=()" in answer["Permissions-Policy"]


def test_logged_in_pages_are_never_stored(as_survivor):
    assert as_survivor.get("/")["Cache-Control"] == "no-store"
    assert as_survivor.get("/api/v1/me")["Cache-Control"] == "no-store"


def test_session_cookie_is_http_only_and_lax(client, survivor):
    client.post("/", {"screen": "login", "username": "maya", "password": "a-long-test-passphrase-42"})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_argon2_hashes_passphrases_in_production():
    from survivor_portal import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_check_deploy_is_silent_with_production_values(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "x" * 20 + "-production-like-secret-with-enough-entropy-1234567890",
        "DATA_KEYS": "dGVzdHMtb25seS1kYXRhLWtleS1uZXZlci1pbi11c2U=",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "portal.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr and "issues" in result.stdout and "0 silenced" in result.stdout


def test_own_forms_pass_csrf_under_no_referrer(survivor):
    """Browsers send Origin: null under Referrer-Policy: no-referrer; the token still decides."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    page = client.get("/")
    token = page.context["csrf_token"]
    same_site = {"HTTP_ORIGIN": "null", "HTTP_SEC_FETCH_SITE": "same-origin"}
    answer = client.post("/", {"screen": "login", "username": "maya", "password": "x", "csrfmiddlewaretoken": token}, **same_site)
    assert answer.status_code == 200 and "did not work" in answer.content.decode()
    cross = client.post(
        "/",
        {"screen": "login", "username": "maya", "password": "x", "csrfmiddlewaretoken": token},
        HTTP_ORIGIN="null",
        HTTP_SEC_FETCH_SITE="cross-site",
    )
    assert cross.status_code == 403
    no_token = client.post("/", {"screen": "login", "username": "maya", "password": "x"}, **same_site)
    assert no_token.status_code == 403
