"""Every page a person can reach, found the way she finds them: by following the app's own
links from Home. Nothing here lists pages by hand, so a page added or changed tomorrow is
met by the width and screenshot tests without anyone remembering to add it."""

import re
from collections import Counter, deque
from collections.abc import Iterator

from e2e.conftest import visit

# Addresses that are not pages for a person: ways out, files, the API, the operators' admin.
NOT_PAGES = ("/exit", "/logout", "/lock", "/alive", "/download/", "/api/", "/admin/", "/static/", "/sw.js",
             "/manifest", "/offline")

LINKS = """() => [...document.querySelectorAll("a[href]")]
    .filter(a => !a.hasAttribute("data-exit") && !a.hasAttribute("download"))
    .map(a => new URL(a.href, location.href))
    .filter(u => u.origin === location.origin)
    .map(u => u.pathname + u.search)"""


def kind(path: str) -> str:
    """One kind of page: /goals/12 and /goals/31?x=1 are both /goals/#."""
    return re.sub(r"\d+", "#", path.split("?")[0])


def every_page(page, *, per_kind: int = 1, start: str = "/") -> Iterator[str]:
    """Opens each page reachable by links from `start` (the page open now), tapping links as
    she does, and yields its address while it is shown. At most `per_kind` pages of one kind
    (a week view's "next week" link would otherwise go on for ever)."""
    seen, kinds, queue = {start}, Counter([kind(start)]), deque([start])
    showing = start
    while queue:
        path = queue.popleft()
        if path != showing:
            visit(page, page.base + path)
            page.wait_for_load_state("load")
            showing = path
        yield path
        for link in page.evaluate(LINKS):
            if link in seen or link.startswith(NOT_PAGES) or kinds[kind(link)] >= per_kind:
                continue
            seen.add(link)
            kinds[kind(link)] += 1
            queue.append(link)


def name_of(path: str) -> str:
    """A file name for a page: /goals/12/delete -> goals-N-delete."""
    return re.sub(r"[^a-z0-9]+", "-", kind(path).replace("#", "N").lower()).strip("-") or "home"


def new_phone(browser, live_server, context_args: dict):
    """A page in a browser context of its own (a phone nobody used yet), with the exit site
    stubbed like the `app` fixture's. Close its context when done."""
    from django.conf import settings

    from e2e.conftest import EXIT_PAGE

    page = browser.new_context(**context_args).new_page()
    page.route(f"{settings.EXIT_URL.rstrip('/')}**", lambda route: route.fulfill(
        status=200, content_type="text/html", body=EXIT_PAGE))
    page.set_default_timeout(15_000)
    page.base = live_server.url
    return page


def log_in(page, person, passphrase: str) -> None:
    """From the login screen, by field names rather than labels: the same steps in either
    language. Staff give their two-step code too."""
    from tests.conftest import totp_code

    page.locator("input[name=username]").fill(person.username)
    page.locator("input[name=password]").fill(passphrase)
    with page.expect_navigation():
        page.locator("button.primary[type=submit]").click()
    if person.is_agency_staff:
        page.locator("input[name=code]").fill(totp_code(person))
        with page.expect_navigation():
            page.locator("button.primary[type=submit]").click()
    page.wait_for_load_state("load")
