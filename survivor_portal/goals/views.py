"""Her goals as pages. Every rule is in services/selectors; htmx requests get the fragment."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from survivor_portal.errors import DomainError, Invalid, NotFound
from survivor_portal.goals import selectors, services
from survivor_portal.goals.forms import GoalAddForm, GoalEditForm, OrderForm, StepAddForm
from survivor_portal.goals.models import Goal
from survivor_portal.goals.ordering import moved, order_version
from survivor_portal.web import show_error


def _survivor_only(request: HttpRequest) -> None:
    if not request.user.is_survivor:
        raise Http404


def _moves(goals: list[Goal]) -> list[dict]:
    """Each goal with the whole new order each of its buttons would send."""
    ids = [goal.pk for goal in goals]
    return [
        {
            "goal": goal,
            "number": index + 1,
            "up": ",".join(map(str, moved(ids, index, index - 1))) if index > 0 else None,
            "down": ",".join(map(str, moved(ids, index, index + 1))) if index < len(ids) - 1 else None,
            "top": ",".join(map(str, moved(ids, index, 0))) if index > 0 else None,
        }
        for index, goal in enumerate(goals)
    ]


def _list_context(request: HttpRequest, **extra) -> dict:
    goals = list(selectors.goals_for(viewer=request.user))
    active = [goal for goal in goals if not goal.is_done]
    return {
        # Buttons move goals within the open list; done goals keep their places at the end of the order.
        "rows": _moves_with_done(active, [goal for goal in goals if goal.is_done]),
        "done": [goal for goal in goals if goal.is_done],
        "version": order_version([goal.pk for goal in goals]),
        "count": len(active),
        "recently_deleted": selectors.recently_deleted(viewer=request.user),
        **extra,
    }


def _moves_with_done(active: list[Goal], done: list[Goal]) -> list[dict]:
    tail = ",".join(str(goal.pk) for goal in done)
    rows = _moves(active)
    for row in rows:
        for key in ("up", "down", "top"):
            if row[key] and tail:
                row[key] = f"{row[key]},{tail}"
    return rows


@login_required
def goal_list(request: HttpRequest) -> HttpResponse:
    _survivor_only(request)
    return render(request, "goals/home.html", {**_list_context(request), "add_form": GoalAddForm()})


@login_required
@require_POST
def goal_add(request: HttpRequest) -> HttpResponse:
    _survivor_only(request)
    form = GoalAddForm(request.POST)
    if form.is_valid():
        try:
            services.goal_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            show_error(form, error)
        else:
            if not request.htmx:
                return redirect("home")
            form = GoalAddForm()
    context = {**_list_context(request), "add_form": form}
    template = "goals/home.html#goals" if request.htmx else "goals/home.html"
    return render(request, template, context)


@login_required
@require_POST
def goals_order(request: HttpRequest) -> HttpResponse:
    _survivor_only(request)
    form = OrderForm(request.POST)
    announcement, problem = "", ""
    moved_id = None
    if not form.is_valid():
        problem = _("That order could not be read. Please try again.")
    else:
        moved_id = form.cleaned_data.get("moved")
        try:
            ordered = services.goals_reorder(
                actor=request.user, ids=form.cleaned_data["ids"], version=form.cleaned_data["version"] or None
            )
        except DomainError as error:
            problem = error.message
        else:
            active = [goal for goal in ordered if not goal.is_done]
            goal = next((g for g in active if g.pk == moved_id), None)
            if goal is not None:
                announcement = _("“%(title)s” is now number %(number)s of %(count)s.") % {
                    "title": goal.title, "number": active.index(goal) + 1, "count": len(active),
                }
    if not request.htmx:
        if problem:
            messages.error(request, problem)
        elif announcement:
            messages.success(request, announcement)
        response = redirect("home")
        if moved_id:
            response["Location"] += f"#g{moved_id}"
        return response
    context = _list_context(request, announcement=announcement or problem, moved_id=moved_id)
    return render(request, "goals/home.html#goal-list", context)


@login_required
def goal_detail(request: HttpRequest, goal_id: int) -> HttpResponse:
    _survivor_only(request)
    try:
        goal = selectors.goal_for(viewer=request.user, goal_id=goal_id)
    except NotFound:
        raise Http404 from None
    initial = {f: getattr(goal, f) for f in ("title", "note", "category", "status", "target_date")}
    form = GoalEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            goal, just_finished = services.goal_update(actor=request.user, goal_id=goal.pk, **form.cleaned_data)
        except DomainError as error:
            show_error(form, error)
        else:
            if just_finished:
                messages.success(request, _("Well done! You finished “%(title)s”. That took strength.") % {"title": goal.title})
            else:
                messages.success(request, _("Saved."))
            return redirect("home")
    return render(request, "goals/detail.html", _detail_context(goal, form=form))


def _detail_context(goal: Goal, **extra) -> dict:
    steps = list(goal.steps.all())
    ids = [step.pk for step in steps]
    rows = [
        {
            "step": step,
            "up": ",".join(map(str, moved(ids, i, i - 1))) if i > 0 else None,
            "down": ",".join(map(str, moved(ids, i, i + 1))) if i < len(ids) - 1 else None,
        }
        for i, step in enumerate(steps)
    ]
    return {"goal": goal, "step_rows": rows, "steps_version": order_version(ids), "step_form": StepAddForm(), **extra}


def _steps_response(request: HttpRequest, goal_id: int, problem: str = "", **extra) -> HttpResponse:
    if not request.htmx:
        if problem:
            messages.error(request, problem)
        return redirect("goals:detail", goal_id=goal_id)
    goal = selectors.goal_for(viewer=request.user, goal_id=goal_id)
    return render(request, "goals/detail.html#steps", _detail_context(goal, problem=problem, **extra))


def _step_action(request: HttpRequest, goal_id: int, action: Callable[[], str]) -> HttpResponse:
    """Runs one change to a goal's steps; `action` returns what to announce."""
    _survivor_only(request)
    try:
        announcement = action()
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        return _steps_response(request, goal_id, problem=error.message)
    return _steps_response(request, goal_id, announcement=announcement)


