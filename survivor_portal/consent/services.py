"""Every rule about sharing: granting, changing, withdrawing, and recording each look."""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from survivor_portal import times
from survivor_portal.accounts.models import Agency, User
from survivor_portal.consent.models import (
    AccessEvent,
    AgencyApiKey,
    ConsentGrant,
    DisclosureNotice,
    NeverShare,
    Suggestion,
)
from survivor_portal.errors import Invalid, NotFound, full_clean_or_invalid
from survivor_portal.goals.models import Goal
from survivor_portal.plans.sections import BY_KEY as PLAN_SECTIONS
from survivor_portal.versions import Stale, version_check
from survivor_portal.write_limits import write_limit

DURATIONS = (30, 90, 180, 365)
DEFAULT_DAYS = 90
SCOPES = ("goals", "appointments", "messages", "display_name", "safety_plan")
RENEW_NOTICE_DAYS = 7


def _lock_survivor(actor: User) -> None:
    if not actor.is_survivor:
        raise NotFound(_("We could not find that."))
    get_user_model().objects.select_for_update(no_key=True).only("pk").get(pk=actor.pk)


def notice_sentence(*, agency: Agency, scopes: list[str], goal_scope: str, categories: list[str],
                    goal_count: int, expires_at) -> str:
    """The one plain sentence she sees before she confirms, in the language she reads, and which
    the grant keeps as her receipt. (That she can stop it is said beside it, not in it: a receipt
    outlives the sharing.)"""
    parts = []
    if "goals" in scopes:
        if goal_scope == ConsentGrant.GoalScope.ALL:
            parts.append(_("your goals"))
        elif goal_scope == ConsentGrant.GoalScope.CATEGORIES:
            labels = [str(Goal.Category(c).label).lower() for c in categories]
            parts.append(_("your %(topics)s goals") % {"topics": _(" and ").join(labels)})
        else:
            parts.append(ngettext("%(count)s goal you chose", "%(count)s goals you chose", goal_count)
                         % {"count": goal_count})
    if "appointments" in scopes:
        parts.append(_("your appointments with them"))
    if "messages" in scopes:
        parts.append(_("the messages you write with them"))
    if "display_name" in scopes:
        parts.append(_("the name you use here"))
    if "safety_plan" in scopes:
        parts.append(_("your safety plan, except the parts you keep private"))
    what = ", ".join(parts[:-1]) + (_(" and ") if len(parts) > 1 else "") + parts[-1]
    return _("%(agency)s will be able to see %(what)s until %(date)s.") % {
        "agency": agency.name, "what": what, "date": times.day(expires_at)}


def summary_of(grant: ConsentGrant) -> str:
    """What a grant lets the agency see, in the language she reads now. Her receipt keeps the
    words she confirmed, in the language she saw them (grant.notice_text)."""
    return notice_sentence(agency=grant.agency, scopes=grant.scopes, goal_scope=grant.goal_scope,
                           categories=grant.goal_categories, goal_count=len(grant.goal_ids), expires_at=grant.expires_at)


def _check_choices(actor: User, scopes, goal_scope, categories, goal_ids, purpose, days) -> None:
    if not scopes or any(scope not in SCOPES for scope in scopes):
        raise Invalid(_("Choose at least one thing to share."), field="scopes")
    if days not in DURATIONS:
        raise Invalid(_("Choose 30, 90, 180 or 365 days."), field="days")
    if purpose not in ConsentGrant.Purpose.values:
        raise Invalid(_("Choose why you are sharing."), field="purpose")
    if "goals" not in scopes:
        return
    if goal_scope not in ConsentGrant.GoalScope.values:
        raise Invalid(_("Choose which goals to share."), field="goal_scope")
    if goal_scope == ConsentGrant.GoalScope.CATEGORIES and (
        not categories or any(c not in Goal.Category.values for c in categories)
    ):
        raise Invalid(_("Choose at least one topic."), field="categories")
    if goal_scope == ConsentGrant.GoalScope.CHOSEN:
        wanted = {pk for pk in goal_ids or [] if 0 < pk < 2**63}
        hers = set(Goal.objects.filter(owner=actor, deleted_at__isnull=True, only_me=False, pk__in=wanted)
                   .values_list("pk", flat=True))
        if not goal_ids or hers != set(goal_ids):
            raise Invalid(_("Choose at least one of your goals."), field="goal_ids")


