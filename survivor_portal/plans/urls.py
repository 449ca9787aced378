from django.urls import path

from survivor_portal.plans import views

app_name = "plans"
urlpatterns = [
    path("plan", views.plan, name="plan"),
    path("plan/read", views.take, name="take"),
    path("plan/versions", views.versions, name="versions"),
    path("plan/versions/<int:number>/restore", views.restore, name="restore"),
    path("plan/review", views.review, name="review"),
    path("plan/looked", views.looked, name="looked"),
    path("plan/delete", views.delete, name="delete"),
    path("plan/part/<slug:key>", views.section, name="section"),
    path("agency/people/<int:survivor_id>/safety-plan", views.shared, name="shared"),
    path("agency/people/<int:survivor_id>/safety-plan/suggest", views.suggest, name="suggest"),
]
