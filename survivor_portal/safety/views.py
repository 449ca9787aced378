from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt  # It only ever ends a session, so a forged request can do no harm.
def exit_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    response = HttpResponseRedirect(settings.EXIT_URL)
    # "cache" is left out on purpose: Chrome can stall for seconds clearing it.
    response["Clear-Site-Data"] = '"cookies", "storage"'
    return response
