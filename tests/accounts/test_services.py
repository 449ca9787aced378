from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken

from survivor_portal.accounts import services
from survivor_portal.accounts.models import Invite, User
from survivor_portal.errors import Invalid, NotAllowed, Throttled
from tests.conftest import totp_code
from tests.factories import PASSPHRASE

NEW_PASSPHRASE = "river stones under moonlight"


def join(code: str, username: str = "newperson", **kwargs) -> User:
    return services.account_join(
        code=code, username=username, display_name="Nia", passphrase=NEW_PASSPHRASE, **kwargs
    )


def test_admin_creates_a_readable_code_stored_only_as_hash(agency_admin):
    invite, code = services.invite_create(actor=agency_admin, role=User.Role.SURVIVOR)
    assert len(code) == 14 and code.count("-") == 2
    assert not set(code.replace("-", "")) & set("01OILS5")
    assert code not in invite.code_hash and invite.code_hash != code
    assert invite.expires_at - timezone.now() > timedelta(days=6, hours=23)
    assert invite.agency == agency_admin.agency


@pytest.mark.parametrize("persona", ["survivor", "advocate", "mentor", "council_member"])
def test_only_agency_admins_create_invites(request, persona):
    with pytest.raises(NotAllowed):
        services.invite_create(actor=request.getfixturevalue(persona), role=User.Role.SURVIVOR)
    assert not Invite.objects.exists()


def test_joining_with_a_code_makes_the_account_at_the_inviting_agency(agency_admin):
    _invite, code = services.invite_create(actor=agency_admin, role=User.Role.SURVIVOR)
    user = join(code.lower().replace("-", " "))  # typed in lower case with spaces still works
    assert user.role == User.Role.SURVIVOR and user.agency == agency_admin.agency
    assert user.check_password(NEW_PASSPHRASE)
    assert Invite.objects.get().used_by == user


def test_a_used_code_creates_nothing(agency_admin):
    _invite, code = services.invite_create(actor=agency_admin, role=User.Role.SURVIVOR)
    join(code)
    with pytest.raises(Invalid) as refused:
        join(code, username="second")
    assert refused.value.field == "code"
    assert not User.objects.filter(username="second").exists()


