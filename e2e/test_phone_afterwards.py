"""Her phone as a watcher finds it: one real Chromium profile on disk, used by her, then
reopened after each way a visit can end — Exit (its beacon lost), Shift three times, closing
the browser (tabs restored on reopening), the idle lock. Each time the reopened browser shows
her look and nothing of hers, its History holds only the start address, and no file in the
profile (decompressed cache entries included) holds anything she wrote."""

import gzip
import shutil
import sqlite3
import struct
import zlib
from pathlib import Path

import brotli
from django.conf import settings
from playwright.sync_api import expect

from e2e.conftest import CHROMIUM_FLAGS, EXIT_PAGE, PHONE
from survivor_portal.goals import services as goals
from survivor_portal.safety import services as safety
from tests.factories import PASSPHRASE

PIN = "2468"
GOAL = "Kestrel Lane flat viewing"
# Her display name, her goal and her passphrase. Her username is left out on purpose: Chromium's
# password manager keeps it (Login Data, "stats") whatever the page says; "Staying safe" tells
# her how to refuse and remove it.
PERSONAL = ["Maya", GOAL, PASSPHRASE]


def _open(playwright, profile: Path, live_server, *, restore: bool = False, lose: tuple[str, ...] = ()):
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path="/usr/bin/chromium", viewport=PHONE,
        args=CHROMIUM_FLAGS + (["--restore-last-session"] if restore else []),
    )
    context.route(f"{settings.EXIT_URL.rstrip('/')}**", lambda route: route.fulfill(
        status=200, content_type="text/html", body=EXIT_PAGE))
    for path in lose:  # a request that never reaches the server (no signal, a blocked beacon)
        context.route(f"{live_server.url}{path}", lambda route: route.abort())
    context.set_default_timeout(15_000)
    return context


def _page(context):
    return context.pages[0] if context.pages else context.new_page()


def _press(page, keys: str) -> None:
    names = {"=": "equals"}
    for key in keys:
        page.get_by_role("button", name=names.get(key, key), exact=True).click()


def _back_in(page, live_server) -> None:
    """From her cover: the PIN, then (if the session had ended) the login."""
    page.goto(live_server.url + "/")
    _press(page, PIN + "=")
    login = page.get_by_role("heading", name="Log in")
    hello = page.get_by_role("heading", name="Hello, Maya")
    expect(login.or_(hello)).to_be_visible()
    if login.is_visible():
        page.get_by_label("Username").fill("maya")
        page.get_by_label("Passphrase").fill(PASSPHRASE)
        with page.expect_navigation():
            page.get_by_role("button", name="Log in").click()
    expect(hello).to_be_visible()
    expect(page.get_by_role("link", name=GOAL)).to_be_visible()
    page.wait_for_load_state("load")


def _shows_only_her_cover(page, live_server) -> None:
    expect(page.locator("output.calc-display")).to_be_visible()
    assert page.url == live_server.url + "/" and page.title() == "Calculator"
    html = page.content()
    assert not any(text in html for text in PERSONAL), html


def _site_history(profile: Path, live_server) -> list[str]:
    copy = profile.parent / "History-copy"
    shutil.copy(profile / "Default" / "History", copy)  # Chromium locks its own file
    with sqlite3.connect(copy) as db:
        return sorted({url for (url,) in db.execute("SELECT url FROM urls") if url.startswith(live_server.url)})


def _bodies(data: bytes) -> list[bytes]:
    """A file's bytes, and for a Chromium cache entry also its body decompressed (gzip, brotli)."""
    found = [data]
    magic = struct.pack("<Q", 0xFCFB6D1BA7725C30)
    if data.startswith(magic):
        key_length = struct.unpack_from("<I", data, 12)[0]
        end = data.find(struct.pack("<Q", 0xF4FA6F45970D41D8))
        body = data[24 + key_length:end if end > 0 else None]
        for decompress in (brotli.decompress, gzip.decompress, lambda b: zlib.decompress(b, -15)):
            try:
                found.append(decompress(body))
            except Exception:  # not that encoding
                pass
    return found


