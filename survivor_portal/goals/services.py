"""Every write and rule about her goals and their steps. Only the owner may change them."""

from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from survivor_portal.accounts.models import User
from survivor_portal.accounts.only_me import HerKey
from survivor_portal.errors import Conflict, Invalid, NotFound, full_clean_or_invalid
from survivor_portal.goals.models import UNDO_SECONDS, Goal, Step
from survivor_portal.goals import sealing
from survivor_portal.goals.ordering import moved, order_version, write_positions
from survivor_portal.versions import Expected, version_bump, version_check
from survivor_portal.write_limits import write_limit

MAX_GOALS = 200
MAX_STEPS = 50
EDITABLE = ("title", "note", "category", "status", "target_date", "keep_private", "only_me")


def _lock_owner(actor: User) -> None:
    """Every change to her list takes a lock on her own row, so two tabs take turns; and
    every change removes goals whose Undo window has passed."""
    if not actor.is_survivor:
        # Goals belong to survivors; to anyone else they simply do not exist.
        raise NotFound(_("We could not find that goal."))
    get_user_model().objects.select_for_update(no_key=True).only("pk").get(pk=actor.pk)
    _purge_expired_deletions(actor)


def _live(actor: User):
    return Goal.objects.filter(owner=actor, deleted_at__isnull=True)


def _her_goal(actor: User, goal_id: int, *, deleted: bool = False) -> Goal:
    # Anyone else's goal is simply "not found", so its existence is never revealed.
    goal = Goal.objects.filter(pk=goal_id, owner=actor, deleted_at__isnull=not deleted).first()
    if goal is None:
        raise NotFound(_("We could not find that goal."))
    return goal


def _clean(instance) -> None:
    full_clean_or_invalid(instance, exclude=[f for f in ("owner", "goal", "position") if hasattr(instance, f)])


def _purge_expired_deletions(actor: User) -> None:
    """A deleted goal is kept only for the Undo window, then removed for good."""
    Goal.objects.filter(owner=actor, deleted_at__lt=timezone.now() - timedelta(seconds=UNDO_SECONDS)).delete()


@transaction.atomic
def deleted_goals_purge(*, now: datetime) -> int:
    """Every goal whose Undo window has ended, with its steps, removed for good, whether or not
    she ever comes back (housekeeping runs this each minute). Returns how many goals went.
    The rows are locked and checked again first, so an Undo committing at that very moment wins."""
    due = Goal.objects.select_for_update().filter(deleted_at__lt=now - timedelta(seconds=UNDO_SECONDS))
    _total, removed = Goal.objects.filter(pk__in=list(due.values_list("pk", flat=True))).delete()
    return removed.get(Goal._meta.label, 0)


@write_limit("goal")
@transaction.atomic
def goal_create(
    *, actor: User, title: str, category: str = Goal.Category.OTHER, note: str = "",
    status: str = Goal.Status.NOT_STARTED, target_date: date | None = None, keep_private: bool = False,
    only_me: bool = False, her_key: HerKey | None = None,
) -> Goal:
    """`her_key` (accounts.only_me) seals an "only me" goal; without it such a goal is refused (Closed)."""
    _lock_owner(actor)
    count = _live(actor).count()
    if count >= MAX_GOALS:
        raise Invalid(_("You have 200 goals, done ones included: the most this list can hold. Delete one to add another."))
    goal = Goal(
        owner=actor, title=(title or "").strip(), category=category, note=(note or "").strip(),
        status=status, target_date=target_date, keep_private=keep_private or only_me, only_me=only_me,
        position=count,
    )
    _clean(goal)
    if goal.is_done:
        goal.done_at = timezone.now()
    sealing.save(goal, her_key, goal)
    return goal


