"""Issue 16, items 5–7, as she meets them on her phone (set to Madrid time, her agency in New York):
every time on her agency's clock in one format, the zone named once at the foot of each page;
looks grouped by person, thing and day with every look underneath; what she shares said in the
language she reads, her receipt in the words she confirmed."""

import re
from datetime import timedelta

from django.utils import timezone, translation
from playwright.sync_api import expect

from e2e.conftest import PHONE, log_in_survivor
from peer_support.groups import services as groups
from survivor_portal import times
from survivor_portal.consent import services as consent
from survivor_portal.consent.models import AccessEvent
from survivor_portal.goals import services as goal_services
from tests.factories import UserFactory

SHOTS = "/tmp"


def _her_phone(browser, live_server):
    page = browser.new_context(viewport=PHONE, timezone_id="Europe/Madrid", locale="en-GB").new_page()
    page.base = live_server.url
    return page


def _note_once(page, text: str) -> None:
    expect(page.get_by_text(text, exact=True)).to_have_count(1)
    expect(page.get_by_text(re.compile(r"\bUTC\b"))).to_have_count(0)


def test_one_clock_one_format_and_looks_grouped(browser, live_server, survivor, advocate, agency_admin, northside):
    mentor = UserFactory(username="rosa", display_name="Rosa", agency=northside, is_peer_mentor=True)
    goal_services.goal_create(actor=survivor, title="Find a flat", category="housing")
    consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["goals", "display_name"])
    now = timezone.now()
    for n in range(7):  # an advocate reloading her page: seven looks in two minutes
        AccessEvent.objects.create(survivor=survivor, agency=northside, actor=advocate, actor_label="Sam",
                                   what="goals:all", via="page", at=now - timedelta(seconds=17 * n))
    group = groups.group_create(actor=agency_admin, name="Circle", purpose="Company", agreement="Be kind")
    groups.mentor_appoint(actor=agency_admin, group_id=group.pk, username="rosa")
    me = groups.join(actor=survivor, group_id=group.pk, alias="Blue Lake", agreed=True)
    post = groups.post_create(actor=mentor, group_id=group.pk, body="Welcome, everyone")
    groups.mute(actor=mentor, group_id=group.pk, membership_id=me.pk, duration="1h")
    me.refresh_from_db()
    day = times.day(now, northside)

    her = _her_phone(browser, live_server)
    log_in_survivor(her)
    her.get_by_role("link", name="Sharing", exact=True).click()
    her.get_by_role("link", name="Who has looked at my things").click()
    line = her.get_by_role("listitem").filter(has_text="7 times on")
    expect(line).to_contain_text(f"Sam at Northside Shelter saw your goals 7 times on {day}")
    line.get_by_text("Each time").click()
    expect(line.locator("details time")).to_have_count(7)
    expect(line.locator("details time").first).to_have_text(times.clock(now, northside))
    _note_once(her, "Times are New York time.")
    her.screenshot(path=f"{SHOTS}/h16b-looks-en.png", full_page=True)

    her.get_by_role("link", name="Groups", exact=True).click()
    her.get_by_role("link", name="Circle").click()
    expect(her.locator(".post-meta time").first).to_have_text(times.when(post.created_at, northside))
    expect(her.get_by_text(f"paused your posting until {times.when(me.muted_until, northside)}.")).to_be_visible()
    _note_once(her, "Times are New York time.")
    her.screenshot(path=f"{SHOTS}/h16b-group-en.png", full_page=True)

    her.get_by_role("button", name="Español").click()
    _note_once(her, "Las horas se muestran en hora de Nueva York.")
    with translation.override("es"):
        expect(her.locator(".post-meta time").first).to_have_text(times.when(post.created_at, northside))
        spanish_day = times.day(now, northside)
    assert " de " in spanish_day
    her.get_by_role("link", name="Compartir", exact=True).click()
    her.get_by_role("link", name=re.compile("Quién ha mirado")).click()
    expect(her.get_by_text(f"Sam de Northside Shelter vio tus metas 7 veces el {spanish_day}")).to_be_visible()
    her.screenshot(path=f"{SHOTS}/h16b-looks-es.png", full_page=True)


def test_what_she_shares_in_her_language_and_the_receipt_she_confirmed(browser, live_server, survivor, advocate, northside):
    goal_services.goal_create(actor=survivor, title="Find a flat", category="housing")
    her = _her_phone(browser, live_server)
    log_in_survivor(her)
    her.get_by_role("link", name="Sharing", exact=True).click()
    her.get_by_role("link", name="Share with Northside Shelter").click()
    her.get_by_label("My goals", exact=True).check()
    her.get_by_role("button", name="Continue").click()
    expect(her.get_by_text("You can stop this at any time.")).to_be_visible()
    her.get_by_role("button", name="Yes, share this").click()
    expect(her.get_by_text("You are now sharing with Northside Shelter.")).to_be_visible()

    her.get_by_role("button", name="Español").click()  # on the Sharing page
    agency = her.locator("li.agency").filter(has_text="Northside Shelter")
    expect(agency).to_contain_text("Northside Shelter podrá ver tus metas hasta el ")
    expect(agency).not_to_contain_text("will be able to see")
    her.get_by_text("Todo lo que has compartido antes").click()
    receipt = her.locator(".receipts li").first
    expect(receipt.locator('p[lang="en"]')).to_contain_text("Northside Shelter will be able to see your goals until")
    expect(receipt).to_contain_text("En tu idioma: Northside Shelter podrá ver tus metas")
    her.screenshot(path=f"{SHOTS}/h16b-sharing-es.png", full_page=True)

    # Sharing her advocate wrote down is asked in the language she reads now, and kept as she said yes to it.
    recorded = consent.consent_record_for(actor=advocate, username="maya", scopes=["display_name"], days=30)
    her.get_by_role("link", name="Inicio", exact=True).click()
    expect(her.get_by_text("“Northside Shelter podrá ver el nombre que usas aquí hasta el ")).to_be_visible()
    her.screenshot(path=f"{SHOTS}/h16b-recorded-es.png", full_page=True)
    her.get_by_role("button", name="Sí, es correcto").click()
    expect(her.get_by_text(re.compile(r"^Confirmado\. Northside Shelter podrá ver el nombre"))).to_be_visible()
    recorded.refresh_from_db()
    assert recorded.notice_language == "es" and recorded.is_active()
