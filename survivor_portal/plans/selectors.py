"""Reads of her safety plan, filtered by who asks. She reads all of it; an agency reads it only
through her sharing in force with the "safety plan" scope (consent.selectors), never a section
she keeps private, and every such read is recorded as a look she can see."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from survivor_portal.accounts.models import User
from survivor_portal.consent.selectors import Reader, grant_or_404
from survivor_portal.consent.services import record_looks
from survivor_portal.errors import NotFound
from survivor_portal.plans.models import SafetyPlan, SafetyPlanVersion
from survivor_portal.plans.sections import SECTIONS, Section
from survivor_portal.plans.services import review_is_due, sections_of

LOOK = "safety_plan"  # what an AccessEvent names (consent.selectors says it in her words)


@dataclass
class PlanSection:
    section: Section
    text: str
    ticks: list[str]
    private: bool

    @property
    def key(self) -> str:
        return self.section.key

    @property
    def filled(self) -> bool:
        return bool(self.text or self.ticks)

    @property
    def ticked(self) -> list[tuple[str, str, bool]]:
        """(code, label, ticked) for each item of its checklist."""
        return [(code, str(label), code in self.ticks) for code, label in self.section.checklist]


@dataclass
class PlanView:
    version: int
    sections: list[PlanSection]
    review_every_days: int = 0
    updated_at: datetime | None = None
    review_due: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def filled(self) -> int:
        return sum(1 for section in self.sections if section.filled)


def _view(content: str, plan: SafetyPlan | None = None, *, keep=lambda s: True) -> PlanView:
    stored = sections_of(content)
    sections = [PlanSection(section, **stored[section.key]) for section in SECTIONS]
    return PlanView(
        version=plan.version if plan else 0, sections=[s for s in sections if keep(s)],
        review_every_days=plan.review_every_days if plan else 0,
        updated_at=plan.updated_at if plan and plan.version else None, review_due=review_is_due(plan),
    )


def _survivor(viewer: User) -> None:
    if not viewer.is_authenticated or not viewer.is_survivor:
        raise NotFound(_("We could not find that."))


def plan_for(*, viewer: User) -> PlanView:
    """Her whole plan, private sections included: it is hers."""
    _survivor(viewer)
    plan = SafetyPlan.objects.filter(owner=viewer).first()
    return _view(plan.content if plan else "", plan)


def section_for(*, viewer: User, key: str) -> tuple[PlanSection, int]:
    view = plan_for(viewer=viewer)
    found = next((s for s in view.sections if s.key == key), None)
    if found is None:
        raise NotFound(_("That part of the plan does not exist."))
    return found, view.version


def versions_for(*, viewer: User) -> list[dict]:
    """Every kept save, newest first, each as she can read it."""
    _survivor(viewer)
    kept = SafetyPlanVersion.objects.filter(plan__owner=viewer)
    return [{"number": v.number, "saved_at": v.saved_at, "how": v.how, "how_label": v.get_how_display(),
             "restored_from": v.restored_from, "plan": _view(v.content)} for v in kept]


def review_due(*, viewer: User) -> bool:
    """Whether to ask her, gently and only in the app, to look at her plan again."""
    if not viewer.is_authenticated or not viewer.is_survivor:
        return False
    return review_is_due(SafetyPlan.objects.filter(owner=viewer).only(
        "version", "review_every_days", "looked_at").first())


def shared_plan_of(*, reader: Reader, survivor_id: int) -> dict:
    """What her sharing lets the agency see: the sections she filled in and does not keep
    private. A private section is left out as if empty, so nobody learns it exists. The look
    is recorded. When she last saved is not told either: it could show a change to a private section."""
    grant = grant_or_404(reader, survivor_id)
    if not grant.share_safety_plan:
        raise NotFound(_("We could not find that person."))
    plan = SafetyPlan.objects.filter(owner_id=survivor_id).first()
    view = _view(plan.content if plan else "", plan, keep=lambda s: s.filled and not s.private)
    record_looks(survivors=[survivor_id], agency=reader.agency, actor=reader.actor, actor_label=reader.label,
                 what=LOOK, via=reader.via)
    return {"id": survivor_id, "name": grant.survivor.display_name if grant.share_display_name else None,
            "sections": view.sections}
