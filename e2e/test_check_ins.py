"""A peer mentor's private check-in: she posts words of crisis; the mentor sends one check-in from
the moderation page; she reads it in Spanish, in the calculator look, and answers; her crisis
words show her the agency's help; the mentor sees the answer arrive (polling with JavaScript, the
"Check for new messages" button without). Screenshots at phone size for looking at."""

import pytest
from playwright.sync_api import expect

from e2e.conftest import PHONE, SCREENSHOTS, visit
from e2e.pages import log_in, new_phone
from peer_support.groups import services
from survivor_portal.safety import services as safety
from tests.factories import PASSPHRASE, UserFactory

LONGEST = ("I read what you wrote and I wanted to see how you are. " * 20)[:1000]
HELP = "Línea de ayuda 24 horas: 0800 123 456"


@pytest.mark.parametrize("script", [True, False], ids=["javascript", "no-javascript"])
def test_a_mentor_checks_in_and_she_answers(browser, live_server, survivor, agency_admin, northside, script):
    northside.crisis_resources = HELP
    northside.save()
    rosa = UserFactory(username="rosa", display_name="Rosa", agency=northside, is_peer_mentor=True)
    group = services.group_create(actor=agency_admin, name="Tuesday circle", purpose="Talking things through",
                                  agreement="What is said here stays here.")
    mentor_alias = services.mentor_appoint(actor=agency_admin, group_id=group.pk, username="rosa").alias
    services.join(actor=survivor, group_id=group.pk, alias="Blue Lake", agreed=True)
    services.post_create(actor=survivor, group_id=group.pk, body="Some nights I want to die")
    survivor.language = "es"
    survivor.save()
    safety.pin_set(actor=survivor, pin="2468", pin_again="2468")
    safety.safety_update(actor=survivor, disguise="calculator", exit_choice="default", lock_when_hidden=False)
    tag = "js" if script else "nojs"
    phone = {"viewport": PHONE, "java_script_enabled": script, "is_mobile": True, "has_touch": True}

    mentor = new_phone(browser, live_server, phone)
    mentor.goto(mentor.base + "/")
    log_in(mentor, rosa, PASSPHRASE)
    visit(mentor, live_server.url + f"/groups/{group.pk}/moderation")
    expect(mentor.get_by_text("words of crisis: check in with them")).to_be_visible()
    mentor.get_by_role("link", name="Check in privately with Blue Lake").first.click()
    mentor.get_by_label("Your message").fill(LONGEST)
    mentor.screenshot(path=str(SCREENSHOTS / f"check-in-start-{tag}.png"), full_page=True)
    mentor.get_by_role("button", name="Send the check-in").click()
    expect(mentor.get_by_text("Sent. Only Blue Lake can read it")).to_be_visible()
    assert mentor.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    expect(mentor.get_by_text("maya", exact=False)).to_have_count(0)

    her = new_phone(browser, live_server, phone)
    her.goto(her.base + "/")
    log_in(her, survivor, PASSPHRASE)
    visit(her, live_server.url + "/groups")
    assert her.title() == "Calculadora"
    expect(her.get_by_text("un mensaje privado nuevo")).to_be_visible()
    her.screenshot(path=str(SCREENSHOTS / f"check-in-groups-list-es-calculator-{tag}.png"), full_page=True)
    her.get_by_role("link", name="Tuesday circle").click()
    expect(her.get_by_role("heading", name="Mensajes privados de apoyo")).to_be_visible()
    her.screenshot(path=str(SCREENSHOTS / f"check-in-group-es-calculator-{tag}.png"), full_page=True)
    her.get_by_role("link", name=f"De {mentor_alias}, mentora de pares").click()
    expect(her.get_by_text(LONGEST[:60])).to_be_visible()
    expect(her.get_by_text("Rosa")).to_have_count(0)
    her.get_by_label("Tu mensaje").fill("Gracias. A veces quiero morir, pero hoy estoy un poco mejor.")
    her.get_by_role("button", name="Enviar", exact=True).click()
    expect(her.get_by_text(HELP).first).to_be_visible()  # privately, to her
    expect(her.get_by_text("hoy estoy un poco mejor")).to_be_visible()
    assert her.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert her.title() == "Calculadora"
    her.screenshot(path=str(SCREENSHOTS / f"check-in-es-calculator-{tag}.png"), full_page=True)
    her.get_by_role("button", name="Dejar que las otras mentoras lo lean").click()
    expect(her.get_by_text("Ahora las otras mentoras del grupo pueden leer esto.")).to_be_visible()

    if script:  # polling brings her answer without a reload (every 20 seconds)
        expect(mentor.get_by_text("hoy estoy un poco mejor")).to_be_visible(timeout=30_000)
    else:
        expect(mentor.get_by_text("hoy estoy un poco mejor")).to_have_count(0)
        mentor.get_by_role("button", name="Check for new messages").click()
        expect(mentor.get_by_text("hoy estoy un poco mejor")).to_be_visible()
    expect(mentor.get_by_text(HELP)).to_have_count(0)  # her help was hers alone
    mentor.screenshot(path=str(SCREENSHOTS / f"check-in-mentor-{tag}.png"), full_page=True)

    her.get_by_role("button", name="No quiero más mensajes privados de las mentoras de este grupo").click()
    expect(her.get_by_text("Listo. Las mentoras de este grupo no pueden escribirte en privado.")).to_be_visible()
    expect(her.get_by_label("Tu mensaje")).to_have_count(0)
    her.context.close()
    mentor.context.close()
