"""Meetings, as pages: hers (book, move, cancel, calendar file) and the advocate's (agenda,
times offered). Rules live in services and selectors."""

from datetime import date, timedelta
from itertools import groupby

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from survivor_portal.consent.selectors import Reader
from survivor_portal.errors import Conflict, DomainError, Invalid, NotFound
from survivor_portal.idempotency.keys import AlreadyDone, form_once
from survivor_portal import times
from survivor_portal.scheduling import calendar, selectors, services
from survivor_portal.scheduling.forms import BookForm, PrefsForm, RulesForm, SlotForm, StaffCancelForm, WeeklyForm
from survivor_portal.versions import Stale
from survivor_portal.web import conflict_page, id_from, not_found_is_404, show_error, version_sent


def _by_day(slots) -> list[tuple[str, list]]:
    """Slots grouped under their day on the reader's clock (times.py)."""
    def day(slot):
        return times.local(slot.starts_at).date()

    return [(capfirst(times.day(d)), list(group)) for d, group in groupby(slots, key=day)]



def _asked_day(request: HttpRequest, name: str) -> date | None:
    """A day from the address, or None when it is missing, malformed or years away."""
    try:
        day = date.fromisoformat(request.GET.get(name, ""))
        times.sane(day, name)
    except (ValueError, Invalid):
        return None
    return day


# ---- Hers -------------------------------------------------------------------------------------


@not_found_is_404
def meetings(request: HttpRequest) -> HttpResponse:
    found = selectors.her_appointments(viewer=request.user)
    now = timezone.now()
    coming = [a for a in found if a.is_live and a.slot.ends_at > now]
    rest = [a for a in found if a not in coming]
    return render(request, "scheduling/meetings.html", {
        "coming": coming, "rest": rest, "can_book": bool(selectors.bookable_advocates(viewer=request.user)),
    })


def _open_times(request: HttpRequest, **extra) -> HttpResponse:
    """The free times she can choose from, a week at a time, for booking or for moving."""
    services.require_survivor(request.user)
    advocates = selectors.bookable_advocates(viewer=request.user)
    chosen = id_from(request.GET.get("advocate", ""))
    advocate_id = chosen if any(a.pk == chosen for a in advocates) else None
    first = _asked_day(request, "week") or timezone.now().date()
    first = max(first, timezone.now().date())
    try:
        start = None if first == timezone.now().date() else first
        slots = selectors.open_slots(viewer=request.user, advocate_id=advocate_id, start=start,
                                     end=first + timedelta(days=7))
    except Invalid:
        slots, first = [], timezone.now().date()
    moving = extra.get("moving")
    here = reverse("scheduling:move", args=[moving.pk]) if moving else reverse("scheduling:book_list")
    return render(request, "scheduling/book.html", {
        "here": here, "days": _by_day(slots), "advocates": advocates, "advocate_id": advocate_id,
        "week": first, "next_week": first + timedelta(days=7),
        "previous_week": first - timedelta(days=7) if first > timezone.now().date() else None, **extra,
    })


@not_found_is_404
def book_list(request: HttpRequest) -> HttpResponse:
    return _open_times(request)


@not_found_is_404
def book(request: HttpRequest, slot_id: int) -> HttpResponse:
    form = BookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            # The token is checked before the slot: after a double tap the slot is hers, not free.
            with form_once(request.user, form.cleaned_data.pop("once")):
                appointment = services.appointment_book(actor=request.user, slot_id=slot_id, **form.cleaned_data)
        except AlreadyDone:
            return redirect("scheduling:meetings")
        except NotFound:
            raise
        except Conflict as taken:
            return _open_times(request, problem=taken.message)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Booked. You can move or cancel it any time."))
            return redirect("scheduling:detail", appointment_id=appointment.pk)
    slot = services.bookable_slot(request.user, slot_id)
    return render(request, "scheduling/book_form.html", {"slot": slot, "form": form})


