from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from peer_support.council.selectors import answers_for_staff_home
from peer_support.groups.selectors import admin_queue_sizes
from survivor_portal import times
from survivor_portal.accounts.services import has_second_factor, needs_second_factor
from survivor_portal.accounts.views import delete_account, join, join_restart, login_view, recover, verify
from survivor_portal.consent.selectors import Reader, people_sharing_with
from survivor_portal.goals.views import goal_list
from survivor_portal.safety.context import current_disguise_key, her_settings
from survivor_portal.safety.middleware import SCREEN
from survivor_portal.safety.views import cover, cover_submit, intro, is_locked, unlock
from survivor_portal.scheduling.selectors import agenda, for_home

# The logged-out screens. Each answers at the start address, and so do their forms, so the
# only address of this site in the browser's history is "/" (which screen it shows is kept
# in the session; a fresh load forgets it and shows the cover again).
_SCREENS = {"login": login_view, "join": join, "recover": recover}
NEWS_DAYS = 7  # on staff home: who started sharing, and whose sharing ends, within a week


def home(request: HttpRequest) -> HttpResponse:
    """The one start address: her cover, the login or the unlock screen until she is in; then her space."""
    if not request.user.is_authenticated:
        return _logged_out(request)
    if _owes_code(request):
        return verify(request)  # the second step of her login, at the start address too
    if is_locked(request):
        return _locked(request)
    if request.method == "POST":
        if request.POST.get("screen") == "delete":
            return delete_account(request)  # its confirmation, too, answers at the start address
        return redirect("home")  # a form of the screens before, sent again once she is in
    if request.user.is_survivor:
        if not her_settings(request).seen_exit_intro:
            return intro(request)
        coming_up, meeting_changes = for_home(viewer=request.user)
        return goal_list(request, coming_up=coming_up, meeting_changes=meeting_changes)
    return _staff_home(request)


def _staff_home(request: HttpRequest) -> HttpResponse:
    """Her day at a glance: only what her pages already show her, each read recorded as there."""
    context = {}
    if request.user.is_agency_staff and request.user.agency_id is not None:
        reader = Reader.staff(request.user, via="page")
        today = times.today_in(reader.agency)
        news = people_sharing_with(reader=reader, news_days=NEWS_DAYS)
        waiting, answered = answers_for_staff_home(viewer=request.user)
        context = {
            "today": [e for e in agenda(reader=reader, start=today, end=today + timedelta(days=1)) if e.appointment.is_live],
            "new_people": [p for p in news if p["new"]],
            "ending": [p for p in news if p["until"] <= timezone.now() + timedelta(days=NEWS_DAYS)],
            "awaiting_answer": waiting, "answered": answered,
            "reports_waiting": sum(admin_queue_sizes(viewer=request.user).values()),
        }
    return render(request, "home.html", context)


def _owes_code(request: HttpRequest) -> bool:
    user = request.user
    return not user.is_verified() and needs_second_factor(user, request.session) and has_second_factor(user, request.session)


def _logged_out(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        wanted = request.POST.get("show")
        if wanted is not None:  # a button that changes screens ("join" always starts with the code)
            if wanted in _SCREENS:
                request.session[SCREEN] = wanted
            else:
                request.session.pop(SCREEN, None)
            return join_restart(request) if wanted == "join" else redirect("home")
        screen = request.POST.get("screen")
        if screen in _SCREENS:
            request.session[SCREEN] = screen
            return _SCREENS[screen](request)
        return cover_submit(request)  # the cover's own form
    screen = request.session.get(SCREEN)
    if screen in _SCREENS:
        return _SCREENS[screen](request)
    return login_view(request) if current_disguise_key(request) == "plain" else cover(request)


def _locked(request: HttpRequest) -> HttpResponse:
    screen = request.POST.get("screen") if request.method == "POST" else None
    if screen == "unlock" or current_disguise_key(request) == "plain":
        return unlock(request)
    return cover_submit(request) if request.method == "POST" else cover(request)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
