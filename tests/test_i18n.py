import gettext
import re
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"


def _msgids(po_text: str) -> list[str]:
    ids = []
    for block in po_text.split("\n\n"):
        if "#, fuzzy" in block and 'msgid ""\nmsgstr ""\n"Project' not in block:
            ids.append("FUZZY:" + block)
        match = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if match:
            text = "".join(re.findall(r'"(.*)"', match.group(1)))
            if text:
                ids.append(text.encode().decode("unicode_escape").encode("latin-1").decode("utf-8"))
    return ids


def test_every_message_has_a_spanish_translation():
    catalog = gettext.GNUTranslations(open(PO.with_suffix(".mo"), "rb"))._catalog
    missing = [msgid for msgid in _msgids(PO.read_text()) if msgid not in catalog and (msgid, 0) not in catalog]
    assert missing == []


def test_api_errors_speak_her_language(db, survivor):
    import json

    from tests.conftest import logged_in

    survivor.language = "es"
    survivor.save()
    client = logged_in(survivor)
    answer = client.post("/api/v1/goals", json.dumps({}), content_type="application/json")
    assert answer.status_code == 422 and answer.json()["detail"] == "title: Esto hace falta."
    too_long = client.post("/api/v1/goals", json.dumps({"title": "x" * 500}), content_type="application/json")
    assert too_long.json()["detail"] == "title: Es demasiado largo."


# ---- Spanish that reads right (issue 16, item 8) -------------------------------------------------

NUMBER_WORDS = {"count", "counter", "size", "total", "days", "n", "minutes", "hours", "weeks"}


def _entries():
    import polib

    return list(polib.pofile(str(PO)))


def test_a_count_before_a_word_has_its_plural_form():
    """"The council has 1 members" cannot happen: a number said with a noun goes through ngettext
    or {% blocktranslate count %}."""
    singular_only = [entry.msgid for entry in _entries() if not entry.msgid_plural and any(
        name in NUMBER_WORDS and word != "of"
        for name, word in re.findall(r"%\((\w+)\)[sd] (\w+)", entry.msgid))]
    assert singular_only == []


def test_spanish_speaks_to_everyone_without_a_gender():
    """Words she says or reads about herself fit everyone ("Todavía no es el momento", not "lista")."""
    gendered = re.compile(r"\b(estoy|estás|mantenerte|sentirte|eres|soy) (lista|listo|segura|seguro|sola|solo|preparada|preparado)\b")
    found = [entry.msgstr for entry in _entries() if gendered.search(entry.msgstr.lower())]
    assert found == []


def test_spanish_dates_say_de_and_zones_name_the_city_in_spanish(northside):
    from datetime import date

    from django.utils import translation

    from survivor_portal import times

    with translation.override("es"):
        assert times.day(date(2026, 12, 2)) == "miércoles 2 de diciembre"
        assert times.zone_label(northside) == "hora de Nueva York"


def test_no_double_full_stop_after_her_words(as_survivor, survivor, advocate):
    from survivor_portal.consent import services

    services.disclosure_record(actor=advocate, username="maya", shared_what="Her name and her posts.",
                               with_whom="The court.", why="A court order.")
    page = as_survivor.get("/").content.decode()
    main = page[page.index("<main"):]
    assert "What: Her name and her posts. With: The court." in main and ".." not in main


def test_the_looks_have_spanish_names(client):
    client.cookies["look"] = "calculator"
    client.cookies["django_language"] = "es"
    assert "<title>Calculadora</title>" in client.get("/").content.decode()
    manifest = client.get("/manifest.webmanifest").json()
    assert manifest["name"] == "Calculadora" and manifest["description"] == "Una calculadora sencilla."
