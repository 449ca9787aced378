from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from survivor_portal.plans.sections import CODE_WORD_LONGEST, TEXT_LONGEST

Tick = Literal["passport", "id", "immigration", "birth", "benefits", "bank",
               "location", "shared", "passwords", "spyware", "careful"]


class SectionIn(Schema):
    text: str = Field(default="", max_length=TEXT_LONGEST, description="Her words; optional.")
    ticks: list[Tick] = Field(default_factory=list, max_length=6,
                              description="Ticked items of the section's checklist (documents, phone) only.")
    private: bool = Field(default=False, description="Keep private: never shown to any agency, whatever she shares.")


class CodeWordIn(SectionIn):
    text: str = Field(default="", max_length=CODE_WORD_LONGEST)


class PlanIn(Schema):
    """Her whole plan: a section left out is saved empty."""

    warning_signs: SectionIn = Field(default_factory=SectionIn)
    safe_places: SectionIn = Field(default_factory=SectionIn)
    people: SectionIn = Field(default_factory=SectionIn)
    code_word: CodeWordIn = Field(default_factory=CodeWordIn)
    documents: SectionIn = Field(default_factory=SectionIn)
    money_bag: SectionIn = Field(default_factory=SectionIn)
    children_pets: SectionIn = Field(default_factory=SectionIn)
    phone: SectionIn = Field(default_factory=SectionIn)
    after_leaving: SectionIn = Field(default_factory=SectionIn)


class ChecklistItemOut(Schema):
    code: str
    label: str
    ticked: bool


class SectionOut(Schema):
    key: str
    title: str
    text: str
    ticks: list[str]
    checklist: list[ChecklistItemOut]
    private: bool


class PlanOut(Schema):
    version: int = Field(description="Her saves so far (0: never saved). Also the ETag: send it in If-Match.")
    updated_at: datetime | None
    review_every_days: int = Field(description="0: never asked to look at it again.")
    review_due: bool
    sections: list[SectionOut]


class VersionOut(Schema):
    number: int
    saved_at: datetime
    how: str = Field(description="saved, restored (restored_from says which), or suggestion (one she took)")
    restored_from: int | None
    sections: list[SectionOut]


class ReviewIn(Schema):
    every_days: Literal[0, 30, 90, 180]


class SharedSectionOut(Schema):
    key: str
    title: str
    text: str
    checklist: list[ChecklistItemOut]


class SharedPlanOut(Schema):
    id: int
    name: str | None
    sections: list[SharedSectionOut] = Field(description="Only sections she filled in and does not keep private.")
