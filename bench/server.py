"""A throwaway copy of the app for benchmarks: its own SQLite file, demo data, a free port."""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def _database(kind: str, suffix: str = ""):
    """A throwaway database: an SQLite file, or a fresh PostgreSQL database dropped afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/bench.sqlite3"
        return
    import psycopg

    name = f"bench_{os.getpid()}{suffix}"
    admin = "postgresql://postgres@127.0.0.1:5432/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    try:
        yield f"postgres://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def postgres_available() -> bool:
    try:
        import psycopg

        psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=2).close()
        return True
    except Exception:
        return False


@contextmanager
def demo_server(database: str = "sqlite", gunicorn_workers: int = 0, **extra_env):
    """Yields (base URL, environment) of a running demo copy of the app: Django's own server,
    or gunicorn with that many worker processes."""
    with _database(database) as url:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "BENCH_ROOT": str(ROOT),
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnop"),
            "DEBUG": "0",
            "HTTPS": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            **extra_env,
        }
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
        subprocess.run([*manage, "seed_demo"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        port = free_port()
        command = [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"]
        if gunicorn_workers:
            command = [sys.executable, "-m", "gunicorn", "-w", str(gunicorn_workers), "-b", f"127.0.0.1:{port}",
                       "--access-logfile", "/dev/null", "survivor_portal.wsgi"]
        with serving(command, env, port) as base:
            yield base, env


@contextmanager
def serving(command: list[str], env: dict, port: int):
    """Starts a server on that port, yields its base URL once it answers, stops it afterwards."""
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=2).ping())
    except Exception:
        return False


def shell_json(env: dict, code: str):
    """Run Python inside the demo copy (`manage.py shell`) and read the JSON it prints last."""
    done = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], env=env, capture_output=True,
                          text=True, cwd=env["BENCH_ROOT"])
    if done.returncode != 0:
        raise RuntimeError(f"manage.py shell failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])
