"""`make faults`: what a survivor sees while the backends fail.

Starts its own PostgreSQL (initdb into a temporary folder) and its own Redis on free loopback
ports, runs the app under gunicorn with the repository's gunicorn.conf.py, logs in as the demo
survivor, then stops, pauses (SIGSTOP/SIGCONT) and restarts each backend and kills a worker in
the middle of a write. Each fault gets a handful of requests with a time limit; the whole run
stops itself after about three minutes. Prints one table. Never touches the machine's own
PostgreSQL or Redis, and removes everything it started, on Ctrl-C too.
"""

import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "demo-passphrase-2026"
REQUEST_TIMEOUT = 8  # a client gives up here; the app's own limits are far shorter
RECOVERY_LIMIT = 20
RUN_LIMIT = 170  # seconds for everything after start-up checks


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check, seconds: float, every: float = 0.1) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(every)
    return False


# ---- Processes ------------------------------------------------------------------------------


class Process:
    """A server in its own process group (so Ctrl-C in the terminal reaches only us, and a
    pause stops the server's children too)."""

    def __init__(self, name: str, command: list[str], log: Path, env: dict | None = None, user: str | None = None):
        self.name, self.command, self.log, self.env, self.user = name, command, log, env, user
        self.popen: subprocess.Popen | None = None
        self.paused = False

    def _demote(self):
        if self.user is None:
            return None
        record = pwd.getpwnam(self.user)

        def demote():
            os.setgid(record.pw_gid)
            os.setuid(record.pw_uid)

        return demote

    def start(self) -> None:
        with open(self.log, "ab") as out:
            self.popen = subprocess.Popen(
                self.command, stdout=out, stderr=subprocess.STDOUT, env=self.env, cwd=ROOT,
                start_new_session=True, preexec_fn=self._demote(),
            )

    def signal_group(self, number: int) -> None:
        if self.popen and self.popen.poll() is None:
            try:
                os.killpg(self.popen.pid, number)
            except ProcessLookupError:
                pass

    def pause(self) -> None:
        self.signal_group(signal.SIGSTOP)
        self.paused = True

    def resume(self) -> None:
        self.signal_group(signal.SIGCONT)
        self.paused = False

    def stop(self, how: int = signal.SIGTERM, seconds: float = 10) -> None:
        if not self.popen or self.popen.poll() is not None:
            return
        self.resume()
        self.popen.send_signal(how)
        try:
            self.popen.wait(seconds)
        except subprocess.TimeoutExpired:
            self.signal_group(signal.SIGKILL)
            self.popen.wait(5)
        self.signal_group(signal.SIGKILL)  # anything of its group left behind

    def children(self) -> list[int]:
        if not self.popen:
            return []
        found = []
        for stat in glob.glob("/proc/[0-9]*/stat"):
            try:
                fields = Path(stat).read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.popen.pid:
                found.append(int(stat.split("/")[2]))
        return found


def postgres_binaries() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=lambda p: int(p.split("/")[4]))
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("postgres")
    if found:
        return Path(found).parent
    raise SystemExit("make faults needs PostgreSQL's server binaries (initdb, postgres).")


