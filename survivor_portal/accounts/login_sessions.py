"""Where she is logged in: the session store, and the list of her sessions she can end.

Sessions stay on the server (the cookie is only a key), in a table of our own that Django's
documented way allows (a model extending AbstractBaseSession, a store extending cached_db).
The table knows whose session each row is, so her sessions are found by an index instead of
decoding every session there is, and it keeps only a coarse name for the device ("Chrome on
Android") and when it was last used: never an address, never the full User-Agent.

Every session ends 12 hours after she logged in, however active she is (ASVS 7.3.2), besides
her idle time; the store caps the row's expiry, the cached copy and the cookie alike.
"""

import hashlib
import hmac
import logging
import re
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from survivor_portal.errors import Conflict, NotFound
from survivor_portal.vault import cipher
from survivor_portal.vault.fields import EncryptedTextField, RowKeyField

LIFETIME_SECONDS = 12 * 3600
SIGNED_IN_AT = "_signed_in_at"  # in the session's data: when she logged in (seconds since the epoch)
DEVICE = "_device"  # in the session's data: the coarse (browser, system) pair
logger = logging.getLogger(__name__)


class LoginSession(AbstractBaseSession):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="login_sessions")
    # What she and the API call this session: a keyed hash of the key, so it can be shown and
    # sent back without being the key (which would let anyone who saw it take the session over).
    handle = models.CharField(max_length=24, db_index=True, default="")
    browser = models.CharField(max_length=20, blank=True)
    system = models.CharField(max_length=20, blank=True)
    last_active = models.DateTimeField(null=True, blank=True)
    # Her session may carry her words for a moment (a message naming a goal she just saved).
    session_data = EncryptedTextField("session data")
    row_key = RowKeyField()

    class Meta(AbstractBaseSession.Meta):
        db_table = "accounts_login_session"

    @classmethod
    def get_session_store_class(cls):
        return SessionStore


def handle_of(session_key: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"session:{session_key}".encode(), hashlib.sha256).hexdigest()
    return digest[:20]


class SealedCopies:
    """The session cache (Redis), holding each session sealed under DATA_KEYS and bound to its
    cache key, as the database row is: her session may carry her words for a moment, and a copy
    of Redis must say no more than a copy of the database. A copy that does not open (written
    before copies were sealed, or under a key no longer listed) counts as missing, so the
    session is read from its row again."""

    LABEL = "accounts.login_session.cache"

    def __init__(self, cache, serializer):
        self._cache, self._serializer = cache, serializer

    def get(self, key, default=None):
        sealed = self._cache.get(key)
        if sealed is None:
            return default
        try:
            return self._serializer.loads(cipher.open_sealed(sealed, label=self.LABEL, row_key=key).encode())
        except (cipher.CannotOpen, ValueError):
            return default

    def _sealed(self, key, value) -> str:
        return cipher.seal(self._serializer.dumps(value).decode(), label=self.LABEL, row_key=key)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT):
        return self._cache.set(key, self._sealed(key, value), timeout)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT):
        return self._cache.add(key, self._sealed(key, value), timeout)

    def __contains__(self, key) -> bool:
        return key in self._cache

    def __getattr__(self, name):  # delete, delete_many, clear: nothing to seal
        return getattr(self._cache, name)


