"""Sharing, as pages: her side (share, change, stop, see who looked) and the agency's side
(who shares with us, and exactly what they shared). Rules live in services and selectors."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from survivor_portal.accounts.models import Agency
from survivor_portal.consent import selectors, services
from survivor_portal.consent.forms import ApiKeyForm, DisclosureForm, RecordForForm, ShareForm, SuggestionForm
from survivor_portal.errors import DomainError, NotFound
from survivor_portal.goals.selectors import goals_for
from survivor_portal.versions import Stale
from survivor_portal.web import not_found_is_404, show_error
from survivor_portal.write_limits import TooFast


@not_found_is_404
def sharing(request: HttpRequest) -> HttpResponse:
    grants = selectors.grants_for(viewer=request.user)
    active = {grant.agency_id: grant for grant in grants if grant.is_active()}
    never = selectors.never_share_ids(viewer=request.user)
    versions = services.sharing_versions(request.user)
    agencies = [
        {"agency": agency, "grant": active.get(agency.pk), "never": agency.pk in never,
         "sharing": versions.get(agency.pk, "0.0"),
         "summary": services.summary_of(active[agency.pk]) if agency.pk in active else ""}
        for agency in Agency.objects.order_by("name")
    ]
    # Her receipts keep the words she confirmed; one she read in another language also says it in hers.
    language = get_language()
    receipts = [{"grant": grant, "summary": services.summary_of(grant)
                 if grant.notice_language and grant.notice_language != language else ""} for grant in grants]
    return render(request, "consent/sharing.html", {
        "agencies": agencies, "receipts": receipts, "ending_soon": selectors.ending_soon(viewer=request.user),
    })


@not_found_is_404
def share(request: HttpRequest, agency_id: int) -> HttpResponse:
    """Choose, then see the one plain sentence, then confirm."""
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None:
        raise Http404
    goals = [goal for goal in goals_for(viewer=request.user) if not goal.only_me]  # never offered to share
    form = ShareForm(request.POST or None, goals=goals,
                     initial={"sharing": services.sharing_version(request.user, agency.pk)})
    if request.method == "POST" and form.is_valid():
        choices = {key: form.cleaned_data[key] for key in ("scopes", "goal_scope", "categories", "goal_ids", "purpose", "days")}
        try:
            if request.POST.get("confirm") == "yes":
                services.consent_grant(actor=request.user, agency_id=agency.pk, version=form.cleaned_data["sharing"] or None,
                                       purpose_note=form.cleaned_data["purpose_note"], **choices)
                messages.success(request, _("You are now sharing with %(agency)s.") % {"agency": agency.name})
                return redirect("consent:sharing")
            sentence = services.preview(actor=request.user, agency_id=agency.pk, **choices)
        except NotFound:
            raise
        except Stale as stale:
            # Her choices stay on the form, now based on how things stand; nothing starts until she confirms again.
            data = request.POST.copy()
            data["sharing"] = stale.extra["version"]
            form = ShareForm(data, goals=goals)
            form.is_valid()
            form.add_error(None, stale.message + " " + _("Your choices are below, not saved. Check them and continue if you still want this."))
        except DomainError as error:
            show_error(form, error)
        else:
            carried = [(key, value) for key in request.POST if key not in ("csrfmiddlewaretoken", "confirm")
                       for value in request.POST.getlist(key)]
            return render(request, "consent/confirm.html", {"agency": agency, "carried": carried, "sentence": sentence})
    return render(request, "consent/share.html", {"agency": agency, "form": form})


@not_found_is_404
def stop(request: HttpRequest, grant_id: int) -> HttpResponse:
    grant = selectors.grant_of(viewer=request.user, grant_id=grant_id)
    if request.method == "POST":
        try:
            services.consent_withdraw(actor=request.user, grant_id=grant.pk)
        except NotFound:
            messages.info(request, _("You were not sharing anything with %(agency)s.") % {"agency": grant.agency.name})
        else:
            messages.success(request, _("%(agency)s can no longer see your things.") % {"agency": grant.agency.name})
        return redirect("consent:sharing")
    if not grant.is_active():
        return redirect("consent:sharing")
    return render(request, "consent/stop.html", {"grant": grant})


@not_found_is_404
def looks(request: HttpRequest) -> HttpResponse:
    return render(request, "consent/looks.html", {"looks": selectors.looks_for(viewer=request.user)})


@not_found_is_404
def people(request: HttpRequest) -> HttpResponse:
    reader = selectors.Reader.staff(request.user, via="page")
    return render(request, "consent/people.html", {"people": selectors.people_sharing_with(reader=reader)})


@not_found_is_404
def person(request: HttpRequest, survivor_id: int) -> HttpResponse:
    return _person_page(request, survivor_id, SuggestionForm())


def _person_page(request: HttpRequest, survivor_id: int, suggest_form: SuggestionForm) -> HttpResponse:
    reader = selectors.Reader.staff(request.user, via="page")
    shared = selectors.person_view(reader=reader, survivor_id=survivor_id)
    return render(request, "consent/person.html", {"person": shared, "goals": shared["goals"], "suggest_form": suggest_form})


@not_found_is_404
@require_POST
def notice_seen(request: HttpRequest, notice_id: int) -> HttpResponse:
    services.disclosure_acknowledge(actor=request.user, notice_id=notice_id)
    return redirect("home")


@not_found_is_404
def disclosure_new(request: HttpRequest) -> HttpResponse:
    """Staff record what they had to share without her choice; she sees it on her next visit."""
    selectors.Reader.staff(request.user, via="page")  # staff only
    form = DisclosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.disclosure_record(actor=request.user, **form.cleaned_data)
        except NotFound:
            form.add_error("username", _("We could not find that person at your agency."))
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Recorded. She will see it the next time she opens the app."))
            return redirect("consent:people")
    return render(request, "consent/disclosure_new.html", {"form": form})


@not_found_is_404
def api_keys(request: HttpRequest) -> HttpResponse:
    keys = selectors.api_keys_for(viewer=request.user)
    form = ApiKeyForm(request.POST or None)
    created_key = None
    if request.method == "POST" and request.POST.get("revoke"):
        try:
            services.api_key_revoke(actor=request.user, key_id=int(request.POST["revoke"]))
        except (NotFound, ValueError):
            messages.error(request, _("That key was already revoked."))
        else:
            messages.success(request, _("Key revoked. The system can no longer read anything."))
        return redirect("consent:api_keys")
    if request.method == "POST" and form.is_valid():
        try:
            record, created_key = services.api_key_create(actor=request.user, name=form.cleaned_data["name"])
        except NotFound:
            raise
        except DomainError as error:
            show_error(form, error)
        else:
            keys.insert(0, record)
            form = ApiKeyForm()
    return render(request, "consent/api_keys.html", {"keys": keys, "form": form, "created_key": created_key})


@not_found_is_404
@require_POST
def never_share(request: HttpRequest, agency_id: int) -> HttpResponse:
    never = request.POST.get("never") == "1"
    try:
        services.never_share_set(actor=request.user, agency_id=agency_id, never=never,
                                 version=request.POST.get("sharing") or None)
    except Stale as stale:
        messages.error(request, stale.message + " " + _("Here is how it stands now."))
        return redirect("consent:sharing")
    messages.success(request, _("Saved. They will never see anything of yours.") if never else _("Saved."))
    return redirect("consent:sharing")


@not_found_is_404
def record_for(request: HttpRequest) -> HttpResponse:
    """Staff record sharing she agreed to in person."""
    selectors.Reader.staff(request.user, via="page")
    form = RecordForForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record_for(actor=request.user, **form.cleaned_data)
        except NotFound:
            form.add_error("username", _("We could not find that person at your agency."))
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Recorded. She can see who recorded it, and change or stop it."))
            return redirect("consent:people")
    return render(request, "consent/record_for.html", {"form": form})


@not_found_is_404
@require_POST
def suggest(request: HttpRequest, survivor_id: int) -> HttpResponse:
    selectors.Reader.staff(request.user, via="page")  # staff only
    form = SuggestionForm(request.POST)
    if form.is_valid():
        try:
            services.suggestion_make(actor=request.user, survivor_id=survivor_id, **form.cleaned_data)
        except NotFound:
            raise
        except TooFast as error:  # her page again, the words still in the form
            show_error(form, error)
            return _person_page(request, survivor_id, form)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Suggestion sent. It is hers to take, change or decline."))
    else:
        messages.error(request, _("Write the suggestion in a few words (up to 200 characters)."))
    return redirect("consent:person", survivor_id=survivor_id)


@not_found_is_404
@require_POST
def suggestion_answer(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    take = request.POST.get("answer") == "take"
    text = request.POST.get("text")
    try:
        answered = services.suggestion_answer(actor=request.user, suggestion_id=suggestion_id, take=take, text=text)
    except NotFound:
        raise
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("home")
    if answered.plan_section:
        messages.success(request, _("Added to your safety plan.") if take else _("Declined. Nothing was added."))
        return redirect("plans:plan")
    messages.success(request, _("Added to your goals.") if take else _("Declined. Nothing was added."))
    return redirect("home")


@not_found_is_404
@require_POST
def renew(request: HttpRequest, grant_id: int) -> HttpResponse:
    try:
        grant = services.consent_renew(actor=request.user, grant_id=grant_id)
    except (Stale, TooFast) as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Renewed. %(sentence)s") % {"sentence": grant.receipt_text})
    return redirect("consent:sharing")


@not_found_is_404
@require_POST
def confirm_recorded(request: HttpRequest, grant_id: int) -> HttpResponse:
    yes = request.POST.get("answer") == "yes"
    grant = services.consent_confirm(actor=request.user, grant_id=grant_id, yes=yes)
    if yes:
        messages.success(request, _("Confirmed. %(sentence)s") % {"sentence": grant.receipt_text})
    else:
        messages.success(request, _("Not confirmed. %(agency)s will not see anything from it.") % {"agency": grant.agency.name})
    return redirect("home")
