"""Plain words: what survivors read is measured for reading level (textstat, Flesch-Kincaid)
and must stay at grade 7 or below, page by page; and some words never appear anywhere."""

import re
from collections import defaultdict
from pathlib import Path

import polib
import textstat
from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
# Pages and code only agency staff read. Everything else is read by survivors.
STAFF_ONLY = (
    "templates/consent/people", "templates/consent/person", "templates/consent/record_for",
    "templates/consent/disclosure_new", "templates/consent/api_keys", "templates/accounts/invites",
    "templates/accounts/reset_codes", "templates/scheduling/agenda", "templates/scheduling/times",
    "templates/scheduling/staff_cancel", "templates/home.html", "templates/groups/log.html",
)
NEVER = re.compile(r"\b(victims?|clients?|cases?|non-?compliant)\b", re.IGNORECASE)
MOST = 7.0


def _sentences_by_file() -> dict[str, list[str]]:
    """Sentences of five words or more (labels are not reading), by the file they appear in."""
    found = defaultdict(list)
    for entry in polib.pofile(str(PO)):
        text = re.sub(r"%\(\w+\)s|\{\w+\}", "it", entry.msgid).strip()
        if len(text.split()) < 5:
            continue
        if not text.endswith((".", "?", "!", ":")):
            text += "."
        for path, _line in entry.occurrences:
            if not path.startswith(STAFF_ONLY):
                found[path].append(text)
    return found


def test_what_survivors_read_is_at_grade_7_or_below():
    grades = {path: textstat.flesch_kincaid_grade(" ".join(texts)) for path, texts in _sentences_by_file().items()}
    report = sorted(grades.items(), key=lambda item: -item[1])
    print("Reading grade by file (highest first):", report[:10])
    assert [(path, grade) for path, grade in report if grade > MOST] == []


def test_the_words_we_never_use():
    everything = [entry.msgid for entry in polib.pofile(str(PO))]
    everything += [path.read_text() for path in (Path(settings.BASE_DIR) / "templates").rglob("*.html")]
    assert [NEVER.search(text).group(0) for text in everything if NEVER.search(text)] == []
