from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from survivor_portal.accounts.services import needs_second_factor

LOCKED = "locked"  # the session key set by safety.views.lock
SCREEN = "screen"  # which logged-out screen the start address shows: "login", "join", "recover" (else the cover)
WRONG_TRIES_ENDED = "ended_by_wrong_tries"  # set after the last wrong PIN ended her session; the login says why
_LAST_PAGE = "page"  # the last whole page this session was shown
_EXPECTED = "expect"  # where one of the app's own forms just sent the browser
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


def session_cookie_ends_with_browser(get_response: Callable[[HttpRequest], HttpResponse]):
    """Her session cookie carries no Max-Age, so quitting the browser drops it. The session row
    still expires on the server after her idle time (set_expiry in accounts.middleware); Django
    would otherwise copy that expiry onto the cookie and keep it on disk."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        cookie = response.cookies.get(settings.SESSION_COOKIE_NAME)
        if cookie is not None and cookie.value:
            cookie["max-age"] = ""
            cookie["expires"] = ""
        return response

    return middleware


# Fresh loads: what reaches the app without going through the page she was using.
_NOT_PAGES = ("/exit", "/static/", "/sw.js", "/manifest", "/offline", "/api/")


def _is_page_load(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and request.headers.get("Sec-Fetch-Mode") == "navigate"
        and "HX-Request" not in request.headers
        and not request.path.startswith(_NOT_PAGES)
    )


def _is_fresh(request: HttpRequest) -> bool:
    """Chromium, measured: a typed address, a bookmark, a new tab and the installed app send
    `Sec-Fetch-Site: none`; a reload sends `Cache-Control: max-age=0`, as does the page a form
    redirects to (so that one is remembered when the form is answered); a tab restored after
    the browser reopens repeats the headers of its last load exactly, so it is told apart from a
    tap on a link (JavaScript off) by asking again for the very page this session last showed."""
    if request.session.pop(_EXPECTED, None) == request.path:
        return False
    if request.headers.get("Sec-Fetch-Site") != "same-origin":
        return True
    if "max-age=0" in request.headers.get("Cache-Control", ""):
        return True
    # Only for her session: a logged-out phone showing the login again is no harm, and the
    # calculator's own script opens "/" after her PIN.
    return request.user.is_authenticated and request.session.get(_LAST_PAGE) == request.path


def fresh_load_lock(get_response: Callable[[HttpRequest], HttpResponse]):
    """No fresh load of the app shows anything of hers: it locks her session (the start address
    then shows her cover or the unlock page), and a logged-out phone goes back to its cover.
    Moving inside the app is boosted by htmx (not a page load at all) or, without JavaScript,
    a same-origin tap on a link or form of the page she was just shown."""

    def middleware(request: HttpRequest) -> HttpResponse:
        user = request.user
        if _is_page_load(request) and _is_fresh(request):
            if not user.is_authenticated:
                request.session.pop(SCREEN, None)
            elif user.is_verified() or not needs_second_factor(user, request.session):
                request.session[LOCKED] = True  # half logged in (code still owed) shows nothing anyway
        response = get_response(request)
        if request.user.is_authenticated or not request.session.is_empty():
            _remember_the_way(request, response)
        return response

    return middleware


def _remember_the_way(request: HttpRequest, response: HttpResponse) -> None:
    if _is_page_load(request) and response.status_code == 200 and not response.has_header("Content-Disposition"):
        if request.session.get(_LAST_PAGE) != request.path:  # written only when it changes
            request.session[_LAST_PAGE] = request.path
    elif (
        request.method == "POST"
        and request.headers.get("Sec-Fetch-Mode") == "navigate"
        and response.status_code in (301, 302, 303)
    ):
        request.session[_EXPECTED] = urlsplit(response["Location"]).path


# What a locked session may still reach: the cover and unlock screens, and ways out.
_LOCKED_ALLOWED = (
    "/exit", "/logout", "/language", "/static/", "/sw.js", "/manifest", "/offline",
    "/api/v1/me/safety/unlock", "/api/v1/auth/",
)


def is_locked(session) -> bool:
    return bool(session.get(LOCKED))


def lock_gate(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        if (
            request.user.is_authenticated
            and is_locked(request.session)
            and request.path != "/"
            and not request.path.startswith(_LOCKED_ALLOWED)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("Unlock the app first."), "code": "locked", "field": None}, status=403)
            return redirect("home")
        return get_response(request)

    return middleware
