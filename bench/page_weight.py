"""Page weight, logged in as the demo people: the HTML as sent and compressed with gzip and
brotli, and every byte of a first visit with an empty cache (scripts, styles, icons, the
manifest and what the service worker fetches), measured by Chromium.

Budgets: the first round trip (HTML plus its stylesheet, compressed) at most 14 KB; the whole
first visit at most 50 KB."""

import gzip
import urllib.request

import brotli
from playwright.sync_api import sync_playwright

from bench.quick_exit import CHROMIUM_FLAGS
from bench.server import shell_json

FIRST_ROUND_TRIP = 14 * 1024
FIRST_VISIT = 50 * 1024

SESSIONS = r"""
import json
from bench.queries import _client
from survivor_portal.accounts.models import User
from survivor_portal.goals.models import Goal
from survivor_portal.scheduling.models import Appointment
out = {}
for name in ("demo_survivor", "demo_mentor", "demo_council", "demo_advocate"):
    out[name] = _client(User.objects.get(username=name)).cookies["sid"].value
maya = User.objects.get(username="demo_survivor")
out["goal"] = Goal.objects.filter(owner=maya).first().pk
out["maya"] = maya.pk
out["meeting"] = Appointment.objects.filter(survivor=maya).first().pk
from peer_support.groups.models import PeerGroup
from peer_support.council.models import Proposal
out["group"] = PeerGroup.objects.get(name="Tuesday circle").pk
out["proposal"] = Proposal.objects.filter(status="passed").first().pk
print(json.dumps(out))
"""


def pages(ids: dict) -> list[tuple[str, str | None, str]]:
    """(who, session, path) for every page each kind of person reaches."""
    survivor, mentor, council, advocate = (ids[n] for n in ("demo_survivor", "demo_mentor", "demo_council", "demo_advocate"))
    return [
        ("anyone", None, "/"), ("anyone", None, "/?d=calculator"), ("anyone", None, "/staying-safe"),
        ("survivor", survivor, "/"), ("survivor", survivor, f"/goals/{ids['goal']}"), ("survivor", survivor, "/sharing"),
        ("survivor", survivor, "/sharing/looks"), ("survivor", survivor, "/meetings"),
        ("survivor", survivor, "/meetings/book"), ("survivor", survivor, f"/meetings/{ids['meeting']}"),
        ("survivor", survivor, "/account/safety"), ("survivor", survivor, f"/groups/{ids['group']}"),
        ("survivor", survivor, "/council/ideas"), ("survivor", survivor, "/what-changed"),
        ("mentor", mentor, "/"), ("mentor", mentor, f"/groups/{ids['group']}"), ("mentor", mentor, f"/groups/{ids['group']}/moderation"),
        ("council member", council, "/"), ("council member", council, "/council"),
        ("council member", council, f"/council/proposals/{ids['proposal']}"),
        ("advocate", advocate, "/"), ("advocate", advocate, "/agency/people"),
        ("advocate", advocate, f"/agency/people/{ids['maya']}"), ("advocate", advocate, "/agency/agenda"),
        ("advocate", advocate, "/agency/times"),
    ]


def _get(url: str, sid: str | None, encoding: str) -> tuple[bytes, str]:
    headers = {"Accept-Encoding": encoding, "Cookie": f"sid={sid}" if sid else ""}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as answer:
        return answer.read(), answer.headers.get("Content-Encoding", "")


def _stylesheet(base: str, html: bytes) -> int:
    """The stylesheet as a browser gets it (brotli from WhiteNoise)."""
    text = html.decode()
    start = text.index('rel="stylesheet" href="') + len('rel="stylesheet" href="')
    body, _coding = _get(base + text[start:text.index('"', start)], None, "br, gzip")
    return len(body)


def run(base: str, env: dict) -> dict:
    ids = shell_json(env, SESSIONS)
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
        for who, sid, path in pages(ids):
            raw, _coding = _get(base + path, sid, "identity")
            sent, coding = _get(base + path, sid, "br, gzip")
            css = _stylesheet(base, raw)
            context = browser.new_context(viewport={"width": 390, "height": 844})
            if sid:
                context.add_cookies([{"name": "sid", "value": sid, "url": base}])
            requests = []
            page = context.new_page()
            # A typed address would lock her session (a fresh load), so arrive the way a tap on
            # a link does: from a neutral page of the same site, its own requests not counted.
            page.goto(base + "/manifest.webmanifest")
            context.on("requestfinished", lambda request: requests.append(request))
            with page.expect_navigation(wait_until="networkidle"):
                page.evaluate("path => { const a = document.createElement('a'); a.href = path; document.body.appendChild(a); a.click(); }", path)
            page.wait_for_timeout(300)  # the service worker's own fetches
            total = sum(request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"] for request in requests)
            context.close()
            rows.append({
                "who": who, "path": path, "html_bytes": len(raw), "html_gzip": len(gzip.compress(raw)),
                "html_brotli": len(brotli.compress(raw)), "html_as_sent": len(sent), "sent_encoding": coding or "none",
                "first_round_trip": len(sent) + css, "first_visit_total": total, "requests": len(requests),
                "within_budgets": len(sent) + css <= FIRST_ROUND_TRIP and total <= FIRST_VISIT,
            })
        browser.close()
    return {"budgets": {"first_round_trip": FIRST_ROUND_TRIP, "first_visit": FIRST_VISIT}, "pages": rows}
