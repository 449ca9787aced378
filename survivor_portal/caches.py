"""Redis caches that fail soft and safe.

Redis holds two things here: the login counters (accounts.throttle) and copies of sessions in
front of their table (accounts.login_sessions). Neither may stop her logging in, unlocking or
using a page when Redis is stopped, paused or restarting, and neither may let the outage weaken
a rule:

- `RedisOrTableCache` (login counters): while Redis cannot answer, counting goes on in the
  database's cache table, which every app process shares, so the limits keep holding: nobody
  guesses without limit and nobody is locked out because of Redis. The counts in Redis are
  not lost; they are used again once Redis is back. (At most one fresh allowance per outage,
  and nobody can cause an outage by guessing.)
- `RedisCopyCache` (session copies): while Redis cannot answer, there is no copy: every read is
  a miss (the session comes from its table), and every copy that should have been replaced or
  dropped is noted on this machine (survivor_portal.registers) and dropped from Redis before
  any worker here trusts it again. So a lock, a logout or an Exit made during the outage is
  never undone by an old copy when Redis comes back.

After a failure Redis is left alone for a few seconds (per process), so a paused Redis costs
one 0.5 s timeout per process in that time rather than one per call; one log line per outage.
"""

import logging
import time

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

from survivor_portal.registers import KeyRegister

REDIS_DOWN = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
REST_SECONDS = 5
logger = logging.getLogger("survivor_portal.outage")
_resting_until: dict[str, float] = {}  # per process, shared by its threads' cache objects


class _OneClientPerPool(RedisCacheClient):
    """Django's Redis client builds a new redis.Redis object on every call, which copies its
    table of ~160 reply handlers each time (a sixth of the cost of the app's cheapest request).
    The object only wraps the connection pool, so one per pool serves every call."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """Django's Redis cache, reusing one client per connection pool (see _OneClientPerPool)."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = _OneClientPerPool


class _Redis(BaseCache):
    """A Redis cache and what answers while it cannot. Subclasses say what that is."""

    def __init__(self, server: str, params: dict) -> None:
        super().__init__(params)
        options = dict(params.get("OPTIONS") or {})
        self._fallback_options = options.pop("FALLBACK", {})
        self._server = server
        self._redis = RedisCache(server, {**params, "OPTIONS": options})

    def _redis_call(self, name: str, *args, **kwargs):
        """The answer from Redis; raises _Resting while it is down or left alone."""
        if time.monotonic() < _resting_until.get(self._server, 0.0):
            raise _Resting
        try:
            answer = getattr(self._redis, name)(*args, **kwargs)
        except REDIS_DOWN as error:
            if self._server not in _resting_until:
                logger.warning("Redis unavailable (%s: %s); %s", type(error).__name__, error, self.while_down)
            _resting_until[self._server] = time.monotonic() + REST_SECONDS
            raise _Resting from None
        if _resting_until.pop(self._server, None) is not None:
            logger.warning("Redis answers again")
        return answer

    while_down = ""


class _Resting(Exception):
    pass


class RedisOrTableCache(_Redis):
    """Redis, and the database cache table (OPTIONS["FALLBACK"]: {"TABLE", "OPTIONS"}) while it cannot answer."""

    while_down = "login counters are kept in the database meanwhile"

    def __init__(self, server: str, params: dict) -> None:
        super().__init__(server, params)
        table_params = {**params, "OPTIONS": self._fallback_options.get("OPTIONS", {})}
        self._table = DatabaseCache(self._fallback_options["TABLE"], table_params)

    def _call(self, name: str, *args, **kwargs):
        try:
            return self._redis_call(name, *args, **kwargs)
        except _Resting:
            return getattr(self._table, name)(*args, **kwargs)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def clear(self):
        return self._call("clear")


# Sessions live at most 12 hours; a note outlives any copy it is about.
_stale_copies = KeyRegister("stale-copies", setting="STALE_COPIES_REGISTER", keep_seconds=13 * 60 * 60)


class RedisCopyCache(_Redis):
    """Redis for copies of what lives elsewhere: a miss while Redis cannot answer, and no old
    copy ever trusted again after it (see the module's note)."""

    while_down = "session copies are skipped meanwhile"

    def _drop_stale(self, keys) -> set:
        """Of these keys, those whose copy in Redis must not be used (yet)."""
        noted = [key for key in keys if key in _stale_copies]
        if not noted:
            return set()
        try:
            self._redis_call("delete_many", noted)
        except _Resting:
            return set(noted)
        _stale_copies.remove(set(noted))
        return set()

    def _note(self, *keys) -> None:
        try:
            _stale_copies.add(*keys)
        except OSError as error:
            logger.error("Could not note a session copy to drop: %s", error)

    def get(self, key, default=None, version=None):
        if self._drop_stale([key]):
            return default
        try:
            return self._redis_call("get", key, default, version)
        except _Resting:
            return default

    def get_many(self, keys, version=None):
        keys = [key for key in keys if key not in self._drop_stale(keys)]
        try:
            return self._redis_call("get_many", keys, version)
        except _Resting:
            return {}

    def has_key(self, key, version=None):
        return self.get(key, version=version) is not None

    def _write(self, name: str, keys: list, *args):
        self._drop_stale(keys)
        try:
            return self._redis_call(name, *args)
        except _Resting:
            self._note(*keys)
            return False

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._write("set", [key], key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._write("add", [key], key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._write("touch", [key], key, timeout, version)

    def delete(self, key, version=None):
        return self._write("delete", [key], key, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        self._write("set_many", list(data), data, timeout, version)
        return []

    def delete_many(self, keys, version=None):
        self._write("delete_many", list(keys), keys, version)

    def incr(self, key, delta=1, version=None):
        raise NotImplementedError("copies are replaced, not counted")

    def clear(self):
        try:
            self._redis_call("clear")
        except _Resting:
            pass
