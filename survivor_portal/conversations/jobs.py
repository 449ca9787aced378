"""Messages' scheduled work (survivor_portal.housekeeping)."""

from datetime import datetime

from survivor_portal.conversations import services
from survivor_portal.housekeeping import job


@job()
def old_messages_purge(now: datetime) -> int:
    """Messages older than her keep-days (7, 30 or 90) are deleted for everyone, within a minute."""
    return services.old_messages_purge(now=now)
