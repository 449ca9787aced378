from datetime import datetime
from typing import Literal

from ninja import Field, Schema

Id = Field(ge=1, le=2**63 - 1)


class GroupOut(Schema):
    id: int
    name: str
    purpose: str
    language: str
    open_to_join: bool
    agreement: str
    my_state: str | None = Field(description="active, requested, left or removed; null if never joined.")
    my_alias: str | None
    my_role: str | None
    muted_until: datetime | None
    crisis_resources: str
    next_meeting: str | None


class GroupJoinIn(Schema):
    alias: str = Field(max_length=40)
    agreed: bool = Field(description="She has read the group agreement and accepts it.")


class MembershipOut(Schema):
    id: int
    alias: str
    role: str
    state: str
    muted_until: datetime | None
    check_ins_refused: bool = Field(default=False, description="She said no to private check-ins from this group's peer mentors.")


class PostIn(Schema):
    body: str = Field(max_length=2000)
    content_warning: str = Field(default="", max_length=100)
    parent_id: int | None = Field(default=None, ge=1, le=2**63 - 1)
    confirm_identifying: bool = Field(default=False, description="She saw the warning that it may identify someone and posts anyway.")


class PostPatch(Schema):
    body: str = Field(max_length=2000)
    content_warning: str = Field(default="", max_length=100)
    confirm_identifying: bool = False


class PostOut(Schema):
    id: int
    alias: str
    author_membership_id: int | None
    mine: bool
    body: str | None = Field(description="Null when hidden, deleted, or from someone she blocked.")
    content_warning: str
    created_at: datetime
    edited_at: datetime | None
    state: Literal["visible", "hidden", "deleted", "blocked"]
    hidden_reason: str | None = Field(description="Only for her own hidden posts.")
    parent_id: int | None
    replies: list["PostOut"] = []
    crisis_support: str | None = Field(default=None, description="Shown privately to the poster when her words sound like a crisis.")
    version: int | None = Field(default=None, description='Her own posts only: send it back as If-Match ("<version>") when editing.')


class PostsOut(Schema):
    posts: list[PostOut]
    more: bool
    newest_id: int


class ReportIn(Schema):
    reason: Literal["unsafe", "hurtful", "spam", "other"]
    note: str = Field(default="", max_length=300)


class HideIn(Schema):
    reason: str = Field(max_length=300)


class MuteIn(Schema):
    duration: Literal["1h", "1d", "7d"]
    reason: str = Field(default="", max_length=300)


class RemoveIn(Schema):
    reason: str = Field(default="", max_length=300)


class BlockIn(Schema):
    membership_id: int = Field(ge=1, le=2**63 - 1)
    blocked: bool = True


class QueueOut(Schema):
    id: int
    alias: str
    body: str
    created_at: datetime
    hidden: bool
    auto_hidden: bool
    needs_attention: bool
    reports: list[str]


class LogOut(Schema):
    who: str
    what: str
    target: str
    reason: str
    at: datetime


class AgendaIn(Schema):
    text: str = Field(max_length=300)


class AgendaOut(Schema):
    id: int
    text: str
    support: int
    supported_by_me: bool


class MentorOut(Schema):
    membership_id: int
    alias: str
    user_id: int
    display_name: str


class CheckInIn(Schema):
    post_id: int = Field(ge=1, le=2**63 - 1, description="A post of hers with words of crisis, or that a member is worried about.")
    body: str = Field(max_length=1000)


class CheckInMessageIn(Schema):
    body: str = Field(max_length=1000)


class CheckInMessageOut(Schema):
    id: int
    alias: str = Field(description="Who wrote it: an alias, never a name.")
    mine: bool
    body: str
    created_at: datetime
    crisis_support: str | None = Field(default=None, description="Shown privately to her when her words sound like a crisis.")


class CheckInOut(Schema):
    id: int
    member_alias: str
    mentor_alias: str
    i_am: Literal["member", "mentor", "reader", "other_mentor"] = Field(
        description="member: it is to her; mentor: she sent it; reader or other_mentor: another mentor of the group.")
    reason: Literal["crisis", "worry"]
    created_at: datetime
    closes_at: datetime
    open: bool
    mentors_may_read: bool
    unread: bool
    messages: list[CheckInMessageOut] | None = Field(
        default=None, description="Only when reading one check-in; null in lists and for mentors she did not let read it.")


class CheckInShareIn(Schema):
    allow: bool = Field(description="The group's other peer mentors may read this check-in.")


class CheckInsRefusedIn(Schema):
    refused: bool = Field(description="No private check-ins from this group's peer mentors.")
