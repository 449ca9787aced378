from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

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
