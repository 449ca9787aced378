"""Simulated survivors for `make bench` (bench/load.py runs this headless): each views her
goals, reorders them, opens her peer group (and polls it), looks at free times and books and
cancels one; beside them, people asking a bare Django view on the same server, so the two can
be compared in one run."""

import itertools
import json
import os
import random

from locust import HttpUser, between, task

PEOPLE = json.loads(open(os.environ["BENCH_PEOPLE"]).read())
GROUP = int(os.environ["BENCH_GROUP"])
_next = itertools.count()


class Survivor(HttpUser):
    weight = 3
    wait_time = between(0.2, 0.6)

    def on_start(self):
        person = PEOPLE[next(_next) % len(PEOPLE)]
        self.client.cookies.set("sid", person["sid"])
        self.client.cookies.set("csrftoken", person["csrf_cookie"])
        self.headers = {"X-CSRFToken": person["csrf_header"], "Content-Type": "application/json"}

    @task(4)
    def home(self):
        self.client.get("/", name="page: home (her goals)")

    @task(2)
    def reorder(self):
        listed = self.client.get("/api/v1/goals", name="api: goals").json()
        ids = [goal["id"] for goal in listed["goals"]]
        random.shuffle(ids)
        with self.client.put("/api/v1/goals/order", data=json.dumps({"ids": ids, "version": listed["version"]}),
                             headers=self.headers, name="api: reorder goals", catch_response=True) as answer:
            if answer.status_code in (200, 409):  # 409: another tab of hers moved first; nothing lost
                answer.success()

    @task(2)
    def open_group(self):
        self.client.get(f"/groups/{GROUP}", name="page: a group")
        self.client.get(f"/groups/{GROUP}/new?after=0", headers={"X-Background": "1"}, name="poll: a group")

    @task(1)
    def book_and_cancel(self):
        free = self.client.get("/api/v1/slots", name="api: free times").json()
        if not free:
            return
        slot = random.choice(free)["id"]
        with self.client.post("/api/v1/appointments", data=json.dumps({"slot_id": slot}), headers=self.headers,
                              name="api: book", catch_response=True) as answer:
            if answer.status_code in (409, 422):  # just taken, or she already has one then: told kindly
                answer.success()
                return
        if answer.status_code == 201:
            self.client.post(f"/api/v1/appointments/{answer.json()['id']}/cancel", data="{}", headers=self.headers,
                             name="api: cancel")


class Bare(HttpUser):
    weight = 1
    wait_time = between(0.2, 0.6)

    @task
    def bare(self):
        self.client.post("/bench/bare", data="{}", name="bare Django view")
