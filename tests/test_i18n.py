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
