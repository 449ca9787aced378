import pytest
from survivor_portal.accounts.login_sessions import LoginSession as Session
from django.test import Client
from django.utils import timezone

from survivor_portal.accounts import services
from survivor_portal.accounts.models import Invite, User
from tests.conftest import logged_in, totp_code
from tests.factories import PASSPHRASE


def login(client: Client, username: str, password: str = PASSPHRASE):
    return client.post("/", {"screen": "login", "username": username, "password": password})


def test_login_page_is_plain_and_neutral(client, db):
    page = client.get("/")
    assert page.status_code == 200
    assert b"<title>Portal</title>" in page.content
    assert b'href="/exit"' in page.content


def test_survivor_logs_in_and_reaches_home(client, survivor):
    assert login(client, "maya").url == "/"
    assert "Maya" in client.get("/").content.decode()


def test_wrong_passphrase_gets_a_neutral_message(client, survivor):
    page = login(client, "maya", "wrong-passphrase")
    assert page.status_code == 200
    assert "That did not work" in page.content.decode()
    assert "Hello" not in client.get("/").content.decode()


def test_locked_login_says_the_same_as_a_wrong_one(client, survivor):
    for _ in range(5):
        login(client, "maya", "wrong-passphrase")
    locked = login(client, "maya")
    assert "That did not work" in locked.content.decode()
    assert "Hello" not in client.get("/").content.decode()


def test_staff_reach_nothing_before_the_code(client, advocate):
    assert login(client, "sam").url == "/"
    assert "Enter your code" in client.get("/").content.decode()  # the code screen, at the start address
    assert client.get("/account/settings").url == "/"
    assert client.get("/api/v1/me").json()["code"] == "otp_required"
    page = client.post("/", {"code": "000000"})
    assert "did not work" in page.content.decode()
    advocate.totpdevice_set.update(throttling_failure_count=0)  # django-otp waits 1 s after a miss
    assert client.post("/", {"code": totp_code(advocate)}).url == "/"
    assert client.get("/").status_code == 200


def test_new_staff_are_sent_to_set_up_two_step(client, northside):
    User.objects.create_user("newstaff", PASSPHRASE, display_name="Kit", role="advocate", agency=northside)
    login(client, "newstaff")
    assert client.get("/").url == "/account/two-factor/setup"
    page = client.get("/account/two-factor/setup")
    assert b"<svg" in page.content and page.status_code == 200


def test_setting_up_two_step_shows_backup_codes_once(as_survivor, survivor):
    from django_otp.oath import TOTP

    as_survivor.get("/account/two-factor/setup")
    device = survivor.totpdevice_set.get()
    page = as_survivor.post("/account/two-factor/setup", {"code": f"{TOTP(device.bin_key).token():06d}"})
    assert page.status_code == 200 and page.content.decode().count("<code>") == 10
    assert services.has_second_factor(survivor)


def test_join_in_two_steps(client, agency_admin):
    _invite, code = services.invite_create(actor=agency_admin, role="survivor")
    assert client.post("/", {"screen": "join", "code": code}).url == "/"
    answer = client.post(
        "/",
        {
            "screen": "join",
            "username": "nia",
            "display_name": "Nia",
            "passphrase": "quiet harbour at dawn",
            "passphrase_again": "quiet harbour at dawn",
        },
    )
    assert "Your recovery codes" in answer.content.decode()  # shown once, then on into the app
    assert "How to leave quickly" in client.get("/").content.decode()  # first, at the start address
    assert Invite.objects.get().used_by.username == "nia"


def test_join_with_a_wrong_code_creates_nothing(client, agency_admin):
    page = client.post("/", {"screen": "join", "code": "WRNG-WRNG-WRNG"})
    assert "does not work" in page.content.decode()
    assert client.get("/").content.decode().count('name="code"') == 1
    assert User.objects.count() == 1


def test_join_explains_each_problem_beside_its_field_at_once(client, agency_admin, survivor):
    import re

    _invite, code = services.invite_create(actor=agency_admin, role="survivor")
    client.post("/", {"screen": "join", "code": code})
    page = client.post("/", {"screen": "join", "username": "maya", "display_name": "Nia", "passphrase": "short",
                             "passphrase_again": "short"}).content.decode()
    errors = dict(re.findall(r'<p class="field-error" id="id_(\w+)_error">([^<]*)</p>', page))
    assert "taken" in errors["username"] and "error-summary" not in page  # each once, beside its field
    assert errors["passphrase"] == "Use at least 10 characters. A few words you can remember work well."
    assert "password" not in page.lower().replace('type="password"', "").replace("new-password", "")
    assert User.objects.filter(username__iexact="maya").count() == 1


def test_mismatched_passphrases_are_caught_and_nothing_is_made(client, agency_admin):
    _invite, code = services.invite_create(actor=agency_admin, role="survivor")
    client.post("/", {"screen": "join", "code": code})
    page = client.post(
        "/", {"screen": "join", "username": "nia", "display_name": "Nia", "passphrase": "quiet harbour", "passphrase_again": "x"}
    )
    assert "not the same" in page.content.decode()
    assert not User.objects.filter(username="nia").exists()


def test_idle_time_sets_the_server_side_expiry(as_survivor, survivor):
    as_survivor.get("/")
    session = Session.objects.get()
    remaining = (session.expire_date - timezone.now()).total_seconds()
    assert 14 * 60 < remaining <= 15 * 60


