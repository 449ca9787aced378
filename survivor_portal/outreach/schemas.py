from datetime import datetime

from ninja import Field, Schema

from survivor_portal.outreach.models import LONGEST_GRACE_MINUTES
from survivor_portal.outreach.services import LONGEST_OUT_MINUTES, SHORTEST_OUT_MINUTES

_MINUTES = f"Minutes from now until they will check back ({SHORTEST_OUT_MINUTES} to {LONGEST_OUT_MINUTES})."


class StaffCheckInPersonOut(Schema):
    id: int
    name: str


class StaffCheckInEventOut(Schema):
    kind: str = Field(description='"started", "extended", "ended" or "acknowledged".')
    at: datetime
    by: StaffCheckInPersonOut | None = Field(description="Who did it; null once their account is gone.")
    back_by: datetime | None


class StaffCheckInOut(Schema):
    id: int
    staff: StaffCheckInPersonOut
    mine: bool
    place: str = Field(description="A neutral label. Never a survivor's name or address.")
    colleagues: list[StaffCheckInPersonOut]
    with_others: str
    note: str
    started_at: datetime
    back_by: datetime
    alert_at: datetime = Field(description="back_by plus the agency's grace period: overdue from then until someone acknowledges it or they are back.")
    overdue: bool
    ended_at: datetime | None
    acknowledged_at: datetime | None
    acknowledged_by: StaffCheckInPersonOut | None
    events: list[StaffCheckInEventOut]
    version: int = Field(description='Goes up with every change; as an ETag it is "<version>".')


class StaffCheckInIn(Schema):
    place: str = Field(max_length=80, description="A neutral label, like \"visit north side\". Never a survivor's name or address.")
    back_in_minutes: int = Field(ge=SHORTEST_OUT_MINUTES, le=LONGEST_OUT_MINUTES, description=_MINUTES)
    colleague_ids: list[int] = Field(default_factory=list, max_length=50, description="Colleagues from your agency going with you.")
    with_others: str = Field(default="", max_length=120)
    note: str = Field(default="", max_length=300)
    confirm_identifying: bool = Field(default=False, description="They saw the warning that it may identify someone and save anyway.")


class StaffCheckInPatch(Schema):
    back_in_minutes: int | None = Field(default=None, ge=SHORTEST_OUT_MINUTES, le=LONGEST_OUT_MINUTES,
                                        description="Extend: " + _MINUTES)
    back: bool | None = Field(default=None, description="true: they are back, and the check-in ends.")


class AgencySafetyOut(Schema):
    grace_minutes: int
    on_duty_ids: list[int] = Field(description="Staff who see overdue check-ins; empty means all staff do.")
    crisis_resources: str
    version: int = Field(description='Goes up with every change; as an ETag it is "<version>".')


class AgencySafetyIn(Schema):
    grace_minutes: int = Field(ge=0, le=LONGEST_GRACE_MINUTES)
    on_duty_ids: list[int] = Field(default_factory=list, max_length=500)
    crisis_resources: str = Field(default="", max_length=1000)
