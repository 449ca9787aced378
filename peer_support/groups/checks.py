"""Two gentle checks on what someone is about to post: could it identify a person, and does it
sound like a crisis. Both are hints, never verdicts: the first asks before posting; the second
shows the poster where to find help and asks mentors to look, and hides nothing.

Links are found by linkify-it-py with every top-level domain IANA lists (shelterhelp.ca, ayuda.co,
hilfe.de, and .london or .app alike); phone numbers by phonenumbers (Google's libphonenumber), read
the way people write them in the agency's country, which its time zone names (tzdata's zone.tab:
America/Mexico_City is Mexico; a zone of no country, like UTC, uses settings.PHONE_REGION). A
number written with "+" and a country code is found whatever the country. Dates, times and
amounts are never taken for phone numbers.
"""

import importlib.resources
import re
import threading
from functools import cache

import phonenumbers
from django.conf import settings
from linkify_it import LinkifyIt
from linkify_it.tlds import TLDS

from survivor_portal.crisis_words import sounds_like_crisis  # noqa: F401 - groups' posts use the one word list

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_ADDRESS = re.compile(
    r"\b\d{1,5}\s+(\w+\s){0,3}(street|st|avenue|ave|road|rd|lane|ln|drive|dr|boulevard|blvd|way|court|ct|place|pl)\b"
    r"|\b(calle|avenida|av|carrera|camino|paseo|plaza)\s+[\w\s]{1,30}\d{1,5}\b",
    re.IGNORECASE,
)
# "+" and a country code: a phone number in any country's format (8 to 15 digits, ITU E.164).
_INTERNATIONAL = re.compile(r"(?<![\w+])\+\d[\d\s().-]{6,24}\d(?!\w)")
_MONEY_SIGNS = "$€£¥₹₱₡₲₦₩"
_MONEY_AFTER = re.compile(r"\s*(?:[$€£¥₹₱₡₲₦₩]|(?:eur|euros?|usd|dollars?|dólares|pesos?|mxn|cop|pounds?|libras?)\b)",
                          re.IGNORECASE)
_YEARS = re.compile(r"(?:19|20)\d\d\s*[-–/]\s*(?:19|20)\d\d")
_CLOCK = r"(?:[01]?\d|2[0-3])[.:h][0-5]\d"
_TIMES = re.compile(rf"{_CLOCK}(?:\s*[-–]\s*{_CLOCK})?")  # 10.30-11.45
_THOUSANDS = re.compile(r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?")
_SHORTEST_PHONE = 7  # digits; shorter ones are room numbers, codes and help lines, which identify nobody
_links = threading.local()  # linkify-it keeps the state of its last match: one matcher per thread


def _link_finder() -> LinkifyIt:
    if not hasattr(_links, "finder"):
        _links.finder = LinkifyIt().tlds(TLDS)
    return _links.finder


@cache
def _zone_countries() -> dict[str, str]:
    """Time zone → ISO country, from tzdata's zone.tab, old names (US/Eastern) included."""
    zoneinfo = importlib.resources.files("tzdata").joinpath("zoneinfo")
    countries: dict[str, str] = {}
    for line in zoneinfo.joinpath("zone.tab").read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) >= 3 and not line.startswith("#"):
            countries[fields[2]] = fields[0]
    for line in zoneinfo.joinpath("tzdata.zi").read_text(encoding="utf-8").splitlines():
        if line.startswith("L "):
            _l, target, alias = line.split()[:3]
            if target in countries:
                countries.setdefault(alias, countries[target])
    return countries


def phone_region(agency) -> str:
    """The country whose way of writing phone numbers her agency's people use."""
    return _zone_countries().get(getattr(agency, "time_zone", "") or "", settings.PHONE_REGION)


def _is_date(raw: str) -> bool:
    """2026-03-14, 14.03.2026, 14 03 2026, 03/14/26, 20260314: a day, a month and a year; or
    years from and to (2025-2026)."""
    raw = raw.strip()
    if _YEARS.fullmatch(raw):
        return True
    if len(raw) == 8 and raw.isdigit() and raw[:2] in ("19", "20"):
        raw = f"{raw[:4]}-{raw[4:6]}-{raw[6:]}"
    parts = re.split(r"[-/. ]+", raw)
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        return False
    first, middle, last = (int(part) for part in parts)
    if len(parts[0]) == 4:
        return 1 <= middle <= 12 and 1 <= last <= 31
    return 1 <= min(first, middle) <= 12 and max(first, middle) <= 31 and len(parts[2]) in (2, 4)


def _is_a_phone_number(text: str, match: phonenumbers.PhoneNumberMatch) -> bool:
    raw = match.raw_string
    if sum(ch.isdigit() for ch in raw) < _SHORTEST_PHONE or ":" in raw or _is_date(raw) or _TIMES.fullmatch(raw):
        return False
    before = text[:match.start].rstrip()[-1:]
    if before and before in _MONEY_SIGNS:
        return False
    return not (_MONEY_AFTER.match(text, match.end) or _THOUSANDS.fullmatch(raw))


def _has_phone_number(text: str, region: str) -> bool:
    if any(8 <= sum(ch.isdigit() for ch in found) <= 15 for found in _INTERNATIONAL.findall(text)):
        return True
    matches = phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE)
    return any(_is_a_phone_number(text, match) for match in matches)


def may_identify(text: str, region: str | None = None) -> bool:
    """A phone number (as written in `region`, see phone_region), an e-mail address, a street
    address or a link."""
    text = text or ""
    return bool(_EMAIL.search(text) or _ADDRESS.search(text) or _link_finder().test(text)
                or _has_phone_number(text, region or settings.PHONE_REGION))


