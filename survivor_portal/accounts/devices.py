"""The device cookie: proof that this browser completed a login to one account before, so its
tries are counted apart from everyone else's (accounts.throttle).

A new one is issued at every complete login (and after a recovery): a random nonce and a tag of
the account, signed with the server's secret. The tag is a keyed hash of the username's key, so
the cookie names nobody; the nonce is this device's own count in the throttle. It is separate from
the cover key (`ck`, safety.cookies): that one exists only once she sets a PIN, and only the
phone she logged in on last holds a working one, while every phone she uses should stay known.
Like the look and the cover key it outlives Exit and logout, which delete only the session's cookies.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from survivor_portal.accounts.models import User
from survivor_portal.accounts.usernames import username_key

COOKIE = "dv"
_SALT = "survivor_portal.accounts.device"
_YEAR = 365 * 24 * 3600


def _tag(username: str, secret: str = "") -> str:
    key = f"device-tag:{username_key(username)}".encode()
    return hmac.new((secret or settings.SECRET_KEY).encode(), key, hashlib.sha256).hexdigest()[:24]


def _tag_matches(tag: str, username: str) -> bool:
    """Under SECRET_KEY or any of its fallbacks, as the cookie's signature is checked: rotating the
    key keeps her phone known while the old key is a fallback (her next login tags it anew)."""
    return any(hmac.compare_digest(tag, _tag(username, secret))
               for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS])


def device_token_new(*, user: User) -> str:
    return signing.TimestampSigner(salt=_SALT).sign(f"{_tag(user.username)}.{secrets.token_urlsafe(16)}")


def device_nonce(*, token: str, username: str) -> str:
    """This device's nonce when its cookie is genuine, recent and bound to that username; else ""."""
    if not token or not username:
        return ""
    try:
        tag, _dot, nonce = signing.TimestampSigner(salt=_SALT).unsign(token, max_age=_YEAR).partition(".")
    except signing.BadSignature:
        return ""
    return nonce if _tag_matches(tag, username) else ""


def device_cookie_of(request: HttpRequest) -> str:
    return request.COOKIES.get(COOKIE, "")


def remember_this_device(response: HttpResponse, user: User) -> HttpResponse:
    response.set_cookie(COOKIE, device_token_new(user=user), max_age=_YEAR, httponly=True, samesite="Lax",
                        secure=settings.HTTPS)
    return response
