"""Two app processes behind one PostgreSQL (and one Redis, or none): whatever she does through
one, the other knows (README, Operations, "Several app processes").

Each run copies the migrated test database into a throwaway one, starts two gunicorn servers
on free ports against it and talks HTTP to them, as a load balancer would send one phone's
requests to either. Once with Redis (db 15, emptied first: sessions' copies, login counters and
any cache in Redis) and once without (sessions and login counters in PostgreSQL alone), since
both are documented ways to scale out. Only when DATABASE_URL is PostgreSQL: SQLite is one file
on one machine, not something two servers share.
"""

import contextlib
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.server import free_port

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRES = (os.environ.get("DATABASE_URL") or "").startswith(("postgres://", "postgresql://"))
REDIS_URL = os.environ.get("SCALE_REDIS_URL", "redis://127.0.0.1:6379/15")
PASSPHRASE = "two-servers-one-database-26"
WRONG = "not-her-passphrase-at-all"

pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES, reason="two app processes share PostgreSQL; DATABASE_URL is not PostgreSQL"),
    pytest.mark.django_db,  # so the migrated test database exists to be copied, even when this file runs alone
]


# ---- The two servers ---------------------------------------------------------------------------

SETUP = r"""
import json, os
from peer_support.groups import services as groups
from peer_support.groups.models import PeerGroup
from survivor_portal.accounts.models import Agency, User
from survivor_portal.goals import services as goals
from survivor_portal.safety.models import SafetySettings
run = os.environ["SCALE_RUN"]
riverside = Agency.objects.create(name=f"Riverside {run}")
people = {}
for name in ("maya", "lena", "guessed"):
    person = User.objects.create_user(f"{name}_{run}", "%(passphrase)s", display_name=name.title(), agency=riverside)
    SafetySettings.objects.create(user=person, seen_exit_intro=True)
    people[name] = person
goals.goal_create(actor=people["maya"], title="Find a flat near the river")
circle = PeerGroup.objects.create(agency=riverside, name="Evening circle", purpose="Talking", agreement="Be kind.")
groups.join(actor=people["maya"], group_id=circle.pk, alias="Blue Lake", agreed=True)
groups.join(actor=people["lena"], group_id=circle.pk, alias="Green Hill", agreed=True)
first = groups.post_create(actor=people["maya"], group_id=circle.pk, body="Hello everyone")
print(json.dumps({"usernames": {name: person.username for name, person in people.items()},
                  "group": circle.pk, "first_post": first.pk}))
""" % {"passphrase": PASSPHRASE}


@dataclass
class Pair:
    one: str
    other: str
    usernames: dict
    group: int
    first_post: int


def _redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _admin_url(database_url: str) -> str:
    parts = urllib.parse.urlsplit(database_url)
    return urllib.parse.urlunsplit(("postgresql", parts.netloc, "/postgres", "", ""))


