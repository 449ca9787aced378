"""Check-ins and the agency's safety settings, as pages. Thin: the form, the service, a redirect."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from django.core.exceptions import PermissionDenied

from survivor_portal.errors import DomainError, NotAllowed, NotFound
from survivor_portal.idempotency.keys import AlreadyDone, form_once
from survivor_portal.outreach import selectors, services
from survivor_portal.outreach.forms import AgencySafetyForm, CheckInForm, ExtendForm
from survivor_portal.versions import Stale
from survivor_portal.web import not_found_is_404, show_error, version_sent


def _page(request: HttpRequest, form: CheckInForm | None = None, extend_form: ExtendForm | None = None,
          confirm: bool = False) -> HttpResponse:
    board = selectors.board_for(viewer=request.user)
    form = form or CheckInForm(colleagues=board.colleagues)
    if board.mine and extend_form is None:
        extend_form = ExtendForm(initial={"version": board.mine.version})
    return render(request, "outreach/check_ins.html", {"board": board, "form": form, "extend_form": extend_form,
                                                        "confirm": confirm})


@not_found_is_404
def check_ins(request: HttpRequest) -> HttpResponse:
    return _page(request)


@not_found_is_404
@require_POST
def check_in_start(request: HttpRequest) -> HttpResponse:
    form = CheckInForm(request.POST, colleagues=selectors.colleagues_of(viewer=request.user))
    confirm = False
    if form.is_valid():
        fields = {name: value for name, value in form.cleaned_data.items() if name != "once"}
        try:
            with form_once(request.user, form.cleaned_data["once"]):
                services.check_in_start(actor=request.user, confirm_identifying=request.POST.get("confirm_identifying") == "1",
                                        **fields)
        except NotFound:
            raise
        except AlreadyDone:
            pass
        except DomainError as error:
            confirm = error.code == "may_identify"
            if not confirm:  # that one is asked in the box above the form, not as an error
                show_error(form, error)
            return _page(request, form=form, confirm=confirm)
        messages.success(request, _("Take care. Colleagues will be alerted if you have not checked back in on time."))
        return redirect("outreach:check_ins")
    return _page(request, form=form)


def _acted(request: HttpRequest, act, done: str) -> HttpResponse:
    try:
        act()
    except NotFound:
        raise
    except NotAllowed:
        raise PermissionDenied from None
    except Stale:
        messages.error(request, _("This changed in another window. Here it is as it is now."))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("outreach:check_ins")


@not_found_is_404
@require_POST
def check_in_extend(request: HttpRequest, check_in_id: int) -> HttpResponse:
    form = ExtendForm(request.POST)
    if not form.is_valid():
        return _page(request, extend_form=form)
    return _acted(request, lambda: services.check_in_extend(
        actor=request.user, check_in_id=check_in_id, back_in_minutes=form.cleaned_data["back_in_minutes"],
        version=version_sent(form)), _("Extended. Your new time to check back is saved."))


@not_found_is_404
@require_POST
def check_in_end(request: HttpRequest, check_in_id: int) -> HttpResponse:
    return _acted(request, lambda: services.check_in_end(actor=request.user, check_in_id=check_in_id),
                  _("Welcome back. Your check-in has ended."))


@not_found_is_404
@require_POST
def check_in_acknowledge(request: HttpRequest, check_in_id: int) -> HttpResponse:
    return _acted(request, lambda: services.check_in_acknowledge(actor=request.user, check_in_id=check_in_id),
                  _("Thank you. The alert is marked as yours to follow up, with your name and the time."))


@not_found_is_404
def agency_safety(request: HttpRequest) -> HttpResponse:
    try:
        current = selectors.agency_safety_for(viewer=request.user)
    except NotAllowed:
        raise PermissionDenied from None
    initial = {"grace_minutes": current.grace_minutes, "on_duty_ids": current.on_duty_ids,
               "crisis_resources": current.crisis_resources, "version": current.version}
    form = AgencySafetyForm(request.POST or None, initial=initial, staff=current.staff)
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_safety_update(actor=request.user, grace_minutes=form.cleaned_data["grace_minutes"],
                                          on_duty_ids=form.cleaned_data["on_duty_ids"],
                                          crisis_resources=form.cleaned_data["crisis_resources"],
                                          version=version_sent(form))
        except Stale:
            messages.error(request, _("Someone changed these settings since you opened them. Here they are as saved now."))
            return redirect("outreach:agency_safety")
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("outreach:agency_safety")
    return render(request, "outreach/agency_safety.html", {"form": form})
