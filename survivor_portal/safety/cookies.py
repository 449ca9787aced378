"""The two device cookies: which disguise this phone shows, and the opaque key that lets its
cover screen check her PIN. Neither holds anything personal."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from survivor_portal.safety.disguises import COOKIE as LOOK_COOKIE
from survivor_portal.safety.disguises import DISGUISES

DEVICE_COOKIE = "ck"
_YEAR = 365 * 24 * 3600


def _set(response: HttpResponse, name: str, value: str) -> None:
    response.set_cookie(name, value, max_age=_YEAR, httponly=True, samesite="Lax", secure=settings.HTTPS)


def set_look(response: HttpResponse, disguise: str) -> None:
    _set(response, LOOK_COOKIE, disguise)


def set_device_key(response: HttpResponse, key: str) -> None:
    _set(response, DEVICE_COOKIE, key)


def look_of(request: HttpRequest) -> str | None:
    """The disguise this device asked for: the installed app's start URL (?d=) or the cookie."""
    for candidate in (request.GET.get("d"), request.COOKIES.get(LOOK_COOKIE)):
        if candidate in DISGUISES:
            return candidate
    return None


def device_key_of(request: HttpRequest) -> str | None:
    return request.COOKIES.get(DEVICE_COOKIE)
