"""Settings for Survivor Portal. Every deploy-time value comes from the environment (see README)."""

import re
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from survivor_portal import data_keys
from survivor_portal.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"
# Rotation: the new key in SECRET_KEY, the old ones here (newest first) until sessions and device
# cookies signed with them may be refused.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])
# Keys of their own for recovery, reset and invite codes (accounts.code_keys), newest first;
# unset, the codes use SECRET_KEY and its fallbacks.
CODE_KEYS = env_list("CODE_KEYS", [])
if any(len(key) < 32 for key in CODE_KEYS):
    raise ImproperlyConfigured("Each of CODE_KEYS must be at least 32 characters (random, like SECRET_KEY).")

# Her words are encrypted in the database with DATA_KEYS, kept outside it (survivor_portal/data_keys.py).
# `make run` writes a development key file; everywhere else DATA_KEYS (or DATA_KEYS_FILE) is required.
DATA_KEYS_FILE = env_str("DATA_KEYS_FILE") or (str(BASE_DIR / ".data_keys") if DEBUG else None)
DATA_KEYS = data_keys.load(value=env_str("DATA_KEYS"), file=Path(DATA_KEYS_FILE) if DATA_KEYS_FILE else None)
if not DATA_KEYS and sys.argv[1:2] != ["make_data_key"]:
    raise ImproperlyConfigured(
        "Set DATA_KEYS: the keys that encrypt what people write, kept apart from the database and its "
        "backups. Make one with `python manage.py make_data_key` (README, \"Operations\")."
        + (" For development, `make run` writes one to .data_keys." if DEBUG else "")
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# HTTPS defaults to on outside development; tests and `make run` turn it off.
HTTPS = env_bool("HTTPS", not DEBUG)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "survivor_portal.safety.apps.PublicStaticFilesConfig",  # django.contrib.staticfiles, collecting less
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "template_partials",
    "csp",
    "ninja",
    # The service worker's view and the manifest's template (safety/views.py: filled per request
    # with the phone's disguise; its own manifest view and meta tag are one for the whole site).
    "pwa",
    "survivor_portal.accounts",
    "survivor_portal.safety",
    "survivor_portal.goals",
    "survivor_portal.consent",
    "survivor_portal.plans",
    "survivor_portal.conversations",
    "survivor_portal.scheduling",
    "survivor_portal.outreach",
    "survivor_portal.idempotency",
    "peer_support.council",
    "peer_support.groups",
    "survivor_portal.vault",
    # Last: its own job (emptying SQLite's log) runs after every app's (survivor_portal/housekeeping).
    "survivor_portal.housekeeping",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "survivor_portal.safety.middleware.privacy_headers",
    # Exit is answered here, before the session, the database or Redis is needed.
    "survivor_portal.safety.session_end.exit_first",
    "django.middleware.gzip.GZipMiddleware",
    "survivor_portal.safety.middleware.session_cookie_ends_with_browser",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # A group page's poll with nothing new is answered here, from her session and Redis alone.
    "peer_support.groups.polling.quick_poll",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "survivor_portal.safety.csrf.restore_withheld_origin",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "survivor_portal.accounts.middleware.TwoStepFromSession",  # django-otp's, reading the session only
    "survivor_portal.accounts.login_sessions.session_details",
    "survivor_portal.accounts.middleware.account_session",
    # Her "only me" key cookie goes whenever her login does (logout, the last wrong PIN, expiry).
    "survivor_portal.accounts.only_me.cookie_follows_session",
    "survivor_portal.times.reader_zone",
    "survivor_portal.accounts.middleware.two_factor_gate",
    "survivor_portal.safety.middleware.fresh_load_lock",
    "survivor_portal.safety.middleware.lock_gate",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "survivor_portal.urls"
WSGI_APPLICATION = "survivor_portal.wsgi.application"
ASGI_APPLICATION = "survivor_portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "survivor_portal.safety.context.safety",
                "survivor_portal.consent.context.notices",
                "survivor_portal.plans.context.plan_review",
                "survivor_portal.accounts.context.notices",
                "survivor_portal.outreach.context.alerts",
                "survivor_portal.conversations.context.unread",
            ],
            # On every template: |when, |day, |clock and {% zone_note %} (one way to show a time); |unstopped.
            "builtins": ["survivor_portal.times", "survivor_portal.words"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Connections are kept and reused (a new PostgreSQL connection per request cost more
        # than most pages); closed after a minute unused.
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        # A connection kept across requests is checked first, so one dropped while the
        # database restarted is replaced instead of failing her next request.
        conn_health_checks=True,
    )
}
# A stopped, paused or overloaded database must free the worker in about two seconds rather
# than hold it, and with it Exit, for the whole request (README, "Operations").
DB_CONNECT_TIMEOUT = env_int("DB_CONNECT_TIMEOUT", 2)  # seconds; libpq's smallest
DB_STATEMENT_TIMEOUT_MS = env_int("DB_STATEMENT_TIMEOUT_MS", 2000)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, checking a kept connection without a round trip (survivor_portal/postgresql).
    DATABASES["default"]["ENGINE"] = "survivor_portal.postgresql"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"connect_timeout": DB_CONNECT_TIMEOUT, "options": f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS}"}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for the lock instead of failing with "database is locked" when two
    # requests overlap; WAL lets readers carry on meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # secure_delete: a deleted row's bytes are overwritten with zeros, not left in a free page
        # (the housekeeping job sqlite_wal_truncate then empties the log of older copies).
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
# Redis answers in well under a millisecond; half a second without an answer means it is down
# or paused, and the caller gives up rather than holding the worker (README, "Operations").
REDIS_TIMEOUT = env_int("REDIS_TIMEOUT_MS", 500) / 1000
REDIS_OPTIONS = {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT}
# Login counters (accounts.throttle) must be the same for every app process: Redis when there is
# one, otherwise a table in the database (made by the accounts migrations), never one process's memory.
THROTTLE_CACHE_TABLE = "throttle_cache"
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "survivor_portal.caches.RedisCache", "LOCATION": REDIS_URL,
                    "OPTIONS": REDIS_OPTIONS},
        # While Redis cannot answer, the counts go on in the same database table as without
        # Redis, so the limits hold and nobody is locked out (survivor_portal.caches).
        "throttle": {"BACKEND": "survivor_portal.caches.RedisOrTableCache", "LOCATION": REDIS_URL,
                     "KEY_PREFIX": "throttle", "TIMEOUT": None,
                     "OPTIONS": {**REDIS_OPTIONS, "FALLBACK": {"TABLE": THROTTLE_CACHE_TABLE,
                                                               "OPTIONS": {"MAX_ENTRIES": 100_000}}}},
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "throttle": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": THROTTLE_CACHE_TABLE,
                     "TIMEOUT": None, "OPTIONS": {"MAX_ENTRIES": 100_000}},
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["survivor_portal.accounts.backends.AccountBackend"]
# Every logged-out screen answers at the start address, and no address carries ?next=
# (survivor_portal.web.login_required), so the browser's history holds only "/".
LOGIN_URL = "home"
LOGIN_REDIRECT_URL = "home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "display_name")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # zxcvbn's guess count: "Summer2026!" is refused, "correct horse battery staple" is welcome.
    {"NAME": "survivor_portal.accounts.passphrases.GuessableValidator", "OPTIONS": {"min_score": 3}},
]

