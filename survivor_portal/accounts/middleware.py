"""Per-request account rules: her idle time, her language, and two-factor before anything else."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware
from django_otp.models import Device
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


class TwoStepFromSession(OTPMiddleware):
    """django-otp's middleware, without reading her two-step device from the database on every
    request. Whether this session passed its second step is in the session already:
    django_otp.login puts the device there the moment she passes it, a session is only ever one
    person's, and every change that takes a device away (turning two-step off, setting up a new
    one) ends her other sessions and takes it out of this one (accounts.views). The device
    itself is read only if something asks for `user.otp_device`."""

    def _verify_user_sync(self, request: HttpRequest, user):
        self._init_user_fields(user)
        device_id = request.session.get(DEVICE_ID_SESSION_KEY) if user.is_authenticated else None
        if device_id:
            user.is_verified = lambda: True
            user.otp_device = SimpleLazyObject(lambda: self._finalize_device(
                request, user, Device.from_persistent_id(self._normalize_persistent_id(device_id))))
        return user


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
