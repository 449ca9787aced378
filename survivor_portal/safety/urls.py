from django.urls import path

from survivor_portal.safety import views

app_name = "safety"
urlpatterns = [
    path("exit", views.exit_view, name="exit"),
]
