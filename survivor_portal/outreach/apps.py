from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "survivor_portal.outreach"
    label = "outreach"
    default_auto_field = "django.db.models.BigAutoField"
