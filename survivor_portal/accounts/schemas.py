from datetime import datetime
from typing import Literal

from ninja import Field, Schema


class CsrfOut(Schema):
    csrf_token: str


class LoginIn(Schema):
    username: str = Field(max_length=150)
    password: str = Field(max_length=1024)
    otp_token: str | None = Field(default=None, max_length=64)


class AccountJoinIn(Schema):
    code: str = Field(max_length=40)
    username: str = Field(max_length=40)
    display_name: str = Field(max_length=60)
    passphrase: str = Field(max_length=1024)


class LoginOut(Schema):
    username: str
    role: str
    recovery_codes: list[str] | None = Field(default=None, description="After joining, her ten recovery codes, shown once.")


class MeOut(Schema):
    username: str
    display_name: str
    role: str
    agency: str | None
    is_peer_mentor: bool
    is_council_member: bool
    language: str
    idle_minutes: int
    two_factor: bool
    agency_resets: bool | None = Field(default=None, description="Survivors: whether her agency can reset her account "
                                       "(with a 24-hour wait she can stop); change it with PUT /me/agency-resets.")


class MeSettingsIn(Schema):
    idle_minutes: Literal[5, 15, 30] | None = None
    language: Literal["en", "es"] | None = None


class InviteIn(Schema):
    role: Literal["survivor", "advocate", "agency_admin"]


class InviteOut(Schema):
    id: int
    role: str
    created_at: datetime
    expires_at: datetime
    state: str


class InviteCreatedOut(InviteOut):
    code: str


class OkOut(Schema):
    ok: bool = True


class SessionOut(Schema):
    id: str = Field(description="Not the session key; use it to log that device out.")
    device: str = Field(description="A coarse name, like “Chrome on Android”, in her language.")
    browser: str | None = Field(description="chrome, firefox, safari, edge, samsung or opera; null when unknown.")
    system: str | None = Field(description="android, iphone, ipad, windows, mac, chromeos or linux; null when unknown.")
    last_active: str = Field(description="Coarse, in her language, like “Active in the last hour”.")
    this_device: bool


class SessionsEndedOut(Schema):
    ended: int


class PassphraseChangeIn(Schema):
    current: str = Field(max_length=1024)
    new: str = Field(max_length=1024)
    new_again: str = Field(max_length=1024)


class UsernameIn(Schema):
    username: str = Field(max_length=40)


class RoleHolderOut(Schema):
    """Someone an agency admin gave a role: who they are at the agency."""

    id: int
    username: str
    display_name: str
