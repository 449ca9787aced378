from django.urls import path

from survivor_portal.scheduling import views

app_name = "scheduling"
urlpatterns = [
    path("meetings", views.meetings, name="meetings"),
    path("meetings/book", views.book_list, name="book_list"),
    path("meetings/book/<int:slot_id>", views.book, name="book"),
    path("meetings/preferences", views.preferences, name="preferences"),
    path("meetings/<int:appointment_id>", views.detail, name="detail"),
    path("meetings/<int:appointment_id>/cancel", views.cancel, name="cancel"),
    path("meetings/<int:appointment_id>/move", views.move, name="move"),
    path("meetings/<int:appointment_id>/seen", views.change_seen, name="change_seen"),
    # A neutral address: downloads stay in the browser's list with where they came from.
    path("download/event-<int:appointment_id>.ics", views.calendar_file, name="calendar"),
    path("agency/agenda", views.agenda, name="agenda"),
    path("agency/agenda/<int:appointment_id>/cancel", views.staff_cancel, name="staff_cancel"),
    path("agency/times", views.my_times, name="times"),
    path("agency/times/add", views.time_add, name="time_add"),
    path("agency/times/weekly", views.time_weekly, name="time_weekly"),
    path("agency/times/rules", views.rules, name="rules"),
    path("agency/times/<int:slot_id>/withdraw", views.time_withdraw, name="time_withdraw"),
]
