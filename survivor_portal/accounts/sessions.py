"""Starting a session once a person has proved who she is. Shared by the login page and the API."""

import django_otp
from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest
from django.utils import timezone, translation
from django_otp import devices_for_user
from django_otp.models import Device

from survivor_portal.accounts.login_sessions import DEVICE, SIGNED_IN_AT, device_of
from survivor_portal.accounts.models import User
from survivor_portal.accounts.services import TWO_STEP, user_settings_update


def session_start(request: HttpRequest, user: User, device: Device | None = None) -> None:
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    if device is not None:
        django_otp.login(request, device)
    keep_alive(request, user, force=True)
    request.session[TWO_STEP] = any(devices_for_user(user, confirmed=True))
    # When and on what she logged in, noted now so her first page writes nothing.
    request.session[SIGNED_IN_AT] = timezone.now().timestamp()
    request.session[DEVICE] = device_of(request.headers.get("User-Agent", ""))
    # A language she picked on this device before logging in is kept on her account.
    picked = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if picked in dict(User.LANGUAGE_CHOICES) and picked != user.language:
        user_settings_update(actor=user, language=picked)
    translation.activate(user.language)


# When her idle deadline was last moved on (seconds since the epoch).
MOVED_AT = "_moved_at"


def keep_alive(request: HttpRequest, user: User, force: bool = False) -> None:
    """Every request of hers moves her idle deadline on, but the session is written for it at
    most once a minute: a read stays a read. She is logged out between her idle time and one
    minute less after her last request."""
    now = timezone.now().timestamp()
    moved = request.session.get(MOVED_AT, 0)
    if force or now - moved >= 60 or request.session.get_expiry_age() != user.idle_minutes * 60 or now < moved:
        request.session.set_expiry(user.idle_minutes * 60)
        request.session[MOVED_AT] = now


def client_address(request: HttpRequest) -> str:
    """The address login limits count against. Behind a proxy every request comes from the
    proxy, so the address it appended last to X-Forwarded-For is used instead (only the
    proxy's own entry can be trusted; earlier ones are whatever the sender wrote)."""
    if settings.BEHIND_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")
