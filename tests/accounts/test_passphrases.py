"""Passphrases that are easy to guess are refused kindly, in her language and beside the field,
wherever one is set (joining, changing it, a recovery code, an agency's reset; page and API);
a few ordinary words together stay welcome."""

import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth import password_validation
from django.test import Client
from django.utils import timezone, translation

from survivor_portal.accounts import recovery, services
from survivor_portal.accounts.management.commands.seed_demo import DEMO_PASSPHRASE, PEOPLE
from survivor_portal.accounts.models import Invite, ResetCode, User
from survivor_portal.errors import Invalid
from tests.conftest import logged_in
from tests.factories import PASSPHRASE, UserFactory

WEAK = [
    # (passphrase, English words that name why, Spanish words that name why)
    ("Summer2026!", "A common word with numbers or signs added", "Una palabra común con números o signos"),
    ("Verano2026!", "A common word with numbers or signs added", "Una palabra común con números o signos"),
    ("passwordpassword", "Saying the same thing twice", "Repetir lo mismo dos veces"),
    ("P@ssw0rd2026", "Swapping letters for numbers or symbols", "Cambiar letras por números o símbolos"),
    ("abcdefghijk1", "Runs like “abc” or “1234”", "Las series como «abc» o «1234»"),
    ("14/03/1990abc", "Years and dates are easy to guess", "Los años y las fechas son fáciles"),
    ("iloveyou2026", "A common word with numbers or signs added", "Una palabra común con números o signos"),
    ("qwertyuiop12", "Many people use that one", "Mucha gente usa esa"),
]
STRONG = [
    "correct horse battery staple",
    "quiet harbour at dawn",
    "mi perro come tacos los martes",
    "tres tristes tigres comen trigo",
    "Tr0ub4dor&3 on a Tuesday",
]
STRONGER = "river stones under moonlight"


def _person() -> User:
    return User(username="luna_azul", display_name="Valentina Ruiz")


@pytest.mark.parametrize(("weak", "english", "spanish"), WEAK)
def test_easy_guesses_are_refused_with_why_in_her_language(weak, english, spanish):
    said = services.passphrase_problem(weak, _person())
    assert said.startswith(english) and "password" not in said.lower()
    with translation.override("es"):
        dicho = services.passphrase_problem(weak, _person())
    assert dicho.startswith(spanish) and "palabras tuyas" in dicho


@pytest.mark.parametrize("strong", STRONG)
def test_a_few_ordinary_words_together_are_welcome(strong):
    assert services.passphrase_problem(strong, _person()) is None
    with translation.override("es"):
        assert services.passphrase_problem(strong, _person()) is None


def test_her_username_and_name_are_the_first_guesses():
    # Each scores well for someone else: only her own names make it guessable.
    for guess in ("valentinaruiz2026", "Azul Valentina 7", "ruiz-luna_azul"):
        assert services.passphrase_problem(guess, User(username="otra", display_name="Ana")) is None, guess
        said = services.passphrase_problem(guess, _person())
        assert said is not None and ("username" in said), guess
        with translation.override("es"):
            assert "nombre de usuario" in services.passphrase_problem(guess, _person())


def test_easy_to_guess_is_not_said_twice_beside_a_plainer_reason():
    said = services.passphrase_problem("password", _person())
    assert said == ("Use at least 10 characters. A few words you can remember work well. "
                    "Many people use that one, so it is easy to guess. Choose a few words of your own.")


def test_a_very_long_passphrase_is_scored_without_error():
    assert services.passphrase_problem("the long road home " * 40, _person()) is None
    assert services.passphrase_problem("x" * 500, _person()) is not None


def test_demo_and_test_people_have_passphrases_that_pass(db):
    for person in PEOPLE:
        password_validation.validate_password(DEMO_PASSPHRASE, User(username=person["username"],
                                                                   display_name=person["display_name"]))
    for person in UserFactory.build_batch(20):
        password_validation.validate_password(PASSPHRASE, person)


# ---- Each place a passphrase is set: the words beside the field, the same words from the API ----


def _field_error(page: str, field: str) -> str:
    found = dict(re.findall(r'<p class="field-error" id="id_(\w+)_error">([^<]*)</p>', page))
    return found.get(field, "")


@pytest.mark.parametrize(("language", "why"), [("en", WEAK[0][1]), ("es", WEAK[0][2])])
def test_joining_with_an_easy_guess_says_why_beside_the_field_and_makes_nothing(client, agency_admin, language, why):
    _invite, code = services.invite_create(actor=agency_admin, role="survivor")
    client.post("/language", {"language": language, "next": "/"})
    client.post("/", {"screen": "join", "code": code})
    page = client.post("/", {"screen": "join", "username": "nia", "display_name": "Nia", "passphrase": "Summer2026!",
                             "passphrase_again": "Summer2026!"}).content.decode()
    assert _field_error(page, "passphrase").startswith(why)
    assert not User.objects.filter(username="nia").exists() and Invite.objects.get().used_at is None
    client.post("/", {"screen": "join", "username": "nia", "display_name": "Nia", "passphrase": STRONGER,
                      "passphrase_again": STRONGER})
    assert User.objects.get(username="nia").check_password(STRONGER)


