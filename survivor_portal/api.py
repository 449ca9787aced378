"""The one NinjaAPI. Each app adds a router; errors take one shape: {"detail", "code"}."""

from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import django_auth

from peer_support.council.api import router as council_router
from peer_support.groups.api import agenda_router, posts_router
from peer_support.groups.api import router as groups_router
from survivor_portal.accounts.api import auth_router, agency_router, me_router
from survivor_portal.accounts.selectors import may_read_api_docs
from survivor_portal.consent.api import agency_router as consent_agency_router
from survivor_portal.consent.api import router as consent_router
from survivor_portal.conversations.api import me_router as conversations_me_router
from survivor_portal.conversations.api import messages_router
from survivor_portal.conversations.api import router as conversations_router
from survivor_portal.errors import DomainError
from survivor_portal.goals.api import router as goals_router
from survivor_portal.outreach.api import router as outreach_router
from survivor_portal.plans.api import agency_router as plans_agency_router
from survivor_portal.plans.api import router as plans_router
from survivor_portal.safety.api import router as safety_router
from survivor_portal.versions import Stale
from survivor_portal.write_limits import TooFast
from survivor_portal.scheduling.api import agency_router as scheduling_agency_router
from survivor_portal.scheduling.api import appointments_router, slots_router



def staff_only_docs(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For anyone else the docs answer as any unknown address does: Django's own 404 page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not may_read_api_docs(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


api = NinjaAPI(
    title="API",  # neutral: the document must not say what the service is
    version="1",
    urls_namespace="api",
    auth=django_auth,
    docs_url="/docs",
    docs_decorator=staff_only_docs,
)


class ErrorOut(Schema):
    detail: str
    code: str
    field: str | None = None


def _error(
    request: HttpRequest, status: int, detail: str, code: str, field: str | None = None, extra: dict | None = None
) -> HttpResponse:
    body = {**(extra or {}), "detail": detail, "code": code, "field": field}
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    response = _error(request, exc.status, exc.message, exc.code, exc.field, exc.extra)
    if isinstance(exc, Stale):
        response["ETag"] = f'"{exc.extra["version"]}"'  # the current one, to read again and retry
    if isinstance(exc, TooFast):
        response["Retry-After"] = str(exc.retry_after)
    return response


_VALIDATION = {
    "missing": gettext_lazy("This is needed."),
    "string_too_long": gettext_lazy("This is too long."),
    "string_too_short": gettext_lazy("This is too short."),
    "int_parsing": gettext_lazy("This needs a whole number."),
    "greater_than_equal": gettext_lazy("This number is too small."),
    "less_than_equal": gettext_lazy("This number is too large."),
    "literal_error": gettext_lazy("Choose one of the options."),
    "bool_parsing": gettext_lazy("This needs true or false."),
    "date_from_datetime_parsing": gettext_lazy("This needs a date, like 2027-01-31."),
    "datetime_from_date_parsing": gettext_lazy("This needs a date and time, like 2027-01-31T10:00."),
    "json_invalid": gettext_lazy("This is not valid JSON."),
}


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    location = [str(part) for part in first.get("loc", ()) if part not in ("body", "payload", "query", "path")]
    field = ".".join(location) or None
    message = _VALIDATION.get(first.get("type", ""), _("This is not valid."))
    detail = f"{field}: {message}" if field else str(message)
    return _error(request, 422, detail, "invalid", field)


@api.exception_handler(AuthenticationError)
def on_not_logged_in(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, _("Please log in."), "not_authenticated")


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, _("Not found."), "not_found")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = "csrf_failed" if "CSRF" in str(exc) else "error"
    return _error(request, exc.status_code, str(exc), code)


api.add_router("/auth", auth_router)
api.add_router("/me/safety-plan", plans_router)
api.add_router("/me/safety", safety_router)
api.add_router("/me/messages", conversations_me_router)
api.add_router("/me", me_router)
api.add_router("/agency", agency_router)
api.add_router("/goals", goals_router)
api.add_router("/consents", consent_router)
api.add_router("/agency", consent_agency_router)
api.add_router("/agency", scheduling_agency_router)
api.add_router("/agency", outreach_router)
api.add_router("/agency", plans_agency_router)
api.add_router("/slots", slots_router)
api.add_router("/appointments", appointments_router)
api.add_router("/conversations", conversations_router)
api.add_router("/messages", messages_router)
api.add_router("/council", council_router)
api.add_router("/groups", groups_router)
api.add_router("/posts", posts_router)
api.add_router("/agenda", agenda_router)
