"""Her goals as pages. Every rule is in services/selectors; htmx requests get the fragment.
Goals belong to survivors: for anyone else (and for another survivor's goal) the services
answer NotFound, which these views turn into a plain 404."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from survivor_portal.accounts import only_me
from survivor_portal.accounts.devices import device_cookie_of
from survivor_portal.accounts.sessions import client_address
from survivor_portal.errors import DomainError, Invalid, NotFound
from survivor_portal.goals import sealing, selectors, services
from survivor_portal.goals.forms import GoalAddForm, GoalEditForm, MoveForm, StepAddForm, ask_for_passphrase
from survivor_portal.goals.models import Goal
from survivor_portal.goals.ordering import order_version
from survivor_portal.idempotency.keys import AlreadyDone, form_once
from survivor_portal.versions import Stale
from survivor_portal.web import conflict_page, id_from, not_found_is_404, show_error, version_sent


def _key(request: HttpRequest) -> only_me.HerKey | None:
    return only_me.key_of(request)


def _ask_for_passphrase(view: Callable) -> Callable:
    """Her "only me" key is not with this session (it began before she had one, or the cookie
    was lost): she is asked for her passphrase, then comes back here, rather than shown an error."""
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except sealing.Closed:
            back = reverse("goals:detail", args=[kwargs["goal_id"]]) if "goal_id" in kwargs else reverse("home")
            response = redirect(f"{reverse('accounts:only_me_open')}?next={back}")
            if request.htmx:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = f"{reverse('accounts:only_me_open')}?next={back}"
            return response
    wrapper.__name__ = view.__name__
    return wrapper


class NoKeyYet(Exception):
    """She chose "only me" and her key is not with this session: the form now asks for it."""


def _key_for(request: HttpRequest, form) -> only_me.HerKey | None:
    """Her key for a form that may mark something "only me". Without it in this session, the
    passphrase typed on the form opens it; without a right one, the form asks (NoKeyYet)."""
    key = _key(request)
    if key is not None or not form.cleaned_data.get("only_me"):
        return key
    passphrase = request.POST.get("passphrase", "")
    if not passphrase:
        ask_for_passphrase(form)
        raise NoKeyYet
    try:
        key = only_me.key_open_with_passphrase(actor=request.user, passphrase=passphrase, address=client_address(request),
                                               device=device_cookie_of(request))
    except DomainError as error:
        ask_for_passphrase(form, error.message)
        raise NoKeyYet from None
    request._only_me_key = key  # for the rest of this request; the answer carries its cookie
    request._only_me_opened = True
    return key


def _with_key(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The answer, carrying her key's cookie if the form's passphrase just opened it."""
    return only_me.carry(request, response, _key(request)) if getattr(request, "_only_me_opened", False) else response


def _old_codes(request: HttpRequest) -> bool:
    return only_me.codes_without_copy(request.user) > 0


def _list_context(request: HttpRequest, **extra) -> dict:
    goals, recently_deleted = selectors.goals_and_undo(viewer=request.user, her_key=_key(request))
    open_goals = [goal for goal in goals if not goal.is_done]
    return {
        "open_goals": open_goals,
        "done": [goal for goal in goals if goal.is_done],
        "version": order_version([goal.pk for goal in goals]),
        "recently_deleted": recently_deleted,
        **extra,
    }


@not_found_is_404
def goal_list(request: HttpRequest, **extra) -> HttpResponse:
    return render(request, "goals/home.html", {**_list_context(request), "add_form": GoalAddForm(), **extra})


@not_found_is_404
def goal_order(request: HttpRequest) -> HttpResponse:
    """Her list with Move buttons, on a page of its own, so Home stays a short list to read."""
    return render(request, "goals/order.html", _list_context(request))


@not_found_is_404
@_ask_for_passphrase
@require_POST
def goal_add(request: HttpRequest) -> HttpResponse:
    form = GoalAddForm(request.POST)
    if form.is_valid():
        fields = {name: value for name, value in form.cleaned_data.items() if name != "once"}
        try:
            key = _key_for(request, form)
            with form_once(request.user, form.cleaned_data["once"]):
                services.goal_create(actor=request.user, her_key=key, **fields)
        except NoKeyYet:
            pass
        except (NotFound, sealing.Closed):
            raise
        except DomainError as error:
            show_error(form, error)
        except AlreadyDone:
            pass  # a double tap or a resent form: the first one added it, so answer as it did
        if not form.errors:
            if not request.htmx:
                return _with_key(request, redirect("home"))
            announcement = _("Goal added: “%(title)s”.") % {"title": form.cleaned_data["title"].strip()}
            form = GoalAddForm()
            form.fields["title"].widget.attrs["data-autofocus"] = ""  # ready for the next one
            context = {**_list_context(request), "add_form": form, "announcement": announcement}
            return _with_key(request, render(request, "goals/home.html#goals", context))
    context = {**_list_context(request), "add_form": form}
    return render(request, "goals/home.html#goals" if request.htmx else "goals/home.html", context)