@pytest.mark.parametrize(("language", "why"), [("en", WEAK[2][1]), ("es", WEAK[2][2])])
def test_changing_to_an_easy_guess_says_why_beside_the_field(survivor, language, why):
    services.user_settings_update(actor=survivor, language=language)
    phone = logged_in(survivor)
    page = phone.post("/account/passphrase", {"current": PASSPHRASE, "new": "passwordpassword",
                                              "new_again": "passwordpassword"}).content.decode()
    assert _field_error(page, "new").startswith(why)
    survivor.refresh_from_db()
    assert survivor.check_password(PASSPHRASE)
    phone.post("/account/passphrase", {"current": PASSPHRASE, "new": STRONGER, "new_again": STRONGER})
    survivor.refresh_from_db()
    assert survivor.check_password(STRONGER)


@pytest.mark.parametrize(("language", "why"), [("en", WEAK[0][1]), ("es", WEAK[0][2])])
def test_a_recovery_code_with_an_easy_guess_says_why_and_stays_unused(survivor, language, why):
    codes = recovery.recovery_codes_make(actor=survivor)
    client = Client()
    client.post("/language", {"language": language, "next": "/"})
    page = client.post("/", {"screen": "recover", "username": "maya", "code": codes[0], "passphrase": "Summer2026!",
                             "passphrase_again": "Summer2026!"}).content.decode()
    assert _field_error(page, "passphrase").startswith(why)
    survivor.refresh_from_db()
    assert survivor.check_password(PASSPHRASE)
    recovery.recover(username="maya", code=codes[0], passphrase=STRONGER, passphrase_again=STRONGER)  # still works


def test_an_agency_reset_with_an_easy_guess_changes_nothing(survivor, agency_admin):
    _made, code = recovery.reset_code_issue(actor=agency_admin, username="maya")
    with pytest.raises(recovery.ResetWaiting):
        recovery.recover(username="maya", code=code, passphrase=STRONGER, passphrase_again=STRONGER)
    ResetCode.objects.update(started_at=timezone.now() - timedelta(hours=24, seconds=1))
    with translation.override("es"), pytest.raises(Invalid) as refused:
        recovery.recover(username="maya", code=code, passphrase="passwordpassword", passphrase_again="passwordpassword")
    assert refused.value.field == "passphrase" and refused.value.message.startswith(WEAK[2][2])
    survivor.refresh_from_db()
    assert survivor.check_password(PASSPHRASE) and ResetCode.objects.get().used_at is None
    recovery.recover(username="maya", code=code, passphrase=STRONGER, passphrase_again=STRONGER)
    survivor.refresh_from_db()
    assert survivor.check_password(STRONGER)


def _api(client: Client, path: str, body: dict, language: str):
    token = client.get("/api/v1/auth/csrf").json()["csrf_token"]
    return client.post(path, json.dumps(body), content_type="application/json", HTTP_X_CSRFTOKEN=token,
                       HTTP_ACCEPT_LANGUAGE=language)


@pytest.mark.parametrize(("language", "why"), [("en", WEAK[0][1]), ("es", WEAK[0][2])])
def test_the_api_refuses_an_easy_guess_with_the_same_words(survivor, agency_admin, language, why):
    _invite, invite = services.invite_create(actor=agency_admin, role="survivor")
    joining = _api(Client(enforce_csrf_checks=True), "/api/v1/auth/join",
                   {"code": invite, "username": "nia", "display_name": "Nia", "passphrase": "Summer2026!"}, language)
    assert joining.status_code == 422 and joining.json()["field"] == "passphrase"
    assert joining.json()["detail"].startswith(why)

    codes = recovery.recovery_codes_make(actor=survivor)
    recovering = _api(Client(enforce_csrf_checks=True), "/api/v1/auth/recover",
                      {"username": "maya", "code": codes[0], "passphrase": "Summer2026!",
                       "passphrase_again": "Summer2026!"}, language)
    assert recovering.status_code == 422 and recovering.json()["detail"].startswith(why)

    services.user_settings_update(actor=survivor, language=language)
    changing = logged_in(survivor).post("/api/v1/me/passphrase", json.dumps(
        {"current": PASSPHRASE, "new": "Summer2026!", "new_again": "Summer2026!"}), content_type="application/json")
    assert changing.status_code == 422 and changing.json()["field"] == "new" and changing.json()["detail"].startswith(why)
    survivor.refresh_from_db()
    assert survivor.check_password(PASSPHRASE) and not User.objects.filter(username="nia").exists()
