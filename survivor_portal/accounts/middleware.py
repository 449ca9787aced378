"""Per-request account rules: her idle time, her language, and two-factor before anything else."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from survivor_portal.accounts.services import has_second_factor, needs_second_factor
from survivor_portal.accounts.sessions import keep_alive

# What a logged-in but not yet verified person may reach: finishing two-factor, leaving, language.
_UNVERIFIED_PAGES = {"/account/two-factor/verify", "/account/two-factor/setup"}
_UNVERIFIED_PREFIXES = (
    "/logout",
    "/exit",
    "/language",
    "/api/v1/auth/",
    "/static/",
    "/sw.js",
    "/manifest",
    "/offline",
)


def account_session(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            # The session row expires on the server after her chosen idle time; every request
            # she makes moves the deadline on. Expired rows are never loaded, so she is simply
            # logged out. A page checking for news on its own (X-Background) is not her: it
            # neither keeps her session alive nor writes to it.
            if request.headers.get("X-Background") != "1":
                keep_alive(request, user)
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return get_response(request)

    return middleware


def two_factor_gate(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and request.path not in _UNVERIFIED_PAGES
            and not request.path.startswith(_UNVERIFIED_PREFIXES)
            and needs_second_factor(user, request.session)
            and not (request.path == "/" and has_second_factor(user, request.session))
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Finish two-step login first."), "code": "otp_required", "field": None}, status=403
                )
            # The code screen answers at "/" (only the start address goes into history).
            return redirect(reverse("home" if has_second_factor(user, request.session) else "accounts:setup"))
        return get_response(request)

    return middleware
