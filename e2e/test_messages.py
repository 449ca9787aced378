"""She and her advocate write to each other in the app: with JavaScript (new messages arrive by
polling) and without (a button checks), in Spanish, and in the calculator look. Screenshots at
phone size go to SCREENSHOTS (messages-*.png)."""

from playwright.sync_api import expect

from e2e.conftest import PHONE, SCREENSHOTS, visit
from e2e.pages import log_in
from survivor_portal.consent import services as consent
from survivor_portal.safety import services as safety
from tests.factories import PASSPHRASE


def _phone(browser, live_server, person, *, script=True):
    page = browser.new_context(viewport=PHONE, java_script_enabled=script).new_page()
    page.set_default_timeout(15_000)
    page.base = live_server.url
    page.goto(page.base + "/")
    log_in(page, person, PASSPHRASE)
    return page


def _open_messages(page, name: str) -> None:
    """Taps "Messages" in the menu and waits for its page, so the next tap is on that page and
    not on a link of the same name still showing on the page before (staff home lists "Maya" too)."""
    page.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()


def _share_messages(survivor, northside):
    consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["messages", "appointments", "display_name"])


def test_the_whole_exchange_with_javascript(browser, live_server, survivor, advocate, northside):
    _share_messages(survivor, northside)
    her, sam = _phone(browser, live_server, survivor), _phone(browser, live_server, advocate)
    _open_messages(her, "Messages")
    her.get_by_role("link", name="Northside Shelter").click()
    her.get_by_label("Your message").fill("Hi Sam, can we move Friday to the afternoon?")
    her.get_by_role("button", name="Send").click()
    expect(her.get_by_text("Hi Sam, can we move Friday to the afternoon?")).to_be_visible()
    her.evaluate("() => { const p = document.getElementById('poller'); p.setAttribute('hx-trigger', 'every 1s'); htmx.process(p); }")

    _open_messages(sam, "Messages")
    sam.get_by_role("link", name="Maya").click()
    expect(sam.get_by_text("Hi Sam, can we move Friday to the afternoon?")).to_be_visible()
    expect(sam.get_by_role("heading", name="Keeping records")).to_be_visible()
    sam.get_by_label("Your message").fill("Yes. 3 o'clock works. I will write here if anything changes.")
    sam.get_by_role("button", name="Send").click()
    expect(sam.get_by_text("Yes. 3 o'clock works.", exact=False)).to_be_visible()
    sam.screenshot(path=str(SCREENSHOTS / "messages-advocate.png"), full_page=True)

    # It arrives on her open page without a reload.
    expect(her.get_by_text("Yes. 3 o'clock works.", exact=False)).to_be_visible(timeout=10_000)
    expect(her.get_by_text("Sam, Northside Shelter", exact=False)).to_be_visible()
    her.screenshot(path=str(SCREENSHOTS / "messages-her.png"), full_page=True)

    # Somewhere else in the app, a neutral mark beside "Messages" says something is waiting.
    sam.get_by_label("Your message").fill("See you then.")
    sam.get_by_role("button", name="Send").click()
    visit(her, her.base + "/meetings")
    expect(her.locator("nav .unread-mark")).to_have_count(1)
    assert her.title() == "Portal" or "(" not in her.title()
    _open_messages(her, "Messages")
    her.get_by_role("link", name="Northside Shelter").click()
    expect(her.get_by_text("See you then.")).to_be_visible()
    expect(her.locator("nav .unread-mark")).to_have_count(0)

    # She takes back what she wrote: gone for both.
    her.get_by_role("button", name="Delete for everyone").click()
    expect(her.get_by_text("Your message was deleted, for you and for them.")).to_be_visible()
    visit(sam, sam.base + f"/agency/messages/{survivor.pk}")
    expect(sam.get_by_text("can we move Friday")).to_have_count(0)


def test_the_whole_exchange_without_javascript(browser, live_server, survivor, advocate, northside):
    _share_messages(survivor, northside)
    her = _phone(browser, live_server, survivor, script=False)
    sam = _phone(browser, live_server, advocate, script=False)
    _open_messages(her, "Messages")
    her.get_by_role("link", name="Northside Shelter").click()
    her.get_by_label("Your message").fill("x" * 2000)  # the longest she may write
    her.get_by_role("button", name="Send").click()
    expect(her.locator(".said-mine")).to_have_count(1)
    her.screenshot(path=str(SCREENSHOTS / "messages-longest.png"), full_page=True)
    width = her.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"]

    _open_messages(sam, "Messages")
    sam.get_by_role("link", name="Maya").click()
    sam.get_by_label("Your message").fill("Got it, thank you.")
    sam.get_by_role("button", name="Send").click()
    expect(sam.get_by_text("Got it, thank you.")).to_be_visible()

    her.get_by_role("button", name="Check for new messages").click()
    expect(her.get_by_text("Got it, thank you.")).to_be_visible()
    box = her.get_by_role("button", name="Check for new messages").bounding_box()
    assert box["height"] >= 44


def test_in_spanish_and_in_the_calculator_look(browser, live_server, survivor, advocate, northside):
    _share_messages(survivor, northside)
    survivor.language = "es"
    survivor.save()
    safety.pin_set(actor=survivor, pin="2468", pin_again="2468")
    safety.safety_update(actor=survivor, disguise="calculator", exit_choice="default", lock_when_hidden=False)
    sam = _phone(browser, live_server, advocate)
    _open_messages(sam, "Messages")
    sam.get_by_role("link", name="Maya").click()
    sam.get_by_label("Your message").fill("Hola Maya, ¿cómo estás?")
    sam.get_by_role("button", name="Send").click()

    her = _phone(browser, live_server, survivor)
    assert her.title() == "Calculadora"
    expect(her.locator("nav .unread-mark")).to_have_count(1)
    expect(her.locator("nav").get_by_text("(nuevo)")).to_have_count(1)
    her.screenshot(path=str(SCREENSHOTS / "messages-calculator-mark.png"))
    _open_messages(her, "Mensajes")
    her.get_by_role("link", name="Northside Shelter").click()
    expect(her.get_by_text("Hola Maya, ¿cómo estás?")).to_be_visible()
    her.get_by_label("Tu mensaje").fill("Bien, gracias. A veces no quiero vivir.")
    her.get_by_role("button", name="Enviar").click()
    expect(her.get_by_text("Gracias por contárnoslo", exact=False)).to_be_visible()
    assert her.title() == "Calculadora"
    expect(her.get_by_role("button", name="Ver si hay mensajes nuevos")).to_be_visible()
    her.screenshot(path=str(SCREENSHOTS / "messages-calculator-es.png"), full_page=True)
