"""Boosted navigation never changes the address bar (nothing revealing in history), so a form
without an action would post to whatever page was loaded first. Every form names its action."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_every_form_names_its_action():
    missing = [f"{path.relative_to(TEMPLATES)}: {tag}" for path in TEMPLATES.rglob("*.html")
               for tag in re.findall(r"<form\b[^>]*>", path.read_text()) if "action=" not in tag]
    assert missing == []


def test_every_back_link_is_a_full_size_target():
    """"← Your meetings" and the like are often the only way back: class "back" gives them the
    44 px height every other control has (an unstyled link in a paragraph is about 20 px)."""
    small = [f"{path.relative_to(TEMPLATES)}: {tag}" for path in TEMPLATES.rglob("*.html")
             for tag in re.findall(r"<a\b[^>]*>\s*←", path.read_text()) if 'class="back"' not in tag]
    assert small == []
