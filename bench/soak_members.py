"""Group members for `make soak` (bench/soak.py runs this headless): each has her group's page
open, which asks for news every 20 s as the page does (`X-Background: 1`, `?after=` the newest
post she has); now and then she writes a post through the page's form or opens the page again."""

import itertools
import json
import os
import random
import re
import time

from locust import HttpUser, between, task

MEMBERS = json.loads(open(os.environ["SOAK_MEMBERS"]).read())
_next = itertools.count()
_AFTER = re.compile(r"new\?after=(\d+)")
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_ONCE = re.compile(r'name="once" value="([^"]+)"')
# Polls never keep a session alive (they are the page, not her); she does something at least this
# often, well inside the shortest idle time (15 minutes), as someone reading the group would.
ACTIVE_EVERY = 5 * 60
WORDS = ("Thank you all for listening last week.", "Small steps today, and that is fine.",
         "I found the library quiet and kind.", "Tea and a walk helped this morning.",
         "Glad to read everyone here.", "Looking forward to the next meeting.")


class Member(HttpUser):
    # Every 20 s on average, the page's own polling rhythm.
    wait_time = between(15, 25)

    def on_start(self):
        member = MEMBERS[next(_next) % len(MEMBERS)]
        self.circle = member["group"]
        self.client.cookies.set("sid", member["sid"])
        self.newest, self.csrf, self.once, self.active_at = 0, "", "", 0.0
        self.open_page()

    def _read_page(self, text: str) -> None:
        after, csrf, once = _AFTER.search(text), _CSRF.search(text), _ONCE.search(text)
        if after and csrf and once:
            self.newest, self.csrf, self.once = int(after.group(1)), csrf.group(1), once.group(1)

    @task(1)
    def open_page(self):
        self.active_at, self.once = time.monotonic(), ""
        with self.client.get(f"/groups/{self.circle}", name="page: her group", catch_response=True) as answer:
            if answer.status_code == 200:
                self._read_page(answer.text)
                if not self.once:
                    answer.failure("the group page has no post form")

    @task(12)
    def poll(self):
        if time.monotonic() - self.active_at > ACTIVE_EVERY:
            return self.open_page()
        with self.client.get(f"/groups/{self.circle}/new?after={self.newest}", headers={"X-Background": "1"},
                             name="poll: her group", catch_response=True) as answer:
            if answer.status_code == 200:
                found = _AFTER.search(answer.text)
                if not found:
                    answer.failure("news without the next poll's address")
                    return
                self.newest = int(found.group(1))
            elif answer.status_code != 204:
                answer.failure(f"status {answer.status_code}")

    @task(1)
    def write(self):
        if not self.once:
            return self.open_page()
        self.active_at = time.monotonic()
        # The form posts, then she lands on the page again (the redirect is followed and counted here).
        with self.client.post(f"/groups/{self.circle}/post", name="post: write to her group", catch_response=True,
                              data={"csrfmiddlewaretoken": self.csrf, "once": self.once, "body": random.choice(WORDS),
                                    "content_warning": ""}) as answer:
            self.once = ""
            if answer.status_code == 200 and answer.history and answer.history[0].status_code == 302:
                self._read_page(answer.text)
            else:
                answer.failure(f"status {answer.status_code}, not sent back to the group page")