@dataclass
class Stack:
    folder: Path
    pg_port: int = field(default_factory=free_port)
    redis_port: int = field(default_factory=free_port)
    app_port: int = field(default_factory=free_port)
    processes: list = field(default_factory=list)

    def __post_init__(self):
        self.pg_user = "postgres" if os.geteuid() == 0 else None  # PostgreSQL refuses to run as root
        if self.pg_user:
            try:
                pwd.getpwnam(self.pg_user)
            except KeyError:
                raise SystemExit("Running as root: make faults needs a 'postgres' user to run its PostgreSQL as.") from None
        bins = postgres_binaries()
        data, sockets = self.folder / "pgdata", self.folder / "pgsock"
        sockets.mkdir()
        if self.pg_user:
            record = pwd.getpwnam(self.pg_user)
            os.chown(self.folder, record.pw_uid, record.pw_gid)
            os.chown(sockets, record.pw_uid, record.pw_gid)
        initdb = Process("initdb", [str(bins / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                                    "-E", "UTF8", "--no-sync"], self.folder / "postgres.log", user=self.pg_user)
        initdb.start()
        if initdb.popen.wait(120) != 0:
            raise SystemExit(f"initdb failed; see {initdb.log}")
        self.postgres = Process("postgres", [
            str(bins / "postgres"), "-D", str(data), "-p", str(self.pg_port), "-c", "listen_addresses=127.0.0.1",
            "-c", f"unix_socket_directories={sockets}", "-c", "max_connections=40",
            # Only a crash of the whole machine could lose data without fsync; no drill does that,
            # and the migrations before the drills run several times faster.
            "-c", "fsync=off",
        ], self.folder / "postgres.log", user=self.pg_user)
        self.redis = Process("redis", [
            shutil.which("redis-server") or "redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--dir", str(self.folder),
        ], self.folder / "redis.log")
        self.env = {
            **os.environ,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.pg_port}/portal",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "faults-only-secret-key-0123456789-abcdefghijklmnop",
            "DEBUG": "0", "HTTPS": "0", "ALLOWED_HOSTS": "127.0.0.1", "WEB_CONCURRENCY": "2",
        }
        self.app = Process("gunicorn", [
            sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
            "-b", f"127.0.0.1:{self.app_port}", "survivor_portal.wsgi",
        ], self.folder / "app.log", env=self.env)
        self.processes = [self.app, self.postgres, self.redis]
        self.base = f"http://127.0.0.1:{self.app_port}"

    # -- each backend
    def postgres_up(self) -> bool:
        import psycopg

        try:
            psycopg.connect(f"postgresql://postgres@127.0.0.1:{self.pg_port}/postgres", connect_timeout=2).close()
            return True
        except psycopg.Error:
            return False

    def redis_up(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.redis_port, socket_connect_timeout=0.5, socket_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def start_postgres(self) -> None:
        self.postgres.start()
        if not wait_for(self.postgres_up, 30, 0.2):
            raise SystemExit(f"PostgreSQL did not start; see {self.postgres.log}")

    def stop_postgres(self) -> None:
        self.postgres.stop(signal.SIGINT)  # PostgreSQL's fast shutdown: sessions end, nothing half-written

    def start_redis(self) -> None:
        self.redis.start()
        if not wait_for(self.redis_up, 15):
            raise SystemExit(f"Redis did not start; see {self.redis.log}")

    def stop_redis(self) -> None:
        self.redis.stop(signal.SIGTERM)

    def start(self) -> None:
        self.start_postgres()
        self.start_redis()
        import psycopg

        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{self.pg_port}/postgres", autocommit=True) as admin:
            admin.execute("CREATE DATABASE portal")
        manage = [sys.executable, str(ROOT / "manage.py")]
        for step in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
            print(f"  manage.py {step[0]}...", file=sys.stderr)
            done = subprocess.run([*manage, *step], env=self.env, cwd=ROOT, capture_output=True, text=True)
            if done.returncode != 0:
                raise SystemExit(f"manage.py {step[0]} failed:\n{done.stderr[-2000:]}")
        self.app.start()
        if not wait_for(lambda: Survivor(self.base).call("GET", "/login").status == 200, 30, 0.2):
            raise SystemExit(f"The app did not start; see {self.app.log}")

    def stop_everything(self) -> None:
        for process in self.processes:
            try:
                process.stop(signal.SIGINT if process is self.postgres else signal.SIGTERM)
            except Exception as error:  # keep cleaning up the rest
                print(f"could not stop {process.name}: {error}", file=sys.stderr)

    def app_log_lines(self) -> int:
        try:
            return len(self.app.log.read_bytes().splitlines())
        except OSError:
            return 0


# ---- A survivor's phone -----------------------------------------------------------------------


@dataclass
class Answer:
    status: int  # 0 when no answer came (connection dropped or timed out)
    body: str
    seconds: float
    headers: dict

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 400

    def seen(self) -> str:
        """What she would see, in a few words."""
        if self.status == 0:
            return f"no answer ({self.body})"
        kind = "JSON" if self.headers.get("Content-Type", "").startswith("application/json") else "page"
        if kind == "page" and not self.ok:
            kind += " with Exit" if "data-exit" in self.body else " WITHOUT Exit"
        return f"{self.status} {kind}"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Survivor:
    def __init__(self, base: str):
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirects())
        self.token = ""

    def call(self, method: str, path: str, data: dict | None = None, headers: dict | None = None) -> Answer:
        body = json.dumps(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, method=method, headers={
            "Content-Type": "application/json", "X-CSRFToken": self.token, **(headers or {}),
        })
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=REQUEST_TIMEOUT) as answer:
                return Answer(answer.status, answer.read().decode(errors="replace"), time.monotonic() - started,
                              dict(answer.headers))
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read().decode(errors="replace"), time.monotonic() - started, dict(error.headers))
        except (OSError, urllib.error.URLError) as error:
            reason = getattr(error, "reason", error)
            return Answer(0, type(reason).__name__, time.monotonic() - started, {})

    def log_in(self) -> Answer:
        csrf = self.call("GET", "/api/v1/auth/csrf")
        if csrf.status != 200:
            return csrf
        self.token = json.loads(csrf.body)["csrf_token"]
        answer = self.call("POST", "/api/v1/auth/login", {"username": "demo_survivor", "password": PASSPHRASE})
        if answer.status == 200:
            self.token = next((c.value for c in self.jar if c.name == "csrftoken"), self.token)
        return answer

    def sid(self) -> str:
        return next((c.value for c in self.jar if c.name == "sid"), "")


