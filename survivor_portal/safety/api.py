from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status

from survivor_portal.accounts import only_me
from survivor_portal.errors import NotAllowed
from survivor_portal.safety.middleware import LOCKED

from survivor_portal.safety import services
from survivor_portal.safety.models import SafetySettings
from survivor_portal.safety.schemas import PinIn, SafetyIn, SafetyOut, UnlockIn
from survivor_portal.versions import etag, expected_from_if_match, if_match_header

router = Router(tags=["safety"])


def _out(user, safety: SafetySettings) -> dict:
    return {
        "disguise": safety.disguise,
        "exit_choice": safety.exit_choice,
        "exit_url": services.exit_url_for(user),
        "lock_when_hidden": safety.lock_when_hidden,
        "has_pin": bool(safety.unlock_pin_hash),
        "version": safety.version,
    }


@router.get("", response=SafetyOut)
def safety_get(request: HttpRequest, response: HttpResponse):
    safety = services.safety_settings_of(request.user)
    response["ETag"] = etag(safety)
    return _out(request.user, safety)


@router.put("", response=SafetyOut)
def safety_put(request: HttpRequest, payload: SafetyIn, response: HttpResponse,
               if_match: str | None = if_match_header()):
    """With `If-Match` (the ETag from GET), a change based on older settings is refused (412)."""
    safety = services.safety_update(actor=request.user, version=expected_from_if_match(if_match), **payload.dict())
    response["ETag"] = etag(safety)
    return _out(request.user, safety)


@router.post("/lock", response={204: None})
def lock(request: HttpRequest):
    """Lock this session now; until unlocked, every other page and endpoint is refused."""
    request.session[LOCKED] = True
    return Status(204, None)


@router.post("/unlock", response={204: None})
def unlock(request: HttpRequest, payload: UnlockIn, response: HttpResponse):
    if not request.session.get(LOCKED):
        return Status(204, None)  # nothing to open; wrong guesses only count against a real lock
    result = services.locked_session_unlock(user=request.user, secret=payload.secret)
    if result.unlocked:
        request.session.pop(LOCKED, None)
        if result.by_passphrase:
            only_me.reopen_with_passphrase(request, response, payload.secret)
        return Status(204, None)
    if result.end_session:
        logout(request)
    raise NotAllowed(_("That did not work."), code="unlock_failed")


@router.put("/pin", response=SafetyOut)
def pin_put(request: HttpRequest, payload: PinIn):
    """Sets her unlock PIN. The cover key for a device is only given out through the web pages."""
    safety, _device_key = services.pin_set(actor=request.user, pin=payload.pin, pin_again=payload.pin_again)
    return _out(request.user, safety)
