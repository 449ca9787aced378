from datetime import date

from ninja import Field, Schema
from typing import Literal

Category = Literal["housing", "safety", "legal", "health", "money", "work", "learning", "family", "community", "other"]
Status = Literal["not_started", "not_ready", "working", "paused", "done"]


class StepOut(Schema):
    id: int
    text: str
    done: bool
    position: int
    version: int = Field(description='Goes up with every change; as an ETag it is "<version>".')


class GoalOut(Schema):
    id: int
    title: str
    note: str
    category: str
    status: str
    target_date: date | None
    keep_private: bool
    only_me: bool = Field(description="Only she can open it: sealed with her own key, never shared, not even by "
                                      "a grant of all her goals. Always kept private too.")
    sealed: Literal["", "closed", "lost"] = Field(
        default="", description='"" when opened. "closed": this session does not hold her key: POST her passphrase '
        'to /api/v1/me/only-me/open. "lost": kept with a key an agency reset dropped; it can only be deleted. '
        "Title, note and steps are then not her words.")
    position: int
    version: int = Field(description='Goes up with every change; as an ETag it is "<version>".')


class GoalDetailOut(GoalOut):
    steps: list[StepOut]


class GoalListOut(Schema):
    version: str = Field(description="Send this back with a reorder, so a stale order is refused.")
    goals: list[GoalOut]


class GoalIn(Schema):
    title: str = Field(max_length=120)
    note: str = Field(default="", max_length=2000)
    category: Category = "other"
    status: Status = "not_started"
    target_date: date | None = None
    keep_private: bool = False
    only_me: bool = Field(default=False, description="Seal it with her own key (needs her key in this session).")


class GoalPatch(Schema):
    keep_private: bool | None = None
    only_me: bool | None = None
    title: str | None = Field(default=None, max_length=120)
    note: str | None = Field(default=None, max_length=2000)
    category: Category | None = None
    status: Status | None = None
    target_date: date | None = None


class OrderIn(Schema):
    ids: list[int] = Field(max_length=500)
    version: str | None = Field(default=None, max_length=32)


class GoalMoveIn(Schema):
    to: Literal["up", "down", "top"]
    version: str | None = Field(default=None, max_length=32)


class StepIn(Schema):
    text: str = Field(max_length=200)


class StepPatch(Schema):
    text: str | None = Field(default=None, max_length=200)
    done: bool | None = None


class StepListOut(Schema):
    version: str
    steps: list[StepOut]
