"""Exit never depends on the database or Redis: it answers at once whatever is down, and the
session it ended never opens her data again, even once the database is back."""

import pytest
from django.conf import settings
from survivor_portal.accounts.login_sessions import LoginSession as Session

from survivor_portal.safety import services, session_end
from tests.conftest import logged_in
from tests.outage import cache_down, database_down


@pytest.fixture(autouse=True)
def own_register(settings, tmp_path):
    settings.EXIT_REGISTER = str(tmp_path / "ended")
    session_end.register._next_try, session_end.register._wait = 0.0, session_end.FIRST_RETRY_SECONDS


def _forgets_her_session(answer) -> None:
    assert answer.cookies[settings.SESSION_COOKIE_NAME].value == ""
    assert answer.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 0
    assert answer["Clear-Site-Data"] == session_end.EXIT_CLEAR
    assert answer["Cache-Control"] == "no-store"


@pytest.mark.parametrize("method, status", [("get", 302), ("post", 204)])
def test_exit_answers_at_once_with_the_database_and_redis_down(survivor, method, status):
    client = logged_in(survivor)
    client.raise_request_exception = False
    with cache_down(), database_down():
        answer = getattr(client, method)("/exit")
    assert answer.status_code == status
    if status == 302:
        assert answer.url == settings.EXIT_URL
    _forgets_her_session(answer)


def test_a_session_exit_could_not_end_never_opens_again_and_ends_once_the_database_is_back(survivor):
    client = logged_in(survivor)
    client.raise_request_exception = False
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    with database_down():
        client.get("/exit")
    assert Session.objects.filter(session_key=key).exists()  # the database could not delete it
    assert session_end.is_ended(key)
    client.cookies[settings.SESSION_COOKIE_NAME] = key  # a copied or restored cookie
    answer = client.get("/api/v1/me")
    assert answer.status_code == 401
    assert answer.cookies[settings.SESSION_COOKIE_NAME].value == ""  # and the phone is told to forget it
    assert not Session.objects.filter(session_key=key).exists()  # the first request once it is back ends it
    assert not session_end.is_ended(key)


def test_a_page_with_an_ended_cookie_is_the_logged_out_one(survivor):
    client = logged_in(survivor)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    session_end.register.add(key)
    assert client.get("/account/settings").url == "/"  # to the start address, logged out


def test_exit_with_the_database_up_ends_the_session_straight_away(survivor):
    client = logged_in(survivor)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get("/exit").status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert not session_end.is_ended(key)  # nothing left waiting


def test_her_exit_site_travels_in_the_link_so_exit_needs_no_database(as_survivor, survivor, client, db):
    services.safety_update(actor=survivor, disguise="plain", exit_choice="recipes", lock_when_hidden=False)
    page = as_survivor.get("/account/settings").content.decode()
    assert page.count('href="/exit?to=recipes"') == 2
    with database_down():
        assert client.get("/exit?to=recipes").url == "https://www.bbcgoodfood.com/"
        assert client.get("/exit?to=https://elsewhere.example").url == settings.EXIT_URL


def test_retries_while_the_database_stays_down_write_one_log_line(survivor, caplog):
    client = logged_in(survivor)
    client.raise_request_exception = False
    with database_down():
        client.get("/exit")
        for _ in range(3):
            session_end.register._next_try = 0.0
            client.get("/nowhere")
    waits = [r for r in caplog.records if "must wait" in r.getMessage()]
    assert len(waits) == 1
