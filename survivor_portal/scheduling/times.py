"""Times are stored in UTC and shown in the agency's time zone, with the zone named."""

import zoneinfo
from datetime import date, datetime, time
from datetime import timezone as dt_timezone

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from survivor_portal.accounts.models import Agency


def zone_of(agency: Agency) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(agency.time_zone or "UTC")


def zone_label(agency: Agency) -> str:
    """"New York time": the city part of the zone, which people recognise."""
    key = agency.time_zone or "UTC"
    if "/" not in key:
        return key
    return _("%(city)s time") % {"city": key.rsplit("/", 1)[1].replace("_", " ")}


def local(moment: datetime, agency: Agency) -> datetime:
    return moment.astimezone(zone_of(agency))


def at(day: date, clock: time, agency: Agency) -> datetime:
    """A wall-clock time on a day in the agency's zone, as a moment in UTC. (Arithmetic on
    datetimes sharing one ZoneInfo is wall-clock arithmetic, wrong across a clock change;
    in UTC it is real time.)"""
    return datetime.combine(day, clock.replace(tzinfo=None), tzinfo=zone_of(agency)).astimezone(dt_timezone.utc)


def aware(moment: datetime, agency: Agency) -> datetime:
    """Times without a zone are read as the agency's wall clock; every moment ends in UTC."""
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=zone_of(agency))
    return moment.astimezone(dt_timezone.utc)


def span(starts: datetime, ends: datetime, agency: Agency) -> str:
    """"Tuesday 1 December, 10:00–10:30 (New York time)", in her language."""
    first, last = local(starts, agency), local(ends, agency)
    return _("%(day)s, %(start)s–%(end)s (%(zone)s)") % {
        "day": formats.date_format(first, "l j F"), "start": formats.time_format(first, "H:i"),
        "end": formats.time_format(last, "H:i"), "zone": zone_label(agency),
    }


def today_in(agency: Agency) -> date:
    return local(timezone.now(), agency).date()


def sane(moment: datetime | date, field: str) -> None:
    """Dates far from today are refused before any arithmetic on them."""
    from survivor_portal.errors import Invalid

    today = timezone.now().date()
    day = moment.date() if isinstance(moment, datetime) else moment
    if abs((day - today).days) > 2 * 366:
        raise Invalid(_("Choose a date within a year or so of today."), field=field)
