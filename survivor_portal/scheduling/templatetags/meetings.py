from django import template
from django.utils.html import format_html

from survivor_portal import times

register = template.Library()


@register.simple_tag
def when(slot) -> str:
    """The day and hours (the page names the zone); app.js adds her device's time beside it when it differs."""
    return format_html('<time datetime="{}" data-zone="{}" data-ends="{}">{}</time>', slot.starts_at.isoformat(),
                       times.zone_of().key, slot.ends_at.isoformat(), times.span(slot.starts_at, slot.ends_at))


@register.simple_tag
def hours(slot) -> str:
    """"10:00–10:30" as plain text (for labels read by screen readers)."""
    return f"{times.clock(slot.starts_at)}–{times.clock(slot.ends_at)}"


@register.simple_tag
def clock(slot) -> str:
    """Just the hours, for lists already grouped by day."""
    return format_html('<time datetime="{}" data-zone="{}" data-ends="{}">{}</time>', slot.starts_at.isoformat(),
                       times.zone_of().key, slot.ends_at.isoformat(), hours(slot))
