from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from survivor_portal.accounts.backends import has_news
from survivor_portal.accounts.recovery import reset_notices, resets_waiting


def notices(request: HttpRequest) -> dict:
    """A reset code made for her account is shown at the top of every page until she has seen it;
    a reset someone has started, with a way to stop it, until it is stopped or over."""
    user = getattr(request, "user", None)
    if user is not None and not has_news(user):
        return {"reset_notices": [], "resets_waiting": []}
    return {
        "reset_notices": SimpleLazyObject(lambda: reset_notices(viewer=user) if user is not None else []),
        "resets_waiting": SimpleLazyObject(lambda: resets_waiting(viewer=user) if user is not None else []),
    }
