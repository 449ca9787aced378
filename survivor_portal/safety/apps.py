from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "survivor_portal.safety"
    label = "safety"
