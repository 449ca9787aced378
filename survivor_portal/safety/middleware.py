from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

LOCKED = "locked"  # the session key set by safety.views.lock
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def privacy_headers(get_response: Callable[[HttpRequest], HttpResponse]):
    """Nothing the app renders may be kept by the browser or a proxy. Static files are
    served before this (by WhiteNoise) and keep their long cache lifetimes."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if not getattr(response, "cacheable_publicly", False):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

    return middleware


# What a locked session may still reach: the cover and unlock screens, and ways out.
_LOCKED_ALLOWED = (
    "/unlock", "/exit", "/logout", "/language", "/static/", "/sw.js", "/manifest", "/offline",
    "/api/v1/me/safety/unlock", "/api/v1/auth/",
)


def lock_gate(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        if (
            request.user.is_authenticated
            and request.session.get(LOCKED)
            and request.path != "/"
            and not request.path.startswith(_LOCKED_ALLOWED)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("Unlock the app first."), "code": "locked", "field": None}, status=403)
            return redirect("home")
        return get_response(request)

    return middleware