def _form_problem(form: forms.Form) -> Callable[[], str]:
    def refuse() -> str:
        raise Invalid(next(iter(form.errors.values()))[0])

    return refuse


@login_required
@require_POST
def step_add(request: HttpRequest, goal_id: int) -> HttpResponse:
    form = StepAddForm(request.POST)
    if not form.is_valid():
        return _step_action(request, goal_id, _form_problem(form))

    def add() -> str:
        step = services.step_create(actor=request.user, goal_id=goal_id, **form.cleaned_data)
        return _("Step added: “%(text)s”.") % {"text": step.text}

    return _step_action(request, goal_id, add)


@login_required
@require_POST
def step_toggle(request: HttpRequest, goal_id: int, step_id: int) -> HttpResponse:
    def toggle() -> str:
        step = services.step_update(
            actor=request.user, goal_id=goal_id, step_id=step_id, done=request.POST.get("done") == "1"
        )
        return (_("“%(text)s” is done.") if step.done else _("“%(text)s” is not done.")) % {"text": step.text}

    return _step_action(request, goal_id, toggle)


@login_required
@require_POST
def step_delete(request: HttpRequest, goal_id: int, step_id: int) -> HttpResponse:
    def delete() -> str:
        services.step_delete(actor=request.user, goal_id=goal_id, step_id=step_id)
        return _("Step deleted.")

    return _step_action(request, goal_id, delete)


@login_required
@require_POST
def steps_order(request: HttpRequest, goal_id: int) -> HttpResponse:
    form = OrderForm(request.POST)
    if not form.is_valid():
        return _step_action(request, goal_id, _form_problem(form))

    def reorder() -> str:
        steps = services.steps_reorder(
            actor=request.user, goal_id=goal_id, ids=form.cleaned_data["ids"],
            version=form.cleaned_data["version"] or None,
        )
        step = next((s for s in steps if s.pk == form.cleaned_data.get("moved")), None)
        if step is None:
            return ""
        return _("“%(text)s” is now step %(number)s of %(count)s.") % {
            "text": step.text, "number": steps.index(step) + 1, "count": len(steps),
        }

    return _step_action(request, goal_id, reorder)


@login_required
def goal_delete(request: HttpRequest, goal_id: int) -> HttpResponse:
    _survivor_only(request)
    try:
        goal = selectors.goal_for(viewer=request.user, goal_id=goal_id)
    except NotFound:
        raise Http404 from None
    if request.method == "POST":
        services.goal_delete(actor=request.user, goal_id=goal.pk)
        return redirect("home")
    return render(request, "goals/delete.html", {"goal": goal})


@login_required
@require_POST
def goal_restore(request: HttpRequest, goal_id: int) -> HttpResponse:
    _survivor_only(request)
    try:
        goal = services.goal_restore(actor=request.user, goal_id=goal_id)
    except NotFound:
        messages.error(request, _("It is too late to undo that. The goal is gone."))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(title)s” is back.") % {"title": goal.title})
    return redirect("home")
