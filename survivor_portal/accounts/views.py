import json

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import DEVICE_ID_SESSION_KEY

from survivor_portal.accounts import her_data, login_sessions, only_me, recovery, selectors, services
from survivor_portal.accounts.devices import device_cookie_of, remember_this_device
from survivor_portal.accounts.forms import (
    DeleteForm,
    RecoverForm,
    ResetCodeForm,
    CodeForm,
    InviteCodeForm,
    InviteCreateForm,
    JoinDetailsForm,
    LoginForm,
    OnlyMeOpenForm,
    PassphraseChangeForm,
    SettingsForm,
)
from survivor_portal.accounts.models import User
from survivor_portal.accounts.sessions import client_address, session_start
from survivor_portal.errors import DomainError, NotAllowed, NotFound
from survivor_portal.safety.cookies import forget_session
from survivor_portal.safety.views import remember_device
from survivor_portal.safety.middleware import SCREEN, WRONG_TRIES_ENDED
from survivor_portal.versions import Stale
from survivor_portal.web import login_required, not_found_is_404, otp_required, show_error

_JOIN_CODE = "join_code"


def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.credentials_check(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                address=client_address(request),
                device=device_cookie_of(request),
            )
        except DomainError as error:
            show_error(form, error)
        else:
            # Her "only me" key, opened (or made) while her passphrase is at hand.
            key = only_me.key_open_or_make(user=user, passphrase=form.cleaned_data["password"])
            # With two-step login she is logged in but unverified; the gate in
            # accounts.middleware lets her reach only the code page until she is verified.
            session_start(request, user)
            request.session.pop(SCREEN, None)
            if services.needs_second_factor(user):
                # the device is remembered once the second step is done; the key waits in this
                # session's cookie, which nothing opens until she is verified
                return only_me.carry(request, redirect("home"), key)
            return only_me.carry(request, remember_device(redirect("home"), user), key)
    ended_by_wrong_tries = request.session.pop(WRONG_TRIES_ENDED, False)
    return render(request, "accounts/login.html", {"form": form, "ended_by_wrong_tries": ended_by_wrong_tries})


