from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "survivor_portal.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