def test_after_her_idle_time_the_session_is_gone(as_survivor, survivor, monkeypatch):
    from django.contrib.sessions.backends import db as session_db

    survivor.idle_minutes = 5
    survivor.save()
    as_survivor.get("/account/settings")
    real_now = timezone.now
    monkeypatch.setattr(session_db.timezone, "now", lambda: real_now() + timezone.timedelta(minutes=4))
    assert as_survivor.get("/account/settings").status_code == 200  # 4 minutes idle: still in, deadline moves on
    monkeypatch.setattr(session_db.timezone, "now", lambda: real_now() + timezone.timedelta(minutes=9, seconds=5))
    assert as_survivor.get("/account/settings").url == "/"  # 5 minutes and 5 s since the last request


def test_settings_change_idle_time_and_language(as_survivor, survivor):
    answer = as_survivor.post("/account/settings", {"idle_minutes": "30", "language": "es", "version": "15.en.1"})
    assert answer.status_code == 302
    survivor.refresh_from_db()
    assert (survivor.idle_minutes, survivor.language) == (30, "es")
    assert "Ajustes" in as_survivor.get("/account/settings").content.decode()


def test_settings_refuse_other_values_and_change_nothing(as_survivor, survivor):
    page = as_survivor.post("/account/settings", {"idle_minutes": "999", "language": "en"})
    assert page.status_code == 200
    survivor.refresh_from_db()
    assert survivor.idle_minutes == 15


def test_language_can_be_picked_before_login(client, db):
    answer = client.post("/language", {"language": "es", "next": "/"})
    assert answer.url == "/"
    assert "Entrar" in client.get("/").content.decode()


def test_language_switch_never_redirects_off_site(client, db):
    assert client.post("/language", {"language": "es", "next": "//evil.example"}).url == "/"


def test_admin_makes_an_invite_and_sees_the_code_once(as_admin):
    page = as_admin.post("/agency/invites", {"role": "survivor"})
    assert page.status_code == 200 and "7 days" in page.content.decode()
    assert Invite.objects.count() == 1
    assert "<code>" not in as_admin.get("/agency/invites").content.decode()


@pytest.mark.parametrize("persona", ["as_survivor", "as_advocate", "as_other_advocate"])
def test_only_admins_reach_invites(request, persona):
    client = request.getfixturevalue(persona)
    assert client.get("/agency/invites").status_code == 404
    assert client.post("/agency/invites", {"role": "survivor"}).status_code == 404
    assert not Invite.objects.exists()


@pytest.mark.parametrize("path", ["/account/settings", "/agency/invites", "/account/two-factor/setup"])
def test_pages_inside_refuse_anonymous_visitors(client, db, path):
    assert client.get(path).url == "/"  # the login, with no ?next= to keep in her history


def test_logout_needs_post_and_clears_site_data(as_survivor):
    assert as_survivor.get("/logout").status_code == 405
    answer = as_survivor.post("/logout")
    assert answer["Clear-Site-Data"] == '"cache", "storage"'
    assert "Log in" in as_survivor.get("/").content.decode()


def test_staff_logged_in_elsewhere_also_must_verify(advocate):
    client = Client()
    client.force_login(advocate)
    assert client.get("/agency/invites").url == "/"


def test_verified_staff_reach_their_home(advocate):
    assert logged_in(advocate).get("/").status_code == 200


@pytest.mark.parametrize("path", ["/account/two-factor/backup-codes", "/account/two-factor/remove"])
def test_half_logged_in_people_cannot_touch_their_second_step(client, advocate, survivor, path):
    """A passphrase alone must never mint backup codes or switch the second step off."""
    from django_otp.oath import TOTP

    device = services.totp_setup_start(actor=survivor)
    services.totp_setup_confirm(actor=survivor, token=f"{TOTP(device.bin_key).token():06d}")
    codes_before = list(survivor.staticdevice_set.get().token_set.values_list("token", flat=True))
    for person in ("sam", "maya"):
        login(client, person)
        answer = client.post(path, {"passphrase": PASSPHRASE})
        assert answer.status_code == 302 and answer.url == "/", (person, answer)
        client.post("/logout")
    assert services.has_second_factor(survivor)
    assert list(survivor.staticdevice_set.get().token_set.values_list("token", flat=True)) == codes_before


def test_wrong_codes_after_the_right_passphrase_still_lock_the_username(client, advocate):
    for attempt in range(3):
        login(client, "sam")
        for _ in range(2):
            client.post("/account/two-factor/verify", {"code": "12345678"}, REMOTE_ADDR=f"10.0.0.{attempt}")
        client.post("/logout")
    page = login(client, "sam")
    assert page.status_code == 200 and "That did not work" in page.content.decode()
    assert "Log in" in client.get("/").content.decode()


def test_language_picked_before_login_is_kept_on_her_account(client, survivor):
    client.post("/language", {"language": "es", "next": "/"})
    login(client, "maya")
    survivor.refresh_from_db()
    assert survivor.language == "es"
    assert "Tus metas" in client.get("/").content.decode()


def test_behind_a_proxy_the_proxys_own_forwarded_address_counts(rf, settings):
    from survivor_portal.accounts.sessions import client_address

    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_address(request) == "10.0.0.1"
    settings.BEHIND_PROXY = True
    assert client_address(request) == "203.0.113.9"
