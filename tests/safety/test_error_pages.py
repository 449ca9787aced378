"""Error pages need nothing: with the database and the cache unavailable they still carry the
way out, in her look, never stored, under the CSP; the API answers JSON; one failure, one log line."""

import logging
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.utils import translation

from survivor_portal.safety import error_pages
from tests.conftest import logged_in
from tests.outage import cache_down, database_down

NAMES_NOTHING = ["survivor", "traffick", "abuse", "violence", "shelter", "advocate", "safety", "portal"]


def _assert_safe_page(answer, status: int, look: str = "weather") -> str:
    html = answer.content.decode()
    assert answer.status_code == status
    assert html.count('href="/exit"') == 2 and html.index('class="skip-exit"') < html.index("<main")
    assert 'id="exit"' in html and "data-exit" in html and "/static/js/app." in html
    assert f"<title>{look.title()}</title>" in html and f'class="look-{look}"' in html
    assert answer["Cache-Control"] == "no-store"
    assert "default-src 'self'" in answer["Content-Security-Policy"]
    assert "script-src 'self'" in answer["Content-Security-Policy"]
    for word in NAMES_NOTHING:
        assert word not in html.lower().replace('class="look-', ""), word
    return html


def _request(path: str = "/goals/"):
    request = RequestFactory().get(path)
    request.COOKIES.update({"look": "weather", "sid": "a-session-key-the-database-would-check"})
    return request


def _raised(error: Exception):
    """Call the 500 handler the way Django does: while the error is being handled."""
    try:
        raise error
    except Exception:
        return error_pages.server_error(_request())


@pytest.fixture
def nothing_works():
    with cache_down(), database_down():
        yield


HANDLERS = {
    400: lambda: error_pages.bad_request(_request()),
    403: lambda: error_pages.forbidden(_request()),
    404: lambda: error_pages.not_found(_request()),
    500: lambda: _raised(RuntimeError("a bug")),
    503: lambda: _raised(OperationalError("server closed the connection unexpectedly")),
}


@pytest.mark.parametrize("status", sorted(HANDLERS))
def test_every_error_page_renders_with_the_database_and_cache_down(db, nothing_works, status):
    _assert_safe_page(HANDLERS[status](), status)


def test_the_csrf_page_renders_with_the_database_and_cache_down(db, nothing_works):
    html = _assert_safe_page(error_pages.csrf_failure(_request()), 403)
    assert "Please try that again" in html


@pytest.mark.parametrize("status", sorted(HANDLERS))
def test_error_pages_speak_spanish(db, nothing_works, status):
    with translation.override("es"):
        html = HANDLERS[status]().content.decode()
    assert 'lang="es"' in html and ">Salir<" in html and "Ir al inicio" in html


def test_a_page_with_the_database_down_is_a_503_with_the_way_out(survivor):
    client = logged_in(survivor)
    client.cookies["look"] = "weather"
    client.raise_request_exception = False
    with database_down():
        answer = client.get("/goals/")
    _assert_safe_page(answer, 503)
    assert answer["Retry-After"] == str(error_pages.RETRY_AFTER_SECONDS)


def test_a_logged_out_visitor_gets_the_plain_404_with_the_database_down(client, db):
    client.raise_request_exception = False
    with database_down():
        answer = client.get("/nowhere")
    assert answer.status_code == 404 and answer.content.decode().count('href="/exit"') == 2
    assert "<title>Portal</title>" in answer.content.decode()


def test_the_api_answers_503_json_when_the_database_is_down(survivor):
    client = logged_in(survivor)
    client.raise_request_exception = False
    with database_down():
        answer = client.get("/api/v1/goals")
    assert answer.status_code == 503 and answer["Content-Type"] == "application/json"
    assert answer.json() == {"detail": mock.ANY, "code": "unavailable", "field": None}
    assert answer["Retry-After"] == str(error_pages.RETRY_AFTER_SECONDS) and answer["Cache-Control"] == "no-store"


def test_the_api_answers_json_for_every_error(as_survivor):
    as_survivor.raise_request_exception = False
    missing = as_survivor.get("/api/v1/nowhere")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    with mock.patch("survivor_portal.accounts.api._me", side_effect=RuntimeError("a bug")):
        broken = as_survivor.get("/api/v1/me")
    assert broken.status_code == 500 and broken.json() == {"detail": mock.ANY, "code": "server_error", "field": None}


def test_one_outage_writes_one_log_entry(survivor, caplog):
    client = logged_in(survivor)
    client.raise_request_exception = False
    with caplog.at_level(logging.INFO), database_down():
        client.get("/goals/")
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) == 1
    assert "503" in caplog.records[-1].getMessage() and "OperationalError" in caplog.records[-1].getMessage()


def test_an_unexpected_error_writes_one_log_entry_and_keeps_the_way_out(as_survivor, caplog):
    as_survivor.cookies["look"] = "weather"
    as_survivor.raise_request_exception = False
    with caplog.at_level(logging.INFO), mock.patch("survivor_portal.safety.views.render", side_effect=RuntimeError("a bug")):
        answer = as_survivor.get("/staying-safe")
    _assert_safe_page(answer, 500)
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) == 1


def test_a_broken_error_template_still_leaves_the_way_out(db):
    with mock.patch("survivor_portal.safety.error_pages.loader.render_to_string", side_effect=RuntimeError):
        answer = error_pages.not_found(_request())
    assert answer.status_code == 404 and 'href="/exit"' in answer.content.decode()


def test_a_redis_error_deep_inside_counts_as_a_backend_down():
    import redis

    try:
        try:
            raise redis.exceptions.ConnectionError("Connection refused")
        except redis.exceptions.ConnectionError as inner:
            raise ValueError("wrapped") from inner
    except ValueError as outer:
        assert error_pages.backend_down(outer)
    assert not error_pages.backend_down(ValueError("just a bug"))
