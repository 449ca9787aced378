from django.urls import path

from survivor_portal.consent import views

app_name = "consent"
urlpatterns = [
    path("sharing", views.sharing, name="sharing"),
    path("sharing/with/<int:agency_id>", views.share, name="share"),
    path("sharing/<int:grant_id>/stop", views.stop, name="stop"),
    path("sharing/looks", views.looks, name="looks"),
    path("agency/people", views.people, name="people"),
    path("agency/people/<int:survivor_id>", views.person, name="person"),
]