def preview(*, actor: User, agency_id: int, scopes: list[str], goal_scope: str = "all",
            categories: list[str] | None = None, goal_ids: list[int] | None = None,
            purpose: str = "support", days: int = DEFAULT_DAYS) -> str:
    """Checks the choices and returns the sentence to confirm; changes nothing."""
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None:
        raise NotFound(_("We could not find that agency."))
    if NeverShare.objects.filter(survivor=actor, agency=agency).exists():
        raise Invalid(_("You chose never to share with this agency. Change that first if you want to."), field="agency_id")
    if "safety_plan" in scopes:
        _one_plan_share(actor, agency.pk)
    return _sentence(actor, agency, scopes, goal_scope, categories, goal_ids, purpose, days)


def _sentence(actor: User, agency: Agency, scopes, goal_scope, categories, goal_ids, purpose, days) -> str:
    _check_choices(actor, scopes, goal_scope, categories, goal_ids, purpose, days)
    return notice_sentence(
        agency=agency, scopes=scopes, goal_scope=goal_scope, categories=categories or [],
        goal_count=len(set(goal_ids or [])), expires_at=timezone.now() + timedelta(days=days),
    )


def _close_expired(survivor: User, agency_id: int, now) -> None:
    """Grants past their end are closed as "expired" before a new one opens."""
    ConsentGrant.objects.filter(
        survivor=survivor, agency_id=agency_id, ended_at__isnull=True, awaiting_her=False, expires_at__lte=now
    ).update(ended_at=now, end_reason=ConsentGrant.EndReason.EXPIRED)


def sharing_versions(survivor: User) -> dict[int, str]:
    """Where her sharing with each agency stands, as a short text that changes with every
    choice: her newest grant there and whether it ended, and her never-share row (a new row
    each time she turns it on). A share or never-share form carries it, so one from an older
    page cannot undo a newer choice (start sharing again after she stopped, say). Two
    queries for all agencies at once, so the sharing page costs the same whatever she did."""
    newest: dict[int, str] = {}
    for pk, agency_id, ended_at in ConsentGrant.objects.filter(survivor=survivor).order_by("pk").values_list(
            "pk", "agency_id", "ended_at"):
        newest[agency_id] = f"{pk}{'e' if ended_at else ''}"
    never = dict(NeverShare.objects.filter(survivor=survivor).values_list("agency_id", "pk"))
    return {agency: f"{newest.get(agency, 0)}.{never.get(agency, 0)}" for agency in {*newest, *never}}


def sharing_version(survivor: User, agency_id: int) -> str:
    return sharing_versions(survivor).get(agency_id, "0.0")


def _check_sharing(actor: User, agency_id: int, version: str | None) -> None:
    version_check(sharing_version(actor, agency_id), version,
                  _("Your sharing with this agency changed in another window. Nothing was saved yet."))


@write_limit("sharing")
@transaction.atomic
def consent_grant(*, actor: User, agency_id: int, scopes: list[str], goal_scope: str = "all",
                  categories: list[str] | None = None, goal_ids: list[int] | None = None,
                  purpose: str = "support", purpose_note: str = "", days: int = DEFAULT_DAYS,
                  end_reason: str = ConsentGrant.EndReason.CHANGED, version: str | None = None) -> ConsentGrant:
    """She shares with one agency. If she already shares with it, the old grant ends (as
    "changed", or "renewed") and the new one records which grant it replaced. `version`
    (sharing_version) is where things stood on her page; if they moved on, nothing changes."""
    _lock_survivor(actor)
    _check_sharing(actor, agency_id, version)
    grant = _new_grant(actor, agency_id, scopes, goal_scope, categories, goal_ids, purpose, purpose_note, days)
    _put_in_force(grant, end_reason)
    return grant


