"""Error answers that need nothing: no database, no session, no cache.

When PostgreSQL or Redis is down, these pages are all she sees, so they must still carry the
Exit control, `no-store` and the CSP, in the look her device's cookie asks for, and must not
need the backend that just failed. They are built from the request's cookies and the
templates on disk only: rendered without the request, so no context processor (which would
read her account) ever runs. The API gets the same answers as JSON.

Django calls these as handler400/403/404/500 and CSRF_FAILURE_VIEW. The 500 handler turns a
backend outage into a 503 with Retry-After, and writes the one log line for it.
"""

import logging
import sys

import redis
from csp.constants import HEADER as CSP_HEADER
from csp.utils import build_policy
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from survivor_portal.safety.disguises import COOKIE as LOOK_COOKIE
from survivor_portal.safety.disguises import disguise_for

# A database or Redis that is down, paused past its timeout, or restarting. Django wraps every
# driver's errors in its own OperationalError/InterfaceError; a query cancelled by
# statement_timeout is an OperationalError too.
BACKEND_DOWN = (OperationalError, InterfaceError, redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
# Long enough for a restart, short enough that a client retrying is not left waiting.
RETRY_AFTER_SECONDS = 10

logger = logging.getLogger("survivor_portal.outage")


def backend_down(error: BaseException | None) -> bool:
    """Whether this error, or one it was raised from, is a backend being unreachable."""
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, BACKEND_DOWN):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def _api_messages() -> dict[int, tuple[str, str]]:
    return {
        400: ("bad_request", _("We could not read that request.")),
        403: ("not_allowed", _("This is not open to you.")),
        404: ("not_found", _("Not found.")),
        500: ("server_error", _("Something went wrong on our side. Please try again in a moment.")),
        503: ("unavailable", _("This is not available right now. Please try again in a minute.")),
    }


def _page(request: HttpRequest, template: str) -> str:
    disguise = disguise_for(request.COOKIES.get(LOOK_COOKIE))
    context = {
        "bare": True,
        "disguise": disguise,
        "app_name": disguise.name,
        # Her own exit site is in the database, which may be the thing that is down.
        "exit_url": settings.EXIT_URL,
        "LANGUAGE_CODE": get_language() or settings.LANGUAGE_CODE,
    }
    try:
        return loader.render_to_string(template, context)  # no request: no context processors
    except Exception:  # an error page must never fail in turn; the way out stays
        return (
            f'<!doctype html><meta charset="utf-8"><title>{escape(disguise.name)}</title>'
            f'<a class="exit-button" id="exit" href="/exit" data-exit>{escape(_("Exit"))}</a>'
            f'<p><a href="/">{escape(_("Go to the start"))}</a></p>'
        )


def error_answer(request: HttpRequest, status: int, template: str | None = None, code: str | None = None) -> HttpResponse:
    """The answer for an error status: a JSON error under /api/, otherwise the static page."""
    if request.path.startswith("/api/"):
        default_code, detail = _api_messages()[status]
        response: HttpResponse = JsonResponse({"detail": detail, "code": code or default_code, "field": None}, status=status)
    else:
        response = HttpResponse(_page(request, template or f"{status}.html"), status=status)
        response[CSP_HEADER] = build_policy()
        response["X-Frame-Options"] = "DENY"
    # The middleware that adds these may be the part that failed; an error page is never kept.
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_answer(request, 400)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_answer(request, 403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_answer(request, 404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_answer(request, 403, template="403_csrf.html", code="csrf_failed")


def server_error(request: HttpRequest) -> HttpResponse:
    """A backend that is down is a 503 with one log line; anything else is a 500 that
    Django logs once, with its traceback."""
    error = sys.exc_info()[1]
    if not backend_down(error):
        return error_answer(request, 500)
    response = error_answer(request, 503)
    response._has_been_logged = True  # Django's own request log would repeat it with a traceback
    if getattr(request, "_outage_logged", False):
        # A middleware further out met the same outage on the way back: still one line.
        return response
    request._outage_logged = True
    logger.error(
        "Backend unavailable, answered 503 to %s %s: %s: %s",
        request.method,
        request.path,
        type(error).__name__,
        str(error).strip().splitlines()[0][:200] if str(error).strip() else "",
    )
    return response
