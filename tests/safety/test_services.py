import pytest
from django.contrib.auth.hashers import identify_hasher

from survivor_portal.errors import Invalid
from survivor_portal.safety import calc, services
from survivor_portal.safety.models import SafetySettings


def test_a_pin_is_four_to_eight_digits(survivor):
    for bad in ["123", "123456789", "12a4", "", " 1234"]:
        with pytest.raises(Invalid):
            services.pin_set(actor=survivor, pin=bad, pin_again=bad)
    with pytest.raises(Invalid) as mismatch:
        services.pin_set(actor=survivor, pin="4826", pin_again="4821")
    assert mismatch.value.field == "pin_again"
    assert not SafetySettings.objects.get(user=survivor).unlock_pin_hash


@pytest.mark.parametrize("pin", ["1234", "0000", "1111", "2580", "1990", "2024", "1212", "6969", "9876", "0123",
                                 "2512", "1225", "777777", "123123", "251290", "19901225", "12345678"])
def test_the_pins_anyone_would_try_first_are_refused_kindly(survivor, pin):
    with pytest.raises(Invalid) as refused:
        services.pin_set(actor=survivor, pin=pin, pin_again=pin)
    assert refused.value.field == "pin" and "easy to guess" in refused.value.message
    assert not SafetySettings.objects.get(user=survivor).unlock_pin_hash


@pytest.mark.parametrize("pin", ["2468", "4826", "8351", "7391", "3814", "48261937"])
def test_pins_nobody_would_link_to_her_are_fine(survivor, pin):
    services.pin_set(actor=survivor, pin=pin, pin_again=pin)
    assert services.pin_matches(user=survivor, pin=pin)


def test_the_pin_is_hashed_with_argon2_and_matches(survivor, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    safety, device_key = services.pin_set(actor=survivor, pin="2468", pin_again="2468")
    assert identify_hasher(safety.unlock_pin_hash).algorithm == "argon2"
    assert "2468" not in safety.unlock_pin_hash
    assert services.pin_matches(user=survivor, pin="2468")
    assert not services.pin_matches(user=survivor, pin="2469")
    assert services.owner_of_device_key(device_key) == survivor
    assert services.owner_of_device_key("not-a-key") is None


def test_a_new_device_key_retires_the_old_one(survivor):
    _safety, old_key = services.pin_set(actor=survivor, pin="2468", pin_again="2468")
    new_key = services.device_key_issue(actor=survivor)
    assert services.owner_of_device_key(new_key) == survivor
    assert services.owner_of_device_key(old_key) is None


def test_no_device_key_without_a_pin(survivor):
    assert services.device_key_issue(actor=survivor) is None


def test_a_disguise_needs_a_pin_first_so_she_can_always_get_back(survivor):
    with pytest.raises(Invalid) as refused:
        services.safety_update(actor=survivor, disguise="calculator", exit_choice="default", lock_when_hidden=False)
    assert refused.value.field == "disguise"
    services.pin_set(actor=survivor, pin="2468", pin_again="2468")
    saved = services.safety_update(actor=survivor, disguise="calculator", exit_choice="news", lock_when_hidden=True)
    assert (saved.disguise, saved.exit_choice, saved.lock_when_hidden) == ("calculator", "news", True)
    assert services.exit_url_for(survivor) == "https://www.bbc.com/news"


def test_unknown_choices_change_nothing(survivor):
    for disguise, exit_choice in [("casino", "default"), ("plain", "somewhere")]:
        with pytest.raises(Invalid):
            services.safety_update(actor=survivor, disguise=disguise, exit_choice=exit_choice, lock_when_hidden=True)
    assert services.safety_settings_of(survivor).lock_when_hidden is False


def test_the_fifth_wrong_try_ends_a_locked_session(survivor):
    services.pin_set(actor=survivor, pin="2468", pin_again="2468")
    assert services.locked_session_unlock(user=survivor, secret="2468").unlocked
    assert services.locked_session_unlock(user=survivor, secret="a-long-test-passphrase-42").unlocked
    for _ in range(4):
        result = services.locked_session_unlock(user=survivor, secret="1111")
        assert not result.unlocked and not result.end_session
    assert services.locked_session_unlock(user=survivor, secret="wrong passphrase").end_session
    assert services.locked_session_unlock(user=survivor, secret="2468").end_session  # too late now


@pytest.mark.django_db(transaction=True)
def test_wrong_tries_sent_at_once_are_checked_one_at_a_time(survivor, monkeypatch):
    import threading

    from django.db import connections

    services.pin_set(actor=survivor, pin="2468", pin_again="2468")
    checked, results = [], []
    real_check = services.pin_matches
    monkeypatch.setattr(services, "pin_matches", lambda **kw: checked.append(1) or real_check(**kw))

    def attempt():
        results.append(services.locked_session_unlock(user=survivor, secret="1111"))
        connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 12 and not any(result.unlocked for result in results)
    # Each try that was not checked ended its session; never more than five were checked.
    assert len(checked) <= 5 and sum(result.end_session for result in results) >= 12 - len(checked)


def test_reading_settings_never_writes(survivor):
    SafetySettings.objects.filter(user=survivor).delete()
    survivor.refresh_from_db()
    assert services.safety_settings_of(survivor).disguise == "plain"
    assert not SafetySettings.objects.filter(user=survivor).exists()


@pytest.mark.parametrize(
    "keys, shown",
    [("12+3=", "15"), ("2+3×4=", "14"), ("10÷4=", "2.5"), ("7÷0=", "Error"), ("9-12=", "-3"), ("1÷3=", "0.333333333333")],
)
def test_the_calculator_cover_really_calculates(keys, shown):
    expression, display, fresh = "", "0", False
    for key in keys:
        expression, display, fresh = calc.press(expression, key, fresh)
    assert display == shown


def test_the_calculator_ignores_junk():
    assert calc.press("2+<script>", "=") == ("2", "2", True)
    assert calc.press("", "+") == ("", "0", False)
    assert calc.press("5+", "×") == ("5×", "5×", False)
