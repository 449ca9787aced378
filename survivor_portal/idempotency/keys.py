"""Safe retries, in one place for the API and the pages.

- API: `@idempotent` under `@router.post(...)`. A request with an `Idempotency-Key` header
  runs once per person and key; a repeat gets the first answer (status and body) back, with
  `Idempotent-Replayed: true`; the same key with a different request is 422, as the IETF
  draft "The Idempotency-Key HTTP Header Field" says. Only successful answers are kept: a
  refused request changed nothing, so trying it again is safe and runs again.
- Pages: forms that create carry `once_field()`, a one-time token; the view wraps the
  service call in `with form_once(user, token):`, which raises AlreadyDone on a double tap
  or a resubmitted form, and the view answers as if it had just succeeded.

Why it holds under two identical requests at once: the key row is inserted in the same
transaction as the create, under a unique constraint. On PostgreSQL the second INSERT waits
for the first transaction; if that commits, the second sees the key and replays (or stops),
and if it rolls back, the second goes ahead. Either way one create, never two. A dropped
connection after commit leaves the key, so her retry gets the first answer rather than a
second goal; a crash before commit leaves neither."""

import base64
import hashlib
import json
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import wraps

from django import forms
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from survivor_portal.idempotency.models import IdempotencyKey
from survivor_portal.vault.cipher import lookup_hash

KEEP = timedelta(hours=24)
HEADER = "Idempotency-Key"


class AlreadyDone(Exception):
    """This form was already sent and what it creates exists: answer as after success."""


def _claim(user, key: str, fingerprint: str) -> tuple[IdempotencyKey, bool]:
    """The key's row and whether this request is the first with it. Call inside a transaction."""
    IdempotencyKey.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
    try:
        with transaction.atomic():  # a savepoint: a duplicate must not spoil the caller's transaction
            return IdempotencyKey.objects.create(user=user, key=key, fingerprint=fingerprint), True
    except IntegrityError:
        return IdempotencyKey.objects.get(user=user, key=key), False


def keys_forget_expired(*, now) -> int:
    """Kept a day, then gone even if nobody writes again (housekeeping runs this each minute):
    a key's stored answer can hold what she wrote."""
    return IdempotencyKey.objects.filter(created_at__lt=now - KEEP).delete()[0]


# ---- Pages -------------------------------------------------------------------------------------


def new_token() -> str:
    return secrets.token_urlsafe(18)


def once_field() -> forms.CharField:
    """The hidden one-time token of a form that creates something; a fresh one each render."""
    return forms.CharField(widget=forms.HiddenInput, required=False, max_length=64, initial=new_token)


@contextmanager
def form_once(user, token: str | None) -> Iterator[None]:
    """Runs the block (the service's create) once per token. A refusal inside rolls the token
    back with everything else, so she can correct the form and send it again. A form without a
    token (a page older than tokens) is simply not protected."""
    if not token:
        yield
        return
    with transaction.atomic():
        _row, first = _claim(user, f"form:{token}", "")
        if not first:
            raise AlreadyDone
        yield


# ---- API ---------------------------------------------------------------------------------------

_PARAMETER = {
    "in": "header", "name": HEADER, "required": False, "schema": {"type": "string", "maxLength": 255},
    "description": (
        "Any unique string you choose (a UUID, say). Send the same key again to retry safely: the thing "
        "is created once and a repeat gets the first answer back (with `Idempotent-Replayed: true`). "
        "Keys are yours alone and kept for 24 hours. The same key with a different request is refused "
        "with 422. Only successful answers are kept: a refused request may be sent again."
    ),
}


def idempotent(view_func: Callable) -> Callable:
    """Put under `@router.post(...)`: that create honours `Idempotency-Key` and documents it."""
    from ninja.decorators import decorate_view
    from ninja.utils import contribute_operation_callback

    def document(operation) -> None:
        extra = dict(operation.openapi_extra or {})
        extra["parameters"] = [*extra.get("parameters", []), _PARAMETER]
        operation.openapi_extra = extra

    contribute_operation_callback(view_func, document)
    return decorate_view(_once)(view_func)


def _problem(status: int, detail: str, code: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code, "field": HEADER}, status=status)


def _fingerprint(request: HttpRequest) -> str:
    try:  # the same JSON sent again may differ in spacing or key order
        body = json.dumps(json.loads(request.body or b"null"), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        body = request.body
    # Keyed (DATA_KEYS), so the stored fingerprint cannot confirm a guess of what she wrote.
    return lookup_hash(f"{request.method} {request.path}\n{hashlib.sha256(body).hexdigest()}", purpose="retry")


def _once(run: Callable) -> Callable:
    @wraps(run)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        sent = request.headers.get(HEADER)
        user = getattr(request, "user", None)
        if sent is None or user is None or not user.is_authenticated:
            return run(request, *args, **kwargs)  # nothing to keep, or refused as usual
        key = sent.strip().removeprefix('"').removesuffix('"')
        if not key or len(key) > 255 or not key.isascii() or not key.isprintable():
            return _problem(400, _("The Idempotency-Key header needs 1 to 255 plain characters."), "invalid_key")
        fingerprint = _fingerprint(request)
        with transaction.atomic():
            row, first = _claim(user, f"api:{key}", fingerprint)
            if not first:
                return _replay(row, fingerprint, request)
            response = run(request, *args, **kwargs)
            if 200 <= response.status_code < 300 and not response.streaming:
                row.status, row.content_type = response.status_code, response.get("Content-Type", "")
                row.body = _kept(request, base64.b64encode(response.content).decode("ascii"))
                row.save(update_fields=["status", "content_type", "body"])
            else:
                transaction.set_rollback(True)  # refused: nothing was made, the key stays free
            return response

    return wrapper


# An answer that repeats words she marked "only me" (the view sets request.only_me_answer) is
# kept sealed with her own key (accounts.only_me), like the words themselves: the database's
# keys alone must not open it. A repeat from a session without her key is asked to open it first.
_ONLY_ME_FIELD = "idempotency.answer"


def _kept(request: HttpRequest, body: str) -> str:
    if not getattr(request, "only_me_answer", False):
        return body
    from survivor_portal.accounts import only_me

    return only_me.seal(only_me.key_of(request), user_id=request.user.pk, field=_ONLY_ME_FIELD, text=body)


def _replay(row: IdempotencyKey, fingerprint: str, request: HttpRequest | None = None) -> HttpResponse:
    if row.fingerprint != fingerprint:
        return _problem(422, _("This Idempotency-Key was already used for a different request."), "key_reused")
    body = row.body
    from survivor_portal.accounts import only_me

    if only_me.is_sealed(body):
        body = only_me.unseal(only_me.key_of(request), user_id=request.user.pk, field=_ONLY_ME_FIELD, value=body)
        if body is None:
            return JsonResponse({"detail": _("Type your passphrase to open your “only me” goals."),
                                 "code": "only_me_closed", "field": None}, status=403)
    response = HttpResponse(base64.b64decode(body), status=row.status, content_type=row.content_type or None)
    response["Idempotent-Replayed"] = "true"
    return response