def test_an_expired_code_creates_nothing(agency_admin):
    invite, code = services.invite_create(actor=agency_admin, role=User.Role.SURVIVOR)
    Invite.objects.filter(pk=invite.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(Invalid) as expired:
        join(code)
    with pytest.raises(Invalid) as wrong:
        join("AAAA-BBBB-CCCC")
    assert expired.value.message == wrong.value.message  # one neutral message for both
    assert not User.objects.filter(username="newperson").exists()


def test_weak_or_short_passphrases_are_refused_and_the_code_stays_open(agency_admin):
    _invite, code = services.invite_create(actor=agency_admin, role=User.Role.SURVIVOR)
    for weak in ["short", "password123", "1234567890123"]:
        with pytest.raises(Invalid) as refused:
            services.account_join(code=code, username="nia", display_name="Nia", passphrase=weak)
        assert refused.value.field == "passphrase"
    assert Invite.objects.get().used_at is None
    assert join(code, username="nia")


def test_usernames_are_unique_whatever_the_case(agency_admin, survivor):
    _invite, code = services.invite_create(actor=agency_admin, role=User.Role.SURVIVOR)
    with pytest.raises(Invalid) as taken:
        join(code, username=survivor.username.upper())
    assert taken.value.field == "username"


def test_guessing_invite_codes_is_throttled_per_address(agency_admin):
    _invite, code = services.invite_create(actor=agency_admin, role=User.Role.SURVIVOR)
    for _ in range(20):
        with pytest.raises(Invalid):
            services.invite_check(code="WRNG-WRNG-WRNG", address="10.0.0.9")
    with pytest.raises(Throttled):
        services.invite_check(code=code, address="10.0.0.9")
    assert services.invite_check(code=code, address="10.0.0.10")


def test_right_credentials_return_the_person(survivor):
    assert services.credentials_check(username="MAYA", password=PASSPHRASE, address="1.1.1.1") == survivor


def test_five_failures_lock_the_username_even_with_the_right_passphrase(survivor):
    for _ in range(5):
        with pytest.raises(services.BadCredentials):
            services.credentials_check(username="maya", password="wrong", address=f"1.1.1.{_}")
    with pytest.raises(Throttled) as locked:
        services.credentials_check(username="maya", password=PASSPHRASE, address="2.2.2.2")
    with pytest.raises(services.BadCredentials) as unknown:
        services.credentials_check(username="nobody", password="x", address="3.3.3.3")
    assert locked.value.message == unknown.value.message  # nothing reveals that "maya" exists


def test_the_first_wait_ends_after_a_minute(survivor, frozen_minutes):
    for _ in range(5):
        with pytest.raises(services.BadCredentials):
            services.credentials_check(username="maya", password="wrong", address="1.1.1.1")
    with pytest.raises(Throttled):
        services.credentials_check(username="maya", password=PASSPHRASE, address="1.1.1.1")
    frozen_minutes(1)
    assert services.credentials_check(username="maya", password=PASSPHRASE, address="1.1.1.1") == survivor


def test_fifty_failures_from_one_address_stop_unknown_devices_behind_it(survivor):
    for n in range(50):
        with pytest.raises(services.BadCredentials):
            services.credentials_check(username=f"guess{n}", password="wrong", address="9.9.9.9")
    with pytest.raises(Throttled):
        services.credentials_check(username="maya", password=PASSPHRASE, address="9.9.9.9")
    assert services.credentials_check(username="maya", password=PASSPHRASE, address="8.8.8.8")


def test_staff_always_need_a_second_step_survivors_only_if_they_add_it(survivor, advocate, agency_admin):
    assert services.needs_second_factor(advocate) and services.needs_second_factor(agency_admin)
    assert not services.needs_second_factor(survivor)
    device = services.totp_setup_start(actor=survivor)
    assert not services.needs_second_factor(survivor)  # not until she proves the app works
    from django_otp.oath import TOTP

    services.totp_setup_confirm(actor=survivor, token=f"{TOTP(device.bin_key).token():06d}")
    assert services.needs_second_factor(survivor)


def test_a_wrong_setup_code_leaves_two_step_off(survivor):
    services.totp_setup_start(actor=survivor)
    with pytest.raises(Invalid):
        services.totp_setup_confirm(actor=survivor, token="000000")
    assert not services.has_second_factor(survivor)


def test_totp_and_single_use_backup_codes_are_accepted(advocate):
    assert services.second_factor_check(user=advocate, token=totp_code(advocate), address="1.1.1.1")
    codes = services.backup_codes_replace(actor=advocate)
    assert len(codes) == 10 and StaticToken.objects.count() == 10
    assert services.second_factor_check(user=advocate, token=codes[0], address="1.1.1.1")
    with pytest.raises(Invalid):
        services.second_factor_check(user=advocate, token=codes[0], address="1.1.1.1")


def test_wrong_codes_count_towards_the_lock(advocate):
    for _ in range(5):
        with pytest.raises(Invalid):
            services.second_factor_check(user=advocate, token="12345678", address="1.1.1.1")
    with pytest.raises(Throttled):
        services.credentials_check(username=advocate.username, password=PASSPHRASE, address="1.1.1.1")


def test_staff_cannot_turn_two_step_off(advocate):
    with pytest.raises(NotAllowed):
        services.two_factor_remove(actor=advocate, passphrase=PASSPHRASE, address="1.1.1.1")
    assert services.has_second_factor(advocate)


def test_turning_two_step_off_needs_her_passphrase(survivor):
    from django_otp.oath import TOTP

    device = services.totp_setup_start(actor=survivor)
    services.totp_setup_confirm(actor=survivor, token=f"{TOTP(device.bin_key).token():06d}")
    with pytest.raises(services.BadCredentials):
        services.two_factor_remove(actor=survivor, passphrase="not it", address="1.1.1.1")
    assert services.has_second_factor(survivor)
    services.two_factor_remove(actor=survivor, passphrase=PASSPHRASE, address="1.1.1.1")
    assert not services.has_second_factor(survivor)


def test_settings_accept_only_the_offered_choices(survivor):
    services.user_settings_update(actor=survivor, idle_minutes=5, language="es")
    survivor.refresh_from_db()
    assert (survivor.idle_minutes, survivor.language) == (5, "es")
    with pytest.raises(Invalid):
        services.user_settings_update(actor=survivor, idle_minutes=7)
    with pytest.raises(Invalid):
        services.user_settings_update(actor=survivor, language="fr")
    survivor.refresh_from_db()
    assert (survivor.idle_minutes, survivor.language) == (5, "es")
