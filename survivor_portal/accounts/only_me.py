"""Words only she can open: her own key for what she marks "only me".

Her key is 32 random bytes. The server keeps only locked copies of it (OnlyMeWrap): one locked
with a key derived from her passphrase (argon2id), one with each recovery code she made after
she had it. The key itself is never written to the database, Redis or a log. It travels with
her requests only, in its own cookie (COOKIE): HttpOnly, SameSite=Strict, Secure with HTTPS,
with no Max-Age (gone when the browser closes, like her session), sealed with AES-GCM under a
key derived from DATA_KEYS and bound to her account and to a random token in this session, so
a copied cookie opens nothing in any other session. Logout, Exit, the last wrong PIN and the
end of her session delete it or leave it unopenable (the token goes with the session).

Where it is made: at joining, and at login for anyone who has none yet (login has her
passphrase; so a person who never marks anything "only me" costs one argon2id per login, and
one who does is never asked again). Then a passphrase change re-locks it with the new one; a
new passphrase set with a recovery code keeps it (opened with the code, locked with the new
passphrase); an agency's reset code cannot open it, so that reset drops its locked copies and
what was sealed with it can no longer be opened (she is told so before she marks anything).

What she marks is sealed as text, PREFIX + base64url(key id, nonce, AES-GCM), bound to her
account, the field and the key id; the database's own encryption (DATA_KEYS) is applied to
that text once more.
"""

import base64
import os
import secrets
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from survivor_portal.accounts.models import OnlyMeWrap, RecoveryCode, User
from survivor_portal.safety.cookies import ONLY_ME_COOKIE

PREFIX = "om1."
COOKIE = ONLY_ME_COOKIE
BINDING = "_om"  # in the session's data: the random token her key cookie is bound to
_ID_BYTES, _NONCE = 8, 12
# argon2id cost (time, KiB). The passphrase: OWASP's floor for argon2id (19 MiB, 2 passes),
# paid once at login. A recovery code is random (about 59 bits), so a lighter cost keeps
# joining quick without making a guess any cheaper to try than the code's own size.
PASSPHRASE_COST = (2, 19 * 1024)
CODE_COST = (1, 8 * 1024)


@dataclass(frozen=True)
class HerKey:
    key_id: int
    secret: bytes


def _cost(kind: str) -> tuple[int, int]:
    return getattr(settings, f"ONLY_ME_{kind}_COST", None) or (PASSPHRASE_COST if kind == "PASSPHRASE" else CODE_COST)


def _code_text(code: str) -> str:
    # The same spelling recovery codes are checked in: case, spaces and dashes do not matter.
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _derive(secret: str, salt: bytes, time_cost: int, memory_kib: int) -> bytes:
    return hash_secret_raw(secret.encode(), salt, time_cost=time_cost, memory_cost=memory_kib, parallelism=1,
                           hash_len=32, type=Type.ID)


def _lock(user: User, key: HerKey, secret: str, cost: tuple[int, int], code: RecoveryCode | None = None) -> OnlyMeWrap:
    salt, nonce = os.urandom(16), os.urandom(_NONCE)
    locked = AESGCM(_derive(secret, salt, *cost)).encrypt(nonce, key.secret, _wrap_aad(user.pk, key.key_id))
    return OnlyMeWrap(user=user, key_id=key.key_id, recovery_code=code, salt=salt, time_cost=cost[0],
                      memory_kib=cost[1], sealed=nonce + locked)


def _wrap_aad(user_id: int, key_id: int) -> bytes:
    return f"only-me key:{user_id}:{key_id}".encode()


def _unlock(wrap: OnlyMeWrap, secret: str) -> HerKey | None:
    sealed = bytes(wrap.sealed)
    try:
        key = AESGCM(_derive(secret, bytes(wrap.salt), wrap.time_cost, wrap.memory_kib)).decrypt(
            sealed[:_NONCE], sealed[_NONCE:], _wrap_aad(wrap.user_id, wrap.key_id))
    except InvalidTag:
        return None
    return HerKey(key_id=wrap.key_id, secret=key)


