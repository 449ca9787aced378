import json

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from survivor_portal.accounts import only_me, throttle
from survivor_portal.accounts.devices import remember_this_device
from survivor_portal.accounts.models import User
from survivor_portal.errors import DomainError
from survivor_portal.safety import calc, covers, services, session_end
from survivor_portal.safety.context import current_disguise_key
from survivor_portal.safety.cookies import device_key_of, look_asked_by_app, set_device_key, set_look
from survivor_portal.safety.disguises import DISGUISES, Disguise
from survivor_portal.safety.forms import PinForm, SafetyForm, UnlockForm
from survivor_portal.safety.middleware import LOCKED, SCREEN, WRONG_TRIES_ENDED
from survivor_portal.versions import Stale
from survivor_portal.web import conflict_page, login_required, show_error, version_sent


@csrf_exempt  # It only ever ends a session, so a forged request can do no harm.
def exit_view(request: HttpRequest) -> HttpResponse:
    """Normally answered earlier, by the session_end.exit_first middleware, before any backend
    is needed; the same answer here for a stack without it."""
    return session_end.exit_answer(request)


def is_locked(request: HttpRequest) -> bool:
    return request.user.is_authenticated and bool(request.session.get(LOCKED))


@csrf_exempt  # Locking can only hide things, so a forged request can do no harm.
@require_POST
def lock(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        request.session[LOCKED] = True
    return HttpResponse(status=204)


@login_required
@require_POST
def alive(request: HttpRequest) -> HttpResponse:
    """She is typing or scrolling: keep the session for another idle period (the middleware
    moves the deadline on every request). Nothing else happens."""
    return HttpResponse(status=204)


def cover(request: HttpRequest) -> HttpResponse:
    """What a locked or logged-out phone with a disguise shows at the start address."""
    key = current_disguise_key(request)
    response = _cover_page(request, key, {})
    if look_asked_by_app(request) == key:
        set_look(response, key)
    return response


def _cover_page(request: HttpRequest, key: str, context: dict) -> HttpResponse:
    if key == "calculator":
        context = {"display": "0", "expression": "", **context}
    elif key == "weather":
        context = {**context, **covers.weather_page(context.get("query", ""), timezone.localdate())}
    else:
        context = {**context, **covers.notes_page(context.get("query", ""))}
    return render(request, f"safety/cover_{key}.html", context)


@require_POST
def cover_submit(request: HttpRequest) -> HttpResponse:
    """A key on the calculator or a search on the other covers, posted to the start address.
    Only a possible PIN is checked; everything else is just the everyday app."""
    key = current_disguise_key(request)
    if key == "plain":
        return redirect("home")
    if key == "calculator":
        expression = request.POST.get("expression", "")[: calc.MAX_LENGTH]
        pressed = request.POST.get("key", "")
        entry = expression if pressed == "=" else ""
        expression, display, fresh = calc.press(expression, pressed, request.POST.get("fresh") == "1")
        context: dict = {"expression": expression, "display": display, "fresh": fresh}
    else:
        entry = request.POST.get("q", "").strip()[:80]
        context = {"query": entry}
    opened = _try_pin(request, entry) if services.looks_like_pin(entry) else None
    if request.headers.get("Accept") == "application/json":
        # app.js asks only whether the number opens something, so a sum never changes the address.
        return JsonResponse({"open": opened.url if opened is not None else None})
    return opened if opened is not None else _cover_page(request, key, context)


def _unlock(request: HttpRequest, secret: str) -> services.UnlockResult:
    """For a locked session: opens it, or ends it at the fifth wrong try."""
    result = services.locked_session_unlock(user=request.user, secret=secret)
    if result.unlocked:
        request.session.pop(LOCKED, None)
    elif result.end_session:
        logout(request)
        # Only the login reads this (never a cover, which must look as if nothing happened), so
        # once she proves herself there she learns why she had to.
        request.session[WRONG_TRIES_ENDED] = True
    return result


def _try_pin(request: HttpRequest, pin: str) -> HttpResponse | None:
    """A redirect when the PIN opens something; None to carry on looking like the disguise."""
    if is_locked(request):
        # On a cover, the end of the session looks like nothing at all happened.
        return redirect("home") if _unlock(request, pin).unlocked else None
    if request.user.is_authenticated:
        return redirect("home")
    owner = services.owner_of_device_key(device_key_of(request))
    if owner is None:
        # This phone does not know whose PIN to expect (she never logged in on it, or set a
        # new PIN elsewhere). Opening the login for any number would give the disguise away.
        return None
    try:
        with throttle.one_at_a_time("cover_pin", owner.username):
            if throttle.is_blocked(cover_pin=owner.username):
                return None
            if services.pin_matches(user=owner, pin=pin):
                request.session[SCREEN] = "login"
                return redirect("home")
            throttle.record_failure(cover_pin=owner.username)
    except throttle.Refused:
        pass
    return None


def unlock(request: HttpRequest) -> HttpResponse:
    """The plain way back into a locked session, at the start address: her PIN or her passphrase."""
    if not is_locked(request):
        return redirect("home")
    form = UnlockForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        result = _unlock(request, form.cleaned_data["secret"])
        if result.unlocked:
            response = redirect("home")
            if result.by_passphrase:
                only_me.reopen_with_passphrase(request, response, form.cleaned_data["secret"])
            return response
        if result.end_session:
            return redirect("home")
        if result.last_try_next:
            form.add_error("secret", _("That did not work. One more wrong try ends this session, and then you "
                                       "log in again with your username and passphrase."))
        else:
            form.add_error("secret", _("That did not work. Try again."))
    return render(request, "safety/unlock.html", {"form": form})


def _settings_now(safety) -> dict:
    return {"disguise": safety.disguise, "exit_choice": safety.exit_choice,
            "lock_when_hidden": safety.lock_when_hidden, "version": safety.version}


@login_required
def safety_settings(request: HttpRequest) -> HttpResponse:
    user: User = request.user
    current = services.safety_settings_of(user)
    form = SafetyForm(
        request.POST if request.POST.get("form") == "safety" else None,
        initial=_settings_now(current),
    )
    pin_form = PinForm(request.POST if request.POST.get("form") == "pin" else None)
    if form.is_bound and form.is_valid():
        try:
            choices = {name: form.cleaned_data[name] for name in ("disguise", "exit_choice", "lock_when_hidden")}
            saved = services.safety_update(actor=user, version=version_sent(form), **choices)
        except Stale:
            # Every one of these keeps her safe: all three stay as saved until she chooses again.
            return conflict_page(request, form=form, saved=_settings_now(services.safety_settings_of(user)),
                                 guarded=("disguise", "exit_choice", "lock_when_hidden"), hidden={"form": "safety"},
                                 action=reverse("safety:settings"), back=reverse("safety:settings"))
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Saved."))
            response = redirect("safety:settings")
            set_look(response, saved.disguise)
            return response
    if pin_form.is_bound and pin_form.is_valid():
        try:
            _saved, device_key = services.pin_set(actor=user, **pin_form.cleaned_data)
        except DomainError as error:
            show_error(pin_form, error)
        else:
            messages.success(request, _("Your unlock PIN is set."))
            response = redirect("safety:settings")
            set_device_key(response, device_key)
            return response
    return render(
        request,
        "safety/settings.html",
        {"form": form, "pin_form": pin_form, "has_pin": bool(current.unlock_pin_hash), "disguises": DISGUISES},
    )


def intro(request: HttpRequest) -> HttpResponse:
    """How to leave quickly: shown once, at the start address (survivor_portal.views.home)."""
    return render(request, "safety/intro.html")


@login_required
@require_POST
def intro_seen(request: HttpRequest) -> HttpResponse:
    services.exit_intro_seen(actor=request.user)
    return redirect("home")


def staying_safe(request: HttpRequest) -> HttpResponse:
    return render(request, "safety/staying_safe.html")


def offline(request: HttpRequest) -> HttpResponse:
    """Cached by the service worker, so it must be the same for everyone: no user, no token."""
    return render(request, "offline.html", {"bare": True})


def _pwa_values(disguise: Disguise) -> dict:
    """django-pwa's manifest template takes PWA_* settings, which its own view reads once for the
    whole site; here they are the look of the phone asking, in its language."""
    icons = [{"src": static(f"icons/{disguise.key}-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png",
              "purpose": "any"} for size in (192, 512)]
    return {
        "PWA_APP_NAME": str(disguise.name), "PWA_APP_DESCRIPTION": str(disguise.description),
        "PWA_APP_START_URL": f"/?d={disguise.key}", "PWA_APP_SCOPE": "/", "PWA_APP_DISPLAY": "standalone",
        "PWA_APP_ORIENTATION": "any", "PWA_APP_BACKGROUND_COLOR": disguise.background_color,
        "PWA_APP_THEME_COLOR": disguise.theme_color, "PWA_APP_STATUS_BAR_COLOR": "default", "PWA_APP_ICONS": icons,
        "PWA_APP_DIR": "rtl" if get_language_bidi() else "ltr", "PWA_APP_LANG": get_language(),
        "PWA_APP_SCREENSHOTS": [], "PWA_APP_SHORTCUTS": [],
    }


def manifest(request: HttpRequest) -> HttpResponse:
    disguise = DISGUISES[current_disguise_key(request)]
    # django-pwa's template has no "id"; without one an installed app is known by its start
    # address, which names the look, so a phone that changed its look would keep the old name and icon.
    body = {"id": "/", **json.loads(render_to_string("manifest.json", _pwa_values(disguise), request))}
    response = HttpResponse(json.dumps(body), content_type="application/manifest+json")
    response["Vary"] = "Cookie"
    return response


def remember_device(response: HttpResponse, user: User) -> HttpResponse:
    """After login: this phone shows her chosen look, its cover knows her PIN, and its tries
    are counted apart from everyone else's (accounts.devices)."""
    remember_this_device(response, user)
    set_look(response, services.safety_settings_of(user).disguise)
    device_key = services.device_key_issue(actor=user)
    if device_key:
        set_device_key(response, device_key)
    return response