def _new_grant(actor, agency_id, scopes, goal_scope, categories, goal_ids, purpose, purpose_note, days,
               *, withheld: bool = False) -> ConsentGrant:
    if withheld:  # her "never share" is not staff's to learn: the same checks, none about her choice
        notice = _sentence(actor, Agency.objects.get(pk=agency_id), scopes, goal_scope, categories, goal_ids, purpose, days)
    else:
        notice = preview(actor=actor, agency_id=agency_id, scopes=scopes, goal_scope=goal_scope,
                         categories=categories, goal_ids=goal_ids, purpose=purpose, days=days)
    now = timezone.now()
    goals = "goals" in scopes
    grant = ConsentGrant(
        survivor=actor, agency_id=agency_id,
        share_goals=goals, goal_scope=goal_scope if goals else ConsentGrant.GoalScope.ALL,
        goal_categories=sorted(set(categories or [])) if goals and goal_scope == "categories" else [],
        goal_ids=sorted(set(goal_ids or [])) if goals and goal_scope == "chosen" else [],
        share_appointments="appointments" in scopes, share_messages="messages" in scopes,
        share_display_name="display_name" in scopes, share_safety_plan="safety_plan" in scopes,
        purpose=purpose, purpose_note=(purpose_note or "").strip()[:200],
        starts_at=now, expires_at=now + timedelta(days=days), notice_text=notice, notice_language=get_language() or "",
    )
    full_clean_or_invalid(grant, exclude=["survivor", "agency", "supersedes", "recorded_by"])
    return grant


def _one_plan_share(survivor: User, agency_id: int) -> None:
    """Her safety plan is shared with one agency at a time. Sharing it with a second is refused,
    naming the first, so nothing she shares stops without her saying so."""
    elsewhere = _active_grants(survivor).filter(share_safety_plan=True).exclude(agency_id=agency_id)
    other = elsewhere.select_related("agency").first()
    if other is not None:
        raise Invalid(_("You share your safety plan with %(agency)s now. It can be shared with one agency at a "
                        "time: change your sharing with %(agency)s first to stop it there, then share it here.")
                      % {"agency": other.agency.name}, field="scopes")


def _put_in_force(grant: ConsentGrant, end_reason: str) -> None:
    """Ends the grant in force for that agency (if any) and puts this one in its place."""
    now = timezone.now()
    if grant.share_safety_plan:
        _one_plan_share(grant.survivor, grant.agency_id)
    _close_expired(grant.survivor, grant.agency_id, now)
    current = _active_grant(grant.survivor, grant.agency_id, now)
    if current is not None:
        current.ended_at, current.end_reason = now, end_reason
        current.save(update_fields=["ended_at", "end_reason"])
    grant.supersedes = current
    grant.awaiting_her = False
    grant.save()


@write_limit("sharing")
@transaction.atomic
def consent_renew(*, actor: User, grant_id: int, version: str | frozenset | None = None) -> ConsentGrant:
    """The same choices again, for the same length of time, from today. Only the sharing in
    force now can be renewed: a "Renew" button on an older page, after she stopped or changed
    that sharing, must never start it again."""
    _lock_survivor(actor)
    old = ConsentGrant.objects.filter(pk=grant_id, survivor=actor, withheld=False).first()
    if old is None:
        raise NotFound(_("We could not find that sharing."))
    _check_sharing(actor, old.agency_id, version)
    if _active_grant(actor, old.agency_id) != old:
        raise Stale(_("This sharing changed since that page was made, so nothing was renewed. Here is how it stands now."),
                    extra={"version": sharing_version(actor, old.agency_id)})
    days = (old.expires_at - old.starts_at).days
    grant = _new_grant(actor, old.agency_id, old.scopes, old.goal_scope, old.goal_categories, old.goal_ids,
                       old.purpose, old.purpose_note, days if days in DURATIONS else DEFAULT_DAYS)
    _put_in_force(grant, ConsentGrant.EndReason.RENEWED)
    return grant


