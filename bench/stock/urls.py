from django.contrib.auth.models import Group
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import path


def me(request):
    return JsonResponse({"logged_in": request.user.is_authenticated, "username": request.user.get_username()})


def page(request):
    rows = Group.objects.order_by("pk")[:6]
    return render(request, "page.html", {"rows": rows})


urlpatterns = [path("me", me), path("page", page)]