def _personal_text_on_disk(profile: Path) -> list[str]:
    hits = []
    for path in profile.rglob("*"):
        if path.is_file() and not path.is_symlink():
            for body in _bodies(path.read_bytes()):
                for text in PERSONAL:
                    if text.encode() in body or text.encode("utf-16-le") in body:
                        hits.append(f"{path.relative_to(profile)}: {text}")
    return hits


def _reopen_and_check(playwright, profile: Path, live_server, ending: str, *, restore: bool = False) -> None:
    context = _open(playwright, profile, live_server, restore=restore)
    page = _page(context)
    if restore:  # her tab comes back by itself, beside a blank one
        for _ in range(100):
            restored = [tab for tab in context.pages if tab.url.startswith(live_server.url)]
            if restored:
                break
            page.wait_for_timeout(100)
        assert restored, [tab.url for tab in context.pages]
        page = restored[0]
        _shows_only_her_cover(page, live_server)
    page.goto(live_server.url + "/")  # the address typed again
    _shows_only_her_cover(page, live_server)
    context.close()
    assert _site_history(profile, live_server) == [live_server.url + "/"], ending
    assert _personal_text_on_disk(profile) == [], ending


def test_after_every_ending_the_reopened_phone_shows_her_look_and_nothing_of_hers(playwright, live_server, survivor, tmp_path):
    safety.pin_set(actor=survivor, pin=PIN, pin_again=PIN)
    safety.safety_update(actor=survivor, disguise="calculator", exit_choice="default", lock_when_hidden=False)
    goals.goal_create(actor=survivor, title=GOAL, category="housing")
    profile = tmp_path / "profile"

    # She first logs in on a plain phone; the login gives the phone her look and cover key.
    context = _open(playwright, profile, live_server)
    page = _page(context)
    page.goto(live_server.url + "/")
    page.get_by_label("Username").fill("maya")
    page.get_by_label("Passphrase").fill(PASSPHRASE)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name=GOAL)).to_be_visible()

    # 1. Exit, and its beacon never reaches the server: the session lives on, but any fresh
    #    load — a new tab here, the reopened browser later — shows only the cover.
    page.route(f"{live_server.url}/exit", lambda route: route.abort())
    page.route(f"{live_server.url}/lock", lambda route: route.abort())
    page.get_by_role("link", name="Exit").last.click()
    expect(page).to_have_title("Weather")
    assert context.request.get(live_server.url + "/api/v1/me").status == 200  # her session lives on
    tab = context.new_page()
    tab.goto(live_server.url + "/")
    _shows_only_her_cover(tab, live_server)
    context.close()
    _reopen_and_check(playwright, profile, live_server, "exit")

    # 2. Shift pressed three times.
    context = _open(playwright, profile, live_server)
    page = _page(context)
    _back_in(page, live_server)
    for _ in range(3):
        page.keyboard.press("Shift")
    expect(page).to_have_title("Weather")
    context.close()
    _reopen_and_check(playwright, profile, live_server, "shift")

    # 3. She just closes the browser, which brings its tabs and their cookies back on reopening;
    #    the lock her page sends as it closes is lost, too.
    context = _open(playwright, profile, live_server, restore=True, lose=("/lock",))
    page = _page(context)
    _back_in(page, live_server)
    context.close()
    _reopen_and_check(playwright, profile, live_server, "close", restore=True)

    # 4. She stops using it: the app locks itself after her idle time.
    context = _open(playwright, profile, live_server)
    page = _page(context)
    page.clock.install()
    _back_in(page, live_server)
    page.clock.run_for(f"{survivor.idle_minutes:02d}:05")
    _shows_only_her_cover(page, live_server)
    context.close()
    _reopen_and_check(playwright, profile, live_server, "idle")
