from datetime import datetime

from ninja import Field, Schema

from survivor_portal.conversations.models import LONGEST


class ConversationIn(Schema):
    agency_id: int | None = Field(default=None, ge=1, le=2**63 - 1,
                                  description="She opens hers with an agency she shares messages with.")
    survivor_id: int | None = Field(default=None, ge=1, le=2**63 - 1,
                                    description="Staff open theirs with someone who shares messages with their agency.")


class ConversationOut(Schema):
    id: int | None = Field(description="Null where nothing was written yet (POST /conversations opens it).")
    agency_id: int
    agency: str
    survivor_id: int
    survivor_name: str | None = Field(description="For staff: her name, where she shares it.")
    open: bool = Field(description="She shares messages with the agency now, so both may write.")
    unread: bool


class MessageIn(Schema):
    body: str = Field(max_length=LONGEST)


class MessageOut(Schema):
    id: int
    mine: bool = Field(description="Written by the one asking (for staff: by their agency).")
    from_agency: bool
    author: str | None = Field(description="The staff member's name; null for her messages and for meeting lines.")
    body: str
    event: str | None = Field(description="cancelled or moved: a line the app wrote about a meeting; null for messages.")
    meeting_at: datetime | None
    moved_to: datetime | None
    created_at: datetime


class SentOut(MessageOut):
    crisis_resources: str | None = Field(description="Shown to her, privately, when her words sound like a crisis.")


class MessagesOut(Schema):
    conversation: ConversationOut
    messages: list[MessageOut]
    more: bool = Field(description="Older messages exist than those returned (the newest 200).")
    newest_id: int


class KeepDaysIn(Schema):
    days: int = Field(description="7, 30 or 90.")


class KeepDaysOut(Schema):
    days: int