@contextlib.contextmanager
def _throwaway_database(template: str) -> Iterator[str]:
    """A copy of the migrated test database (a file copy, a second or so, where migrating afresh
    takes half a minute), dropped afterwards."""
    import psycopg
    from django.db import connections

    connections.close_all()  # nobody may be connected to a template while it is copied
    admin = _admin_url(os.environ["DATABASE_URL"])
    name = f"portal_scale_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    parts = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))
    with psycopg.connect(admin, autocommit=True) as connection:
        try:
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        except psycopg.errors.ObjectInUse:  # some connection to the test database outlived its test
            connection.execute(f'CREATE DATABASE "{name}"')
            migrate = [sys.executable, "manage.py", "migrate", "--noinput", "-v0"]
            subprocess.run(migrate, env={**os.environ, "DATABASE_URL": url}, cwd=ROOT, check=True)
    try:
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _environment(database_url: str, redis_url: str | None, folder: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update({
        "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "survivor_portal.settings",
        "SECRET_KEY": "scale-test-secret-key-shared-by-both-processes-0123456789",
        "DEBUG": "0", "HTTPS": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost", "WEB_CONCURRENCY": "1",
        # Both processes run on this machine, so they share these folders as the README says.
        "EXIT_REGISTER": str(folder / "exit-register"), "STALE_COPIES_REGISTER": str(folder / "stale-copies"),
    })
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def _wait_until_serving(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60  # a busy machine can take a while to import the app
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server at {base} stopped:\n{log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(base + "/", timeout=2).close()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the server at {base} did not answer within 60 s:\n{log.read_text()[-3000:]}")


@contextlib.contextmanager
def _two_servers(env: dict, folder: Path) -> Iterator[Callable[[], tuple[str, str]]]:
    """Starts both and yields a call that waits until both answer, so the caller can prepare
    the data while they start."""
    servers, bases, logs, outputs = [], [], [], []

    def serving() -> tuple[str, str]:
        for base, server, log in zip(bases, servers, logs):
            _wait_until_serving(base, server, log)
        return bases[0], bases[1]

    try:
        for name in ("one", "other"):
            port = free_port()
            log = folder / f"{name}.log"
            outputs.append(log.open("w"))
            servers.append(subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "survivor_portal.wsgi"],
                env={**env, "BIND": f"127.0.0.1:{port}"}, cwd=ROOT, stdout=outputs[-1], stderr=subprocess.STDOUT))
            bases.append(f"http://127.0.0.1:{port}")
            logs.append(log)
        yield serving
        for log in logs:  # neither process may have logged an error while the tests talked to it
            assert "Traceback" not in log.read_text(), log.read_text()[-3000:]
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        for output in outputs:
            output.close()


def _prepare(env: dict, run: str) -> dict:
    made = subprocess.run([sys.executable, "manage.py", "shell", "-c", SETUP], env={**env, "SCALE_RUN": run}, cwd=ROOT,
                          capture_output=True, text=True)
    assert made.returncode == 0, made.stderr[-3000:]
    return json.loads(made.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def database_url(django_db_setup, django_db_blocker):
    from django.db import connection

    with django_db_blocker.unblock(), _throwaway_database(connection.settings_dict["NAME"]) as url:
        yield url


@pytest.fixture(scope="module", params=["redis", "no-redis"])
def pair(request, database_url) -> Iterator[Pair]:
    redis_url = None
    if request.param == "redis":
        if not _redis_up():
            pytest.skip(f"no Redis at {REDIS_URL}")
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()  # db 15 is this test's own: nothing stale from a last run
        redis_url = REDIS_URL
    with tempfile.TemporaryDirectory() as folder:
        env = _environment(database_url, redis_url, Path(folder))
        with _two_servers(env, Path(folder)) as serving:
            data = _prepare(env, "r" if redis_url else "d")
            one, other = serving()
            yield Pair(one=one, other=other, **data)
    if redis_url:
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()


# ---- A phone, as far as HTTP goes ------------------------------------------------------------------


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the test follows what it means to (Exit sends her to another site)


@dataclass
class Answer:
    status: int
    headers: dict
    text: str


class Phone:
    """One browser's cookies, whichever server answers: a load balancer may send any request to
    either. No Sec-Fetch-* headers, so the fresh-load lock leaves these requests alone."""

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _KeepRedirects)

    def request(self, url: str, *, form: dict | None = None, data: dict | None = None, headers: dict | None = None) -> Answer:
        body, sent = None, dict(headers or {})
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        elif data is not None:
            body = json.dumps(data).encode()
            sent["Content-Type"] = "application/json"
        try:
            with self._opener.open(urllib.request.Request(url, data=body, headers=sent), timeout=20) as answer:
                return Answer(answer.status, dict(answer.headers), answer.read().decode())
        except urllib.error.HTTPError as error:
            return Answer(error.code, dict(error.headers), error.read().decode())

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.cookies if c.name == name), None)

    def log_in(self, base: str, username: str, passphrase: str = PASSPHRASE) -> Answer:
        """The login form at the start address, as a browser sends it."""
        page = self.request(base + "/")
        return self.request(base + "/", form={"csrfmiddlewaretoken": _hidden(page.text, "csrfmiddlewaretoken"),
                                              "screen": "login", "username": username, "password": passphrase})

    def post_to_group(self, base: str, group: int, body: str) -> Answer:
        page = self.request(f"{base}/groups/{group}")
        return self.request(f"{base}/groups/{group}/post", form={
            "csrfmiddlewaretoken": _hidden(page.text, "csrfmiddlewaretoken"), "once": _hidden(page.text, "once"),
            "body": body, "content_warning": ""})

    def poll(self, base: str, group: int, after: int) -> Answer:
        return self.request(f"{base}/groups/{group}/new?after={after}", headers={"X-Background": "1"})


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', page)
    assert found, f"no {name} in the page"
    return found.group(1)


