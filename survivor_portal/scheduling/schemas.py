from datetime import date, datetime, time
from typing import Annotated, Literal

from ninja import Field, Schema

Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
ModeName = Literal["phone", "video", "in_person"]


class SlotIn(Schema):
    starts_at: datetime = Field(description="With a zone, or read as the agency's wall clock.")
    ends_at: datetime
    mode: ModeName = "phone"
    place_label: str = Field(default="", max_length=80)


class WeeklyIn(Schema):
    weekdays: list[Annotated[int, Field(ge=0, le=6)]] = Field(min_length=1, max_length=7, description="0 is Monday.")
    start_time: time
    end_time: time
    slot_minutes: int = Field(ge=15, le=120)
    first_day: date | None = None
    weeks: int = Field(default=4, ge=1, le=12)
    mode: ModeName = "phone"
    place_label: str = Field(default="", max_length=80)


class SlotOut(Schema):
    id: int
    advocate_id: int
    advocate: str
    agency: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    shown_as: str
    mode: str
    place_label: str
    booked: bool | None = None


class RulesIn(Schema):
    min_notice_minutes: int = Field(ge=0, le=7 * 24 * 60)
    buffer_minutes: int = Field(ge=0, le=120)


class RulesOut(RulesIn):
    version: int


class PrefsIn(Schema):
    code_word: str = Field(default="", max_length=40)
    calendar_title: str = Field(default="", max_length=60)
    calendar_details: bool = False


class PrefsOut(PrefsIn):
    version: int


class BookIn(Schema):
    slot_id: Id
    contact: Literal["i_will_call", "app_only", "call_me"] = "app_only"
    phone: str = Field(default="", max_length=30)
    voicemail_ok: bool = False
    note: str = Field(default="", max_length=300)


class AppointmentMoveIn(Schema):
    slot_id: Id


class CancelIn(Schema):
    reason: str = Field(default="", max_length=300, description="Needed when staff cancel; she sees it.")
    withdraw_slot: bool = Field(default=False, description="Staff only: also take the time off the list.")


class AppointmentOut(Schema):
    id: int
    status: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    shown_as: str
    mode: str
    place_label: str
    agency: str
    advocate: str | None = None
    person: str | None = Field(default=None, description="For staff: her name if she shares it.")
    shared: bool = True
    contact: str | None = None
    phone: str | None = None
    voicemail_ok: bool | None = None
    note: str | None = None
    code_word: str | None = None
    cancelled_by: str | None = None
    cancel_reason: str | None = None
    replaces: int | None = None
    change_seen_at: datetime | None = Field(default=None, description="For her: when she said she read that her advocate cancelled it.")