# ---- Her locked copies -------------------------------------------------------------------------------


def current_key_id(user_id: int) -> int | None:
    return OnlyMeWrap.objects.filter(user_id=user_id, recovery_code__isnull=True).values_list("key_id", flat=True).first()


@transaction.atomic
def key_make(*, user: User, passphrase: str) -> HerKey:
    """A new key, locked with her passphrase. Any older one is dropped (what it sealed stays
    sealed for good), and so are its copies locked with recovery codes."""
    OnlyMeWrap.objects.filter(user=user).delete()
    key = HerKey(key_id=secrets.randbits(62) + 1, secret=AESGCM.generate_key(bit_length=256))
    _lock(user, key, passphrase, _cost("PASSPHRASE")).save()
    return key


def key_open(*, user: User, passphrase: str) -> HerKey | None:
    wrap = OnlyMeWrap.objects.filter(user=user, recovery_code__isnull=True).first()
    return _unlock(wrap, passphrase) if wrap is not None else None


def key_open_or_make(*, user: User, passphrase: str) -> HerKey | None:
    """At login (and joining, and the "open" form), once her passphrase is proved: her key, made
    now if she has none. A passphrase that does not open the copy it should (set outside the
    app, say) means the old key is out of reach: a new one is made. Survivors only."""
    if not user.is_survivor:
        return None
    return key_open(user=user, passphrase=passphrase) or key_make(user=user, passphrase=passphrase)


def key_open_with_passphrase(*, actor: User, passphrase: str, address: str = "", device: str = "") -> HerKey:
    """The "open" form: her passphrase, counted like a login, opens her key for this session."""
    from survivor_portal.accounts.services import passphrase_confirm

    passphrase_confirm(actor=actor, passphrase=passphrase, address=address, device=device, field="passphrase",
                       refusal=_("That passphrase is not right. Please try again."))
    return key_open_or_make(user=actor, passphrase=passphrase)


@transaction.atomic
def key_relock(*, user: User, key: HerKey, passphrase: str) -> None:
    """Her new passphrase locks the same key (a passphrase change, or a recovery code)."""
    OnlyMeWrap.objects.filter(user=user, recovery_code__isnull=True).delete()
    _lock(user, key, passphrase, _cost("PASSPHRASE")).save()


def codes_lock(*, user: User, key: HerKey, codes: dict[str, RecoveryCode]) -> None:
    """Each new recovery code gets its own locked copy (code text -> its saved row)."""
    OnlyMeWrap.objects.bulk_create(_lock(user, key, _code_text(code), _cost("CODE"), row) for code, row in codes.items())


def key_from_code(*, user: User, code_row: RecoveryCode, code: str) -> HerKey | None:
    wrap = OnlyMeWrap.objects.filter(user=user, recovery_code=code_row).first()
    return _unlock(wrap, _code_text(code)) if wrap is not None else None


def code_spent(*, code_row: RecoveryCode) -> None:
    OnlyMeWrap.objects.filter(recovery_code=code_row).delete()


def key_drop(*, user: User) -> None:
    """An agency's reset: nothing it holds can open her key, so its copies go."""
    OnlyMeWrap.objects.filter(user=user).delete()


def codes_without_copy(user: User) -> int:
    """Her unused recovery codes that cannot open her key (made before it)."""
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True, only_me_wrap__isnull=True).count()


# ---- Her words, sealed ---------------------------------------------------------------------------------


def _text_aad(user_id: int, field: str, key_id: int) -> bytes:
    return f"only-me text:{user_id}:{field}:{key_id}".encode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes | None:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError):
        return None


def is_sealed(value: str | None) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def seal(key: HerKey, *, user_id: int, field: str, text: str) -> str:
    nonce = os.urandom(_NONCE)
    sealed = AESGCM(key.secret).encrypt(nonce, text.encode(), _text_aad(user_id, field, key.key_id))
    return PREFIX + _b64(key.key_id.to_bytes(_ID_BYTES, "big") + nonce + sealed)


