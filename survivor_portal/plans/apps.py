from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "survivor_portal.plans"
    label = "plans"
    default_auto_field = "django.db.models.BigAutoField"
