from django.http import HttpRequest
from ninja import Router

from survivor_portal.safety import services
from survivor_portal.safety.models import SafetySettings
from survivor_portal.safety.schemas import PinIn, SafetyIn, SafetyOut

router = Router(tags=["safety"])


def _out(user, safety: SafetySettings) -> dict:
    return {
        "disguise": safety.disguise,
        "exit_choice": safety.exit_choice,
        "exit_url": services.exit_url_for(user),
        "lock_when_hidden": safety.lock_when_hidden,
        "has_pin": bool(safety.unlock_pin_hash),
    }


@router.get("", response=SafetyOut)
def safety_get(request: HttpRequest):
    return _out(request.user, services.safety_settings_of(request.user))


@router.put("", response=SafetyOut)
def safety_put(request: HttpRequest, payload: SafetyIn):
    safety = services.safety_update(actor=request.user, **payload.dict())
    return _out(request.user, safety)


@router.put("/pin", response=SafetyOut)
def pin_put(request: HttpRequest, payload: PinIn):
    """Sets her unlock PIN. The cover key for a device is only given out through the web pages."""
    safety, _device_key = services.pin_set(actor=request.user, pin=payload.pin, pin_again=payload.pin_again)
    return _out(request.user, safety)