@transaction.atomic
def consent_withdraw(*, actor: User, grant_id: int, version: str | frozenset | None = None) -> ConsentGrant:
    """As easy as granting. Stops whatever she shares with that grant's agency now (even if
    the grant she saw was replaced meanwhile); the agency's very next request is refused.
    Pages send no version: stopping is always safe. The API honours `If-Match` when sent."""
    _lock_survivor(actor)
    seen = ConsentGrant.objects.filter(pk=grant_id, survivor=actor, withheld=False).first()
    if seen is not None:
        _check_sharing(actor, seen.agency_id, version)
    current = _active_grant(actor, seen.agency_id) if seen else None
    if current is None:
        raise NotFound(_("We could not find that sharing."))
    current.ended_at, current.end_reason = timezone.now(), ConsentGrant.EndReason.WITHDRAWN
    current.save(update_fields=["ended_at", "end_reason"])
    return current


def _active_grants(survivor: User, now=None):
    now = now or timezone.now()
    return ConsentGrant.objects.filter(survivor=survivor, ended_at__isnull=True, awaiting_her=False,
                                       starts_at__lte=now, expires_at__gt=now)


def _active_grant(survivor: User, agency_id: int, now=None) -> ConsentGrant | None:
    return _active_grants(survivor, now).filter(agency_id=agency_id).order_by("-created_at").first()


def record_looks(*, survivors: list[int], agency: Agency, actor: User | None, actor_label: str,
                 what: str, via: str) -> None:
    """One access record per person whose data was read, in one statement."""
    AccessEvent.objects.bulk_create(
        AccessEvent(survivor_id=pk, agency=agency, actor=actor, actor_label=actor_label, what=what, via=via)
        for pk in survivors
    )


# ---- Disclosure notices ------------------------------------------------------------------------


def _staff_survivor(actor: User, username: str | None = None, survivor_id: int | None = None) -> User:
    """A survivor this staff member's agency knows: invited by it, or sharing with it now."""
    if not actor.is_agency_staff or actor.agency_id is None:
        raise NotFound(_("We could not find that person."))
    people = get_user_model().objects.filter(role=User.Role.SURVIVOR)
    if username:
        person = people.filter(username__iexact=username).first() if username.isprintable() else None
    else:
        person = people.filter(pk=survivor_id).first() if survivor_id and 0 < survivor_id < 2**63 else None
    if person is None:
        raise NotFound(_("We could not find that person."))
    if person.agency_id != actor.agency_id and _active_grant(person, actor.agency_id) is None:
        raise NotFound(_("We could not find that person."))
    return person


@write_limit("disclosure")
@transaction.atomic
def disclosure_record(*, actor: User, shared_what: str, with_whom: str, why: str,
                      username: str | None = None, survivor_id: int | None = None) -> "DisclosureNotice":
    person = _staff_survivor(actor, username=username, survivor_id=survivor_id)
    notice = DisclosureNotice(
        survivor=person, agency_id=actor.agency_id, author=actor, author_label=actor.display_name,
        shared_what=(shared_what or "").strip(), with_whom=(with_whom or "").strip(), why=(why or "").strip(),
    )
    full_clean_or_invalid(notice, exclude=["survivor", "agency", "author"])
    notice.save()
    return notice


@transaction.atomic
def disclosure_acknowledge(*, actor: User, notice_id: int) -> "DisclosureNotice":
    notice = DisclosureNotice.objects.select_for_update().filter(pk=notice_id, survivor=actor).first()
    if notice is None:
        raise NotFound(_("We could not find that notice."))
    if notice.acknowledged_at is None:
        notice.acknowledged_at = timezone.now()
        notice.save(update_fields=["acknowledged_at"])
    return notice


# ---- Agency API keys ----------------------------------------------------------------------------


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@write_limit("api_key")
@transaction.atomic
def api_key_create(*, actor: User, name: str) -> tuple["AgencyApiKey", str]:
    """A key for the agency's own system. Shown once; only its hash is kept."""
    if actor.role != User.Role.AGENCY_ADMIN or actor.agency_id is None:
        raise NotFound(_("We could not find that."))
    name = (name or "").strip()
    if not name or len(name) > 80 or not name.isprintable():
        raise Invalid(_("Give the key a short name, like “Records system”."), field="name")
    key = "spk_" + secrets.token_urlsafe(32)
    record = AgencyApiKey.objects.create(
        agency_id=actor.agency_id, name=name, prefix=key[:12], key_hash=_key_hash(key), created_by=actor
    )
    return record, key