# Sessions live on the server; the cookie is only a key. Expiry follows her idle choice
# (set on every request by accounts.middleware.account_session) and ends 12 hours after login
# whatever she does. The cookie itself never has a Max-Age
# (safety.middleware.session_cookie_ends_with_browser), so quitting the browser forgets it; the
# CSRF cookie, too, ends with the browser. The table knows whose each session is (accounts.login_sessions), so she
# can see and end hers. With Redis a copy sits in front of the table; without it there is no
# copy at all, because a copy per process would keep a session she ended alive in the others.
SESSION_ENGINE = "survivor_portal.accounts.login_sessions"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_CACHE_ALIAS = "sessions"
CACHES["sessions"] = (
    # A copy only: while Redis cannot answer the table serves alone, and no copy made stale
    # meanwhile is trusted again (survivor_portal.caches).
    {"BACKEND": "survivor_portal.caches.RedisCopyCache", "LOCATION": REDIS_URL, "OPTIONS": REDIS_OPTIONS}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
)
# A logged-out session (the join screen holds the invite code she typed) ends after 12 hours too;
# housekeeping clears every expired session within a minute.
SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
SESSION_COOKIE_NAME = "sid"
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_AGE = None
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
# Flash messages would otherwise sit in a readable cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

OTP_TOTP_ISSUER = "Notes"
# The neutral public page Exit sends her to. It must show nothing personal.
EXIT_URL = env_str("EXIT_URL") or "https://www.bbc.com/weather"
# How phone numbers are written where an agency's time zone names no country (UTC): the two
# letters of a country (ISO 3166), for the "This may identify you" check (peer_support/groups/checks.py).
PHONE_REGION = (env_str("PHONE_REGION") or "US").strip().upper()
if not re.fullmatch(r"[A-Z]{2}", PHONE_REGION):
    raise ImproperlyConfigured(f"PHONE_REGION must be a country's two letters, like US or MX; got {PHONE_REGION!r}.")
# Where Exit notes sessions it ended until the database has deleted them (safety/session_end.py);
# by default a file in the system's temporary folder. Share it when app processes run on several machines.
EXIT_REGISTER = env_str("EXIT_REGISTER") or None
# Where session copies Redis could not be told to drop are noted (survivor_portal.caches); same rule.
STALE_COPIES_REGISTER = env_str("STALE_COPIES_REGISTER") or None

# The housekeeping worker's queue without Redis (survivor_portal/housekeeping/worker.py): a SQLite
# file of huey's own, by default in the system's temporary folder. It holds job names only.
HOUSEKEEPING_QUEUE = env_str("HOUSEKEEPING_QUEUE") or None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL") or "WARNING"},
    # What each job did, as counts: "housekeeping: deleted_goals_purge: 2" (never what was removed).
    "loggers": {"survivor_portal.housekeeping": {"level": env_str("HOUSEKEEPING_LOG_LEVEL") or "INFO"}},
}
CSRF_FAILURE_VIEW = "survivor_portal.safety.error_pages.csrf_failure"
PWA_SERVICE_WORKER_PATH = BASE_DIR / "static" / "js" / "sw.js"
