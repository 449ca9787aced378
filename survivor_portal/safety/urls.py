from django.urls import path
from pwa.views import service_worker

from survivor_portal.safety import views

app_name = "safety"
urlpatterns = [
    path("exit", views.exit_view, name="exit"),
    path("lock", views.lock, name="lock"),
    path("alive", views.alive, name="alive"),
    path("welcome", views.intro_seen, name="intro"),
    path("staying-safe", views.staying_safe, name="staying_safe"),
    path("account/safety", views.safety_settings, name="settings"),
    path("offline", views.offline, name="offline"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    # django-pwa serves static/js/sw.js from the root, so the worker's scope is the whole app.
    path("sw.js", service_worker, name="service_worker"),
]