@not_found_is_404
@require_POST
def goal_move(request: HttpRequest) -> HttpResponse:
    """One of the Move buttons: which goal, which way, and the order the page showed."""
    selectors.goals_for(viewer=request.user)  # goals exist only for survivors: anyone else gets 404
    form = MoveForm(request.POST)
    announcement, moved_id = "", None
    if not form.is_valid():
        announcement = _("That move could not be read. Please try again.")
    else:
        moved_id, to = form.cleaned_data["move"]
        try:
            goal, number, count = services.goal_move(
                actor=request.user, goal_id=moved_id, to=to, version=form.cleaned_data["version"] or None
            )
        except NotFound:
            raise
        except DomainError as error:
            announcement = error.message
        else:
            announcement = _("“%(title)s” is now number %(number)s of %(count)s.") % {
                "title": sealing.show([goal], _key(request))[0].title, "number": number, "count": count,
            }
    if not request.htmx:
        messages.info(request, announcement)
        response = redirect("goals:order")
        if moved_id:
            response["Location"] += f"#g{moved_id}"
        return response
    context = _list_context(request, announcement=announcement, moved_id=moved_id)
    return render(request, "goals/order.html#order-list", context)


@not_found_is_404
@_ask_for_passphrase
def goal_detail(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = selectors.goal_for(viewer=request.user, goal_id=goal_id, her_key=_key(request))
    if goal.sealed == sealing.CLOSED:
        raise sealing.closed_error()
    if goal.sealed == sealing.LOST:
        return render(request, "goals/detail.html", {"goal": goal, "lost": True})
    form = GoalEditForm(request.POST or None, initial=_saved(goal), old_codes=_old_codes(request))
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in services.EDITABLE}
        try:
            key = _key_for(request, form)
            goal, just_finished = services.goal_update(
                actor=request.user, goal_id=goal.pk, version=version_sent(form), her_key=key, **changes
            )
        except NoKeyYet:
            return render(request, "goals/detail.html", _detail_context(goal, form=form))
        except (NotFound, sealing.Closed):
            raise
        except Stale:
            goal = selectors.goal_for(viewer=request.user, goal_id=goal_id, her_key=_key(request))
            return conflict_page(
                request, form=form, saved=_saved(goal), guarded=("keep_private", "only_me"),
                action=reverse("goals:detail", args=[goal.pk]), back=reverse("goals:detail", args=[goal.pk]),
            )
        except DomainError as error:
            show_error(form, error)
        else:
            if just_finished:
                messages.success(
                    request, _("Well done! You finished “%(title)s”. That took strength.") % {"title": goal.title}
                )
            else:
                messages.success(request, _("Saved."))
            return _with_key(request, redirect("home"))
    return render(request, "goals/detail.html", _detail_context(goal, form=form))


def _saved(goal: Goal) -> dict:
    return {**{f: getattr(goal, f) for f in services.EDITABLE}, "version": goal.version}


def _detail_context(goal: Goal, **extra) -> dict:
    steps = list(goal.steps.all())
    return {
        "goal": goal,
        "steps": steps,
        "steps_version": order_version([step.pk for step in steps]),
        "step_form": StepAddForm(),
        **extra,
    }


