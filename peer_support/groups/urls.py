from django.urls import path

from peer_support.groups import views

app_name = "groups"
urlpatterns = [
    path("groups", views.groups, name="list"),
    path("groups/<int:group_id>", views.group, name="group"),
    path("groups/<int:group_id>/join", views.join, name="join"),
    path("groups/<int:group_id>/new", views.new_posts, name="new_posts"),
    path("groups/<int:group_id>/post", views.post, name="post"),
    path("groups/<int:group_id>/leave", views.leave, name="leave"),
    path("groups/<int:group_id>/block", views.block, name="block"),
    path("groups/<int:group_id>/agenda", views.agenda, name="agenda"),
    path("groups/<int:group_id>/meeting", views.meeting, name="meeting"),
    path("groups/<int:group_id>/mentors", views.appoint, name="appoint"),
    path("groups/<int:group_id>/mentors/<int:membership_id>/step-down", views.step_down, name="step_down"),
    path("groups/peer-mentors", views.peer_mentor_make, name="peer_mentor_make"),
    path("groups/peer-mentors/<int:user_id>/stop", views.peer_mentor_stop, name="peer_mentor_stop"),
    path("groups/<int:group_id>/moderation", views.moderation, name="moderation"),
    path("groups/<int:group_id>/agreement", views.agreement, name="agreement"),
    path("groups/<int:group_id>/log", views.log, name="log"),
    path("groups/<int:group_id>/members/<int:membership_id>/mute", views.mute, name="mute"),
    path("groups/<int:group_id>/members/<int:membership_id>/remove", views.remove, name="remove"),
    path("groups/<int:group_id>/members/<int:membership_id>/admit", views.admit, name="admit"),
    path("groups/<int:group_id>/members/<int:membership_id>/decline", views.decline, name="decline"),
    path("groups/posts/<int:post_id>/edit", views.post_edit, name="post_edit"),
    path("groups/posts/<int:post_id>/delete", views.post_delete, name="post_delete"),
    path("groups/posts/<int:post_id>/report", views.report, name="report"),
    path("groups/posts/<int:post_id>/hide", views.hide, name="hide"),
    path("groups/posts/<int:post_id>/restore", views.restore, name="restore"),
    path("groups/posts/<int:post_id>/dismiss", views.dismiss, name="dismiss"),
    path("groups/agenda/<int:item_id>/support", views.support, name="support"),
    path("groups/agenda/<int:item_id>/discussed", views.discussed, name="discussed"),
]
