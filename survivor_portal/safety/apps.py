from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig


class SafetyConfig(AppConfig):
    name = "survivor_portal.safety"
    label = "safety"


class PublicStaticFilesConfig(StaticFilesConfig):
    """Anyone may fetch any collected static file, so collect only what a page uses: not the
    unminified jQuery the admin loads only in DEBUG, not a second API viewer, not a second htmx
    (ours is vendored in static/js), not django-pwa's sample icons, splash screens, font and CSS
    (each disguise has its own icons in static/icons)."""

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "redoc*", "jquery.js", "django_htmx",
                       "images/icons/*", "fonts/bootstrap/*", "django-pwa-app.css"]
