from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from survivor_portal.accounts.models import User


@csrf_exempt
def bare(request):
    """The yardstick: a plain Django view with one small query and a JSON answer."""
    return JsonResponse({"ok": User.objects.filter(pk=1).exists()}, status=201)


urlpatterns = [path("bench/bare", bare), path("", include("survivor_portal.urls"))]
