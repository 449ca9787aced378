"""The keys that keep typed codes (recovery codes, agency reset codes, invite codes) in the
database as keyed hashes, so a copy of the database alone cannot test guesses.

They are keys of their own (`CODE_KEYS`, newest first), not `SECRET_KEY`: a recovery code may
wait unused for years and is never stored, so it can never be hashed again under a new key. Were
codes keyed on `SECRET_KEY`, its old value could never leave `SECRET_KEY_FALLBACKS` without voiding
every code made before; yet a leaked `SECRET_KEY` (it forges sessions and signed cookies) must
leave at once. With keys of their own, `SECRET_KEY` rotates freely and codes carry on.

Without `CODE_KEYS` the codes use `SECRET_KEY` and then each of `SECRET_KEY_FALLBACKS`, as they
always did: rotating with the old key in the fallbacks keeps them working; dropping it voids the
codes made under it (each is then refused like a mistyped code). README, Operations, says how to
move to `CODE_KEYS` without losing a code.

A code is looked for under every key; a row found under an older key is hashed again under the
newest while the code is in hand (a reset code is typed twice: to start its wait and to finish).
"""

import hashlib
import hmac

from django.conf import settings


def code_keys() -> list[str]:
    return list(settings.CODE_KEYS) or [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]


def _digest(key: str, text: str) -> str:
    return hmac.new(key.encode(), text.encode(), hashlib.sha256).hexdigest()


def code_hash(text: str) -> str:
    """The hash to store for a (normalised) code: under the newest key."""
    return _digest(code_keys()[0], text)


def code_hashes(text: str) -> list[str]:
    """The hashes a stored code may carry, newest key first."""
    return [_digest(key, text) for key in code_keys()]


def rehash_if_older(row, text: str) -> None:
    """A row found under an older key is stored again under the newest one."""
    newest = code_hash(text)
    if row.code_hash != newest:
        row.code_hash = newest
        row.save(update_fields=["code_hash"])
