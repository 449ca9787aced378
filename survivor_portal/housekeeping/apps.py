from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class HousekeepingConfig(AppConfig):
    name = "survivor_portal.housekeeping"
    label = "housekeeping"

    def ready(self) -> None:
        # Each app keeps its own jobs beside its services (`<app>/jobs.py`); one registry holds them all.
        autodiscover_modules("jobs")
