"""Typed words inside our own sentences (a built-in template library: settings.TEMPLATES)."""

from django import template

register = template.Library()


@register.filter(is_safe=False)
def unstopped(text) -> str:
    """Someone's words placed before our own full stop lose theirs, so "What: her posts.." never
    shows. An ellipsis ("…" or "...") is kept: it means something."""
    text = str(text or "").rstrip()
    return text[:-1] if text.endswith(".") and not text.endswith("..") else text