class SessionStore(CachedDBStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = SealedCopies(self._cache, self.serializer())

    @classmethod
    def get_model_class(cls):
        return LoginSession

    def create_model_instance(self, data: dict) -> LoginSession:
        session = super().create_model_instance(data)
        user_id = str(data.get(SESSION_KEY) or "")
        session.user_id = int(user_id) if user_id.isdigit() else None
        session.handle = handle_of(session.session_key)
        session.browser, session.system = data.get(DEVICE) or ("", "")
        session.last_active = timezone.now()
        return session

    def _seconds_left(self, modification) -> int | None:
        # Only data already loaded: reading it here must never load the session (load() asks
        # for the expiry age itself, of a row whose expiry was capped when it was saved).
        started = (getattr(self, "_session_cache", None) or {}).get(SIGNED_IN_AT)
        if not isinstance(started, (int, float)):
            return None
        return max(0, int(started + LIFETIME_SECONDS - (modification or timezone.now()).timestamp()))

    def get_expiry_age(self, **kwargs) -> int:
        age = super().get_expiry_age(**kwargs)
        left = None if "expiry" in kwargs else self._seconds_left(kwargs.get("modification"))
        return age if left is None else min(age, left)

    def get_expiry_date(self, **kwargs):
        date = super().get_expiry_date(**kwargs)
        left = None if "expiry" in kwargs else self._seconds_left(kwargs.get("modification"))
        return date if left is None else min(date, (kwargs.get("modification") or timezone.now()) + timedelta(seconds=left))


def session_details(get_response: Callable[[HttpRequest], HttpResponse]):
    """Once per login: when it happened (for the 12-hour limit) and a coarse name for the device."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        user = getattr(request, "user", None)
        # A page checking for news on its own (X-Background) never writes to the session.
        if (user is not None and user.is_authenticated and request.headers.get("X-Background") != "1"
                and SIGNED_IN_AT not in request.session):
            request.session[SIGNED_IN_AT] = timezone.now().timestamp()
            request.session[DEVICE] = device_of(request.headers.get("User-Agent", ""))
        return response

    return middleware


# ---- A coarse name for a device ---------------------------------------------------------------

# Order matters: Edge and Samsung Internet also say "Chrome", Chrome also says "Safari".
_BROWSERS = [(r"SamsungBrowser/", "samsung"), (r"Edg(A|iOS)?/", "edge"), (r"OPR/|Opera", "opera"),
             (r"Firefox/|FxiOS/", "firefox"), (r"CriOS/|Chrome/|Chromium/", "chrome"), (r"Safari/", "safari")]
_SYSTEMS = [(r"Android", "android"), (r"iPhone|iPod", "iphone"), (r"iPad", "ipad"), (r"CrOS", "chromeos"),
            (r"Windows", "windows"), (r"Macintosh|Mac OS X", "mac"), (r"Linux", "linux")]
BROWSER_NAMES = {"samsung": "Samsung Internet", "edge": "Edge", "opera": "Opera", "firefox": "Firefox",
                 "chrome": "Chrome", "safari": "Safari"}
SYSTEM_NAMES = {"android": "Android", "iphone": "iPhone", "ipad": "iPad", "chromeos": "ChromeOS",
                "windows": "Windows", "mac": "Mac", "linux": "Linux"}


def device_of(user_agent: str) -> tuple[str, str]:
    """("chrome", "android") and the like; empty strings for what we cannot tell."""
    text = (user_agent or "")[:512]
    browser = next((key for pattern, key in _BROWSERS if re.search(pattern, text)), "")
    system = next((key for pattern, key in _SYSTEMS if re.search(pattern, text)), "")
    return browser, system


def device_label(browser: str, system: str) -> str:
    if not browser and not system:
        return _("A device we cannot name")
    return _("%(browser)s on %(system)s") % {
        "browser": BROWSER_NAMES.get(browser) or _("Unknown browser"),
        "system": SYSTEM_NAMES.get(system) or _("an unknown system"),
    }


def last_active_label(when, now=None) -> str:
    """Coarse on purpose: enough to tell an old phone from this one, no timeline of her day."""
    minutes = int(((now or timezone.now()) - when).total_seconds() // 60) if when else 0
    if minutes < 5:
        return _("Active now")
    if minutes < 60:
        return _("Active in the last hour")
    hours = minutes // 60
    return ngettext("Active about %(count)s hour ago", "Active about %(count)s hours ago", hours) % {"count": hours}


# ---- Her sessions: see them, end them -----------------------------------------------------------


def sessions_of(*, viewer, current_key: str | None) -> list[dict]:
    """Where she is logged in now, most recently used first; this device marked."""
    if not viewer.is_authenticated:
        raise NotFound(_("We could not find that."))
    now = timezone.now()
    rows = LoginSession.objects.filter(user=viewer, expire_date__gt=now).only(
        "session_key", "handle", "browser", "system", "last_active").order_by("-last_active")
    return [
        {"id": row.handle, "device": device_label(row.browser, row.system), "browser": row.browser or None,
         "system": row.system or None, "last_active": last_active_label(row.last_active, now),
         "this_device": row.session_key == current_key}
        for row in rows
    ]


def _end(queryset) -> int:
    """Rows first, then their cached copies once that is committed: the other order would let a
    request in between put a copy back that outlives the row."""
    keys = list(queryset.values_list("session_key", flat=True))
    if not keys:
        return 0
    LoginSession.objects.filter(session_key__in=keys).delete()

    def forget() -> None:
        try:
            caches[settings.SESSION_CACHE_ALIAS].delete_many([KEY_PREFIX + key for key in keys])
        except Exception:  # the cache is only a copy; Django tolerates it failing (5.1+), so do we
            logger.exception("Could not remove ended sessions from the cache")

    transaction.on_commit(forget)
    return len(keys)


@transaction.atomic
def session_end(*, actor, session_id: str, current_key: str | None) -> None:
    """She ends one other session: that device is logged out on its next request."""
    if not actor.is_authenticated or not re.fullmatch(r"[0-9a-f]{20}", session_id or ""):
        raise NotFound(_("We could not find that."))
    found = LoginSession.objects.filter(user=actor, handle=session_id, expire_date__gt=timezone.now())
    if current_key and found.filter(session_key=current_key).exists():
        raise Conflict(_("That is the device you are using now. To leave here, log out."))
    if not _end(found):
        raise NotFound(_("We could not find that. It may have ended already."))


@transaction.atomic
def sessions_end_others(*, actor, current_key: str | None) -> int:
    if not actor.is_authenticated:
        raise NotFound(_("We could not find that."))
    return _end(LoginSession.objects.filter(user=actor).exclude(session_key=current_key or ""))


def sessions_end_all(*, user) -> int:
    """Every session of hers, this one too (recovery, deletion)."""
    return _end(LoginSession.objects.filter(user=user))


def sessions_clear_expired(*, now, batch: int = 500) -> int:
    """Django's clearsessions for this store: expired rows go, and their copies in the cache with
    them (a copy would expire by itself, but need not wait). Logged-out ones too, such as a join
    that stopped half-way, which holds the invite code she typed. Returns how many went."""
    cleared = 0
    while keys := list(LoginSession.objects.filter(expire_date__lt=now).values_list("session_key", flat=True)[:batch]):
        with transaction.atomic():
            cleared += _end(LoginSession.objects.filter(session_key__in=keys, expire_date__lt=now))
    return cleared
