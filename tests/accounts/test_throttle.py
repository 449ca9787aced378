"""Lock-out is not a weapon: the figures of issue 15 part 2, counted, never timed.

Someone who knows her username tries from "elsewhere" (no device cookie of hers, many
addresses); she logs in from a phone she logged in on before (its device cookie)."""

import time

import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.test import Client

from survivor_portal.accounts import devices, recovery, services, throttle
from survivor_portal.errors import Invalid, Throttled
from survivor_portal.safety import services as safety
from tests.factories import PASSPHRASE

NEW = "a brand new passphrase 7"


def guess(username: str = "maya", password: str = "wrong guess", address: str = "203.0.113.9", device: str = ""):
    """One try; returns "ok", "wrong" or "refused"."""
    try:
        services.credentials_check(username=username, password=password, address=address, device=device)
    except Throttled:
        return "refused"
    except services.BadCredentials:
        return "wrong"
    return "ok"


@pytest.fixture
def her_phone(survivor) -> str:
    """The device cookie her phone got at her last complete login."""
    return devices.device_token_new(user=survivor)


def test_after_a_thousand_wrong_tries_from_elsewhere_her_known_phone_gets_in_at_once(survivor, her_phone):
    answers = [guess(address=f"198.51.{n // 250}.{n % 250}") for n in range(1000)]
    assert answers.count("wrong") == throttle.UNKNOWN_FREE and answers.count("refused") == 995
    assert guess(password=PASSPHRASE, device=her_phone) == "ok"


def test_a_shared_address_full_of_failures_does_not_stop_a_known_phone(survivor, her_phone):
    shelter = "192.0.2.1"
    for n in range(300):  # everyone behind the shelter's address, guessing at many accounts
        guess(username=f"someone{n}", address=shelter)
    assert guess(username="rosa", password="anything", address=shelter) == "refused"  # unknown devices wait
    assert guess(password=PASSPHRASE, address=shelter, device=her_phone) == "ok"


def test_the_guessers_right_guess_after_thirty_wrong_ones_is_refused(survivor):
    for n in range(30):
        guess(address=f"198.51.100.{n}")
    assert guess(password=PASSPHRASE, address="198.51.100.200") == "refused"


def test_a_patient_guesser_gets_at_most_a_handful_of_checked_tries_an_hour(survivor, frozen_minutes):
    """One try every minute for five hours, each one waiting out the wait: far under ASVS's 100 an hour."""
    checked_per_hour = []
    for _hour in range(5):
        answers = []
        for _minute in range(60):
            answers.append(guess())
            frozen_minutes(1)
        checked_per_hour.append(answers.count("wrong"))
    print("checked tries per hour:", checked_per_hour)
    assert checked_per_hour[0] <= 10 and max(checked_per_hour) <= 10
    assert sum(checked_per_hour[1:]) <= 4 * 3  # the count does not start again while he keeps trying


def test_waits_grow_and_end(survivor, frozen_minutes):
    for _ in range(throttle.UNKNOWN_FREE):
        assert guess() == "wrong"
    assert guess(password=PASSPHRASE) == "refused"
    frozen_minutes(1)
    assert guess() == "wrong"  # the sixth wrong try: now two minutes
    frozen_minutes(1)
    assert guess(password=PASSPHRASE) == "refused"
    frozen_minutes(1)
    assert guess(password=PASSPHRASE) == "ok"


def test_no_account_gets_more_than_a_hundred_wrong_tries_an_hour(survivor):
    """Even over many devices of hers (each with its own allowance), all together stop at 100."""
    answers = []
    for n in range(15):
        phone = devices.device_token_new(user=survivor)
        answers += [guess(device=phone, address=f"10.0.{n}.1") for _ in range(throttle.DEVICE_ALLOWANCE)]
    assert answers.count("wrong") == throttle.ACCOUNT_CAP
    assert guess(password=PASSPHRASE, device=devices.device_token_new(user=survivor)) == "refused"


def test_a_known_phone_has_its_own_allowance_then_counts_as_unknown(survivor, her_phone):
    answers = [guess(device=her_phone) for _ in range(throttle.DEVICE_ALLOWANCE)]
    assert answers == ["wrong"] * throttle.DEVICE_ALLOWANCE
    # Spent: now it shares the unknown devices' count, which others' tries have not touched yet.
    assert [guess(device=her_phone) for _ in range(6)] == ["wrong"] * 5 + ["refused"]
    assert guess(password=PASSPHRASE, device=devices.device_token_new(user=survivor)) == "ok"


def test_a_device_cookie_counts_only_for_its_own_account(survivor, mentor, her_phone):
    for _ in range(throttle.UNKNOWN_FREE):
        guess(username="rosa")
    assert guess(username="rosa", password=PASSPHRASE, device=her_phone) == "refused"
    forged = her_phone[:-2] + ("AA" if not her_phone.endswith("AA") else "BB")
    for _ in range(throttle.UNKNOWN_FREE):
        guess()
    assert guess(password=PASSPHRASE, device=forged) == "refused"


def test_tries_for_unknown_usernames_are_counted_the_same(db):
    answers = [guess(username="nobody-here") for _ in range(7)]
    assert answers == ["wrong"] * 5 + ["refused"] * 2


