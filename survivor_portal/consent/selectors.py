"""Reads of shared data, filtered by who asks. Staff see a survivor's data only through an
active grant to their own agency, within its scopes; every such read is recorded."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
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
from survivor_portal.consent.services import RENEW_NOTICE_DAYS, record_looks
from survivor_portal.errors import NotFound
from survivor_portal.goals.models import Goal


@dataclass(frozen=True)
class Reader:
    """Who is reading on an agency's behalf: a staff member (page or API) or, later, an agency's system."""

    agency: Agency
    actor: User | None
    label: str
    via: str

    @classmethod
    def system(cls, key: "AgencyApiKey") -> "Reader":
        return cls(agency=key.agency, actor=None, label=key.name, via="api")

    @classmethod
    def from_request(cls, request) -> "Reader":
        """The agency API is used by staff (session) or by an agency's system (API key)."""
        if isinstance(request.auth, AgencyApiKey):
            return cls.system(request.auth)
        return cls.staff(request.user, via="api")

    @classmethod
    def staff(cls, user: User, via: str) -> "Reader":
        if not user.is_authenticated or not user.is_agency_staff or user.agency_id is None:
            raise NotFound(_("We could not find that."))
        return cls(agency=user.agency, actor=user, label=user.display_name, via=via)


def _active(now=None) -> QuerySet[ConsentGrant]:
    """Grants in force now. "Never share" is checked here too, as a second guard."""
    now = now or timezone.now()
    blocked = NeverShare.objects.filter(survivor=OuterRef("survivor"), agency=OuterRef("agency"))
    return ConsentGrant.objects.filter(
        ended_at__isnull=True, awaiting_her=False, starts_at__lte=now, expires_at__gt=now
    ).exclude(Exists(blocked))


def people_sharing_with(*, reader: Reader, news_days: int | None = None) -> list[dict]:
    """Everyone who shares with the reader's agency now. Names only where she shared her name.
    With `news_days`: only who started sharing, or whose sharing ends, within that many days."""
    grants, now = _active().filter(agency=reader.agency), timezone.now()
    reach = timezone.timedelta(days=news_days or 0)
    if news_days is not None:
        # A renewal or change supersedes an older grant: it is not someone new.
        grants = grants.filter(Q(starts_at__gte=now - reach, supersedes__isnull=True) | Q(expires_at__lte=now + reach))
    grants = list(grants.select_related("survivor").order_by("survivor_id"))
    for shares_name, what in ((True, "name"), (False, "listed")):
        record_looks(survivors=[g.survivor_id for g in grants if g.share_display_name == shares_name],
                     agency=reader.agency, actor=reader.actor, actor_label=reader.label, what=what, via=reader.via)
    return [
        {
            "id": grant.survivor_id,
            "name": grant.survivor.display_name if grant.share_display_name else None,
            "shares_goals": grant.share_goals,
            "shares_appointments": grant.share_appointments,
            "shares_safety_plan": grant.share_safety_plan,
            "shares_messages": grant.share_messages,
            "until": grant.expires_at,
            "since": grant.starts_at,
            "new": news_days is not None and grant.supersedes_id is None and grant.starts_at >= now - reach,
        }
        for grant in grants
    ]


def agencies_seeing_appointments(survivor_id: int) -> set[int]:
    """The agencies she shares her appointments with now: where she may book."""
    return set(_active().filter(survivor_id=survivor_id, share_appointments=True).values_list("agency_id", flat=True))


def appointment_grants(agency_id: int, survivor_ids) -> dict[int, ConsentGrant]:
    """Of these people, who shares appointments with the agency now, and how (name or not)."""
    grants = _active().filter(agency_id=agency_id, survivor_id__in=list(survivor_ids), share_appointments=True)
    return {grant.survivor_id: grant for grant in grants}


def safety_plan_grant(survivor_id: int) -> ConsentGrant | None:
    """The sharing in force that lets an agency see her safety plan (one agency at a time)."""
    return _active().filter(survivor_id=survivor_id, share_safety_plan=True).select_related("agency").first()


def messages_grant(agency_id: int, survivor_id: int) -> ConsentGrant | None:
    """Her grant in force now that lets this agency read and answer her messages, if any."""
    return _active().filter(agency_id=agency_id, survivor_id=survivor_id, share_messages=True).first()


def agencies_reading_messages(survivor_id: int) -> set[int]:
    """The agencies she shares messages with now."""
    return set(_active().filter(survivor_id=survivor_id, share_messages=True).values_list("agency_id", flat=True))


