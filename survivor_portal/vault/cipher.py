"""Sealing and opening one value with AES-256-GCM (pyca `cryptography`).

A sealed value is text: "v1.<key id>.<nonce and ciphertext, URL-safe base64>". The key id names
which of DATA_KEYS sealed it, so any listed key opens it and `rotate_data_keys` can tell what is
not on the newest key. The associated data names the field and the row ("goals.goal.title|<row
key>"): a sealed value copied into another row or another field does not open.

Keys used here are derived from each DATA_KEYS entry (HKDF-SHA256), one for sealing and one for
lookup hashes, so no key is ever used for two purposes.
"""

import base64
import binascii
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

VERSION = "v1"
NONCE_BYTES = 12


class CannotOpen(Exception):
    """A sealed value that none of DATA_KEYS opens for this row and field (or not sealed at all)."""


@dataclass(frozen=True)
class Key:
    id: str
    aead: AESGCM
    lookup: bytes


def _derive(key: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"survivor-portal " + purpose).derive(key)


@lru_cache(maxsize=8)
def _keyring(raw_keys: tuple[bytes, ...]) -> tuple[tuple[Key, ...], dict[str, Key]]:
    ring = []
    for raw in raw_keys:
        key_id = hashlib.sha256(b"survivor-portal key id " + raw).hexdigest()[:8]
        ring.append(Key(key_id, AESGCM(_derive(raw, b"field encryption")), _derive(raw, b"lookup hash")))
    return tuple(ring), {key.id: key for key in ring}


_last: list = [None, None]  # the DATA_KEYS list last seen, and its keys: a page opens dozens of values


def _ring() -> tuple[tuple[Key, ...], dict[str, Key]]:
    raw = settings.DATA_KEYS
    if _last[0] is not raw:  # a new list (a test or a restart changed the keys)
        _last[:] = [raw, _keyring(tuple(raw))]
    return _last[1]


def keyring() -> tuple[Key, ...]:
    """DATA_KEYS as keys, newest first."""
    return _ring()[0]


def newest_key_id() -> str:
    return keyring()[0].id


def associated_data(label: str, row_key: str) -> bytes:
    return f"{label}|{row_key}".encode()


def is_sealed(value: str) -> bool:
    return isinstance(value, str) and value.startswith(VERSION + ".") and value.count(".") == 2


def key_id_of(sealed: str) -> str | None:
    return sealed.split(".", 2)[1] if is_sealed(sealed) else None


def seal(plain: str, *, label: str, row_key: str) -> str:
    """`plain` sealed with the newest key, bound to `label` (app.model.field) and the row's key."""
    key = keyring()[0]
    nonce = os.urandom(NONCE_BYTES)
    body = key.aead.encrypt(nonce, plain.encode(), associated_data(label, row_key))
    return f"{VERSION}.{key.id}.{base64.urlsafe_b64encode(nonce + body).decode('ascii').rstrip('=')}"


def open_sealed(sealed: str, *, label: str, row_key: str) -> str:
    """The plain text, or CannotOpen when no listed key opens it for this row and field."""
    if not is_sealed(sealed):
        raise CannotOpen("not a sealed value")
    key_id, text = sealed.split(".", 2)[1:]
    key = _ring()[1].get(key_id)
    if key is None:
        raise CannotOpen("sealed with a key that DATA_KEYS no longer lists")
    try:
        blob = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        plain = key.aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], associated_data(label, row_key))
        return plain.decode()
    except (InvalidTag, ValueError, binascii.Error, UnicodeDecodeError):
        raise CannotOpen("the value does not open for this row and field") from None


def lookup_hash(value: str, *, purpose: str) -> str:
    """A keyed hash for an exact lookup of an encrypted value (newest key): equal values, equal hashes."""
    return hmac.new(keyring()[0].lookup, f"{purpose}|{value}".encode(), hashlib.sha256).hexdigest()
