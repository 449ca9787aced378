"""Every time anyone sees, in one place: stored in UTC, shown on the clock of the reader's
agency, in one format, in her language.

    Python:    times.when(moment) → "Wednesday 2 December, 14:05" · "miércoles 2 de diciembre, 14:05"
               times.day(moment_or_date) → "Wednesday 2 December"   (the year only when it is not this year)
               times.clock(moment) → "14:05"       times.span(starts, ends) → "Wednesday 2 December, 10:00–10:30"
    Templates: {{ post.created_at|when }}  {{ goal.target_date|day }}  {{ slot.starts_at|clock }}
               (built in: no {% load %} needed; `|date` is only for machine values like ?day=2026-12-02)

No time carries its zone: the page names it once, at its foot ("Times are New York time.",
base.html). Text that leaves the page (the API's `shown_as`) names it with `named()`.
Whose clock: the agency of the person reading (set per request by `reader_zone`, looked up
only when a time is shown), or an agency passed in, for work outside a request.
"""

import zoneinfo
from collections.abc import Callable
from contextvars import ContextVar
from datetime import date, datetime, time
from datetime import timezone as dt_timezone

from django import template
from django.http import HttpRequest, HttpResponse
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

# Date formats per language (Django's date-format letters). Spanish writes "2 de diciembre" and
# its day names in small letters ("miércoles"; a line that starts with one uses |capfirst).
# A language not listed here uses English order until someone adds it.
FORMATS = {
    "en": {"day": "l j F", "day_year": "l j F Y", "lowercase": False},
    "es": {"day": r"l j \d\e F", "day_year": r"l j \d\e F \d\e Y", "lowercase": True},
}
CLOCK = "H:i"

# Cities people know under another name in another language. A zone not listed is named by
# the city part of its key ("America/Chicago" → "Chicago time").
CITIES = {
    "America/New_York": gettext_lazy("New York"),
    "America/Mexico_City": gettext_lazy("Mexico City"),
    "America/Bogota": gettext_lazy("Bogota"),
    "America/Panama": gettext_lazy("Panama"),
    "America/Havana": gettext_lazy("Havana"),
    "America/Sao_Paulo": gettext_lazy("Sao Paulo"),
    "America/Puerto_Rico": gettext_lazy("Puerto Rico"),
    "Europe/London": gettext_lazy("London"),
    "Europe/Paris": gettext_lazy("Paris"),
    "Europe/Berlin": gettext_lazy("Berlin"),
    "Europe/Lisbon": gettext_lazy("Lisbon"),
    "Europe/Rome": gettext_lazy("Rome"),
    "Asia/Ho_Chi_Minh": gettext_lazy("Ho Chi Minh City"),
}

_reader: ContextVar[Callable[[], str] | None] = ContextVar("times_reader", default=None)


# ---- Whose clock --------------------------------------------------------------------------------


def reader_zone(get_response: Callable[[HttpRequest], HttpResponse]):
    """Middleware: times on this request are on the clock of the reader's agency. The agency
    is looked up only if a time is shown, so pages and API calls without one pay nothing."""
    def middleware(request: HttpRequest) -> HttpResponse:
        token = _reader.set(lambda: _zone_key_of(getattr(request, "user", None)))
        try:
            return get_response(request)
        finally:
            _reader.reset(token)

    return middleware


def _zone_key_of(user) -> str:
    agency = user.agency if user is not None and user.is_authenticated and user.agency_id else None
    return agency.time_zone if agency is not None else "UTC"


def zone_of(agency=None) -> zoneinfo.ZoneInfo:
    """The agency's zone; without one, the reader's agency's (UTC outside a request)."""
    if agency is not None:
        return zoneinfo.ZoneInfo(agency.time_zone or "UTC")
    found = _reader.get()
    return zoneinfo.ZoneInfo(found() if found else "UTC")


def zone_label(agency=None) -> str:
    """"New York time" / "hora de Nueva York"; "UTC"."""
    key = zone_of(agency).key
    if "/" not in key:
        return key
    city = CITIES.get(key) or key.rsplit("/", 1)[1].replace("_", " ")
    return _("%(city)s time") % {"city": city}


def zone_note() -> str:
    """The page's one line naming the zone."""
    return _("Times are %(zone)s.") % {"zone": zone_label()}


# ---- Showing a time -----------------------------------------------------------------------------


def local(moment: datetime, agency=None) -> datetime:
    return moment.astimezone(zone_of(agency))


def _formats() -> dict:
    return FORMATS.get((get_language() or "en").split("-")[0], FORMATS["en"])


def day(value: date | datetime | None, agency=None) -> str:
    """"Wednesday 2 December", with the year when it is not this year."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = local(value, agency).date()
    this_year = local(timezone.now(), agency).year
    language = _formats()
    shown = formats.date_format(value, language["day" if value.year == this_year else "day_year"])
    return shown.lower() if language["lowercase"] else shown


def clock(moment: datetime | None, agency=None) -> str:
    return formats.time_format(local(moment, agency), CLOCK) if moment else ""


def when(moment: datetime | None, agency=None) -> str:
    """"Wednesday 2 December, 14:05"."""
    if not moment:
        return ""
    return _("%(day)s, %(clock)s") % {"day": day(moment, agency), "clock": clock(moment, agency)}


def span(starts: datetime, ends: datetime, agency=None) -> str:
    """"Wednesday 2 December, 10:00–10:30"."""
    return _("%(day)s, %(start)s–%(end)s") % {
        "day": day(starts, agency), "start": clock(starts, agency), "end": clock(ends, agency)}


def named(text: str, agency=None) -> str:
    """A time for somewhere without the page's zone line (the API): "…, 10:00–10:30 (New York time)"."""
    return _("%(time)s (%(zone)s)") % {"time": text, "zone": zone_label(agency)}


# ---- Arithmetic on the agency's wall clock ------------------------------------------------------


def at(day: date, clock: time, agency) -> datetime:
    """A wall-clock time on a day in the agency's zone, as a moment in UTC. (Arithmetic on
    datetimes sharing one ZoneInfo is wall-clock arithmetic, wrong across a clock change;
    in UTC it is real time.)"""
    return datetime.combine(day, clock.replace(tzinfo=None), tzinfo=zone_of(agency)).astimezone(dt_timezone.utc)


def aware(moment: datetime, agency) -> datetime:
    """Times without a zone are read as the agency's wall clock; every moment ends in UTC."""
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=zone_of(agency))
    return moment.astimezone(dt_timezone.utc)


def today_in(agency=None) -> date:
    return local(timezone.now(), agency).date()


def sane(moment: datetime | date, field: str) -> None:
    """Dates far from today are refused before any arithmetic on them."""
    from survivor_portal.errors import Invalid

    today = timezone.now().date()
    day = moment.date() if isinstance(moment, datetime) else moment
    if abs((day - today).days) > 2 * 366:
        raise Invalid(_("Choose a date within a year or so of today."), field=field)


# ---- Templates (a built-in library: settings.TEMPLATES) -----------------------------------------

register = template.Library()
register.filter("when", when)
register.filter("day", day)
register.filter("clock", clock)
register.simple_tag(zone_note, name="zone_note")
