"""The one family of domain errors. Services raise them; the API maps them to HTTP once
(survivor_portal/api.py) and views turn them into a form message."""


class DomainError(Exception):
    status = 400
    code = "error"

    def __init__(
        self, message: str = "", *, field: str | None = None, code: str | None = None, extra: dict | None = None
    ):
        super().__init__(message)
        self.message = str(message)
        self.field = field
        self.extra = extra or {}
        if code:
            self.code = code


class Invalid(DomainError):
    status = 422
    code = "invalid"


class NotAllowed(DomainError):
    status = 403
    code = "not_allowed"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class Throttled(DomainError):
    status = 429
    code = "throttled"


def full_clean_or_invalid(instance, *, exclude: list[str] | None = None, validate_constraints: bool = True) -> None:
    """Model validation for services: the first problem becomes Invalid, naming its field."""
    from django.core.exceptions import ValidationError

    try:
        instance.full_clean(exclude=exclude, validate_constraints=validate_constraints)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise Invalid(messages[0], field=None if field == "__all__" else field) from None


def text_or_invalid(value: str | None, field: str, longest: int, *, required: bool = True, empty: str = "") -> str:
    """Typed text for services: trimmed, not empty (when required), not too long, no NUL."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    value = (value or "").strip()
    if required and not value:
        raise Invalid(empty or _("Please fill this in."), field=field)
    if len(value) > longest:
        raise Invalid(ngettext("Please keep this to %(count)s character.", "Please keep this to %(count)s characters.",
                               longest) % {"count": longest}, field=field)
    if "\x00" in value:
        raise Invalid(_("This has a character we cannot keep. Please type it again."), field=field)
    return value