def message_grants(agency_id: int) -> dict[int, ConsentGrant]:
    """Everyone who shares messages with this agency now, by survivor."""
    grants = _active().filter(agency_id=agency_id, share_messages=True).select_related("survivor")
    return {grant.survivor_id: grant for grant in grants}


def grant_or_404(reader: Reader, survivor_id: int) -> ConsentGrant:
    grant = None
    if 0 < survivor_id < 2**63:
        grant = _active().filter(agency=reader.agency, survivor_id=survivor_id).select_related("survivor").first()
    if grant is None:
        # No active grant: the person does not exist for this agency.
        raise NotFound(_("We could not find that person."))
    return grant


def _goals_in(grant: ConsentGrant) -> tuple[QuerySet[Goal], str]:
    """Exactly the goals a grant covers, in her order, and how the look is described."""
    # "Only me" is always private too; both are named, so no grant can ever reach what only she can open.
    goals = Goal.objects.filter(owner_id=grant.survivor_id, deleted_at__isnull=True, keep_private=False,
                                only_me=False).order_by("position")
    if grant.goal_scope == ConsentGrant.GoalScope.CATEGORIES:
        return goals.filter(category__in=grant.goal_categories), "goals:categories:" + ",".join(grant.goal_categories)
    if grant.goal_scope == ConsentGrant.GoalScope.CHOSEN:
        return goals.filter(pk__in=grant.goal_ids), "goals:chosen"
    return goals, "goals:all"


def shared_goal_ids(grant: ConsentGrant) -> set[int]:
    """Which goals a grant covers, for checks that show nothing (not recorded as a look)."""
    if not grant.share_goals:
        return set()
    return set(_goals_in(grant)[0].values_list("pk", flat=True))


def shared_goals_of(*, reader: Reader, survivor_id: int) -> list[Goal]:
    """Exactly the goals her grant covers, in her order, read-only; the look is recorded."""
    grant = grant_or_404(reader, survivor_id)
    if not grant.share_goals:
        raise NotFound(_("We could not find that person."))
    goals, what = _goals_in(grant)
    record_looks(survivors=[survivor_id], agency=reader.agency, actor=reader.actor, actor_label=reader.label,
                 what=what, via=reader.via)
    return list(goals.prefetch_related("steps"))


def person_view(*, reader: Reader, survivor_id: int) -> dict:
    """One person's page for an advocate: her name if shared, and the goals she shared.
    One look is recorded, naming everything that was shown."""
    grant = grant_or_404(reader, survivor_id)
    seen, goals = [], []
    if grant.share_display_name:
        seen.append("name")
    if grant.share_goals:
        query, what = _goals_in(grant)
        goals = list(query.prefetch_related("steps"))
        seen.append(what)
    appointments = []
    if grant.share_appointments:
        from survivor_portal.scheduling.selectors import appointments_with, entries

        appointments = entries(reader, appointments_with(reader.agency.pk, survivor_id), record=False)
        seen.append("appointments")
    record_looks(survivors=[survivor_id], agency=reader.agency, actor=reader.actor, actor_label=reader.label,
                 what="|".join(seen) or "listed", via=reader.via)
    return {"id": survivor_id, "name": grant.survivor.display_name if grant.share_display_name else None,
            "grant": grant, "goals": goals, "appointments": appointments}


# ---- What she sees ---------------------------------------------------------------------------


def grants_for(*, viewer: User) -> list[ConsentGrant]:
    """Every grant she ever gave, newest first: her receipts."""
    if not viewer.is_survivor:
        raise NotFound(_("We could not find that."))
    return list(ConsentGrant.objects.filter(survivor=viewer, withheld=False).select_related("agency", "recorded_by"))


def grant_of(*, viewer: User, grant_id: int) -> ConsentGrant:
    grant = ConsentGrant.objects.filter(pk=grant_id, survivor=viewer, withheld=False).select_related("agency").first()
    if grant is None:
        raise NotFound(_("We could not find that sharing."))
    return grant


def ending_soon(*, viewer: User) -> list[ConsentGrant]:
    """Her active grants that end within a week, to offer renewing."""
    if not viewer.is_survivor:
        return []
    soon = timezone.now() + timezone.timedelta(days=RENEW_NOTICE_DAYS)
    return list(_active().filter(survivor=viewer, expires_at__lte=soon).select_related("agency"))


def access_log_for(*, viewer: User, limit: int = 200) -> list[AccessEvent]:
    if not viewer.is_survivor:
        raise NotFound(_("We could not find that."))
    return list(AccessEvent.objects.filter(survivor=viewer).select_related("agency")[:limit])


