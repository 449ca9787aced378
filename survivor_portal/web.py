"""Small helpers the HTML views share."""

import re
from collections.abc import Callable
from functools import wraps

from django import forms
from django.contrib.auth.decorators import login_required as _login_required
from django.http import Http404, HttpRequest, HttpResponse

from survivor_portal.errors import DomainError, NotFound


def login_required(view: Callable) -> Callable:
    """Django's, without ?next= in the address: the login lives at "/", and an address naming
    the page she wanted would stay in the browser's history."""
    return _login_required(view, redirect_field_name=None)


def otp_required(view: Callable) -> Callable:
    """For people who finished two-step login. Logged out: to the start address, without ?next=.
    Logged in without a second step done: the page does not exist for her (404), rather than a
    redirect to "/" that would look as if it had worked."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_verified():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def show_error(form: forms.Form, error: DomainError) -> None:
    """Put a service's refusal on the form, beside the field it concerns when there is one (each
    of them, when the service names several problems at once)."""
    for field, message in (error.extra.get("problems") or {error.field: error.message}).items():
        form.add_error(field if field in form.fields else None, message)


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


def version_field() -> forms.IntegerField:
    """The hidden version every edit form carries (survivor_portal/versions.py)."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1)


def version_sent(form: forms.Form) -> int:
    """The version the page started from. A form without one is older than versions, so it
    is treated as stale: she is shown both texts rather than risking an overwrite."""
    return form.cleaned_data.get("version") or 0


def _shown(field: forms.Field, value) -> str:
    from django.utils.translation import gettext as _

    from survivor_portal import times

    if isinstance(field, forms.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(value, (list, tuple)):  # ticked boxes
        return ", ".join(_shown(field, item) for item in value) or _("(empty)")
    if value in (None, ""):
        return _("(empty)")
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(field, forms.DateField):
        return times.day(value)
    return str(value)


def conflict_page(
    request: HttpRequest, *, form: forms.Form, saved: dict, action: str, back: str,
    guarded: tuple[str, ...] = (), heading: str = "", hidden: dict | None = None,
) -> HttpResponse:
    """A stale save (versions.Stale): what she typed beside what is saved now, and a choice.

    Nothing she typed is lost: a form holds her words with the newer version, ready to save.
    Privacy and sharing settings (`guarded`) come from what is saved now, never from her
    older page, and the page says so: a restored tab can never flip them back."""
    from django.shortcuts import render
    from django.utils.translation import gettext as _

    mine = form.cleaned_data
    names = [name for name in form.fields if name not in ("version", "once")]
    rows = [
        {"label": form.fields[name].label, "mine": _shown(form.fields[name], mine.get(name)),
         "saved": _shown(form.fields[name], saved.get(name)), "kept": name in guarded}
        for name in names if mine.get(name) != saved.get(name) and name in saved
    ]
    initial = {**{name: mine.get(name) for name in names}, **{name: saved.get(name) for name in guarded},
               "version": saved["version"]}
    fresh = type(form)(initial=initial)
    context = {"heading": heading or _("This changed in another window"), "rows": rows, "form": fresh,
               "action": action, "back": back, "hidden": hidden or {}}
    # 200, not 409: the page is an answer she acts on, and boosted forms (htmx) swap in only 2xx pages.
    return render(request, "conflict.html", context)
