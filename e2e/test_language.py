"""She switches to Spanish before logging in; the choice stays on her account; she adds a goal
in Spanish."""

from playwright.sync_api import expect

from survivor_portal.accounts.models import User
from survivor_portal.goals.models import Goal
from tests.factories import PASSPHRASE


def test_spanish_before_login_then_a_goal(app, survivor):
    page = app
    page.goto(page.base + "/")
    page.get_by_role("button", name="Español").click()
    expect(page.get_by_role("heading", name="Entrar")).to_be_visible()
    page.get_by_label("Nombre de usuario").fill("maya")
    page.get_by_label("Frase de acceso").fill(PASSPHRASE)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("heading", name="Hola, Maya")).to_be_visible()
    page.get_by_label("¿En qué te gustaría trabajar?").fill("Aprender a conducir")
    page.get_by_role("button", name="Añadir meta").click()
    expect(page.get_by_role("link", name="Aprender a conducir")).to_be_visible()
    assert Goal.objects.get().title == "Aprender a conducir"
    assert User.objects.get(username="maya").language == "es"
