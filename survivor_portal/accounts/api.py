from datetime import datetime
from typing import Any, Literal

from django.contrib.auth import logout, update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.utils import check_csrf

from survivor_portal.accounts import her_data, login_sessions, only_me, recovery, selectors, services
from survivor_portal.accounts.devices import device_cookie_of, remember_this_device
from survivor_portal.accounts.models import User
from survivor_portal.accounts.schemas import (
    CsrfOut,
    InviteCreatedOut,
    InviteIn,
    InviteOut,
    AccountJoinIn,
    LoginIn,
    LoginOut,
    MeOut,
    MeSettingsIn,
    OkOut,
    PassphraseChangeIn,
    SessionOut,
    SessionsEndedOut,
)
from survivor_portal.accounts.sessions import client_address, session_start
from survivor_portal.errors import Invalid, NotAllowed
from survivor_portal.versions import etag, expected_from_if_match, if_match_header

auth_router = Router(tags=["auth"])
me_router = Router(tags=["me"])
agency_router = Router(tags=["agency"])


def _require_csrf(request: HttpRequest) -> None:
    if check_csrf(request) is not None:
        raise HttpError(403, "CSRF check failed. Get a token from /api/v1/auth/csrf first.")


@auth_router.get("/csrf", auth=None, response=CsrfOut)
def csrf(request: HttpRequest):
    return {"csrf_token": get_token(request)}


@auth_router.post("/login", auth=None, response={200: LoginOut})
def login(request: HttpRequest, payload: LoginIn, response: HttpResponse):
    """Sets the device cookie `dv`: the tries of a device she logged in on count apart from others'."""
    _require_csrf(request)
    address, cookie = client_address(request), device_cookie_of(request)
    user = services.credentials_check(username=payload.username, password=payload.password, address=address,
                                      device=cookie)
    device = None
    if services.needs_second_factor(user):
        if not payload.otp_token:
            raise NotAllowed("A code from the authenticator app is needed.", code="otp_required")
        try:
            device = services.second_factor_check(user=user, token=payload.otp_token, address=address, device=cookie)
        except Invalid as error:
            raise NotAllowed(error.message, code="otp_required") from None
    key = only_me.key_open_or_make(user=user, passphrase=payload.password)
    session_start(request, user, device)
    remember_this_device(response, user)
    only_me.carry(request, response, key)
    return {"username": user.username, "role": user.role}


@auth_router.post("/join", auth=None, response={201: LoginOut})
def join(request: HttpRequest, payload: AccountJoinIn, response: HttpResponse):
    """Redeem an invite code and make the account; she is logged in (staff still need to set
    up two-step login in the browser before they reach anything)."""
    _require_csrf(request)
    user = services.account_join(**payload.dict(), address=client_address(request))
    key = only_me.key_open_or_make(user=user, passphrase=payload.passphrase)
    session_start(request, user)
    remember_this_device(response, user)
    codes = recovery.recovery_codes_make(actor=user, her_key=key) if user.is_survivor else None
    only_me.carry(request, response, key)
    return Status(201, {"username": user.username, "role": user.role, "recovery_codes": codes})


@auth_router.post("/logout", auth=None, response=OkOut)
def logout_view(request: HttpRequest):
    _require_csrf(request)
    logout(request)
    return {"ok": True}


def _me(user: User, session=None) -> dict:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "agency": user.agency.name if user.agency_id else None,
        "is_peer_mentor": user.is_peer_mentor,
        "is_council_member": user.is_council_member,
        "language": user.language,
        "idle_minutes": user.idle_minutes,
        "two_factor": services.has_second_factor(user, session),
        "agency_resets": user.allows_agency_reset if user.is_survivor else None,
    }


@me_router.get("", response=MeOut)
def me(request: HttpRequest, response: HttpResponse):
    """Who you are and your settings. The `ETag` goes back in `If-Match` when you change them."""
    response["ETag"] = etag(services.settings_version(request.user))
    return _me(request.user, request.session)


