"""The personas every test uses. `other_advocate` works at an agency the survivor never
shared with: she must always be refused."""

import time

import pytest
import redis
from django.core.cache import cache, caches
from django.test import Client
from django.utils import translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from survivor_portal.accounts.models import User
from tests.factories import AgencyFactory, StaffFactory, UserFactory


@pytest.fixture(autouse=True)
def fast_hasher_and_clean_cache(request, settings, django_db_blocker):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Her "only me" key is still locked with argon2id in tests, at the smallest cost it allows.
    settings.ONLY_ME_PASSPHRASE_COST = settings.ONLY_ME_CODE_COST = (1, 8)
    cache.clear()
    translation.activate("en")  # a request in an earlier test may have left Spanish active
    yield
    cache.clear()
    if _commits(request):
        # The login counters live in a database table that rolls back with each test, but a test
        # that commits (a live server, transaction=True) leaves them, and flush does not empty it.
        with django_db_blocker.unblock():
            caches["throttle"].clear()


def _commits(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool({"transactional_db", "live_server"} & set(request.fixturenames)) or bool(
        marker and marker.kwargs.get("transaction"))


@pytest.fixture
def northside(db):
    return AgencyFactory(name="Northside Shelter")


@pytest.fixture
def eastbridge(db):
    return AgencyFactory(name="Eastbridge Legal Aid", time_zone="America/Chicago")


@pytest.fixture
def survivor(northside):
    return UserFactory(username="maya", display_name="Maya", agency=northside)


@pytest.fixture
def advocate(northside):
    return StaffFactory(username="sam", display_name="Sam", agency=northside)


@pytest.fixture
def other_advocate(eastbridge):
    return StaffFactory(username="jordan", display_name="Jordan", agency=eastbridge)


@pytest.fixture
def mentor(northside):
    return UserFactory(username="rosa", display_name="Rosa", agency=northside, is_peer_mentor=True)


@pytest.fixture
def council_member(northside):
    return UserFactory(username="lin", display_name="Lin", agency=northside, is_council_member=True)


@pytest.fixture
def agency_admin(northside):
    return StaffFactory(username="alex", display_name="Alex", agency=northside, role=User.Role.AGENCY_ADMIN)


def totp_code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits).token():06d}"


def logged_in(user: User) -> Client:
    """A client with a full session; staff are also verified with their second step."""
    from bench.queries import logged_in_client

    return logged_in_client(user)


@pytest.fixture
def as_survivor(survivor):
    return logged_in(survivor)


@pytest.fixture
def as_advocate(advocate):
    return logged_in(advocate)


@pytest.fixture
def as_other_advocate(other_advocate):
    return logged_in(other_advocate)


@pytest.fixture
def as_admin(agency_admin):
    return logged_in(agency_admin)


@pytest.fixture
def frozen_minutes(monkeypatch):
    """Move the clock forward by whole minutes for code paths that read time.time()."""
    offset = {"seconds": 0}
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + offset["seconds"])

    def advance(minutes: int) -> None:
        offset["seconds"] += minutes * 60

    return advance


def needs_redis(url: str):
    """Skips a test when Redis does not answer at `url` (CI always has it on 127.0.0.1:6379)."""
    try:
        up = bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        up = False
    return pytest.mark.skipif(not up, reason="no Redis on 127.0.0.1:6379")
