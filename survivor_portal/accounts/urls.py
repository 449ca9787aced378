from django.urls import path

from survivor_portal.accounts import views

app_name = "accounts"
urlpatterns = [
    path("logout", views.logout_view, name="logout"),
    path("language", views.language, name="language"),
    path("account/settings", views.settings_view, name="settings"),
    path("account/my-data", views.export, name="export"),
    # Downloads stay in the browser's list with their address and name: both say nothing.
    path("download/export.json", views.export_json, name="export_json"),
    path("download/export.html", views.export_page, name="export_page"),
    path("account/delete", views.delete_account, name="delete"),
    path("account/recovery-codes", views.recovery_codes, name="recovery_codes"),
    path("account/only-me", views.only_me_open, name="only_me_open"),
    path("account/reset-notices/<int:code_id>/seen", views.reset_seen, name="reset_seen"),
    path("agency/reset-codes", views.reset_codes, name="reset_codes"),
    path("account/two-factor/setup", views.setup, name="setup"),
    path("account/two-factor/verify", views.verify, name="verify"),
    path("account/two-factor/backup-codes", views.backup_codes, name="backup_codes"),
    path("account/two-factor/remove", views.two_factor_remove, name="two_factor_remove"),
    path("agency/invites", views.invites, name="invites"),
    path("account/passphrase", views.passphrase_change, name="passphrase"),
    path("account/sessions/<str:session_id>/end", views.session_end, name="session_end"),
    path("account/sessions/end-others", views.sessions_end_others, name="sessions_end_others"),
    path("account/resets/<int:code_id>/stop", views.reset_stop, name="reset_stop"),
    path("account/agency-resets", views.agency_resets, name="agency_resets"),
]
