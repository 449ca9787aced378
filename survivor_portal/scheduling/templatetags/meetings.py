from django import template
from django.utils.html import format_html

from survivor_portal.scheduling import times

register = template.Library()


@register.simple_tag
def when(slot) -> str:
    """The time in the agency's zone, named; app.js adds her device's time beside it when it differs."""
    return format_html('<time datetime="{}" data-zone="{}" data-ends="{}">{}</time>', slot.starts_at.isoformat(),
                       slot.agency.time_zone, slot.ends_at.isoformat(), times.span(slot.starts_at, slot.ends_at, slot.agency))


@register.simple_tag
def hours(slot) -> str:
    """"10:00–10:30" on the agency's clock, as plain text (for labels read by screen readers)."""
    first, last = times.local(slot.starts_at, slot.agency), times.local(slot.ends_at, slot.agency)
    return f"{first:%H:%M}–{last:%H:%M}"


@register.simple_tag
def clock(slot) -> str:
    """Just the hours, for lists already grouped by day."""
    return format_html('<time datetime="{}" data-zone="{}" data-ends="{}">{}</time>', slot.starts_at.isoformat(),
                       slot.agency.time_zone, slot.ends_at.isoformat(), hours(slot))


@register.filter
def agency_time(moment, agency):
    """A moment on the agency's wall clock (the server itself keeps UTC). Naive on purpose:
    Django's date filter would otherwise turn an aware time back into the server's zone."""
    return times.local(moment, agency).replace(tzinfo=None) if moment else moment
