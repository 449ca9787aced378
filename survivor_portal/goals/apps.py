from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "survivor_portal.goals"
    label = "goals"
    default_auto_field = "django.db.models.BigAutoField"
