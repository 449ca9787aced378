"""The server operators' admin (django-otp's OTPAdminSite), reachable only by staff who finished the
app's own login with two-step. To anyone else it does not exist: the app's ordinary 404 at every
address under /admin/, its login page included, whatever is sent there. So it never tells anyone
whether a passphrase is right, and every login goes through the app's limits (accounts.throttle)."""

from functools import update_wrapper

from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_otp.admin import OTPAdminSite


class OperatorsAdminSite(OTPAdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and not user.is_survivor and user.is_verified())

    def admin_view(self, view, cacheable: bool = False):
        inner = super().admin_view(view, cacheable)

        def only_for_operators(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not self.has_permission(request):
                raise Http404
            return inner(request, *args, **kwargs)

        return update_wrapper(only_for_operators, view)

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        """No login of its own: staff log in through the app, with two-step, and come back here."""
        if self.has_permission(request):
            return redirect("admin:index")
        raise Http404


class Neutral:
    """An object as the admin's history names it: its kind and number. The history table
    (`django_admin_log.object_repr`) is plain text, and a person's name there would be the one
    thing of hers a copy of the database still said."""

    def __init__(self, obj) -> None:
        self._obj = obj

    def __getattr__(self, name):
        return getattr(self._obj, name)

    def __str__(self) -> str:
        return f"{self._obj._meta.model_name} {self._obj.pk}"


class ModelAdmin(admin.ModelAdmin):
    """Every model admin of the app: its history names what changed by kind and number only."""

    def log_addition(self, request, obj, message):
        return super().log_addition(request, Neutral(obj), message)

    def log_change(self, request, obj, message):
        return super().log_change(request, Neutral(obj), message)

    def log_deletions(self, request, queryset):
        return super().log_deletions(request, [Neutral(obj) for obj in queryset])