def key_id_of(value: str) -> int | None:
    raw = _unb64(value[len(PREFIX):]) if is_sealed(value) else None
    return int.from_bytes(raw[:_ID_BYTES], "big") if raw and len(raw) > _ID_BYTES + _NONCE else None


def unseal(key: HerKey | None, *, user_id: int, field: str, value: str) -> str | None:
    """Her words, or None when this key cannot open them."""
    raw = _unb64(value[len(PREFIX):]) if is_sealed(value) else None
    if key is None or raw is None or len(raw) <= _ID_BYTES + _NONCE:
        return None
    key_id = int.from_bytes(raw[:_ID_BYTES], "big")
    if key_id != key.key_id:
        return None
    try:
        return AESGCM(key.secret).decrypt(raw[_ID_BYTES:_ID_BYTES + _NONCE], raw[_ID_BYTES + _NONCE:],
                                          _text_aad(user_id, field, key_id)).decode()
    except (InvalidTag, UnicodeDecodeError):
        return None


# ---- The cookie that carries it ----------------------------------------------------------------------


def _cookie_keys() -> list[AESGCM]:
    return [AESGCM(HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"survivor-portal only-me cookie v1")
                   .derive(data_key)) for data_key in settings.DATA_KEYS]


def _cookie_aad(user_id: int, binding: str) -> bytes:
    return f"only-me cookie:{user_id}:{binding}".encode()


def carry(request: HttpRequest, response: HttpResponse, key: HerKey | None) -> HttpResponse:
    """Puts her key in this session's cookie (once she is logged in)."""
    if key is None or not request.user.is_authenticated:
        return response
    binding = request.session.get(BINDING)
    if not binding:
        binding = request.session[BINDING] = secrets.token_urlsafe(16)
    nonce = os.urandom(_NONCE)
    body = key.key_id.to_bytes(_ID_BYTES, "big") + key.secret
    value = _b64(nonce + _cookie_keys()[0].encrypt(nonce, body, _cookie_aad(request.user.pk, binding)))
    response.set_cookie(COOKIE, value, httponly=True, samesite="Strict", secure=settings.HTTPS)
    request._only_me_key = key
    return response


def reopen_with_passphrase(request: HttpRequest, response: HttpResponse, passphrase: str) -> HttpResponse:
    """She proved her passphrase another way (unlocking the lock screen with it): if this session
    has lost her key's cookie, the same passphrase opens the key again, so her goals do not ask
    for it a second time."""
    if request.user.is_authenticated and request.user.is_survivor and key_of(request) is None:
        carry(request, response, key_open_or_make(user=request.user, passphrase=passphrase))
    return response


def key_of(request: HttpRequest) -> HerKey | None:
    """Her key from this request's cookie, if it was sealed for this very session of hers."""
    if hasattr(request, "_only_me_key"):
        return request._only_me_key
    key = None
    raw = _unb64(request.COOKIES.get(COOKIE, "")) if request.COOKIES.get(COOKIE) else None
    binding = request.session.get(BINDING) if request.user.is_authenticated else None
    if raw and binding and len(raw) > _NONCE:
        for box in _cookie_keys():
            try:
                body = box.decrypt(raw[:_NONCE], raw[_NONCE:], _cookie_aad(request.user.pk, binding))
            except InvalidTag:
                continue
            key = HerKey(key_id=int.from_bytes(body[:_ID_BYTES], "big"), secret=body[_ID_BYTES:])
            break
    request._only_me_key = key
    return key


def forget(response: HttpResponse) -> HttpResponse:
    response.delete_cookie(COOKIE, samesite="Strict")
    return response


def cookie_follows_session(get_response):
    """The key cookie is deleted with any answer that ends her login (logout, the last wrong
    PIN, an expired session): whenever she is not logged in, or this session holds no token."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if COOKIE in request.COOKIES and COOKIE not in response.cookies:
            user = getattr(request, "user", None)
            if user is None or not user.is_authenticated or not request.session.get(BINDING):
                forget(response)
        return response

    return middleware
