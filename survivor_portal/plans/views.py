"""Her safety plan, as pages; and, for an agency she shares it with, what she lets them see.
Rules live in services and selectors."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from survivor_portal.consent import services as consent_services
from survivor_portal.consent.selectors import Reader, safety_plan_grant, waiting_suggestions
from survivor_portal.errors import DomainError, NotFound
from survivor_portal.plans import selectors, services
from survivor_portal.plans.forms import PlanSuggestionForm, ReviewForm, section_form
from survivor_portal.versions import Stale
from survivor_portal.web import conflict_page, not_found_is_404, show_error, version_sent
from survivor_portal.write_limits import TooFast


@not_found_is_404
def plan(request: HttpRequest) -> HttpResponse:
    view = selectors.plan_for(viewer=request.user)
    return render(request, "plans/plan.html", {
        "plan": view, "review_form": ReviewForm(initial={"every_days": view.review_every_days}),
        "plan_suggestions": [s for s in waiting_suggestions(viewer=request.user) if s.plan_section],
        "shared_with": safety_plan_grant(request.user.pk),
    })


def _saved(current: selectors.PlanSection, version: int) -> dict:
    return {"text": current.text, "ticks": current.ticks, "private": current.private, "version": version}


@not_found_is_404
def section(request: HttpRequest, key: str) -> HttpResponse:
    current, version = selectors.section_for(viewer=request.user, key=key)
    if request.method == "POST" and "example" in request.POST:
        return _with_example(request, current)
    form = section_form(current.section)(request.POST or None, initial=_saved(current, version))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_section_save(actor=request.user, key=key, text=data["text"], ticks=data.get("ticks"),
                                       private=data["private"], version=version_sent(form))
        except Stale:
            current, version = selectors.section_for(viewer=request.user, key=key)
            here = reverse("plans:section", args=[key])
            return conflict_page(request, form=form, saved=_saved(current, version), guarded=("private",),
                                 action=here, back=here, heading=str(current.section.title))
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Saved. Your earlier version is kept too."))
            return redirect("plans:plan")
    return render(request, "plans/section.html", {"current": current, "form": form})


def _with_example(request: HttpRequest, current: selectors.PlanSection) -> HttpResponse:
    """Without JavaScript, "Use this" sends what she has typed so far: the page comes back with the
    example added at the end of her words, for her to change. Nothing is saved until she saves."""
    examples = current.section.examples
    index = request.POST.get("example", "")
    typed = request.POST.get("text", "")
    if index.isdigit() and int(index) < len(examples):
        typed = f"{typed.rstrip()}\n{examples[int(index)]}".strip()
    initial = {"text": typed, "ticks": request.POST.getlist("ticks"), "private": request.POST.get("private") == "on",
               "version": request.POST.get("version")}
    form = section_form(current.section)(initial=initial)
    return render(request, "plans/section.html", {"current": current, "form": form, "example_added": True})


@not_found_is_404
def versions(request: HttpRequest) -> HttpResponse:
    view = selectors.plan_for(viewer=request.user)
    return render(request, "plans/versions.html", {"versions": selectors.versions_for(viewer=request.user),
                                                   "version": view.version})


@not_found_is_404
@require_POST
def restore(request: HttpRequest, number: int) -> HttpResponse:
    sent = request.POST.get("version", "")
    try:
        services.plan_restore(actor=request.user, number=number, version=int(sent) if sent.isdigit() else -1)
    except Stale:
        messages.error(request, _("Your plan changed in another window, so nothing was brought back. "
                                  "Here are its versions as they are now."))
        return redirect("plans:versions")
    except TooFast as error:
        messages.error(request, error.message)
        return redirect("plans:versions")
    messages.success(request, _("Version %(number)s is back. What you had before is kept as a version too.")
                     % {"number": number})
    return redirect("plans:plan")


@not_found_is_404
def take(request: HttpRequest) -> HttpResponse:
    """Her whole plan on one plain page: no heading, no app name, nothing to load once it is open."""
    return render(request, "plans/take.html", {"plan": selectors.plan_for(viewer=request.user)})


@not_found_is_404
@require_POST
def review(request: HttpRequest) -> HttpResponse:
    form = ReviewForm(request.POST)
    if form.is_valid():
        services.plan_review_set(actor=request.user, every_days=form.cleaned_data["every_days"])
        messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Choose one of the options."))
    return redirect("plans:plan")


@not_found_is_404
@require_POST
def looked(request: HttpRequest) -> HttpResponse:
    services.plan_looked_at(actor=request.user)
    if request.POST.get("then") == "plan":
        return redirect("plans:plan")
    messages.info(request, _("All right. We will ask again later."))
    return redirect("home")


@not_found_is_404
def delete(request: HttpRequest) -> HttpResponse:
    selectors.plan_for(viewer=request.user)  # hers only
    if request.method == "POST":
        services.plan_delete(actor=request.user)
        messages.success(request, _("Your safety plan and all its versions are deleted."))
        return redirect("plans:plan")
    return render(request, "plans/delete.html")


# ---- Her agency's side --------------------------------------------------------------------------


@not_found_is_404
def shared(request: HttpRequest, survivor_id: int) -> HttpResponse:
    return _shared_page(request, survivor_id, PlanSuggestionForm())


def _shared_page(request: HttpRequest, survivor_id: int, form: PlanSuggestionForm) -> HttpResponse:
    reader = Reader.staff(request.user, via="page")
    person = selectors.shared_plan_of(reader=reader, survivor_id=survivor_id)
    return render(request, "plans/shared.html", {"person": person, "form": form})


@not_found_is_404
@require_POST
def suggest(request: HttpRequest, survivor_id: int) -> HttpResponse:
    Reader.staff(request.user, via="page")  # staff only
    form = PlanSuggestionForm(request.POST)
    if not form.is_valid():
        return _shared_page(request, survivor_id, form)
    try:
        consent_services.suggestion_make(actor=request.user, survivor_id=survivor_id, text=form.cleaned_data["text"],
                                         plan_section=form.cleaned_data["plan_section"])
    except NotFound:
        raise
    except DomainError as error:  # her page again, the words still in the form
        show_error(form, error)
        return _shared_page(request, survivor_id, form)
    messages.success(request, _("Suggestion sent. It is hers to take, change or decline."))
    return redirect("plans:shared", survivor_id=survivor_id)