# ---- Faults -----------------------------------------------------------------------------------


@dataclass
class Row:
    fault: str
    seen: str = ""
    failed: str = ""
    recover: str = ""
    rows: str = ""
    log_lines: int = 0


def _goal_titles(survivor: Survivor) -> list[str] | None:
    answer = survivor.call("GET", "/api/v1/goals")
    if answer.status != 200:
        return None
    return [goal["title"] for goal in json.loads(answer.body)["goals"]]


def _recovered_after(stack: Stack, since: float) -> str:
    """Seconds from the backend being back (or the worker gone) until a fresh login and a page work again."""
    def works() -> bool:
        phone = Survivor(stack.base)
        return phone.log_in().status == 200 and phone.call("GET", "/meetings").status == 200

    if os.environ.get("FAULTS_DEBUG"):
        phone = Survivor(stack.base)
        print("   recovery probe:", phone.log_in().seen(), phone.call("GET", "/meetings").seen(),
              f"{time.monotonic() - since:.1f} s", file=sys.stderr)
    if wait_for(works, RECOVERY_LIMIT, 0.25):
        return f"{time.monotonic() - since:.1f} s"
    return f"not within {RECOVERY_LIMIT} s"


def _writes_outcome(survivor: Survivor, writes: list[tuple[str, Answer]]) -> str:
    """Each title was sent once, then once more with the same Idempotency-Key if she saw an error."""
    titles = _goal_titles(survivor)
    if titles is None:
        return "could not check"
    lost = duplicated = kept_after_error = 0
    for title in dict(writes):
        told_saved = any(answer.status == 201 for sent, answer in writes if sent == title)
        stored = titles.count(title)
        lost += told_saved and stored == 0
        duplicated += max(stored - 1, 0)
        kept_after_error += not told_saved and stored > 0
    text = f"{lost} lost, {duplicated} duplicated"
    if kept_after_error:
        text += f", {kept_after_error} kept though she saw an error"
    return text


