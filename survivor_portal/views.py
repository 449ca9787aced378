from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from survivor_portal.goals.views import goal_list
from survivor_portal.safety.services import safety_settings_of
from survivor_portal.safety.views import cover, cover_submit, is_locked
from survivor_portal.scheduling.selectors import coming_up


def home(request: HttpRequest) -> HttpResponse:
    """The one start address: the disguise's cover when logged out or locked, her space otherwise."""
    if not request.user.is_authenticated or is_locked(request):
        # The covers post to the start address too, so no other page name reaches the history.
        return cover_submit(request) if request.method == "POST" else cover(request)
    if request.user.is_survivor:
        if not safety_settings_of(request.user).seen_exit_intro:
            return redirect("safety:intro")
        return goal_list(request, coming_up=coming_up(viewer=request.user))
    return render(request, "home.html")

