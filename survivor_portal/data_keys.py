"""The keys that encrypt her words in the database (DATA_KEYS). They live outside the database.

DATA_KEYS holds one or more 32-byte keys in URL-safe base64, comma-separated, newest first: the
newest encrypts, every one listed decrypts, so a new key can be put first and the old ones
removed once `manage.py rotate_data_keys` has moved every row onto it (README, "Operations").
Outside development the app refuses to start without them, as it does without SECRET_KEY.
"""

import base64
import binascii
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

KEY_BYTES = 32


def new_key() -> str:
    """A fresh key, as DATA_KEYS spells it."""
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode("ascii")


def parse(raw: str, *, source: str = "DATA_KEYS") -> list[bytes]:
    """Every key in `raw` (newest first), or a clear message naming what is wrong."""
    keys = []
    for position, text in enumerate((part.strip() for part in raw.split(",")), start=1):
        if not text:
            continue
        try:
            key = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
        except (binascii.Error, ValueError):
            raise ImproperlyConfigured(
                f"{source}: key {position} is not URL-safe base64. Make one with `python manage.py make_data_key`."
            ) from None
        if len(key) != KEY_BYTES:
            raise ImproperlyConfigured(
                f"{source}: key {position} is {len(key)} bytes; each key must be {KEY_BYTES}. "
                "Make one with `python manage.py make_data_key`."
            )
        keys.append(key)
    if len(set(keys)) != len(keys):
        raise ImproperlyConfigured(f"{source}: the same key is listed twice.")
    return keys


def load(*, value: str | None, file: Path | None) -> list[bytes]:
    """DATA_KEYS from the environment, else from the key file (`make run` writes one for development)."""
    if value and value.strip():
        return parse(value)
    if file is not None and file.exists():
        return parse(file.read_text(), source=str(file))
    return []


def write_development_file(file: Path) -> bool:
    """Create the development key file if there is none; True when one was written."""
    if file.exists():
        return False
    file.write_text(new_key() + "\n")
    file.chmod(0o600)
    return True


if __name__ == "__main__":  # python -m survivor_portal.data_keys FILE: the development key file
    import sys

    write_development_file(Path(sys.argv[1]))
