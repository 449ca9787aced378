"""Small helpers the HTML views share."""

import re
from collections.abc import Callable
from functools import wraps

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from survivor_portal.errors import DomainError, NotFound


def show_error(form: forms.Form, error: DomainError) -> None:
    """Put a service's refusal on the form, beside the field it concerns when there is one."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def not_found_is_404(view: Callable) -> Callable:
    """Logged in, and NotFound from any service or selector becomes a plain 404 page."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None

    return wrapper


def id_from(text: str | None) -> int | None:
    """An id from a form or the address: plain ASCII digits of a sensible length, or None."""
    return int(text) if text and re.fullmatch(r"[0-9]{1,18}", text) else None
