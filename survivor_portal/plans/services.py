"""Every write and rule about her safety plan. Only she writes it; every save keeps a version."""

import json
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from survivor_portal.accounts.models import User
from survivor_portal.errors import Invalid, NotFound, text_or_invalid
from survivor_portal.plans.models import SafetyPlan, SafetyPlanVersion
from survivor_portal.plans.sections import BY_KEY, KEYS, empty_section
from survivor_portal.versions import Expected, Stale, version_check
from survivor_portal.write_limits import write_limit

# The newest saves kept to look back at and restore; an older one goes when a new save comes.
VERSIONS_KEPT = 100
STALE_MESSAGE = gettext_noop("Your safety plan changed in another window since you opened it. Nothing was saved yet.")


# ---- Her plan as data ----------------------------------------------------------------------------


def sections_of(content: str) -> dict[str, dict]:
    """Every section, filled in or empty, from the sealed JSON (an empty plan has none)."""
    try:
        stored = json.loads(content).get("sections", {}) if content else {}
    except ValueError:  # sealed under a key no longer listed (vault): it reads as a marker, not JSON
        stored = {}
    return {key: {**empty_section(), **stored.get(key, {})} for key in KEYS}


def _content(sections: dict[str, dict]) -> str:
    # Empty sections that are not private are left out: nothing to keep.
    kept = {key: section for key, section in sections.items() if section != empty_section()}
    return json.dumps({"sections": kept}, ensure_ascii=False, sort_keys=True)


def section_checked(key: str, text: str | None, ticks: list[str] | None, private: bool) -> dict:
    """One section as she may write it: her words trimmed and within the length, ticks from its list."""
    section = BY_KEY.get(key)
    if section is None:
        raise Invalid(_("That part of the plan does not exist."), field="section")
    # A form sends new lines as \r\n: kept as \n, so the length she sees is the length counted.
    words = text_or_invalid((text or "").replace("\r\n", "\n"), "text", section.longest, required=False)
    ticks = list(ticks or [])
    if any(tick not in section.tick_codes for tick in ticks):
        raise Invalid(_("Choose from the list."), field="ticks")
    return {"text": words, "ticks": [code for code in section.tick_codes if code in ticks], "private": bool(private)}


# ---- Saving ------------------------------------------------------------------------------------


def _lock_plan(actor: User) -> SafetyPlan:
    """Her own row is locked first, so two tabs take turns; her plan is made at her first save."""
    if not actor.is_authenticated or not actor.is_survivor:
        raise NotFound(_("We could not find that."))
    get_user_model().objects.select_for_update(no_key=True).only("pk").get(pk=actor.pk)
    plan, _made = SafetyPlan.objects.get_or_create(owner=actor)
    return plan


def _check_version(plan: SafetyPlan, expected: Expected) -> None:
    version_check(plan, expected, _(STALE_MESSAGE))


def _keep(plan: SafetyPlan, sections: dict[str, dict], how: str, restored_from: int | None = None) -> SafetyPlan:
    """The save itself: the plan changes, and this save is kept as a version she can come back to."""
    now = timezone.now()
    plan.content = _content(sections)
    plan.version += 1
    plan.updated_at = plan.looked_at = now
    plan.save(update_fields=["content", "version", "updated_at", "looked_at"])
    SafetyPlanVersion.objects.create(plan=plan, number=plan.version, content=plan.content, how=how,
                                     restored_from=restored_from, saved_at=now)
    SafetyPlanVersion.objects.filter(plan=plan, number__lte=plan.version - VERSIONS_KEPT).delete()
    return plan


@write_limit("safety_plan")
@transaction.atomic
def plan_save(*, actor: User, sections: dict[str, dict], version: Expected = None) -> SafetyPlan:
    """Her whole plan at once (the API's PUT): a section not given is empty."""
    plan = _lock_plan(actor)
    _check_version(plan, version)
    unknown = set(sections) - set(KEYS)
    if unknown:
        raise Invalid(_("That part of the plan does not exist."), field=sorted(unknown)[0])
    checked = {}
    for key in KEYS:
        given = sections.get(key) or {}
        try:
            checked[key] = section_checked(key, given.get("text"), given.get("ticks"), given.get("private", False))
        except Invalid as problem:
            raise Invalid(problem.message, field=f"{key}.{problem.field}") from None
    return _keep(plan, checked, SafetyPlanVersion.How.SAVED)


