from django.urls import path

from survivor_portal.goals import views

app_name = "goals"
urlpatterns = [
    path("add", views.goal_add, name="add"),
    path("order", views.goal_order, name="order"),
    path("move", views.goal_move, name="move"),
    path("<int:goal_id>", views.goal_detail, name="detail"),
    path("<int:goal_id>/delete", views.goal_delete, name="delete"),
    path("<int:goal_id>/restore", views.goal_restore, name="restore"),
    path("<int:goal_id>/steps", views.step_add, name="step_add"),
    path("<int:goal_id>/steps/move", views.step_move, name="step_move"),
    path("<int:goal_id>/steps/<int:step_id>/toggle", views.step_toggle, name="step_toggle"),
    path("<int:goal_id>/steps/<int:step_id>/delete", views.step_delete, name="step_delete"),
]
