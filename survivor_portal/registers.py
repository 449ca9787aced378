"""Small registers of keys that every worker on this machine must see at once, without the
database or Redis (which may be the very thing that is down): a file per register, re-read
only when it changes, so checking one costs a stat() per request. Entries are forgotten after
`keep_seconds`. Used for sessions Exit ended (safety.session_end) and for cached session copies
Redis could not be told to drop (survivor_portal.caches)."""

import fcntl
import hashlib
import os
import time
from pathlib import Path
from tempfile import gettempdir

from django.conf import settings


class KeyRegister:
    def __init__(self, name: str, *, setting: str, keep_seconds: int) -> None:
        self.name, self.setting, self.keep_seconds = name, setting, keep_seconds
        self._seen: tuple[Path, int] | None = None
        self._path: tuple[tuple, Path] | None = None
        self._keys: dict[str, float] = {}

    def path(self) -> Path:
        # Worked out once per configuration: it is asked for on every request.
        database = settings.DATABASES["default"]
        # Not named by SECRET_KEY: rotating it must not orphan what waits here (an Exit's end).
        place = f"{settings.BASE_DIR}:{database.get('HOST') or ''}:{database.get('PORT') or ''}:{database.get('NAME') or ''}"
        configuration = (getattr(settings, self.setting, None), place)
        if self._path is None or self._path[0] != configuration:
            self._path = (configuration, self._path_for(*configuration))
        return self._path[1]

    def _path_for(self, configured: str | None, place: str) -> Path:
        if configured:
            return Path(configured)
        # One register per installation: the same machine may run tests and the app side by side.
        digest = hashlib.sha256(place.encode()).hexdigest()[:16]
        return Path(gettempdir()) / f"{self.name}-{digest}"

    def _lock(self, path: Path):
        handle = open(path.with_name(path.name + ".lock"), "a")
        fcntl.flock(handle, fcntl.LOCK_EX)
        return handle

    def _read(self, path: Path) -> dict[str, float]:
        try:
            text = path.read_text()
        except FileNotFoundError:
            return {}
        keys, now = {}, time.time()
        for line in text.splitlines():
            key, _, until = line.partition(" ")
            try:
                if float(until) > now:
                    keys[key] = float(until)
            except ValueError:
                continue
        return keys

    def keys(self) -> dict[str, float]:
        path = self.path()
        try:
            stamp = os.stat(path).st_mtime_ns
        except FileNotFoundError:
            self._seen, self._keys = None, {}
            return self._keys
        if self._seen != (path, stamp):
            self._keys, self._seen = self._read(path), (path, stamp)
        return self._keys

    def __contains__(self, key: str) -> bool:
        return bool(key) and key in self.keys()

    def add(self, *keys: str) -> None:
        path = self.path()
        until = time.time() + self.keep_seconds
        with self._lock(path):
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with os.fdopen(fd, "a") as out:
                out.writelines(f"{key} {until:.0f}\n" for key in keys)

    def remove(self, done: set[str]) -> None:
        path = self.path()
        with self._lock(path):
            left = {key: until for key, until in self._read(path).items() if key not in done}
            if not left:
                path.unlink(missing_ok=True)
                return
            fresh = path.with_name(path.name + ".new")
            fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as out:
                out.writelines(f"{key} {until:.0f}\n" for key, until in left.items())
            os.replace(fresh, path)