@transaction.atomic
def api_key_revoke(*, actor: User, key_id: int) -> "AgencyApiKey":
    if actor.role != User.Role.AGENCY_ADMIN:
        raise NotFound(_("We could not find that."))
    record = AgencyApiKey.objects.filter(pk=key_id, agency_id=actor.agency_id, revoked_at__isnull=True).first()
    if record is None:
        raise NotFound(_("We could not find that key."))
    record.revoked_at = timezone.now()
    record.save(update_fields=["revoked_at"])
    return record


def api_key_check(key: str) -> "AgencyApiKey | None":
    if not key or not key.startswith("spk_") or len(key) > 100:
        return None
    return AgencyApiKey.objects.filter(key_hash=_key_hash(key), revoked_at__isnull=True).select_related("agency").first()


@write_limit("sharing")
@transaction.atomic
def consent_record_for(*, actor: User, username: str, scopes: list[str], goal_scope: str = "all",
                       categories: list[str] | None = None, purpose: str = "support", purpose_note: str = "",
                       days: int = DEFAULT_DAYS) -> ConsentGrant:
    """Staff record sharing she agreed to in person, to their own agency only. It waits for her
    to confirm it in the app: until then nobody sees anything, and it never replaces or widens
    what she already shares. She sees who recorded it.

    If she chose "never share" with their agency, staff get exactly the same answer (her choice
    is not theirs to learn), but the grant is withheld: she is never asked, it is never in force."""
    person = _staff_survivor(actor, username=username)
    _lock_survivor(person)
    if goal_scope == ConsentGrant.GoalScope.CHOSEN:
        raise Invalid(_("Only she can choose single goals; use all goals or topics."), field="goal_scope")
    if "safety_plan" in (scopes or []):
        raise Invalid(_("Only she can share her safety plan, in the app."), field="scopes")
    withheld = NeverShare.objects.filter(survivor=person, agency_id=actor.agency_id).exists()
    grant = _new_grant(person, actor.agency_id, scopes, goal_scope, categories, [], purpose, purpose_note, days,
                       withheld=withheld)
    ConsentGrant.objects.filter(survivor=person, agency_id=actor.agency_id, awaiting_her=True, ended_at__isnull=True).update(
        ended_at=timezone.now(), end_reason=ConsentGrant.EndReason.CHANGED
    )
    grant.given_via, grant.recorded_by, grant.awaiting_her, grant.withheld = "staff", actor, True, withheld
    grant.save()
    return grant


@transaction.atomic
def consent_confirm(*, actor: User, grant_id: int, yes: bool, version: str | frozenset | None = None) -> ConsentGrant:
    """She confirms (it starts today, for the length recorded) or declines a recorded grant.
    Once she chose never to share with that agency, nothing recorded there can start."""
    _lock_survivor(actor)
    grant = ConsentGrant.objects.filter(pk=grant_id, survivor=actor, awaiting_her=True, ended_at__isnull=True,
                                        withheld=False).exclude(agency__in=NeverShare.objects.filter(
                                            survivor=actor).values("agency")).first()
    if grant is None:
        raise NotFound(_("We could not find that sharing."))
    _check_sharing(actor, grant.agency_id, version)
    if not yes:
        grant.ended_at, grant.end_reason = timezone.now(), ConsentGrant.EndReason.DECLINED
        grant.save(update_fields=["ended_at", "end_reason"])
        return grant
    length = grant.expires_at - grant.starts_at
    grant.starts_at = timezone.now()
    grant.expires_at = grant.starts_at + length
    # Her receipt is what she said yes to: the sentence as she read it, not as staff typed it in.
    grant.notice_text, grant.notice_language = summary_of(grant), get_language() or ""
    grant.save(update_fields=["starts_at", "expires_at", "notice_text", "notice_language"])
    _put_in_force(grant, ConsentGrant.EndReason.CHANGED)
    return grant


