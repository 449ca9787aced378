from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "survivor_portal.conversations"
    default_auto_field = "django.db.models.BigAutoField"
