"""No double booking under real concurrency on PostgreSQL: 20 people booking one slot at the
same moment, from threads with their own connections and from two app processes."""

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection, connections

from survivor_portal.consent import services as consent
from survivor_portal.errors import Conflict
from survivor_portal.scheduling import services
from survivor_portal.scheduling.models import Appointment
from tests.conftest import logged_in
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the race needs PostgreSQL's row locks"),
    pytest.mark.django_db(transaction=True),
]
ROOT = Path(__file__).resolve().parents[2]
PEOPLE = 20


def _people(northside) -> list:
    people = [UserFactory(username=f"racer{n}", agency=northside) for n in range(PEOPLE)]
    for person in people:
        consent.consent_grant(actor=person, agency_id=northside.pk, scopes=["appointments"])
    return people


def test_twenty_bookings_of_one_slot_at_once_make_exactly_one_appointment(northside, slot):
    people = _people(northside)
    start = threading.Barrier(PEOPLE)
    outcomes: list[str] = []

    def book(person) -> None:
        try:
            start.wait()
            services.appointment_book(actor=person, slot_id=slot.pk)
            outcomes.append("booked")
        except Conflict as taken:
            outcomes.append(taken.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["booked"] + ["slot_taken"] * (PEOPLE - 1)
    assert Appointment.objects.filter(slot=slot, status="booked").count() == 1


def test_a_move_and_a_booking_racing_for_one_slot_leave_one_winner_and_no_loss(northside, survivor, shares_appointments, slot, make_slot):
    target = make_slot(48)
    mine = services.appointment_book(actor=survivor, slot_id=slot.pk)
    [rival] = _people(northside)[:1]
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def run(name, action) -> None:
        try:
            start.wait()
            action()
            outcomes[name] = "ok"
        except Conflict:
            outcomes[name] = "taken"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=("move", lambda: services.appointment_move(actor=survivor, appointment_id=mine.pk, slot_id=target.pk))),
        threading.Thread(target=run, args=("book", lambda: services.appointment_book(actor=rival, slot_id=target.pk))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes.values()) == ["ok", "taken"]
    assert Appointment.objects.filter(slot=target, status="booked").count() == 1
    # She always holds exactly one live appointment: the old one if the move lost, the new one if it won.
    assert Appointment.objects.filter(survivor=survivor, status="booked").count() == 1


def _server(port: int) -> subprocess.Popen:
    db = connection.settings_dict
    env = {**os.environ, "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
           "DEBUG": "0", "HTTPS": "0", "ALLOWED_HOSTS": "127.0.0.1"}
    return subprocess.Popen([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait(base: str) -> None:
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/api/v1/auth/csrf", timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{base} did not start")


def _session(person) -> dict:
    client = logged_in(person)
    return {"sid": client.cookies["sid"].value}


def test_twenty_bookings_through_two_app_processes_make_exactly_one_appointment(northside, slot):
    from bench.server import free_port

    people = _people(northside)
    sessions = [_session(person) for person in people]
    ports = [free_port(), free_port()]
    servers = [_server(port) for port in ports]
    try:
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base in bases:
            _wait(base)
        # Each person gets a CSRF token from the process she will book through.
        prepared = []
        for n, session in enumerate(sessions):
            base = bases[n % 2]
            request = urllib.request.Request(base + "/api/v1/auth/csrf", headers={"Cookie": f"sid={session['sid']}"})
            with urllib.request.urlopen(request) as answer:
                token = json.loads(answer.read())["csrf_token"]
                cookies = answer.headers.get_all("Set-Cookie") or []
            csrf_cookie = next(c.split(";")[0] for c in cookies if c.startswith("csrftoken="))
            prepared.append((base, f"sid={session['sid']}; {csrf_cookie}", token))
        start = threading.Barrier(PEOPLE)

        def book(args) -> int:
            base, cookie, token = args
            request = urllib.request.Request(
                base + "/api/v1/appointments", data=json.dumps({"slot_id": slot.pk}).encode(), method="POST",
                headers={"Cookie": cookie, "X-CSRFToken": token, "Content-Type": "application/json"})
            start.wait()
            try:
                with urllib.request.urlopen(request, timeout=30) as answer:
                    return answer.status
            except urllib.error.HTTPError as error:
                body = json.loads(error.read())
                assert body["code"] == "slot_taken" and body["slots"] == []
                return error.code

        with ThreadPoolExecutor(PEOPLE) as pool:
            statuses = list(pool.map(book, prepared))
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
    assert sorted(statuses) == [201] + [409] * (PEOPLE - 1)
    assert Appointment.objects.filter(slot=slot, status="booked").count() == 1