def drill(stack: Stack, survivor: Survivor, name: str, during, after) -> Row:
    """One fault: `during()` starts it, a few requests run, `after()` ends it (may be a no-op
    for a restart, which ends by itself). Her writes are retried once with the same
    Idempotency-Key once things work again, as a careful client would."""
    row = Row(name)
    log_before = stack.app_log_lines()
    exit_phone = Survivor(stack.base)
    exit_phone.log_in()
    during()
    key = uuid.uuid4().hex
    title = f"Fault drill {name} {key[:6]}"
    page = survivor.call("GET", "/meetings")
    api = survivor.call("GET", "/api/v1/goals")
    write = survivor.call("POST", "/api/v1/goals", {"title": title}, {"Idempotency-Key": key})
    login = Survivor(stack.base).log_in()
    leave = exit_phone.call("GET", "/exit")
    after()
    row.recover = _recovered_after(stack, time.monotonic())
    writes = [(title, write)]
    if write.status != 201:
        writes.append((title, survivor.call("POST", "/api/v1/goals", {"title": title}, {"Idempotency-Key": key})))
    row.rows = _writes_outcome(survivor, writes)
    old_cookie_dead = exit_phone.call("GET", "/api/v1/me").status == 401
    answers = [page, api, write, login]
    row.failed = f"{sum(1 for a in answers if not a.ok)}/{len(answers)}"
    cleared = "Clear-Site-Data" in leave.headers
    row.seen = (
        f"page {page.seen()} {page.seconds:.1f}s; API {api.seen()}; login {login.seen()}; "
        f"Exit {leave.status}{' +Clear-Site-Data' if cleared else ''} {leave.seconds:.2f}s, "
        f"old cookie {'dead' if old_cookie_dead else 'STILL OPENS HER DATA'}"
    )
    row.log_lines = stack.app_log_lines() - log_before
    return row


