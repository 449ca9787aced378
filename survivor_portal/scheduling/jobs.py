"""Meetings' scheduled work (survivor_portal.housekeeping)."""

from datetime import datetime

from survivor_portal.housekeeping import job
from survivor_portal.scheduling import services


@job()
def finished_contact_erase(now: datetime) -> int:
    """Her number, voicemail choice and note for a meeting are erased within a minute of its end;
    until then every read blanks them in memory (services.hide_finished_contact)."""
    return services.erase_finished_contact(now=now)
