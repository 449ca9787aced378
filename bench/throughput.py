"""What a page costs next to a plain Django project: requests per second and p99 latency with
wrk (8 connections) against gunicorn (2 sync workers) and PostgreSQL, the app as shipped (its
production settings: Redis as cache and session copy) beside bench/plain on the same gunicorn
and database, in one run. The plain project is measured before and after the app, and each
ratio uses their mean, so a machine that slows down during the run shows up as drift rather
than as a better or worse ratio.

A second yardstick, stock Django with a login (bench/stock: startproject's apps and middleware,
sessions in Redis), is measured the same way: its "who is logged in" answer beside the app's
floor and API, its small page beside the app's pages. It shows what part of the distance to
the plain project is Django's own price for knowing who asks, which no page of the app can
avoid, and what part is the app's."""

import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from contextlib import contextmanager

from bench.server import ROOT, _database, free_port, serving, shell_json

SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
# BENCH_ONLY="floor,poll": only the requests whose label holds one of these words.
ONLY = [word.strip() for word in os.environ.get("BENCH_ONLY", "").split(",") if word.strip()]
CONNECTIONS = 8
GOALS = ("floor ≥ 0.5×", "poll ≥ 0.5×", "goals API ≥ 0.3×", "pages ≥ 0.15×", "p99 < 50 ms")

PREPARE = r"""
import json
from bench.queries import _client
from survivor_portal.accounts.models import Agency, User
from survivor_portal.consent import services as consent
from survivor_portal.goals import services as goals
from peer_support.groups import services as groups
from peer_support.groups.models import PeerGroup
north = Agency.objects.get(name="Northside Shelter")
circle = PeerGroup.objects.get(name="Tuesday circle")
her = User.objects.create_user("bench_her", None, display_name="Bench", agency=north, is_council_member=True)
from survivor_portal.safety.services import exit_intro_seen
exit_intro_seen(actor=her)  # Home is her goals, not the one-time page on how to leave quickly
for k in range(6):
    goals.goal_create(actor=her, title=f"Goal {k}", category="housing")
consent.consent_grant(actor=her, agency_id=north.pk, scopes=["goals", "appointments", "display_name"])
groups.join(actor=her, group_id=circle.pk, alias="Bench Reader", agreed=True)
newest = groups.post_create(actor=her, group_id=circle.pk, body="Hello all").pk
goal = her.goals.first().pk
staff = User.objects.get(username="demo_advocate")
print(json.dumps({"her": _client(her).cookies["sid"].value, "staff": _client(staff).cookies["sid"].value,
                  "group": circle.pk, "goal": goal, "newest": newest, "person": her.pk}))
"""


def targets(ids: dict) -> list[tuple[str, str, str, dict]]:
    """(label, who, path, extra headers): the app's floor, the busiest reads, then every page."""
    group, goal, newest = ids["group"], ids["goal"], ids["newest"]
    return [
        ("GET /api/v1/me (the app's floor)", "her", "/api/v1/me", {}),
        ("group poll, nothing new", "her", f"/groups/{group}/new?after={newest}", {"X-Background": "1"}),
        ("GET /api/v1/goals", "her", "/api/v1/goals", {}),
        ("page: Home", "her", "/", {}),
        ("page: a goal", "her", f"/goals/{goal}", {}),
        ("page: a group", "her", f"/groups/{group}", {}),
        ("page: groups", "her", "/groups", {}),
        ("page: sharing", "her", "/sharing", {}),
        ("page: who has looked", "her", "/sharing/looks", {}),
        ("page: meetings", "her", "/meetings", {}),
        ("page: settings", "her", "/account/settings", {}),
        ("page: safety", "her", "/account/safety", {}),
        ("page: council", "her", "/council", {}),
        ("staff: home", "staff", "/", {}),
        ("staff: people", "staff", "/agency/people", {}),
        ("staff: a person", "staff", f"/agency/people/{ids['person']}", {}),
        ("staff: agenda", "staff", "/agency/agenda", {}),
        ("staff: times", "staff", "/agency/times", {}),
    ]


def wrk(url: str, headers: dict) -> dict:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", url]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    per_second = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"per_second": round(per_second, 1), "p99_ms": round(float(p99.group(1)) * scale, 1),
            "non_2xx": int(errors.group(1)) if errors else 0}


def _check(base: str, path: str, headers: dict) -> None:
    """Each URL answers her 200 with her own content once before it is measured: a benchmark of
    a lock screen or a refusal would measure the wrong thing."""
    try:
        answer = urllib.request.urlopen(urllib.request.Request(base + path, headers=headers), timeout=10)
    except urllib.error.HTTPError as error:
        raise RuntimeError(f"{path} answered {error.code}") from None
    body = answer.read().decode()
    if answer.status not in (200, 204) or 'name="screen"' in body:
        raise RuntimeError(f"{path} did not answer as a logged-in page ({answer.status})")


