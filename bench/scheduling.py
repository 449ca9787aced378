"""Booking throughput and the race for one slot, over HTTP against the running app.

Throughput: bookings per second through POST /api/v1/appointments, against a bare Django
view on the same server, with the same number of requests at the same concurrency; the
ratio is what counts. The race: 20 people book one slot at the same moment."""

import json
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from bench.server import shell_json

PEOPLE = 20
BOOKINGS_EACH = 5
CONCURRENCY = 4

PREPARE = r"""
import json
from datetime import timedelta
from bench.queries import _client
from django.utils import timezone
from survivor_portal.accounts.models import Agency, User
from survivor_portal.consent import services as consent
from survivor_portal.scheduling import services
sam = User.objects.get(username="demo_advocate")
services.rules_set(actor=sam, min_notice_minutes=0, buffer_minutes=0)
north = Agency.objects.get(name="Northside Shelter")
people, sessions = [], []
for n in range(%(people)d):
    person = User.objects.create_user(f"bench_racer_{n}", "bench-passphrase-2026", display_name=f"R{n}", agency=north)
    consent.consent_grant(actor=person, agency_id=north.pk, scopes=["appointments"])
    sessions.append(_client(person).cookies["sid"].value)
base = (timezone.now() + timedelta(days=400 - 60)).replace(minute=0, second=0, microsecond=0)
from survivor_portal.write_limits import not_counted
with not_counted():  # a week's worth of times, offered at once: a tool's bulk, not a person typing
    slots = [services.slot_create(actor=sam, starts_at=base + timedelta(minutes=30 * k),
                                  ends_at=base + timedelta(minutes=30 * k + 15)).pk for k in range(%(slots)d + 1)]
print(json.dumps({"sessions": sessions, "race_slot": slots[0], "slots": slots[1:]}))
"""


def _prepare(env: dict) -> dict:
    return shell_json(env, PREPARE % {"people": PEOPLE, "slots": PEOPLE * BOOKINGS_EACH})


def _csrf(base: str, sid: str) -> tuple[str, str]:
    request = urllib.request.Request(base + "/api/v1/auth/csrf", headers={"Cookie": f"sid={sid}"})
    with urllib.request.urlopen(request) as answer:
        token = json.loads(answer.read())["csrf_token"]
        cookie = next(c.split(";")[0] for c in answer.headers.get_all("Set-Cookie") if c.startswith("csrftoken="))
    return f"sid={sid}; {cookie}", token


def _post(url: str, body: dict, cookie: str = "", token: str = "") -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers={
        "Cookie": cookie, "X-CSRFToken": token, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _timed(calls) -> tuple[float, list[int]]:
    started = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        statuses = [status for status, _body in pool.map(lambda call: call(), calls)]
    return time.perf_counter() - started, statuses


def run(base: str, env: dict) -> dict:
    prepared = _prepare(env)
    people = [_csrf(base, sid) for sid in prepared["sessions"]]
    # Throughput: each person books her own run of slots; interleaved with the bare view, twice.
    bookings = [(people[n % PEOPLE], slot) for n, slot in enumerate(prepared["slots"])]
    book_calls = [lambda p=p, s=s: _post(base + "/api/v1/appointments", {"slot_id": s}, *p) for p, s in bookings]
    bare_calls = [lambda: _post(base + "/bench/bare", {"slot_id": 1}) for _ in bookings]
    half = len(book_calls) // 2
    timings = {"ours": 0.0, "bare": 0.0}
    statuses = []
    for ours, bare in ((book_calls[:half], bare_calls[:half]), (book_calls[half:], bare_calls[half:])):
        spent, got = _timed(bare)
        timings["bare"] += spent
        spent, got = _timed(ours)
        timings["ours"] += spent
        statuses += got
    booked = statuses.count(201)
    # The race: everyone at once for one slot.
    start = threading.Barrier(PEOPLE)

    def race(person):
        start.wait()
        return _post(base + "/api/v1/appointments", {"slot_id": prepared["race_slot"]}, *person)[0]

    with ThreadPoolExecutor(PEOPLE) as pool:
        raced = list(pool.map(race, people))
    return {
        "requests": len(bookings), "concurrency": CONCURRENCY, "booked": booked,
        "bookings_per_second": round(len(bookings) / timings["ours"], 1),
        "bare_view_per_second": round(len(bookings) / timings["bare"], 1),
        "ratio_booking_vs_bare_view": round(timings["ours"] / timings["bare"], 2),
        "race": {"people": PEOPLE, "booked": raced.count(201), "told_taken": raced.count(409),
                 "other": len([s for s in raced if s not in (201, 409)])},
    }
