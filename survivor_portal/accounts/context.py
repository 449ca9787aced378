from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from survivor_portal.accounts.recovery import reset_notices


def notices(request: HttpRequest) -> dict:
    """A reset code made for her account is shown at the top of every page until she has seen it."""
    user = getattr(request, "user", None)
    return {"reset_notices": SimpleLazyObject(lambda: reset_notices(viewer=user) if user is not None else [])}