@write_limit("goal_edit")
@transaction.atomic
def goal_update(
    *, actor: User, goal_id: int, version: Expected = None, her_key: HerKey | None = None, **changes: Any,
) -> tuple[Goal, bool]:
    """Returns the goal and whether this change just finished it (worth a warm word).
    `version` is the one her page or request started from: if the goal changed since,
    nothing is written (Stale), so an old tab can never turn "keep private" back off.
    An "only me" goal is opened with `her_key` before any change, and sealed again after."""
    _lock_owner(actor)
    goal = _her_goal(actor, goal_id)
    version_check(goal, version)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise Invalid(_("That cannot be changed here."), field=sorted(unknown)[0])
    sealing.must_open(goal, her_key, goal)
    was_done, was_only_me = goal.is_done, goal.only_me
    for field, value in changes.items():
        if value is None and field != "target_date":
            raise Invalid(_("This cannot be empty."), field=field)
        setattr(goal, field, value.strip() if isinstance(value, str) and field in ("title", "note") else value)
    goal.keep_private = goal.keep_private or goal.only_me  # "only me" is never shared with anyone
    _clean(goal)
    just_finished = goal.is_done and not was_done
    goal.done_at = timezone.now() if just_finished else (goal.done_at if goal.is_done else None)
    fields = {*changes, "keep_private", "done_at"}
    if goal.only_me != was_only_me:
        fields |= {"title", "note"}  # sealed now, or opened for good
    sealing.save(goal, her_key, goal, update_fields=[*sorted(fields), version_bump(goal)])
    if goal.only_me != was_only_me:
        _reseal_steps(goal, her_key)
    return goal, just_finished


def _reseal_steps(goal: Goal, her_key: HerKey | None) -> None:
    """Her steps follow their goal into "only me", or out of it."""
    for step in goal.steps.all():
        sealing.must_open(step, her_key, goal)
        sealing.save(step, her_key, goal, update_fields=["text"])


@transaction.atomic
def goal_delete(*, actor: User, goal_id: int) -> Goal:
    _lock_owner(actor)
    goal = _her_goal(actor, goal_id)
    goal.deleted_position, goal.position, goal.deleted_at = goal.position, None, timezone.now()
    goal.save(update_fields=["deleted_position", "position", "deleted_at"])
    write_positions(list(_live(actor).order_by("position")))
    return goal


@transaction.atomic
def goal_restore(*, actor: User, goal_id: int) -> Goal:
    """Undo a delete, back where it was."""
    _lock_owner(actor)
    goal = _her_goal(actor, goal_id, deleted=True)
    goals = list(_live(actor).order_by("position"))
    if len(goals) >= MAX_GOALS:
        raise Invalid(_("You have 200 goals, done ones included: the most this list can hold. Delete one to add another."))
    goal.deleted_at = None
    goals.insert(min(goal.deleted_position or 0, len(goals)), goal)
    goal.deleted_position = None
    goal.save(update_fields=["deleted_at", "deleted_position"])
    write_positions(goals)
    return goal


@transaction.atomic
def goals_reorder(*, actor: User, ids: list[int], version: str | None = None) -> list[Goal]:
    """Puts her goals in the order given. The list must be exactly her goals; if it was based
    on an order that has since changed (another tab), nothing changes and Conflict carries the fresh order."""
    _lock_owner(actor)
    return _put_in_order(
        list(_live(actor).order_by("position")), ids, version,
        _("Your list changed in another window. Here is the latest order; please try again."),
    )


@transaction.atomic
def goal_move(*, actor: User, goal_id: int, to: str, version: str | None = None) -> tuple[Goal, int, int]:
    """Moves one open goal up, down or to the top of her open goals; done goals keep their
    places after them. Returns the goal, its new number and how many open goals there are."""
    _lock_owner(actor)
    goals = list(_live(actor).order_by("position"))
    open_goals = [goal for goal in goals if not goal.is_done]
    goal = next((g for g in open_goals if g.pk == goal_id), None)
    if goal is None:
        raise NotFound(_("We could not find that goal."))
    index = open_goals.index(goal)
    target = {"up": index - 1, "down": index + 1, "top": 0}.get(to)
    if target is None:
        raise Invalid(_("That move is not one of the choices."), field="to")
    new_order = moved([g.pk for g in open_goals], index, target) + [g.pk for g in goals if g.is_done]
    ordered = _put_in_order(
        goals, new_order, version,
        _("Your list changed in another window. Here is the latest order; please try again."),
    )
    open_now = [g for g in ordered if not g.is_done]
    return goal, open_now.index(goal) + 1, len(open_now)


