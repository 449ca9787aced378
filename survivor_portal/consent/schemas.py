from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema

Scope = Literal["goals", "appointments", "messages", "display_name", "safety_plan"]
Category = Literal["housing", "safety", "legal", "health", "money", "work", "learning", "family", "community", "other"]


Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ConsentIn(Schema):
    agency_id: Id
    scopes: list[Scope] = Field(min_length=1, max_length=4)
    goal_scope: Literal["all", "categories", "chosen"] = "all"
    categories: list[Category] = Field(default_factory=list, max_length=10)
    goal_ids: list[Id] = Field(default_factory=list, max_length=200)
    purpose: Literal["support", "housing", "legal", "health", "safety", "other"] = "support"
    purpose_note: str = Field(default="", max_length=200)
    days: Literal[30, 90, 180, 365] = 90


class ConsentOut(Schema):
    id: int
    agency_id: int
    agency: str
    scopes: list[str]
    goal_scope: str
    categories: list[str]
    goal_ids: list[int]
    purpose: str
    starts_at: datetime
    expires_at: datetime
    ended_at: datetime | None
    state: str
    supersedes: int | None
    notice_text: str = Field(description="The sentence she confirmed, in the language she read it in: her receipt.")
    notice_language: str = Field(description="The language of notice_text (\"en\", \"es\"; empty if not known).")
    summary: str = Field(description="What the grant lets the agency see, in the language of this request.")
    purpose_note: str
    given_via: str
    recorded_by: str | None
    sharing_version: str | None = Field(default=None, description="Her own answers only: where her sharing with this agency stands. Send it as `If-Match: \"<sharing_version>\"` "
                                 "to share, renew, stop, confirm or never-share based on it (412 if it moved on).")


class LookOut(Schema):
    sentence: str
    at: datetime
    via: str


class PersonOut(Schema):
    id: int
    name: str | None
    shares_goals: bool
    shares_appointments: bool
    shares_safety_plan: bool
    shares_messages: bool
    until: datetime
    since: datetime
    new: bool = Field(description="Started sharing within `news_days` (not a renewal or a change).")


class SharedStepOut(Schema):
    text: str
    done: bool


class SharedGoalOut(Schema):
    id: int
    title: str
    category: str
    status: str
    target_date: str | None
    steps: list[SharedStepOut]


class DisclosureIn(Schema):
    username: str | None = Field(default=None, max_length=40)
    survivor_id: Id | None = None
    shared_what: str = Field(max_length=300)
    with_whom: str = Field(max_length=200)
    why: str = Field(max_length=500)


class DisclosureOut(Schema):
    id: int
    agency: str
    author: str
    shared_what: str
    with_whom: str
    why: str
    at: datetime
    acknowledged_at: datetime | None


class ApiKeyIn(Schema):
    name: str = Field(max_length=80)


class ApiKeyOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None


class ApiKeyCreatedOut(ApiKeyOut):
    key: str


class NeverShareIn(Schema):
    agency_id: Id
    never: bool = True


class RecordForIn(Schema):
    username: str = Field(max_length=40)
    scopes: list[Literal["goals", "appointments", "messages", "display_name"]] = Field(
        min_length=1, max_length=4, description="Her safety plan is never among them: only she shares it, in the app.")
    goal_scope: Literal["all", "categories"] = "all"
    categories: list[Category] = Field(default_factory=list, max_length=10)
    purpose: Literal["support", "housing", "legal", "health", "safety", "other"] = "support"
    days: Literal[30, 90, 180, 365] = 90


PlanSection = Literal["warning_signs", "safe_places", "people", "code_word", "documents", "money_bag",
                      "children_pets", "phone", "after_leaving"]


class SuggestionIn(Schema):
    text: str = Field(max_length=200)
    goal_id: Id | None = None
    category: Category = "other"
    plan_section: PlanSection | None = Field(default=None, description="An addition to this section of her safety "
                                             "plan, instead of a goal or a step (she must share her plan with you).")


class SuggestionOut(Schema):
    id: int
    agency: str
    author: str
    goal_id: int | None
    plan_section: str | None
    text: str
    category: str
    status: str


class SuggestionAnswerIn(Schema):
    take: bool
    text: str | None = Field(default=None, max_length=200)


class ConfirmIn(Schema):
    yes: bool
