"""Quick exit in Chromium: from the key press or tap to the page being hidden, and to the exit
site starting to load. Side by side with the plain link a phone without JavaScript follows."""

import statistics
import time

from playwright.sync_api import sync_playwright

CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
EXIT_URL = "https://www.bbc.com/weather"
ROUNDS = 10

# Runs in every document before the app's own script, so its keyup listener sees the press first.
PROBE = """
(() => {
  if (location.href.startsWith(%r)) { window.report({kind: 'exit_site', at: performance.timeOrigin}); return; }
  const mark = (event) => { window.__pressedAt = performance.timeOrigin + event.timeStamp; };
  document.addEventListener('keyup', mark, true);
  document.addEventListener('click', mark, true);
  new MutationObserver(() => {
    if (document.body.classList.contains('exiting')) {
      window.report({kind: 'hidden', at: performance.timeOrigin + performance.now(), pressed: window.__pressedAt});
    }
  }).observe(document, {attributes: true, subtree: true, attributeFilter: ['class']});
  window.addEventListener('pagehide', () => window.report({kind: 'left', pressed: window.__pressedAt}));
})();
""" % EXIT_URL


def _round(context, base: str, how: str) -> dict:
    page = context.new_page()
    events: list[dict] = []
    page.expose_binding("report", lambda _source, data: events.append(data))
    page.add_init_script(PROBE)
    page.route(EXIT_URL + "**", lambda route: route.fulfill(status=200, content_type="text/html", body="<title>Weather</title>"))
    page.goto(base + "/")
    page.get_by_label("Username").fill("demo_survivor")
    page.get_by_label("Passphrase").fill("demo-passphrase-2026")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("load")
    if page.get_by_role("button", name="Continue").count():
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state("load")
    requested: list[float] = []
    page.on("request", lambda request: request.url.startswith(EXIT_URL) and requested.append(time.perf_counter()))
    started = time.perf_counter()
    if how == "shift":
        for _ in range(3):
            page.keyboard.press("Shift")
    else:
        page.locator("#exit").click()
    page.wait_for_url(EXIT_URL + "**")
    page.wait_for_timeout(100)
    page.close()
    pressed = next((e["pressed"] for e in events if e.get("pressed")), None)
    hidden = next((e["at"] for e in events if e["kind"] == "hidden"), None)
    site = next((e["at"] for e in events if e["kind"] == "exit_site"), None)
    return {
        # Seen from the test driver, so it includes the driver's own delay, equally for every case.
        "request_ms": (requested[0] - started) * 1000 if requested else None,
        "hidden_ms": None if hidden is None or pressed is None else hidden - pressed,
        "exit_site_ms": None if site is None or pressed is None else site - pressed,
    }


def run(base: str) -> dict:
    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
        for label, how, javascript in [
            ("shift x3", "shift", True),
            ("tap", "tap", True),
            ("plain link, no JavaScript", "tap", False),
        ]:
            context = browser.new_context(java_script_enabled=javascript, viewport={"width": 390, "height": 844})
            rounds = [_round(context, base, how) for _ in range(ROUNDS)]
            context.close()
            hidden = [r["hidden_ms"] for r in rounds if r["hidden_ms"] is not None]
            site = [r["exit_site_ms"] for r in rounds if r["exit_site_ms"] is not None]
            requested = [r["request_ms"] for r in rounds if r["request_ms"] is not None]
            results[label] = {
                "rounds": ROUNDS,
                "exit_request_median_ms": round(statistics.median(requested), 1) if requested else None,
                "hidden_median_ms": round(statistics.median(hidden), 2) if hidden else None,
                "exit_site_median_ms": round(statistics.median(site), 1) if site else None,
            }
        browser.close()
    js, plain = results["tap"], results["plain link, no JavaScript"]
    if js["exit_request_median_ms"] and plain["exit_request_median_ms"]:
        results["ratio_exit_request_tap_vs_plain_link"] = round(
            js["exit_request_median_ms"] / plain["exit_request_median_ms"], 2
        )
    return results
