"""Her safety plan in a real browser: she fills a part with an example she rewords, saves twice,
brings the first version back, shares her plan with Northside, and her advocate's suggestion
reaches her only as a suggestion she takes; with JavaScript on and off. Then in Spanish, in the
calculator look, with the longest text a part allows, on the plain page she can take with her.
Screenshots at 390x844 go to the temporary folder (portal-screenshots/plan-*.png)."""

import pytest
from playwright.sync_api import expect

from e2e.conftest import PHONE, SCREENSHOTS, log_in, totp_code
from survivor_portal.plans import selectors, services
from survivor_portal.plans.sections import TEXT_LONGEST
from tests.factories import PASSPHRASE


def _phone(browser, live_server, script: bool = True):
    page = browser.new_context(viewport=PHONE, java_script_enabled=script).new_page()
    page.set_default_timeout(15_000)
    page.base = live_server.url
    return page


def _texts(survivor) -> dict:
    return {part.key: part.text for part in selectors.plan_for(viewer=survivor).sections if part.text}


@pytest.mark.parametrize("script", [True, False], ids=["javascript", "no-javascript"])
def test_she_fills_saves_restores_shares_and_takes_a_suggestion(browser, live_server, survivor, advocate, northside, script):
    her = _phone(browser, live_server, script)
    log_in(her, "maya", PASSPHRASE)
    her.get_by_role("link", name="Your safety plan").click()
    expect(her.get_by_role("heading", name="Your safety plan")).to_be_visible()
    her.get_by_role("link", name="Write “Safe places”").click()
    field = her.get_by_label("Where could you go if you need to leave quickly?")
    field.fill("My sister's flat")
    her.get_by_role("button", name="Use this example: “I can ask the shelter for a bed.”").click()
    expect(field).to_have_value("My sister's flat\nI can ask the shelter for a bed.")
    # With JavaScript the sentence is put in place on the phone; without, the page comes back with it.
    expect(her.locator("p.message", has_text="The example is at the end of your words.")).to_have_count(0 if script else 1)
    assert selectors.plan_for(viewer=survivor).version == 0  # taking an example saves nothing
    field.fill("My sister's flat\nI can ask the shelter on Elm Street for a bed.")
    her.screenshot(path=SCREENSHOTS / f"plan-part-{'js' if script else 'nojs'}.png", full_page=True)
    her.get_by_role("button", name="Save", exact=True).click()
    expect(her.get_by_text("Saved. Your earlier version is kept too.")).to_be_visible()
    expect(her.get_by_text("I can ask the shelter on Elm Street for a bed.")).to_be_visible()

    her.get_by_role("link", name="Change “Safe places”").click()
    her.get_by_label("Where could you go if you need to leave quickly?").fill("The library")
    her.get_by_label("Keep this part private").check()
    her.get_by_role("button", name="Save", exact=True).click()
    expect(her.get_by_text("Private: never shared")).to_be_visible()
    her.get_by_role("link", name="Earlier versions").click()
    her.get_by_role("button", name="Bring back version 1").click()
    expect(her.get_by_text("Version 1 is back.")).to_be_visible()
    assert _texts(survivor) == {"safe_places": "My sister's flat\nI can ask the shelter on Elm Street for a bed."}
    assert selectors.plan_for(viewer=survivor).version == 3
    expect(her.get_by_text("Private: never shared")).to_have_count(0)

    her.get_by_role("link", name="Sharing", exact=True).first.click()
    her.get_by_role("link", name="Share with Northside Shelter").click()
    her.get_by_label("My safety plan (one agency at a time; never the parts I keep private)").check()
    her.get_by_role("button", name="Continue").click()
    expect(her.get_by_text("your safety plan, except the parts you keep private")).to_be_visible()
    her.get_by_role("button", name="Yes, share this").click()
    expect(her.get_by_text("You are now sharing with Northside Shelter.")).to_be_visible()

    staff = _phone(browser, live_server)
    log_in(staff, "sam", PASSPHRASE)
    staff.get_by_label("Code").fill(totp_code(advocate))
    staff.get_by_role("button", name="Continue").click()
    staff.get_by_role("link", name="People", exact=True).click()
    staff.get_by_role("link", name="Person").first.click()
    staff.get_by_role("link", name="Her safety plan").click()
    expect(staff.get_by_text("I can ask the shelter on Elm Street for a bed.")).to_be_visible()
    staff.get_by_label("Which part of her plan?").select_option("money_bag")
    staff.get_by_label("Your suggestion").fill("Keep some coins for the bus")
    staff.get_by_role("button", name="Suggest").click()
    expect(staff.get_by_text("Suggestion sent.")).to_be_visible()
    assert "money_bag" not in _texts(survivor)  # only a suggestion

    her.get_by_role("link", name="Home").click()
    her.get_by_role("link", name="Your safety plan").click()
    expect(her.get_by_text("Sam at Northside Shelter suggests an addition to your safety plan, under “Money and a bag”:")).to_be_visible()
    her.screenshot(path=SCREENSHOTS / f"plan-suggestion-{'js' if script else 'nojs'}.png", full_page=True)
    her.locator("form.suggestion").get_by_label("In your own words").fill("Coins for the bus in my coat")
    her.get_by_role("button", name="Add it to my plan").click()
    expect(her.get_by_text("Added to your safety plan.")).to_be_visible()
    assert _texts(survivor)["money_bag"] == "Coins for the bus in my coat"
    her.context.close()
    staff.context.close()


