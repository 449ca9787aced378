"""The server operators' admin (django-otp's OTPAdminSite), reachable only by staff who finished the
app's own login with two-step. To anyone else it does not exist: the app's ordinary 404 at every
address under /admin/, its login page included, whatever is sent there. So it never tells anyone
whether a passphrase is right, and every login goes through the app's limits (accounts.throttle)."""

from functools import update_wrapper

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