def test_wrong_recovery_codes_never_slow_her_passphrase(survivor, her_phone):
    for _ in range(50):
        with pytest.raises((Invalid, Throttled)):
            recovery.recover(username="maya", code="zzzz-zzzz-zzzz", passphrase=NEW, passphrase_again=NEW,
                             address="198.51.100.7")
    assert guess(password=PASSPHRASE, device=her_phone) == "ok"
    assert guess(password=PASSPHRASE) == "ok"  # not even from a new phone: codes have their own count


def test_recovery_codes_are_limited_like_passphrases(survivor):
    for _ in range(throttle.UNKNOWN_FREE):
        with pytest.raises(Invalid):
            recovery.recover(username="maya", code="zzzz-zzzz-zzzz", passphrase=NEW, passphrase_again=NEW)
    codes = recovery.recovery_codes_make(actor=survivor)
    with pytest.raises(Throttled):
        recovery.recover(username="maya", code=codes[0], passphrase=NEW, passphrase_again=NEW)


def test_a_flood_of_wrong_passphrases_does_not_stop_her_recovering(survivor):
    for _ in range(100):
        guess()
    codes = recovery.recovery_codes_make(actor=survivor)
    assert recovery.recover(username="maya", code=codes[0], passphrase=NEW, passphrase_again=NEW) == survivor


def test_wrong_pins_count_towards_her_account(survivor):
    safety.pin_set(actor=survivor, pin="2468", pin_again="2468")
    for _ in range(3):
        safety.locked_session_unlock(user=survivor, secret="1111")
    cap = throttle._key("cap", throttle._account("maya"))
    assert caches["throttle"].get(cap)[0] == 3


def test_a_wrong_passphrase_inside_her_account_stays_counted(survivor):
    """The checks that ask for her passphrase again run outside the transaction that rolls back."""
    from survivor_portal.accounts import her_data

    for _ in range(throttle.UNKNOWN_FREE):
        with pytest.raises(Invalid):
            her_data.account_delete(actor=survivor, passphrase="wrong", address="1.1.1.1")
    with pytest.raises(Throttled):
        recovery.recovery_codes_replace(actor=survivor, passphrase=PASSPHRASE, address="1.1.1.1")


def test_every_login_gives_the_phone_a_device_cookie_bound_to_her(client, survivor):
    page = client.post("/", {"screen": "login", "username": "maya", "password": PASSPHRASE})
    assert page.status_code == 302
    cookie = page.cookies[devices.COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and "maya" not in cookie.value
    assert devices.device_nonce(token=cookie.value, username="MAYA")
    assert not devices.device_nonce(token=cookie.value, username="rosa")


def test_the_api_login_gives_a_device_cookie_too(survivor):
    import json

    client = Client(enforce_csrf_checks=True)
    token = client.get("/api/v1/auth/csrf").json()["csrf_token"]
    answer = client.post("/api/v1/auth/login", json.dumps({"username": "maya", "password": PASSPHRASE}),
                         content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert answer.status_code == 200 and devices.device_nonce(token=answer.cookies[devices.COOKIE].value, username="maya")


def test_her_phone_gets_in_through_the_login_page_while_others_are_refused(client, survivor):
    client.post("/", {"screen": "login", "username": "maya", "password": PASSPHRASE})
    client.post("/logout")
    for n in range(40):
        Client().post("/", {"screen": "login", "username": "maya", "password": "guess"}, REMOTE_ADDR=f"198.51.100.{n}")
    stranger = Client().post("/", {"screen": "login", "username": "maya", "password": PASSPHRASE})
    assert stranger.status_code == 200 and "That did not work" in stranger.content.decode()
    assert client.post("/", {"screen": "login", "username": "maya", "password": PASSPHRASE}).status_code == 302


def test_without_redis_every_process_reads_the_same_counts(survivor, settings):
    assert isinstance(caches["throttle"], DatabaseCache)
    for _ in range(throttle.UNKNOWN_FREE):
        guess()
    another_process = DatabaseCache(settings.THROTTLE_CACHE_TABLE, {})  # its own cache object, the same table
    wait = throttle._key("login", throttle._account("maya")) + ":wait"
    assert another_process.get(wait) > time.time()


def test_wrong_invite_codes_sent_to_the_join_api_stay_counted(db):
    import json

    client = Client(enforce_csrf_checks=True)
    token = client.get("/api/v1/auth/csrf").json()["csrf_token"]
    body = {"code": "WRNG-WRNG-WRNG", "username": "nia", "display_name": "Nia", "passphrase": NEW}
    answers = [client.post("/api/v1/auth/join", json.dumps(body), content_type="application/json",
                           HTTP_X_CSRFTOKEN=token).status_code for _ in range(21)]
    assert answers[:20] == [422] * 20 and answers[20] == 429


@pytest.mark.django_db(transaction=True)
def test_guesses_sent_at_once_are_checked_one_at_a_time(survivor):
    """Forty guesses fired together get no more checked tries than forty sent one by one."""
    import threading

    from django.db import connections

    answers = []

    def one(n: int) -> None:
        answers.append(guess(address=f"198.51.100.{n}"))
        connections.close_all()

    threads = [threading.Thread(target=one, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print("checked of 40 sent at once:", answers.count("wrong"))
    assert len(answers) == 40 and answers.count("wrong") <= throttle.UNKNOWN_FREE