def _worker_holding_port(stack: Stack, port: int) -> int | None:
    """The gunicorn worker whose database connection uses this local port."""
    inodes = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            inodes[parts[9]] = int(parts[1].rsplit(":", 1)[1], 16)
    for pid in stack.app.children():
        for fd in glob.glob(f"/proc/{pid}/fd/*"):
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:[") and inodes.get(target[8:-1]) == port:
                return pid
    return None


def worker_killed_mid_write(stack: Stack, survivor: Survivor) -> Row:
    """Her goal is being written (its transaction waits on a lock the drill holds) when the
    worker writing it is killed."""
    import psycopg

    row = Row("worker killed mid-write")
    log_before = stack.app_log_lines()
    key = uuid.uuid4().hex
    title = f"Fault drill kill {key[:6]}"
    result: dict = {}
    admin = f"postgresql://postgres@127.0.0.1:{stack.pg_port}/portal"
    with psycopg.connect(admin) as holder, psycopg.connect(admin, autocommit=True) as watcher:
        holder.execute("LOCK TABLE goals_goal IN SHARE ROW EXCLUSIVE MODE")
        writer = threading.Thread(target=lambda: result.setdefault("write", survivor.call(
            "POST", "/api/v1/goals", {"title": title}, {"Idempotency-Key": key})))
        writer.start()

        def waiting_port():
            found = watcher.execute(
                "SELECT client_port FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = 'portal'"
            ).fetchone()
            return found[0] if found else None

        wait_for(lambda: waiting_port() is not None, 1.5, 0.05)
        port = waiting_port()
        pid = _worker_holding_port(stack, port) if port else None
        if pid:
            os.kill(pid, signal.SIGKILL)
        holder.rollback()
    writer.join(REQUEST_TIMEOUT + 1)
    write = result.get("write") or Answer(0, "no answer", 0, {})
    ended = time.monotonic()
    row.recover = _recovered_after(stack, ended)
    writes = [(title, write)]
    if write.status != 201:
        writes.append((title, survivor.call("POST", "/api/v1/goals", {"title": title}, {"Idempotency-Key": key})))
    row.rows = _writes_outcome(survivor, writes)
    row.failed = f"{0 if write.ok else 1}/1"
    row.seen = ("write: " + write.seen() + ("" if pid else " (no worker found to kill)")
                + f"; retried: {writes[-1][1].seen()}" * (len(writes) > 1))
    row.log_lines = stack.app_log_lines() - log_before
    return row


def run(stack: Stack) -> list[Row]:
    started = time.monotonic()
    survivor = Survivor(stack.base)
    if survivor.log_in().status != 200:
        raise SystemExit(f"Could not log in as the demo survivor; see {stack.app.log}")
    pg, rd = stack, stack

    def restart_postgres():
        stack.stop_postgres()
        stack.start_postgres()

    def restart_redis():
        stack.stop_redis()
        stack.start_redis()

    nothing = lambda: None  # noqa: E731
    faults = [
        ("PostgreSQL stopped", pg.stop_postgres, pg.start_postgres),
        ("PostgreSQL paused", stack.postgres.pause, stack.postgres.resume),
        ("PostgreSQL restarted", restart_postgres, nothing),
        ("Redis stopped", rd.stop_redis, rd.start_redis),
        ("Redis paused", stack.redis.pause, stack.redis.resume),
        ("Redis restarted", restart_redis, nothing),
    ]
    only = os.environ.get("FAULTS_ONLY", "").lower()  # e.g. FAULTS_ONLY=redis while working on one part
    faults = [fault for fault in faults if only in fault[0].lower()]
    rows = []
    for name, during, after in faults:
        if time.monotonic() - started > RUN_LIMIT:
            rows.append(Row(name, seen="skipped: out of time"))
            continue
        rows.append(drill(stack, survivor, name, during, after))
        print(f"  done: {name} ({time.monotonic() - started:.0f} s)", file=sys.stderr)
    if time.monotonic() - started <= RUN_LIMIT and only in "worker killed mid-write":
        rows.append(worker_killed_mid_write(stack, survivor))
    return rows


def report(rows: list[Row], seconds: float) -> None:
    headers = ["fault", "what a survivor sees", "requests failed", "time to recover", "rows lost or duplicated", "log lines"]
    table = [headers] + [[r.fault, r.seen, r.failed, r.recover, r.rows, str(r.log_lines)] for r in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(headers))]
    print()
    for number, line in enumerate(table):
        print(" | ".join(cell.ljust(width) for cell, width in zip(line, widths)))
        if number == 0:
            print("-+-".join("-" * width for width in widths))
    print(f"\n{len(rows)} faults in {seconds:.0f} s. Requests failed counts a page, an API read, a write and a login")
    print("during the fault; Exit and whether the cookie it ended still opens her data are shown beside them.")
    print("Time to recover runs from the backend being back (or the worker killed) until a fresh login and a")
    print("page work again. A write that failed is sent once more with the same Idempotency-Key.")


def main() -> None:
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="portal-faults-"))
    stack = None

    def stop_on_signal(number, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop_on_signal)
    signal.signal(signal.SIGHUP, stop_on_signal)
    try:
        print(f"Starting PostgreSQL, Redis and gunicorn in {folder} (loopback ports only)...", file=sys.stderr)
        stack = Stack(folder)
        stack.start()
        print(f"  PostgreSQL :{stack.pg_port}, Redis :{stack.redis_port}, app :{stack.app_port}, "
              f"ready after {time.monotonic() - started:.0f} s", file=sys.stderr)
        rows = run(stack)
        report(rows, time.monotonic() - started)
    except KeyboardInterrupt:
        print("\nStopped; cleaning up.", file=sys.stderr)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not leave servers behind
        if stack is not None:
            stack.stop_everything()
        if os.environ.get("FAULTS_KEEP"):
            print(f"Logs kept in {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