def verify(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("home")
    if request.user.is_verified() or not services.has_second_factor(request.user):
        return redirect("home")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.second_factor_check(
                user=request.user, token=form.cleaned_data["code"], address=client_address(request),
                device=device_cookie_of(request),
            )
        except DomainError as error:
            show_error(form, error)
        else:
            session_start(request, request.user, device)
            return remember_device(redirect("home"), request.user)
    return render(request, "accounts/verify.html", {"form": form})


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    if services.has_second_factor(request.user) and not request.user.is_verified():
        return redirect("home")
    device = services.totp_setup_start(actor=request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.totp_setup_confirm(actor=request.user, token=form.cleaned_data["code"])
        except DomainError as error:
            show_error(form, error)
        else:
            session_start(request, request.user, device)
            # Every other session of hers must now pass the new step: they are ended.
            login_sessions.sessions_end_others(actor=request.user, current_key=request.session.session_key)
            # Shown once, in this response only (no-store); never kept anywhere readable.
            return render(request, "accounts/backup_codes.html", {"codes": codes, "first_time": True})
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/setup.html",
        {
            "form": form,
            "qr_svg": qr.svg_inline(scale=4, dark="#111", light="#fff", omitsize=True),
            "secret": services.totp_secret_base32(device),
        },
    )


@otp_required
@require_POST
def backup_codes(request: HttpRequest) -> HttpResponse:
    codes = services.backup_codes_replace(actor=request.user)
    return render(request, "accounts/backup_codes.html", {"codes": codes, "first_time": False})


@otp_required
@require_POST
def two_factor_remove(request: HttpRequest) -> HttpResponse:
    try:
        services.two_factor_remove(
            actor=request.user, passphrase=request.POST.get("passphrase", ""), address=client_address(request),
            device=device_cookie_of(request),
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        request.session[services.TWO_STEP] = False
        request.session.pop(DEVICE_ID_SESSION_KEY, None)  # the device it passed is gone
        # Sessions that passed the step they no longer have are ended too.
        login_sessions.sessions_end_others(actor=request.user, current_key=request.session.session_key)
        messages.success(request, _("Two-step login is off."))
    return redirect("accounts:settings")


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    response = redirect("home")
    # Cookies are deleted by name, not with "cookies" here: the phone keeps its look and cover key.
    response["Clear-Site-Data"] = '"cache", "storage"'
    return forget_session(response)


def join(request: HttpRequest) -> HttpResponse:
    """Two steps: a valid code first, then her chosen name and passphrase."""
    if request.user.is_authenticated:
        return redirect("home")
    code = request.session.get(_JOIN_CODE)
    if code is None:
        form = InviteCodeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.invite_check(code=form.cleaned_data["code"], address=client_address(request))
            except DomainError as error:
                show_error(form, error)
            else:
                request.session[_JOIN_CODE] = form.cleaned_data["code"]
                return redirect("home")
        return render(request, "accounts/join_code.html", {"form": form})

    form = JoinDetailsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.account_join(
                code=code,
                username=form.cleaned_data["username"],
                display_name=form.cleaned_data["display_name"],
                passphrase=form.cleaned_data["passphrase"],
                address=client_address(request),
            )
        except DomainError as error:
            if error.field == "code":
                request.session.pop(_JOIN_CODE, None)
                messages.error(request, error.message)
                return redirect("home")
            show_error(form, error)
        else:
            request.session.pop(_JOIN_CODE, None)
            session_start(request, user)
            request.session.pop(SCREEN, None)
            if user.is_agency_staff:
                return remember_device(redirect("accounts:setup"), user)
            key = only_me.key_open_or_make(user=user, passphrase=form.cleaned_data["passphrase"])
            # Her ten recovery codes, shown once: the only way back in without e-mail.
            codes = recovery.recovery_codes_make(actor=user, her_key=key)
            page = render(request, "accounts/recovery_codes.html", {"codes": codes, "first": True})
            return only_me.carry(request, remember_device(page, user), key)
    return render(request, "accounts/join_details.html", {"form": form})


def join_restart(request: HttpRequest) -> HttpResponse:
    """"Use a different code": back to the first step (the start address shows it)."""
    request.session.pop(_JOIN_CODE, None)
    return redirect("home")


@login_required
def settings_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user
    as_saved = {"idle_minutes": user.idle_minutes, "language": user.language, "version": services.settings_version(user)}
    form = SettingsForm(request.POST or None, initial=as_saved)
    if request.method == "POST" and form.is_valid():
        try:
            # A form without a version is older than versions: treated as stale, so it shows her settings as saved.
            services.user_settings_update(actor=user, **form.cleaned_data)
        except Stale as stale:
            # From an older page: show the settings as they are now; she saves again if she still wants to.
            user.refresh_from_db()
            form = SettingsForm({"idle_minutes": user.idle_minutes, "language": user.language,
                                 "version": services.settings_version(user)})
            form.is_valid()
            form.add_error(None, stale.message)
        except DomainError as error:
            show_error(form, error)
        else:
            request.session.set_expiry(user.idle_minutes * 60)
            translation.activate(user.language)  # "Saved." in the language she just chose
            messages.success(request, _("Saved."))
            return redirect("accounts:settings")
    return render(
        request,
        "accounts/settings.html",
        {"form": form, "has_two_factor": services.has_second_factor(user, request.session),
         "settings_version": services.settings_version(user),
         "reset_history": list(user.reset_codes.all()) if user.is_survivor else [],
         "sessions": login_sessions.sessions_of(viewer=user, current_key=request.session.session_key)},
    )


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """Switch language before or after login; once logged in, it is kept on her account."""
    code = request.POST.get("language", "")
    if code not in dict(User.LANGUAGE_CHOICES):
        code = "en"
    if request.user.is_authenticated:
        services.user_settings_update(actor=request.user, language=code)
    next_url = request.POST.get("next", "")
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = "/"
    response = redirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=True,
    )
    return response


@login_required
def invites(request: HttpRequest) -> HttpResponse:
    try:
        existing = list(selectors.invites_for(viewer=request.user))
    except NotAllowed:
        return render(request, "404.html", status=404)
    form = InviteCreateForm(request.POST or None)
    created_code = None
    if request.method == "POST" and form.is_valid():
        try:
            invite, created_code = services.invite_create(actor=request.user, role=form.cleaned_data["role"])
        except DomainError as error:
            show_error(form, error)
        else:
            existing.insert(0, invite)
            form = InviteCreateForm()
    return render(
        request, "accounts/invites.html", {"form": form, "invites": existing, "created_code": created_code}
    )


# ---- Her data: take it with her, or have it gone -------------------------------------------------


@not_found_is_404
def export(request: HttpRequest) -> HttpResponse:
    her_data.export_for(viewer=request.user)  # survivors only
    return render(request, "accounts/export.html")


def _attachment(response: HttpResponse, name: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _same_site_only(view):
    """Her data file downloads only from her own click in the app, never from a link elsewhere."""
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
            raise Http404
        return view(request, *args, **kwargs)
    return wrapper


@not_found_is_404
@_same_site_only
def export_json(request: HttpRequest) -> HttpResponse:
    data = her_data.export_for(viewer=request.user, her_key=only_me.key_of(request))
    return _attachment(HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"),
                       "export.json")


@not_found_is_404
@_same_site_only
def export_page(request: HttpRequest) -> HttpResponse:
    data = her_data.export_for(viewer=request.user, readable=True, her_key=only_me.key_of(request))
    page = render_to_string("accounts/export_page.html", {"data": data}, request=request)
    return _attachment(HttpResponse(page, content_type="text/html; charset=utf-8"), "export.html")


@not_found_is_404
def delete_account(request: HttpRequest) -> HttpResponse:
    her_data.export_for(viewer=request.user)  # survivors only (staff accounts are closed by their agency)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            her_data.account_delete(actor=request.user, address=client_address(request), device=device_cookie_of(request),
                                    **form.cleaned_data)
        except DomainError as error:
            show_error(form, error)
        else:
            logout(request)
            # Shown in answer to the form (which posts to the start address), so History keeps
            # only "/", and nothing is kept anywhere to show it: no session, no message.
            response = render(request, "accounts/deleted.html", {"bare": True})
            response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
            return response
    return render(request, "accounts/delete.html", {"form": form})


# ---- Getting back in without e-mail ----------------------------------------------------------------


def recover(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = RecoverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = recovery.recover(address=client_address(request), device=device_cookie_of(request),
                                      **form.cleaned_data)
        except recovery.ResetWaiting as waiting:
            return render(request, "accounts/recover.html", {"form": RecoverForm(), "waiting": waiting.message})
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Your new passphrase is set. Log in with it. That code cannot be used again."))
            # Her code proved her: this device is hers from now on, whatever others try.
            request.session[SCREEN] = "login"
            return remember_this_device(redirect("home"), person)
    return render(request, "accounts/recover.html", {"form": form})


@not_found_is_404
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    try:
        codes = recovery.recovery_codes_replace(actor=request.user, passphrase=request.POST.get("passphrase", ""),
                                                address=client_address(request), device=device_cookie_of(request))
    except NotFound:
        raise
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("accounts:settings")
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


def _local(next_url: str) -> str:
    return next_url if next_url.startswith("/") and not next_url.startswith("//") and "\\" not in next_url else "/"


@not_found_is_404
def only_me_open(request: HttpRequest) -> HttpResponse:
    """Her passphrase opens her "only me" goals in this session (it began before she had her
    key, or its cookie was lost), then she is back where she was."""
    if not request.user.is_authenticated or not request.user.is_survivor:
        raise Http404
    form = OnlyMeOpenForm(request.POST or None, initial={"next": _local(request.GET.get("next", "/"))})
    if request.method == "POST" and form.is_valid():
        try:
            key = only_me.key_open_with_passphrase(actor=request.user, passphrase=form.cleaned_data["passphrase"],
                                                   address=client_address(request), device=device_cookie_of(request))
        except DomainError as error:
            show_error(form, error)
        else:
            return only_me.carry(request, redirect(_local(form.cleaned_data["next"] or "/")), key)
    return render(request, "accounts/only_me_open.html", {"form": form})


@not_found_is_404
def reset_codes(request: HttpRequest) -> HttpResponse:
    if request.user.role != User.Role.AGENCY_ADMIN:
        raise Http404
    form = ResetCodeForm(request.POST or None)
    made = None
    if request.method == "POST" and form.is_valid():
        try:
            record, code = recovery.reset_code_issue(actor=request.user, username=form.cleaned_data["username"], via="page")
        except DomainError as error:
            show_error(form, error)
        else:
            made = {"code": code, "record": record}
            form = ResetCodeForm()
    return render(request, "accounts/reset_codes.html", {"form": form, "made": made})


@not_found_is_404
@require_POST
def reset_seen(request: HttpRequest, code_id: int) -> HttpResponse:
    recovery.reset_notice_seen(actor=request.user, code_id=code_id)
    return redirect("home")


# ---- Where she is logged in, and her passphrase ----------------------------------------------------


@login_required
@require_POST
def session_end(request: HttpRequest, session_id: str) -> HttpResponse:
    try:
        login_sessions.session_end(actor=request.user, session_id=session_id, current_key=request.session.session_key)
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("That device is logged out."))
    return redirect("accounts:settings")


@login_required
@require_POST
def sessions_end_others(request: HttpRequest) -> HttpResponse:
    login_sessions.sessions_end_others(actor=request.user, current_key=request.session.session_key)
    messages.success(request, _("Every other device is logged out. This one stays logged in."))
    return redirect("accounts:settings")


@login_required
def passphrase_change(request: HttpRequest) -> HttpResponse:
    form = PassphraseChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.passphrase_change(actor=request.user, address=client_address(request),
                                              current_session_key=request.session.session_key,
                                      device=device_cookie_of(request), **form.cleaned_data)
        except DomainError as error:
            show_error(form, error)
        else:
            update_session_auth_hash(request, user)  # this device stays logged in
            messages.success(request, _("Your passphrase is changed. Every other device is logged out."))
            key = only_me.key_open(user=user, passphrase=form.cleaned_data["new"]) if user.is_survivor else None
            return only_me.carry(request, redirect("accounts:settings"), key)
    return render(request, "accounts/passphrase.html", {"form": form})


# ---- An agency's reset: she stops it, or rules it out -------------------------------------------------


@not_found_is_404
@require_POST
def reset_stop(request: HttpRequest, code_id: int) -> HttpResponse:
    try:
        recovery.reset_stop(actor=request.user, code_id=code_id, secret=request.POST.get("secret", ""))
    except NotFound:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The reset is stopped. Nobody can use that code now."))
    return redirect("home")


@not_found_is_404
@require_POST
def agency_resets(request: HttpRequest) -> HttpResponse:
    allow = request.POST.get("allow") == "yes"
    try:
        recovery.agency_reset_choose(actor=request.user, allow=allow, secret=request.POST.get("secret", ""),
                                     version=request.POST.get("version", ""))
    except NotFound:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Saved. Your agency can reset your account, with a 24-hour wait.") if allow
                         else _("Saved. Only your recovery codes can set a new passphrase."))
    return redirect("accounts:settings")