def _steps_answer(request: HttpRequest, goal_id: int, action: Callable[[], str], form: StepAddForm | None = None) -> HttpResponse:
    """Runs one change to a goal's steps; `action` returns what to announce. Plain requests
    go back to the goal page with the words as a message; htmx gets the steps fragment. A
    refused new step keeps her words in its form (`form`), on the page or in the fragment."""
    selectors.goal_for(viewer=request.user, goal_id=goal_id)  # hers, or 404 before anything else
    problem, announcement = "", ""
    try:
        announcement = action()
    except (NotFound, sealing.Closed):
        raise
    except DomainError as error:
        problem = error.message
    kept = {"step_form": form} if problem and form is not None and form.is_bound else {}
    if kept and not request.htmx:
        goal = selectors.goal_for(viewer=request.user, goal_id=goal_id, her_key=_key(request))
        edit_form = GoalEditForm(initial=_saved(goal), old_codes=_old_codes(request))
        context = _detail_context(goal, form=edit_form, problem=problem, announcement="", **kept)
        return render(request, "goals/detail.html", context)
    if not request.htmx:
        if problem:
            messages.error(request, problem)
        elif announcement:
            messages.success(request, announcement)
        return redirect("goals:detail", goal_id=goal_id)
    goal = selectors.goal_for(viewer=request.user, goal_id=goal_id, her_key=_key(request))
    context = _detail_context(goal, problem=problem, announcement=announcement, moved_id=_moved_id(request), **kept)
    return render(request, "goals/detail.html#steps", context)


def _moved_id(request: HttpRequest) -> int | None:
    form = MoveForm(request.POST)
    return form.cleaned_data["move"][0] if form.is_valid() else None


@not_found_is_404
@_ask_for_passphrase
@require_POST
def step_add(request: HttpRequest, goal_id: int) -> HttpResponse:
    form = StepAddForm(request.POST)

    def add() -> str:
        if not form.is_valid():
            raise Invalid(next(iter(form.errors.values()))[0], field="text")
        try:
            with form_once(request.user, form.cleaned_data["once"]):
                services.step_create(actor=request.user, goal_id=goal_id, text=form.cleaned_data["text"],
                                     her_key=_key(request))
        except AlreadyDone:
            pass  # a double tap or a resent form: the first one added it
        return _("Step added: “%(text)s”.") % {"text": form.cleaned_data["text"].strip()}

    return _steps_answer(request, goal_id, add, form=form)


@not_found_is_404
@_ask_for_passphrase
@require_POST
def step_toggle(request: HttpRequest, goal_id: int, step_id: int) -> HttpResponse:
    def toggle() -> str:
        step = services.step_update(
            actor=request.user, goal_id=goal_id, step_id=step_id, done=request.POST.get("done") == "1",
            version=id_from(request.POST.get("version")), her_key=_key(request),
        )
        return (_("“%(text)s” is done.") if step.done else _("“%(text)s” is not done.")) % {"text": step.text}

    return _steps_answer(request, goal_id, toggle)


@not_found_is_404
@_ask_for_passphrase
@require_POST
def step_delete(request: HttpRequest, goal_id: int, step_id: int) -> HttpResponse:
    def delete() -> str:
        services.step_delete(actor=request.user, goal_id=goal_id, step_id=step_id)
        return _("Step deleted.")

    return _steps_answer(request, goal_id, delete)


@not_found_is_404
@_ask_for_passphrase
@require_POST
def step_move(request: HttpRequest, goal_id: int) -> HttpResponse:
    form = MoveForm(request.POST)

    def move() -> str:
        if not form.is_valid():
            raise Invalid(_("That move could not be read. Please try again."))
        step_id, to = form.cleaned_data["move"]
        step, number, count = services.step_move(
            actor=request.user, goal_id=goal_id, step_id=step_id, to=to, version=form.cleaned_data["version"] or None
        )
        text = sealing.text_of(step, _key(request), request.user.pk)
        return _("“%(text)s” is now step %(number)s of %(count)s.") % {"text": text, "number": number, "count": count}

    return _steps_answer(request, goal_id, move)


@not_found_is_404
def goal_delete(request: HttpRequest, goal_id: int) -> HttpResponse:
    if request.method == "POST":
        try:
            services.goal_delete(actor=request.user, goal_id=goal_id)
        except NotFound:
            pass  # already deleted (a second tap) or never hers: nothing to do, nothing to tell
        return redirect("home")
    goal = selectors.goal_for(viewer=request.user, goal_id=goal_id, her_key=_key(request))
    return render(request, "goals/delete.html", {"goal": goal})


@not_found_is_404
@require_POST
def goal_restore(request: HttpRequest, goal_id: int) -> HttpResponse:
    try:
        goal = services.goal_restore(actor=request.user, goal_id=goal_id)
    except NotFound:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(title)s” is back.") % {"title": sealing.show([goal], _key(request))[0].title})
    return redirect("home")