@dataclass(frozen=True)
class Looks:
    """One person's looks at one thing on one day (her agency's clock), newest first."""

    sentence: str
    via: str
    day: date
    events: list[AccessEvent]

    @property
    def count(self) -> int:
        return len(self.events)


LOOKS_SHOWN = 1000  # the newest; her download has every one


def looks_for(*, viewer: User) -> list[Looks]:
    """Who has looked, as she reads it: a page opened seven times in two minutes is one line
    with a count, not seven. Each look stays listed under its line."""
    grouped: dict[tuple, list[AccessEvent]] = {}
    for event in access_log_for(viewer=viewer, limit=LOOKS_SHOWN):
        who = event.actor_id or event.actor_label
        grouped.setdefault((who, event.agency_id, event.what, event.via, times.local(event.at).date()), []).append(event)
    return [Looks(sentence=look_sentence(events[0]), via=key[3], day=key[4], events=events)
            for key, events in grouped.items()]


def _seen(part: str) -> str:
    if part.startswith("goals:categories:"):
        topics = [str(Goal.Category(c).label).lower() for c in part.split(":", 2)[2].split(",") if c in Goal.Category.values]
        return _("your %(topics)s goals") % {"topics": _(" and ").join(topics)}
    return {
        "goals:chosen": _("the goals you chose to share"),
        "goals:all": _("your goals"),
        "appointments": _("your appointments with them"),
        "messages": _("your messages with them"),
        "name": _("the name you use here"),
        "listed": _("that you share with them"),
        "safety_plan": _("your safety plan (not the parts you keep private)"),
    }.get(part, _("your information"))


def _reset_sentence(event: AccessEvent) -> str:
    sentences = {
        "reset:made": _("%(who)s at %(agency)s made a reset code for your account"),
        "reset:started": _("Someone used the reset code from %(agency)s; it could set a new passphrase 24 hours later"),
        "reset:stopped": _("You stopped the reset code from %(agency)s"),
        "reset:done": _("A new passphrase was set with the reset code from %(agency)s"),
    }
    return sentences.get(event.what, sentences["reset:made"]) % {"who": event.actor_label, "agency": event.agency.name}


def look_sentence(event: AccessEvent) -> str:
    """"Sam at Northside Shelter saw your housing goals", in her language."""
    if event.what.startswith("reset:"):  # agency resets of her account (accounts.recovery)
        return _reset_sentence(event)
    what = _(" and ").join(_seen(part) for part in event.what.split("|"))
    return _("%(who)s at %(agency)s saw %(what)s") % {"who": event.actor_label, "agency": event.agency.name, "what": what}


def awaiting_her(*, viewer: User) -> list[ConsentGrant]:
    """Sharing staff recorded for her, waiting for her yes or no."""
    if not viewer.is_authenticated or not viewer.is_survivor:
        return []
    return list(
        ConsentGrant.objects.filter(survivor=viewer, awaiting_her=True, ended_at__isnull=True, withheld=False)
        .select_related("agency", "recorded_by")
    )


def disclosures_for(*, viewer: User) -> list[DisclosureNotice]:
    if not viewer.is_survivor:
        raise NotFound(_("We could not find that."))
    return list(DisclosureNotice.objects.filter(survivor=viewer).select_related("agency"))


def unread_disclosures(*, viewer: User) -> list[DisclosureNotice]:
    if not viewer.is_authenticated or not viewer.is_survivor:
        return []
    # A notice reaches her even from an agency she never shares with: it tells her what they
    # passed on about her, which is hers to know; it lets them see nothing, not even that she read it.
    never = NeverShare.objects.filter(survivor=OuterRef("survivor"), agency=OuterRef("agency"))
    return list(DisclosureNotice.objects.filter(survivor=viewer, acknowledged_at__isnull=True)
                .annotate(from_never_shared=Exists(never)).select_related("agency"))


def api_keys_for(*, viewer: User) -> list[AgencyApiKey]:
    if viewer.role != User.Role.AGENCY_ADMIN:
        raise NotFound(_("We could not find that."))
    return list(AgencyApiKey.objects.filter(agency_id=viewer.agency_id))


def never_share_ids(*, viewer: User) -> set[int]:
    return set(NeverShare.objects.filter(survivor=viewer).values_list("agency_id", flat=True))


def waiting_suggestions(*, viewer: User) -> list[Suggestion]:
    if not viewer.is_authenticated or not viewer.is_survivor:
        return []
    return list(
        Suggestion.objects.filter(survivor=viewer, status=Suggestion.Status.WAITING)
        .exclude(goal__only_me=True)  # a goal she has since made "only me": no agency's words on it
        .select_related("agency", "goal")
    )
