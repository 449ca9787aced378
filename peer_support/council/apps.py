from django.apps import AppConfig


class CouncilConfig(AppConfig):
    name = "peer_support.council"
    label = "council"
    default_auto_field = "django.db.models.BigAutoField"
