from django.db import connection
from django.http import JsonResponse
from django.urls import path


def plain(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        one = cursor.fetchone()[0]
    return JsonResponse({"ok": one})


urlpatterns = [path("", plain)]