@transaction.atomic
def step_move(*, actor: User, goal_id: int, step_id: int, to: str, version: str | None = None) -> tuple[Step, int, int]:
    _lock_owner(actor)
    steps = list(_her_goal(actor, goal_id).steps.order_by("position"))
    step = next((s for s in steps if s.pk == step_id), None)
    if step is None:
        raise NotFound(_("We could not find that step."))
    index = steps.index(step)
    target = {"up": index - 1, "down": index + 1}.get(to)
    if target is None:
        raise Invalid(_("That move is not one of the choices."), field="to")
    ordered = _put_in_order(
        steps, moved([s.pk for s in steps], index, target), version,
        _("These steps changed in another window. Here is the latest order; please try again."),
    )
    return step, ordered.index(step) + 1, len(ordered)


def _put_in_order(rows: list, ids: list[int], version: str | None, stale_message: str) -> list:
    """The one rule for any reorder (goals or steps): exactly the current rows, each once,
    based on the current order; otherwise nothing changes and Conflict carries the fresh order."""
    by_id = {row.pk: row for row in rows}
    current = list(by_id)
    if len(set(ids)) != len(ids):
        raise Invalid(_("Each item can appear only once."), field="ids")
    if (version is not None and version != order_version(current)) or sorted(ids) != sorted(current):
        raise Conflict(stale_message, code="stale_order", extra={"ids": current, "version": order_version(current)})
    ordered = [by_id[pk] for pk in ids]
    write_positions(ordered)
    return ordered


def _her_step(goal: Goal, step_id: int) -> Step:
    step = goal.steps.filter(pk=step_id).first()
    if step is None:
        raise NotFound(_("We could not find that step."))
    return step


@write_limit("step")
@transaction.atomic
def step_create(*, actor: User, goal_id: int, text: str, her_key: HerKey | None = None) -> Step:
    _lock_owner(actor)
    goal = _her_goal(actor, goal_id)
    count = goal.steps.count()
    if count >= MAX_STEPS:
        raise Invalid(_("A goal can have up to 50 steps."), field="text")
    step = Step(goal=goal, text=(text or "").strip(), position=count)
    _clean(step)
    if goal.only_me:
        sealing.must_open(goal, her_key, goal)  # a lost goal takes no new steps
    sealing.save(step, her_key, goal)
    return step


@write_limit("step_edit")
@transaction.atomic
def step_update(
    *, actor: User, goal_id: int, step_id: int, text: str | None = None, done: bool | None = None,
    version: Expected = None, her_key: HerKey | None = None,
) -> Step:
    _lock_owner(actor)
    goal = _her_goal(actor, goal_id)
    step = _her_step(goal, step_id)
    version_check(step, version, _("This step changed in another window. Here it is as it is now."))
    sealing.must_open(step, her_key, goal)
    fields = []
    if text is not None:
        step.text = text.strip()
        fields.append("text")
    if done is not None:
        step.done = bool(done)
        fields.append("done")
    _clean(step)
    if fields:
        sealing.save(step, her_key, goal, update_fields=[*fields, version_bump(step)])
    return step


@transaction.atomic
def step_delete(*, actor: User, goal_id: int, step_id: int) -> None:
    _lock_owner(actor)
    goal = _her_goal(actor, goal_id)
    _her_step(goal, step_id).delete()
    write_positions(list(goal.steps.order_by("position")))


@transaction.atomic
def steps_reorder(*, actor: User, goal_id: int, ids: list[int], version: str | None = None) -> list[Step]:
    _lock_owner(actor)
    goal = _her_goal(actor, goal_id)
    return _put_in_order(
        list(goal.steps.order_by("position")), ids, version,
        _("These steps changed in another window. Here is the latest order; please try again."),
    )
