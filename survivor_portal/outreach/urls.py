from django.urls import path

from survivor_portal.outreach import views

app_name = "outreach"
urlpatterns = [
    path("agency/check-ins", views.check_ins, name="check_ins"),
    path("agency/check-ins/start", views.check_in_start, name="start"),
    path("agency/check-ins/<int:check_in_id>/extend", views.check_in_extend, name="extend"),
    path("agency/check-ins/<int:check_in_id>/end", views.check_in_end, name="end"),
    path("agency/check-ins/<int:check_in_id>/acknowledge", views.check_in_acknowledge, name="acknowledge"),
    path("agency/safety", views.agency_safety, name="agency_safety"),
]
