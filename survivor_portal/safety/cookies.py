"""The two device cookies: which disguise this phone shows, and the opaque key that lets its
cover screen check her PIN. Neither holds anything personal: the look is one of four words
("calculator", "weather", "notes", "plain"), and the key is 32 random bytes whose hash alone is
kept on the server. They outlive Exit and logout on purpose, so the phone keeps its disguise;
the session, CSRF and "only me" key cookies, which do belong to her login, are deleted by name."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from survivor_portal.safety.disguises import COOKIE as LOOK_COOKIE
from survivor_portal.safety.disguises import DISGUISES

DEVICE_COOKIE = "ck"
ONLY_ME_COOKIE = "om"  # accounts.only_me.COOKIE, named here so Exit needs no import of accounts
_YEAR = 365 * 24 * 3600


def _set(response: HttpResponse, name: str, value: str) -> None:
    response.set_cookie(name, value, max_age=_YEAR, httponly=True, samesite="Lax", secure=settings.HTTPS)


def set_look(response: HttpResponse, disguise: str) -> None:
    _set(response, LOOK_COOKIE, disguise)


def set_device_key(response: HttpResponse, key: str) -> None:
    _set(response, DEVICE_COOKIE, key)


def look_asked_by_app(request: HttpRequest) -> str | None:
    """The look in the installed app's start address (?d=), to keep on the phone. Only the app
    itself opens that address with `Sec-Fetch-Site: none`; a link from another site must never
    set her phone's look."""
    candidate = request.GET.get("d")
    return candidate if candidate in DISGUISES and request.headers.get("Sec-Fetch-Site") == "none" else None


def look_of(request: HttpRequest) -> str | None:
    """The disguise this page shows: its ?d= (the app's start address, the service worker's
    offline page) unless a link from another site asked for it, else the phone's cookie."""
    candidate = request.GET.get("d")
    if candidate in DISGUISES and request.headers.get("Sec-Fetch-Site") not in ("cross-site", "same-site"):
        return candidate
    candidate = request.COOKIES.get(LOOK_COOKIE)
    return candidate if candidate in DISGUISES else None


def forget_session(response: HttpResponse) -> HttpResponse:
    """Ends her login on this phone by deleting its two cookies by name. Clear-Site-Data
    "cookies" would also wipe the look and the cover key, and with them the disguise."""
    response.delete_cookie(settings.SESSION_COOKIE_NAME, samesite=settings.SESSION_COOKIE_SAMESITE)
    response.delete_cookie(settings.CSRF_COOKIE_NAME, samesite=settings.CSRF_COOKIE_SAMESITE)
    response.delete_cookie(ONLY_ME_COOKIE, samesite="Strict")  # her "only me" key (accounts.only_me)
    return response


def device_key_of(request: HttpRequest) -> str | None:
    return request.COOKIES.get(DEVICE_COOKIE)