@transaction.atomic
def never_share_set(*, actor: User, agency_id: int, never: bool, version: str | None = None) -> None:
    """"Never share with this agency" ends any sharing with it now and blocks it later."""
    _lock_survivor(actor)
    if not Agency.objects.filter(pk=agency_id).exists():
        raise NotFound(_("We could not find that agency."))
    _check_sharing(actor, agency_id, version)
    if not never:
        NeverShare.objects.filter(survivor=actor, agency_id=agency_id).delete()
        return
    NeverShare.objects.get_or_create(survivor=actor, agency_id=agency_id)
    # Sharing staff recorded that still waits for her yes can never start now.
    ConsentGrant.objects.filter(survivor=actor, agency_id=agency_id, awaiting_her=True, ended_at__isnull=True).update(
        ended_at=timezone.now(), end_reason=ConsentGrant.EndReason.DECLINED)
    current = _active_grant(actor, agency_id)
    if current is not None:
        current.ended_at, current.end_reason = timezone.now(), ConsentGrant.EndReason.WITHDRAWN
        current.save(update_fields=["ended_at", "end_reason"])


# ---- Suggestions from advocates -----------------------------------------------------------------


@write_limit("suggestion")
@transaction.atomic
def suggestion_make(*, actor: User, survivor_id: int, text: str, goal_id: int | None = None,
                    category: str = "other", plan_section: str | None = None) -> Suggestion:
    """An advocate suggests a goal (or a step for a goal she shared) to people who share goals
    with the advocate's agency now; or an addition to a section of her safety plan (`plan_section`)
    to people who share their plan with it. Any section may be suggested for, private ones too:
    a suggestion shows nothing of her plan, and refusing one would tell which sections are private."""
    if not actor.is_agency_staff:
        raise NotFound(_("We could not find that person."))
    grant = _active_grant_by_id(survivor_id, actor.agency_id)
    scope = "share_safety_plan" if plan_section else "share_goals"
    if grant is None or not getattr(grant, scope):
        raise NotFound(_("We could not find that person."))
    if plan_section and (goal_id is not None or plan_section not in PLAN_SECTIONS):
        raise Invalid(_("Choose a part of the plan from the list."), field="plan_section")
    if goal_id is not None:
        from survivor_portal.consent.selectors import shared_goal_ids

        # Only goals she shares; checking this shows nothing, so it is not recorded as a look.
        if goal_id not in shared_goal_ids(grant):
            raise NotFound(_("We could not find that goal."))
    text = (text or "").strip()
    if not text or len(text) > 200 or "\x00" in text:
        raise Invalid(_("Write the suggestion in a few words (up to 200 characters)."), field="text")
    if category not in Goal.Category.values:
        raise Invalid(_("Choose a topic from the list."), field="category")
    return Suggestion.objects.create(
        survivor_id=survivor_id, agency_id=actor.agency_id, author=actor, author_label=actor.display_name,
        goal_id=goal_id, text=text, category=category, plan_section=plan_section or "",
    )


def _active_grant_by_id(survivor_id: int, agency_id: int) -> ConsentGrant | None:
    if not 0 < survivor_id < 2**63:
        return None
    survivor = get_user_model().objects.filter(pk=survivor_id, role=User.Role.SURVIVOR).first()
    return _active_grant(survivor, agency_id) if survivor else None


@transaction.atomic
def suggestion_answer(*, actor: User, suggestion_id: int, take: bool, text: str | None = None) -> Suggestion:
    """She takes it (as it is, or in her own words) or declines it. Taking adds it through the
    goals (or safety plan) services like anything she adds herself."""
    from survivor_portal.goals import services as goal_services

    suggestion = Suggestion.objects.select_for_update().filter(
        pk=suggestion_id, survivor=actor, status=Suggestion.Status.WAITING
    ).first()
    if suggestion is None:
        raise NotFound(_("We could not find that suggestion."))
    if take:
        words = (text if text is not None else suggestion.text).strip()
        if suggestion.plan_section:
            from survivor_portal.plans import services as plan_services

            plan_services.plan_suggestion_take(actor=actor, key=suggestion.plan_section, text=words)
        elif suggestion.goal_id is not None:
            goal_services.step_create(actor=actor, goal_id=suggestion.goal_id, text=words)
        else:
            goal_services.goal_create(actor=actor, title=words, category=suggestion.category)
    suggestion.status = Suggestion.Status.TAKEN if take else Suggestion.Status.DECLINED
    suggestion.answered_at = timezone.now()
    suggestion.save(update_fields=["status", "answered_at"])
    return suggestion
