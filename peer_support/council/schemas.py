from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema


class IdeaIn(Schema):
    text: str = Field(max_length=1000)
    signed: bool = Field(default=False, description="Show the council who sent it.")


class IdeaOut(Schema):
    id: int
    text: str
    signed: bool
    sender: str | None
    status: str
    council_note: str
    proposal_id: int | None
    proposal_status: str | None
    created_at: datetime


class ProposalIn(Schema):
    title: str = Field(max_length=120)
    problem: str = Field(max_length=2000)
    change: str = Field(max_length=2000)
    affects: str = Field(max_length=300)
    idea_id: int | None = Field(default=None, ge=1, le=2**63 - 1)
    open_now: bool = Field(default=False, description="Open for discussion at once instead of keeping a draft.")


class ProposalPatch(Schema):
    title: str | None = Field(default=None, max_length=120)
    problem: str | None = Field(default=None, max_length=2000)
    change: str | None = Field(default=None, max_length=2000)
    affects: str | None = Field(default=None, max_length=300)
    status: Literal["discussion", "withdrawn"] | None = Field(
        default=None, description="Open a draft for discussion, or withdraw it before voting.")


class ProposalSummary(Schema):
    id: int
    title: str
    status: str
    author: str
    closes_at: datetime | None
    answered: bool
    overdue: bool


class RevisionOut(Schema):
    number: int
    title: str
    problem: str
    change: str
    affects: str
    created_at: datetime


class CommentIn(Schema):
    body: str = Field(max_length=2000)


class CommentOut(Schema):
    id: int
    author: str
    body: str
    created_at: datetime


class VotingIn(Schema):
    closes_on: date


class VoteIn(Schema):
    choice: Literal["agree", "abstain", "disagree", "block"]
    reason: str = Field(default="", max_length=500)


class VoteOut(Schema):
    choice: str
    reason: str
    updated_at: datetime


class ProposalAnswerIn(Schema):
    answer: Literal["accepted", "with_changes", "not_now", "declined"]
    reasons: str = Field(max_length=2000)


class AnswerOut(Schema):
    answer: str
    reasons: str
    author: str
    created_at: datetime


class UpdateIn(Schema):
    text: str = Field(max_length=2000)
    done: bool = False


class UpdateOut(Schema):
    text: str
    marks_done: bool
    author: str
    created_at: datetime


class Counts(Schema):
    agree: int
    abstain: int
    disagree: int
    block: int


class ProposalOut(Schema):
    id: int
    title: str
    problem: str
    change: str
    affects: str
    version: int = Field(description='Goes up with each revision; as an ETag it is "<version>".')
    status: str
    author: str
    decision_rule: str
    council_size: int
    opened_at: datetime | None
    closes_at: datetime | None
    closed_at: datetime | None
    votes: Counts = Field(description="So far while voting; fixed at closing.")
    block_reasons: list[str]
    my_vote: VoteOut | None
    revisions: list[RevisionOut]
    comments: list[CommentOut]
    answer: AnswerOut | None
    answer_due: datetime | None
    overdue: bool
    updates: list[UpdateOut]
    done_at: datetime | None


class ChangeOut(Schema):
    id: int
    title: str
    change: str
    closed_at: datetime | None
    answer: AnswerOut | None
    overdue: bool
    updates: list[UpdateOut]
    done_at: datetime | None
