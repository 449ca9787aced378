"""Load against PostgreSQL on loopback with gunicorn (2 workers): simulated survivors (locust,
headless) beside a bare Django view on the same server; requests per second and p50/p95/p99
latency of each, and the ratio. Then, with Redis as the shared cache and the two worker
processes, 20 people book one slot at once: exactly one gets it."""

import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import scheduling
from bench.server import shell_json

USERS = 30
SECONDS = 20

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
out = []
for n in range(%(people)d):
    person = User.objects.create_user(f"load_{n}", None, display_name=f"L{n}", agency=north)
    for k in range(6):
        goals.goal_create(actor=person, title=f"Goal {k}", category="housing")
    consent.consent_grant(actor=person, agency_id=north.pk, scopes=["goals", "appointments", "display_name"])
    groups.join(actor=person, group_id=circle.pk, alias=f"Load {n}", agreed=True)
    out.append({"sid": _client(person).cookies["sid"].value, "group": circle.pk})
print(json.dumps(out))
"""


def _csrf_for(base: str, people: list[dict]) -> list[dict]:
    for person in people:
        cookie, token = scheduling._csrf(base, person["sid"])
        person["csrf_header"], person["csrf_cookie"] = token, cookie.split("csrftoken=", 1)[1]
    return people


def _stats(path: Path) -> dict:
    rows = {}
    with open(path) as handle:
        for row in csv.DictReader(handle):
            rows[row["Name"]] = {
                "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                "per_second": round(float(row["Requests/s"]), 1),
                "p50_ms": float(row["50%"]), "p95_ms": float(row["95%"]), "p99_ms": float(row["99%"]),
            }
    return rows


def run(base: str, env: dict) -> dict:
    people = _csrf_for(base, shell_json(env, PREPARE % {"people": USERS}))
    with tempfile.TemporaryDirectory() as folder:
        people_file = Path(folder) / "people.json"
        people_file.write_text(json.dumps(people))
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("locustfile.py")), "--headless",
             "-u", str(USERS), "-r", str(USERS), "-t", f"{SECONDS}s", "--host", base, "--csv", f"{folder}/load",
             "--only-summary", "--loglevel", "ERROR"],
            env={**os.environ, "BENCH_PEOPLE": str(people_file), "BENCH_GROUP": str(people[0]["group"])}, check=False, cwd=env["BENCH_ROOT"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        stats = _stats(Path(folder) / "load_stats.csv")
    ours = stats.get("Aggregated", {})
    bare = stats.get("bare Django view", {})
    app = {name: row for name, row in stats.items() if name not in ("Aggregated", "bare Django view")}
    total = sum(row["requests"] for row in app.values())
    weighted = {key: round(sum(row[key] * row["requests"] for row in app.values()) / total, 1) if total else None
                for key in ("p50_ms", "p95_ms", "p99_ms")}
    return {
        "users": USERS, "seconds": SECONDS, "endpoints": app, "bare": bare,
        "app_requests_per_second": round(sum(row["per_second"] for row in app.values()), 1),
        "app_latency_weighted": weighted,
        "ratio_p50_app_vs_bare": round(weighted["p50_ms"] / bare["p50_ms"], 2) if bare.get("p50_ms") else None,
        "failures": sum(row["failures"] for row in app.values()) + bare.get("failures", 0),
        "aggregated": ours,
    }
