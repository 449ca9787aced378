from django.urls import path

from survivor_portal.consent import views

app_name = "consent"
urlpatterns = [
    path("sharing", views.sharing, name="sharing"),
    path("sharing/with/<int:agency_id>", views.share, name="share"),
    path("sharing/<int:grant_id>/stop", views.stop, name="stop"),
    path("sharing/looks", views.looks, name="looks"),
    path("sharing/<int:grant_id>/renew", views.renew, name="renew"),
    path("sharing/<int:grant_id>/confirm", views.confirm_recorded, name="confirm_recorded"),
    path("sharing/notices/<int:notice_id>/seen", views.notice_seen, name="notice_seen"),
    path("sharing/never/<int:agency_id>", views.never_share, name="never_share"),
    path("suggestions/<int:suggestion_id>/answer", views.suggestion_answer, name="suggestion_answer"),
    path("agency/people", views.people, name="people"),
    path("agency/people/<int:survivor_id>/suggest", views.suggest, name="suggest"),
    path("agency/consents/new", views.record_for, name="record_for"),
    path("agency/disclosures/new", views.disclosure_new, name="disclosure_new"),
    path("agency/keys", views.api_keys, name="api_keys"),
    path("agency/people/<int:survivor_id>", views.person, name="person"),
]
