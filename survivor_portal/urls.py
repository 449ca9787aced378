from django.contrib import admin
from django.urls import include, path

from survivor_portal import views
from survivor_portal.admin_site import OperatorsAdminSite
from survivor_portal.api import api

# The server operators' admin: only after the app's own login with two-step; a 404 to anyone else.
admin.site.__class__ = OperatorsAdminSite

# Addresses are tried in order, so the API (the most requests) and the peer groups (their pages
# poll) come before the long lists of pages that share the root.
urlpatterns = [
    path("", views.home, name="home"),
    path("api/v1/", api.urls),
    path("", include("peer_support.groups.urls")),
    path("", include("survivor_portal.accounts.urls")),
    path("", include("survivor_portal.safety.urls")),
    path("goals/", include("survivor_portal.goals.urls")),
    path("", include("survivor_portal.consent.urls")),
    path("", include("survivor_portal.plans.urls")),
    path("", include("survivor_portal.scheduling.urls")),
    path("", include("survivor_portal.outreach.urls")),
    path("", include("survivor_portal.conversations.urls")),
    path("", include("peer_support.council.urls")),
    path("admin/", admin.site.urls),
]

# Error pages need no database, session or cache (see safety/error_pages.py).
handler400 = "survivor_portal.safety.error_pages.bad_request"
handler403 = "survivor_portal.safety.error_pages.forbidden"
handler404 = "survivor_portal.safety.error_pages.not_found"
handler500 = "survivor_portal.safety.error_pages.server_error"
