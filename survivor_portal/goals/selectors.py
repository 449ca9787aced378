"""Reads of goals, already filtered by who is asking. For now only the owner sees them;
agencies will see shared goals through consent."""

from django.db.models import IntegerField, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from survivor_portal.accounts.models import User
from survivor_portal.accounts.only_me import HerKey
from survivor_portal.errors import NotFound
from survivor_portal.goals import sealing
from survivor_portal.goals.models import UNDO_SECONDS, Goal, Step
from survivor_portal.goals.ordering import order_version


def goals_for(*, viewer: User) -> QuerySet[Goal]:
    """Her live goals in her order, with step counts, in one query."""
    return _with_step_counts(viewer, Q(deleted_at__isnull=True))


# Her step counts as two small subqueries written once: the ORM's Count(..., filter=...) with its
# GROUP BY cost more to build on every request than the database spent running it.
_STEPS = RawSQL("SELECT COUNT(*) FROM goals_step s WHERE s.goal_id = goals_goal.id", (), output_field=IntegerField())
_STEPS_DONE = RawSQL("SELECT COUNT(*) FROM goals_step s WHERE s.goal_id = goals_goal.id AND s.done = %s", (True,),
                     output_field=IntegerField())


def _with_step_counts(viewer: User, which: Q) -> QuerySet[Goal]:
    if not viewer.is_survivor:
        raise NotFound(_("We could not find that goal."))
    return (
        Goal.objects.filter(which, owner=viewer)
        .annotate(step_count=_STEPS, steps_done=_STEPS_DONE)
        .order_by("position")
    )


def goals_and_undo(*, viewer: User, her_key: HerKey | None) -> tuple[list[Goal], list[Goal]]:
    """Home's list in one read: her goals to show (as goals_shown), and those she deleted within
    the Undo window, newest first (as recently_deleted)."""
    since = timezone.now() - timezone.timedelta(seconds=UNDO_SECONDS)
    found = list(_with_step_counts(viewer, Q(deleted_at__isnull=True) | Q(deleted_at__gte=since)))
    live = [goal for goal in found if goal.deleted_at is None]
    gone = sorted((goal for goal in found if goal.deleted_at is not None), key=lambda goal: goal.deleted_at, reverse=True)
    shown = sealing.show(live + gone[:20], her_key)
    return shown[:len(live)], shown[len(live):]


def goals_shown(*, viewer: User, her_key: HerKey | None) -> list[Goal]:
    """Her goals to show her: what is "only me" opened with her key (accounts.only_me), or
    marked closed or lost (goal.sealed) with a neutral line instead of its words."""
    return sealing.show(list(goals_for(viewer=viewer)), her_key)


def goal_for(*, viewer: User, goal_id: int, her_key: HerKey | None = None) -> Goal:
    if not viewer.is_survivor:
        raise NotFound(_("We could not find that goal."))
    goal = (
        Goal.objects.filter(pk=goal_id, owner=viewer, deleted_at__isnull=True)
        .prefetch_related(Prefetch("steps", queryset=Step.objects.order_by("position")))
        .first()
    )
    if goal is None:
        raise NotFound(_("We could not find that goal."))
    return sealing.show([goal], her_key, steps=True)[0]


def version_of(goals: list[Goal]) -> str:
    return order_version([goal.pk for goal in goals])


def recently_deleted(*, viewer: User, her_key: HerKey | None = None) -> list[Goal]:
    """Her goals deleted within the Undo window, newest first."""
    since = timezone.now() - timezone.timedelta(seconds=UNDO_SECONDS)
    return sealing.show(list(Goal.objects.filter(owner=viewer, deleted_at__gte=since).order_by("-deleted_at")[:20]),
                        her_key)
