from django.urls import path

from survivor_portal.conversations import views

app_name = "conversations"
urlpatterns = [
    path("messages", views.her_list, name="list"),
    path("messages/keep", views.keep_days, name="keep_days"),
    path("messages/check", views.check, name="check"),
    path("messages/with/<int:agency_id>", views.with_agency, name="with_agency"),
    path("messages/with/<int:agency_id>/send", views.send_to_agency, name="send_to_agency"),
    path("messages/with/<int:agency_id>/clear", views.clear, name="clear"),
    path("messages/<int:conversation_id>/new", views.new_messages, name="new"),
    path("messages/sent/<int:message_id>/delete", views.delete, name="delete"),
    path("agency/messages", views.staff_list, name="staff_list"),
    path("agency/messages/<int:survivor_id>", views.with_person, name="with_person"),
    path("agency/messages/<int:survivor_id>/send", views.send_to_person, name="send_to_person"),
]