@not_found_is_404
def detail(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = selectors.her_appointment(viewer=request.user, appointment_id=appointment_id)
    return render(request, "scheduling/detail.html", {"a": appointment, "prefs": services.prefs_of(request.user)})


@not_found_is_404
def cancel(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = selectors.her_appointment(viewer=request.user, appointment_id=appointment_id)
    if request.method == "POST":
        try:
            services.appointment_cancel(actor=request.user, appointment_id=appointment.pk)
        except NotFound:
            raise
        except DomainError as error:
            messages.info(request, error.message)
        else:
            messages.success(request, _("Cancelled. The time is free for someone else."))
        return redirect("scheduling:meetings")
    if not appointment.is_live or appointment.is_over:
        return redirect("scheduling:detail", appointment_id=appointment.pk)
    return render(request, "scheduling/cancel.html", {"a": appointment})


@not_found_is_404
def move(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = selectors.her_appointment(viewer=request.user, appointment_id=appointment_id)
    if request.method == "POST":
        try:
            moved = services.appointment_move(actor=request.user, appointment_id=appointment.pk,
                                              slot_id=id_from(request.POST.get("slot_id", "")) or 0)
        except NotFound as error:
            if error.field != "slot_id":
                raise
            messages.error(request, _("That time is no longer offered. Choose another."))
        except DomainError as error:
            return _open_times(request, moving=appointment, problem=error.message)
        else:
            messages.success(request, _("Moved. Your old time is free for someone else."))
            return redirect("scheduling:detail", appointment_id=moved.pk)
    if not appointment.is_live or appointment.is_over:
        return redirect("scheduling:detail", appointment_id=appointment.pk)
    asked = id_from(request.GET.get("to", ""))
    if asked:  # she chose a new time: ask once before moving
        try:
            slot = services.bookable_slot(request.user, asked)
        except NotFound:
            return _open_times(request, moving=appointment, problem=_("That time is no longer offered. Choose another."))
        return render(request, "scheduling/move_confirm.html", {"a": appointment, "slot": slot})
    return _open_times(request, moving=appointment)


@not_found_is_404
@require_POST
def change_seen(request: HttpRequest, appointment_id: int) -> HttpResponse:
    services.appointment_change_seen(actor=request.user, appointment_id=appointment_id)
    return redirect("home")


@not_found_is_404
def calendar_file(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = selectors.her_appointment(viewer=request.user, appointment_id=appointment_id)
    return calendar.download(appointment, services.prefs_of(request.user))


@not_found_is_404
def preferences(request: HttpRequest) -> HttpResponse:
    services.require_survivor(request.user)
    form = PrefsForm(request.POST or None, initial=_prefs_saved(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.prefs_set(actor=request.user, **{**form.cleaned_data, "version": version_sent(form)})
        except Stale:
            return conflict_page(request, form=form, saved=_prefs_saved(request.user), guarded=("calendar_details",),
                                 action=reverse("scheduling:preferences"), back=reverse("scheduling:preferences"))
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("scheduling:meetings")
    return render(request, "scheduling/preferences.html", {"form": form})


def _prefs_saved(survivor) -> dict:
    prefs = services.prefs_of(survivor)
    return {"code_word": prefs.code_word, "calendar_title": prefs.calendar_title,
            "calendar_details": prefs.calendar_details, "version": prefs.version}


# ---- The advocate's ---------------------------------------------------------------------------


@not_found_is_404
def agenda(request: HttpRequest) -> HttpResponse:
    reader = Reader.staff(request.user, via="page")
    week = request.GET.get("view") != "day"
    first = _asked_day(request, "day") or times.today_in(reader.agency)
    try:
        entries = selectors.agenda(reader=reader, start=first, end=first + timedelta(days=7 if week else 1))
    except Invalid:
        first, entries = times.today_in(reader.agency), []
    step = timedelta(days=7 if week else 1)
    days = [(capfirst(times.day(d)), list(group))
            for d, group in groupby(entries, key=lambda e: times.local(e.appointment.slot.starts_at).date())]
    return render(request, "scheduling/agenda.html", {
        "days": days, "week": week, "first": first, "next": first + step, "previous": first - step,
    })


@not_found_is_404
def staff_cancel(request: HttpRequest, appointment_id: int) -> HttpResponse:
    reader = Reader.staff(request.user, via="page")
    entry = selectors.agenda_entry(reader=reader, appointment_id=appointment_id)
    form = StaffCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_cancel(actor=request.user, appointment_id=appointment_id, **form.cleaned_data)
        except NotFound:
            raise
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Cancelled. She will see your reason."))
            return redirect("scheduling:agenda")
    return render(request, "scheduling/staff_cancel.html", {"entry": entry, "form": form})


def _times_page(request: HttpRequest, **forms) -> HttpResponse:
    """The add forms first, then one week of her times, a line each, grouped by day."""
    agency = request.user.agency
    today = times.today_in(agency)
    first = max(_asked_day(request, "week") or today, today)
    rules = services.rules_of(request.user.pk)
    try:
        slots = selectors.staff_slots(viewer=request.user, advocate_id=request.user.pk, start=first,
                                      end=first + timedelta(days=7))
    except Invalid:
        first, slots = today, []
    context = {
        "days": _by_day(slots), "first": first,
        "next": first + timedelta(days=7) if first + timedelta(days=7) <= today + timedelta(days=services.MAX_DAYS_AHEAD) else None,
        "previous": max(first - timedelta(days=7), today) if first > today else None,
        "slot_form": SlotForm(initial={"day": today}),
        "weekly_form": WeeklyForm(initial={"first_day": today, "weekdays": [0, 1, 2, 3, 4]}),
        "rules_form": RulesForm(initial={"min_notice_minutes": rules.min_notice_minutes,
                                         "buffer_minutes": rules.buffer_minutes, "version": rules.version}),
        **forms,
    }
    return render(request, "scheduling/times.html", context)


@not_found_is_404
def my_times(request: HttpRequest) -> HttpResponse:
    services.require_staff(request.user)
    return _times_page(request)


@not_found_is_404
@require_POST
def time_add(request: HttpRequest) -> HttpResponse:
    services.require_staff(request.user)
    form = SlotForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.slot_create(actor=request.user, starts_at=times.at(data["day"], data["start"], request.user.agency),
                                 ends_at=times.at(data["day"], data["end"], request.user.agency),
                                 mode=data["mode"], place_label=data["place_label"])
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Added."))
            return redirect("scheduling:times")
    return _times_page(request, slot_form=form)


@not_found_is_404
@require_POST
def time_weekly(request: HttpRequest) -> HttpResponse:
    services.require_staff(request.user)
    form = WeeklyForm(request.POST)
    if form.is_valid():
        try:
            made = services.slots_weekly(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, ngettext("Added %(count)s time.", "Added %(count)s times.", len(made)) % {"count": len(made)})
            return redirect("scheduling:times")
    return _times_page(request, weekly_form=form)


@not_found_is_404
@require_POST
def time_withdraw(request: HttpRequest, slot_id: int) -> HttpResponse:
    try:
        services.slot_withdraw(actor=request.user, slot_id=slot_id)
    except NotFound:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Taken off your list."))
    week = _asked_day(request, "week")  # back to the week she was looking at
    return redirect(reverse("scheduling:times") + (f"?week={week.isoformat()}" if week else ""))


@not_found_is_404
@require_POST
def rules(request: HttpRequest) -> HttpResponse:
    services.require_staff(request.user)
    form = RulesForm(request.POST)
    if form.is_valid():
        try:
            services.rules_set(actor=request.user, **{**form.cleaned_data, "version": version_sent(form)})
        except Stale as stale:
            # From an older page: the rules as saved now, to change again if she still wants to.
            rules = services.rules_of(request.user.pk)
            form = RulesForm({"min_notice_minutes": rules.min_notice_minutes, "buffer_minutes": rules.buffer_minutes,
                              "version": rules.version})
            form.is_valid()
            form.add_error(None, stale.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("scheduling:times")
    return _times_page(request, rules_form=form)