@me_router.patch("", response=MeOut)
def me_update(request: HttpRequest, payload: MeSettingsIn, response: HttpResponse,
              if_match: str | None = if_match_header()):
    """Changes only the settings sent; with `If-Match`, settings changed since your read are
    not overwritten (412 with the current `ETag`)."""
    user = services.user_settings_update(
        actor=request.user, idle_minutes=payload.idle_minutes, language=payload.language,
        version=expected_from_if_match(if_match),
    )
    response["ETag"] = etag(services.settings_version(user))
    return _me(user, request.session)


@agency_router.get("/invites", response=list[InviteOut])
def invites(request: HttpRequest):
    return selectors.invites_for(viewer=request.user)


@agency_router.post("/invites", response={201: InviteCreatedOut})
def invite_create(request: HttpRequest, payload: InviteIn):
    invite, code = services.invite_create(actor=request.user, role=payload.role)
    return Status(201, {**InviteOut.from_orm(invite).dict(), "code": code})


class DeleteIn(Schema):
    passphrase: str = Field(max_length=200)
    posts: Literal["delete", "keep"] = Field(default="delete", description="Her group posts: deleted, or kept as “former member”.")


@me_router.get("/export", response=dict[str, Any])
def export(request: HttpRequest):
    """Everything the app holds about her ("only me" goals opened with this session's key)."""
    return her_data.export_for(viewer=request.user, her_key=only_me.key_of(request))


class OnlyMeOpenIn(Schema):
    passphrase: str = Field(max_length=200)


@me_router.post("/only-me/open", response=OkOut)
def only_me_open(request: HttpRequest, payload: OnlyMeOpenIn, response: HttpResponse):
    """Her passphrase opens her "only me" goals for this session: the key travels in its own
    cookie, sealed and bound to this session. Needed when a goal says `sealed: "closed"`."""
    if not request.user.is_survivor:
        raise NotAllowed(_("Only the person who wrote them can open these."))
    key = only_me.key_open_with_passphrase(actor=request.user, passphrase=payload.passphrase,
                                           address=client_address(request), device=device_cookie_of(request))
    only_me.carry(request, response, key)
    return {"ok": True}


@me_router.post("/delete", response={204: None})
def delete(request: HttpRequest, payload: DeleteIn):
    """Her account and everything of hers, gone in one transaction; she is logged out."""
    her_data.account_delete(actor=request.user, address=client_address(request), device=device_cookie_of(request),
                            **payload.dict())
    logout(request)
    return Status(204, None)


class CodesOut(Schema):
    codes: list[str]


class RecoverIn(Schema):
    username: str = Field(max_length=40)
    code: str = Field(max_length=40)
    passphrase: str = Field(default="", max_length=200, description="Needed with a recovery code, or when an agency's reset is ready.")
    passphrase_again: str = Field(default="", max_length=200)
    otp_token: str = Field(default="", max_length=20, description="Only if she turned on two-step login.")


class ResetCodeIn(Schema):
    username: str = Field(max_length=40)


class ResetCodeOut(Schema):
    code: str
    expires_at: datetime


class PassphraseIn(Schema):
    passphrase: str = Field(max_length=200)


@me_router.post("/backup-codes", response={201: CodesOut})
def backup_codes(request: HttpRequest, payload: PassphraseIn):
    """Ten new recovery codes, shown once; earlier unused ones stop working. Needs her passphrase."""
    codes = recovery.recovery_codes_replace(actor=request.user, passphrase=payload.passphrase, address=client_address(request),
                                            device=device_cookie_of(request))
    return Status(201, {"codes": codes})


class ResetWaitingOut(Schema):
    detail: str
    code: str
    ready_at: datetime = Field(description="From then, and for 48 hours, the same code can set a new passphrase.")


@auth_router.post("/recover", auth=None, response={204: None, 202: ResetWaitingOut})
def recover(request: HttpRequest, payload: RecoverIn, response: HttpResponse):
    """A new passphrase with a recovery code at once; then she logs in. Her code proved her, so
    this device gets its device cookie. An agency's reset code first starts a 24-hour wait that
    she can stop (202, nothing changes); after it, the same call sets the passphrase (204)."""
    _require_csrf(request)
    try:
        person = recovery.recover(address=client_address(request), device=device_cookie_of(request), **payload.dict())
    except recovery.ResetWaiting as waiting:
        return Status(202, {"detail": waiting.message, "code": waiting.code, "ready_at": waiting.extra["ready_at"]})
    remember_this_device(response, person)
    return Status(204, None)