def test_spanish_calculator_look_and_the_longest_text_on_the_plain_page(browser, live_server, survivor):
    survivor.language = "es"
    survivor.save(update_fields=["language"])
    longest = ("Palabra" * TEXT_LONGEST)[:TEXT_LONGEST]
    services.plan_save(actor=survivor, sections={
        "people": {"text": longest}, "code_word": {"text": "P" * 100, "private": True},
        "documents": {"text": "Con mi acompañante", "ticks": ["passport", "bank"]},
        "phone": {"ticks": ["location", "shared", "passwords", "spyware", "careful"]}})
    page = _phone(browser, live_server)
    log_in(page, "maya", PASSPHRASE)
    page.context.add_cookies([{"name": "look", "value": "calculator", "url": page.base}])
    page.get_by_role("link", name="Tu plan de seguridad").click()
    expect(page.get_by_role("heading", name="Tu plan de seguridad")).to_be_visible()
    title = page.title()
    assert title == "Calculadora"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing scrolls sideways
    page.screenshot(path=SCREENSHOTS / "plan-es-calculator.png", full_page=True)
    page.screenshot(path=SCREENSHOTS / "plan-es-calculator-top.png")  # the first screen, as she sees it
    page.get_by_role("link", name="Cambiar «Personas de confianza»").click()
    expect(page.get_by_role("link", name="Volver sin guardar")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=SCREENSHOTS / "plan-part-es-calculator.png", full_page=True)
    page.get_by_text("Ejemplos que puedes usar y cambiar").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "plan-part-es-calculator-examples.png")
    page.get_by_role("link", name="Volver sin guardar").click()
    page.get_by_role("link", name="Versiones anteriores").click()
    page.get_by_text("Leerla").first.click()
    page.screenshot(path=SCREENSHOTS / "plan-versions-es-calculator.png")
    page.get_by_role("link", name="Tu plan de seguridad").first.click()
    page.get_by_role("link", name="Leerlo en una página sencilla").click()
    expect(page.get_by_text("Antes de hacer una captura de pantalla")).to_be_visible()
    assert page.title() == title  # her disguise's title, nothing else
    expect(page.locator("h1")).to_have_count(0)
    expect(page.locator(".app-name")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=SCREENSHOTS / "plan-read-es-calculator.png", full_page=True)
    # The page needs nothing more once it is open: offline, it is all still there.
    page.context.set_offline(True)
    expect(page.get_by_text("Con mi acompañante")).to_be_visible()
    expect(page.get_by_text("PPPP")).to_be_visible()  # hers to read, private parts included
    page.emulate_media(media="print")
    assert page.locator(".plain-warning").is_hidden()
    page.context.close()
