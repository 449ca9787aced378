from django.contrib import admin
from django.urls import include, path

from survivor_portal import views
from survivor_portal.admin_site import OperatorsAdminSite
from survivor_portal.api import api

# The server operators' admin: only after the app's own login with two-step; a 404 to anyone else.
admin.site.__class__ = OperatorsAdminSite

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("survivor_portal.accounts.urls")),
    path("", include("survivor_portal.safety.urls")),
    path("goals/", include("survivor_portal.goals.urls")),
    path("", include("survivor_portal.consent.urls")),
    path("", include("survivor_portal.scheduling.urls")),
    path("", include("peer_support.council.urls")),
    path("", include("peer_support.groups.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler404 = "survivor_portal.views.not_found"
handler500 = "survivor_portal.views.server_error"