@agency_router.post("/reset-codes", response={201: ResetCodeOut})
def reset_code(request: HttpRequest, payload: ResetCodeIn):
    """An agency admin, after meeting her in person. She is told a code was made; using it starts
    a 24-hour wait she can stop. The answer is the same whatever she chose about agency resets."""
    record, code = recovery.reset_code_issue(actor=request.user, username=payload.username, via="api")
    return Status(201, {"code": code, "expires_at": record.expires_at})


@me_router.get("/sessions", response=list[SessionOut])
def sessions(request: HttpRequest):
    """Where she is logged in: a coarse name for each device and when it was last used (never an address)."""
    return login_sessions.sessions_of(viewer=request.user, current_key=request.session.session_key)


@me_router.delete("/sessions/{session_id}", response={204: None})
def session_end(request: HttpRequest, session_id: str):
    """Log one other device out. This device: 409 (log out instead)."""
    login_sessions.session_end(actor=request.user, session_id=session_id, current_key=request.session.session_key)
    return Status(204, None)


@me_router.delete("/sessions", response=SessionsEndedOut)
def sessions_end_others(request: HttpRequest):
    """Log out every other device; this one stays."""
    return {"ended": login_sessions.sessions_end_others(actor=request.user, current_key=request.session.session_key)}


@me_router.post("/passphrase", response={204: None})
def passphrase_change(request: HttpRequest, payload: PassphraseChangeIn):
    """A new passphrase, with the current one; every other device is logged out."""
    user = services.passphrase_change(actor=request.user, address=client_address(request),
                                      current_session_key=request.session.session_key,
                                      device=device_cookie_of(request), **payload.dict())
    update_session_auth_hash(request, user)
    return Status(204, None)


class ResetOut(Schema):
    id: int
    agency: str
    made_by: str
    made_at: datetime
    state: Literal["made", "waiting", "ready", "stopped", "done", "lapsed"]
    ready_at: datetime | None = Field(description="When someone used it: from then the code can set a new passphrase.")
    can_never_work: bool = Field(description="Her choices rule it out (agency resets off, or never share with that agency).")


class SecretIn(Schema):
    secret: str = Field(max_length=1024, description="Her passphrase or her PIN.")


class AgencyResetsIn(SecretIn):
    allow: bool


class AgencyResetsOut(Schema):
    allow: bool


def _reset(code) -> dict:
    return {"id": code.pk, "agency": code.agency_label, "made_by": code.issued_by_label, "made_at": code.created_at,
            "state": recovery.reset_state(code), "ready_at": recovery.ready_at(code), "can_never_work": bool(code.blocked)}


@me_router.get("/resets", response=list[ResetOut])
def resets(request: HttpRequest):
    """Every reset code an agency made for her account."""
    return [_reset(code) for code in recovery.resets_of(viewer=request.user)]


@me_router.post("/resets/{int:code_id}/stop", response={204: None})
def reset_stop(request: HttpRequest, code_id: int, payload: SecretIn):
    """Stop a reset code for good, with her passphrase or PIN."""
    recovery.reset_stop(actor=request.user, code_id=code_id, secret=payload.secret)
    return Status(204, None)


@me_router.put("/agency-resets", response=AgencyResetsOut)
def agency_resets(request: HttpRequest, payload: AgencyResetsIn, response: HttpResponse,
                  if_match: str | None = if_match_header()):
    """Whether her agency can reset her account (with the 24-hour wait) or only her recovery codes
    can. `If-Match` takes the `ETag` of `GET /me`."""
    user = recovery.agency_reset_choose(actor=request.user, allow=payload.allow, secret=payload.secret,
                                        version=expected_from_if_match(if_match))
    response["ETag"] = etag(services.settings_version(user))
    return {"allow": user.allows_agency_reset}
