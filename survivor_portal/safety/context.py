from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from survivor_portal.safety.cookies import look_of
from survivor_portal.safety.disguises import disguise_for
from survivor_portal.safety.middleware import LOCKED
from survivor_portal.safety.models import SafetySettings
from survivor_portal.safety.services import exit_url_for, safety_settings_of


def her_settings(request: HttpRequest) -> SafetySettings | None:
    """Her safety settings, read once per request (every page needs them for its look and Exit)."""
    return _her_settings(request)


def _her_settings(request: HttpRequest) -> SafetySettings | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(request, "_safety_settings"):
        request._safety_settings = safety_settings_of(user)
    return request._safety_settings


def _exit_choice(request: HttpRequest) -> str:
    safety = _her_settings(request)
    return safety.exit_choice if safety and safety.exit_choice != "default" else ""


def current_disguise_key(request: HttpRequest) -> str:
    """This device's look; a logged-in person on a new device gets the look she chose."""
    key = look_of(request)
    if key is None:
        safety = _her_settings(request)
        key = safety.disguise if safety else None
    return disguise_for(key).key


def safety(request: HttpRequest) -> dict:
    disguise = disguise_for(current_disguise_key(request))
    user = getattr(request, "user", None)
    return {
        # A locked session shows nothing of hers before her PIN or passphrase: no menu, no
        # notices, no messages, no time zone (templates/base.html), only the lock screen.
        "locked": bool(user is not None and user.is_authenticated and hasattr(request, "session")
                       and request.session.get(LOCKED)),
        "disguise": disguise,
        "app_name": disguise.name,
        "exit_url": SimpleLazyObject(lambda: exit_url_for(getattr(request, "user", None), _her_settings(request))),
        # Her exit site travels in the no-JavaScript link, so /exit needs no database to find it.
        "exit_to": SimpleLazyObject(lambda: _exit_choice(request)),
        "safety_settings": SimpleLazyObject(lambda: _her_settings(request)),
    }