def plain_server(env: dict):
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "-w", "2", "-b", f"127.0.0.1:{port}",
               "--access-logfile", "/dev/null", "bench.plain.wsgi"]
    return serving(command, {**env, "DJANGO_SETTINGS_MODULE": "bench.plain.settings"}, port)


@contextmanager
def stock_server(env: dict):
    """Stock Django with a login (bench/stock) on its own throwaway database: (base URL, cookie)."""
    with _database("postgres", suffix="_stock") as url:
        stock_env = {**env, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.stock.settings"}
        session = shell_json(stock_env, "import runpy; runpy.run_module('bench.stock.prepare')")["session"]
        port = free_port()
        command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "-w", "2", "-b", f"127.0.0.1:{port}",
                   "--access-logfile", "/dev/null", "bench.stock.wsgi"]
        with serving(command, stock_env, port) as base:
            yield base, {"Cookie": f"sessionid={session}"}


def _yardsticks(plain: str, stock: str, cookie: dict) -> dict:
    return {"plain": wrk(plain + "/", {}), "stock_login": wrk(stock + "/me", cookie), "stock_page": wrk(stock + "/page", cookie)}


def run(base: str, env: dict) -> dict:
    if shutil.which("wrk") is None:
        return {"skipped": "wrk is not installed (make bench installs it)"}
    ids = shell_json(env, PREPARE)
    cookies = {"her": f"sid={ids['her']}", "staff": f"sid={ids['staff']}"}
    rows = []
    # She opens her group's page once, as she would before its polling starts.
    _check(base, f"/groups/{ids['group']}", {"Cookie": cookies["her"]})
    with plain_server(env) as plain, stock_server(env) as (stock, stock_cookie):
        _check(stock, "/page", stock_cookie)
        before = _yardsticks(plain, stock, stock_cookie)
        for label, who, path, headers in targets(ids):
            if ONLY and not any(word in label for word in ONLY):
                continue
            sent = {"Cookie": cookies[who], **headers}
            _check(base, path, sent)
            rows.append({"request": label, "path": path, **wrk(base + path, sent)})
        after = _yardsticks(plain, stock, stock_cookie)
    mean = {name: (before[name]["per_second"] + after[name]["per_second"]) / 2 for name in before}
    for row in rows:
        row["ratio"] = round(row["per_second"] / mean["plain"], 3)
        # Pages beside the stock page; the floor, the API and the poll beside the stock login.
        row["ratio_to_stock"] = round(row["per_second"] / mean["stock_page" if row["request"].startswith(("page:", "staff:")) else "stock_login"], 3)
    stock = {name: round(mean[name] / mean["plain"], 3) for name in ("stock_login", "stock_page")}
    return {"seconds": SECONDS, "connections": CONNECTIONS, "before": before, "after": after, "stock_ratios": stock,
            "rows": rows}


def report(result: dict) -> None:
    if "skipped" in result:
        print(f"== Throughput: skipped ({result['skipped']})")
        return
    before, after, stock = result["before"], result["after"], result["stock_ratios"]
    print(f"== Throughput against a plain Django project: wrk, {result['connections']} connections, "
          f"{result['seconds']} s each, gunicorn x2, PostgreSQL, Redis")
    print(f"Goals: {'; '.join(GOALS)}")
    print("'stock' = the same request in stock Django with a login (bench/stock): its 'who is logged in' for the")
    print("floor, the API and the poll; its six-row page for pages.")
    print(f"{'request':<40} {'req/s':>8} {'ratio':>7} {'to stock':>9} {'p99 ms':>8} {'non-2xx':>8}")
    for when, measured in (("before", before), ("after", after)):
        for name, label in (("plain", "plain Django project"), ("stock_login", "stock Django: who is logged in"),
                            ("stock_page", "stock Django: a six-row page")):
            row = measured[name]
            ratio = "1" if name == "plain" else (f"{stock[name]}x" if when == "before" else "")
            print(f"{label + ' (' + when + ')':<40} {row['per_second']:>8} {ratio:>7} {'':>9} {row['p99_ms']:>8} {row['non_2xx']:>8}")
        if when == "before":
            for row in result["rows"]:
                print(f"{row['request']:<40} {row['per_second']:>8} {row['ratio']:>6}x {row['ratio_to_stock']:>8}x "
                      f"{row['p99_ms']:>8} {row['non_2xx']:>8}")


if __name__ == "__main__":  # python -m bench.throughput: this table alone
    from bench.server import demo_server

    with demo_server("postgres", gunicorn_workers=2, REDIS_URL="redis://127.0.0.1:6379/7") as (base, env):
        outcome = run(base, env)
    report(outcome)