@write_limit("safety_plan")
@transaction.atomic
def plan_section_save(*, actor: User, key: str, text: str, ticks: list[str] | None = None, private: bool = False,
                      version: Expected = None) -> SafetyPlan:
    """One section from its page. When the plan moved on since her page was made, the save still
    goes ahead if that move left this section as her page showed it (another section was saved in
    another tab); otherwise nothing is saved (Stale) and she chooses between the two texts."""
    plan = _lock_plan(actor)
    section = section_checked(key, text, ticks, private)
    sections = sections_of(plan.content)
    if version is not None and version != plan.version:
        based_on = _version_content(plan, version)
        if based_on is None or sections_of(based_on)[key] != sections[key]:
            _check_version(plan, version)
    sections[key] = section
    return _keep(plan, sections, SafetyPlanVersion.How.SAVED)


def _version_content(plan: SafetyPlan, version: Expected) -> str | None:
    if not isinstance(version, int) or version < 0:
        return None
    if version == 0:
        return ""
    kept = SafetyPlanVersion.objects.filter(plan=plan, number=version).first()
    return kept.content if kept else None


@write_limit("safety_plan")
@transaction.atomic
def plan_restore(*, actor: User, number: int, version: Expected = None) -> SafetyPlan:
    """Brings back an older version. Restoring is itself a save: what she had until now stays
    kept as a version too, so she can change her mind again."""
    plan = _lock_plan(actor)
    old = SafetyPlanVersion.objects.filter(plan=plan, number=number).first() if 0 < number < 2**31 else None
    if old is None:
        raise NotFound(_("We could not find that version."))
    _check_version(plan, version)
    return _keep(plan, sections_of(old.content), SafetyPlanVersion.How.RESTORED, restored_from=old.number)


@transaction.atomic
def plan_suggestion_take(*, actor: User, key: str, text: str) -> SafetyPlan:
    """A suggestion she took (consent.services.suggestion_answer), in her words, added at the end
    of its section. Adding never overwrites, so it needs no version; it is a save like any other.
    (The suggestion's own write limit counted the advocate; her answer is not limited, like any yes or no.)"""
    plan = _lock_plan(actor)
    sections = sections_of(plan.content)
    if key not in BY_KEY:
        raise Invalid(_("That part of the plan does not exist."), field="section")
    words = text_or_invalid(text, "text", 200, empty=_("Write it in a few words."))
    joined = f"{sections[key]['text']}\n{words}".strip()
    sections[key] = section_checked(key, joined, sections[key]["ticks"], sections[key]["private"])
    return _keep(plan, sections, SafetyPlanVersion.How.SUGGESTION)


@transaction.atomic
def plan_delete(*, actor: User) -> None:
    """Her plan and every version of it, gone at once (her choices of reminder with them).
    Never limited: nothing stands between her and taking her words away."""
    if not actor.is_authenticated or not actor.is_survivor:
        raise NotFound(_("We could not find that."))
    get_user_model().objects.select_for_update(no_key=True).only("pk").get(pk=actor.pk)
    SafetyPlan.objects.filter(owner=actor).delete()  # its versions cascade


@transaction.atomic
def plan_review_set(*, actor: User, every_days: int) -> SafetyPlan:
    """How often the app gently asks her to look at her plan again (0: never). A setting, not limited."""
    if every_days not in SafetyPlan.Review.values:
        raise Invalid(_("Choose one of the options."), field="review_every_days")
    plan = _lock_plan(actor)
    plan.review_every_days, plan.looked_at = every_days, timezone.now()
    plan.save(update_fields=["review_every_days", "looked_at"])
    return plan


@transaction.atomic
def plan_looked_at(*, actor: User) -> SafetyPlan:
    """She looked at it again (or said "not now"): the prompt waits for the next period."""
    plan = _lock_plan(actor)
    plan.looked_at = timezone.now()
    plan.save(update_fields=["looked_at"])
    return plan


def review_is_due(plan: SafetyPlan | None, now=None) -> bool:
    if plan is None or not plan.review_every_days or not plan.version:
        return False
    return plan.looked_at + timedelta(days=plan.review_every_days) <= (now or timezone.now())