def _logged_in(answer: Answer) -> bool:
    return answer.status == 302 and answer.headers.get("Location") == "/"


# ---- What the two must agree on ----------------------------------------------------------------------


def test_logged_in_through_one_process_she_is_logged_in_on_the_other(pair):
    phone = Phone()
    assert _logged_in(phone.log_in(pair.one, pair.usernames["maya"]))
    home = phone.request(pair.other + "/")
    assert home.status == 200 and "Find a flat near the river" in home.text
    me = phone.request(pair.other + "/api/v1/me")
    assert me.status == 200 and json.loads(me.text)["username"] == pair.usernames["maya"]


def test_exit_on_one_process_ends_her_session_on_the_other(pair):
    phone = Phone()
    assert _logged_in(phone.log_in(pair.other, pair.usernames["maya"]))
    session = phone.cookie("sid")
    assert phone.request(pair.one + "/api/v1/me").status == 200
    assert phone.request(pair.other + "/exit").status in (302, 204)
    # Whoever kept a copy of her cookie gets nothing from either process.
    for base in (pair.one, pair.other):
        copied = Phone().request(base + "/api/v1/me", headers={"Cookie": f"sid={session}"})
        assert copied.status in (401, 403), base
        start = Phone().request(base + "/", headers={"Cookie": f"sid={session}"})
        assert "Find a flat near the river" not in start.text


def test_wrong_tries_counted_on_one_process_count_on_the_other(pair):
    her = pair.usernames["guessed"]
    # Five wrong tries pass from an unknown device, whichever process counts them; the fifth
    # starts a wait. Split 3 and 2, each process alone would have seen too few to hold anyone.
    for base in (pair.one, pair.other, pair.one, pair.other, pair.one):
        refused = Phone().log_in(base, her, WRONG)
        assert refused.status == 200 and "That did not work" in refused.text
    right = Phone().log_in(pair.other, her)
    assert not _logged_in(right) and "That did not work" in right.text
    assert not _logged_in(Phone().log_in(pair.one, her))


def test_a_post_made_on_one_process_reaches_a_poll_on_the_other(pair):
    maya, lena = Phone(), Phone()
    assert _logged_in(maya.log_in(pair.one, pair.usernames["maya"]))
    assert _logged_in(lena.log_in(pair.other, pair.usernames["lena"]))
    # Both processes are asked first, so whatever either keeps about "nothing new" is in place.
    for base in (pair.one, pair.other):
        assert lena.poll(base, pair.group, pair.first_post).status == 204
        assert maya.poll(base, pair.group, pair.first_post).status == 204
    assert maya.post_to_group(pair.one, pair.group, "Made it to the meeting today").status == 302
    news = lena.poll(pair.other, pair.group, pair.first_post)
    assert news.status == 200 and "Made it to the meeting today" in news.text
    newest = int(re.search(r"new\?after=(\d+)", news.text).group(1))
    assert newest > pair.first_post
    assert lena.poll(pair.other, pair.group, newest).status == 204
    # And back the other way, to a poll on the process the first post was made on.
    assert maya.poll(pair.one, pair.group, newest).status == 204
    assert lena.post_to_group(pair.other, pair.group, "Glad you came").status == 302
    reply = maya.poll(pair.one, pair.group, newest)
    assert reply.status == 200 and "Glad you came" in reply.text
