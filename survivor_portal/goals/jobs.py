"""Goals' scheduled work (survivor_portal.housekeeping)."""

from datetime import datetime

from survivor_portal.goals import services
from survivor_portal.housekeeping import job


@job()
def deleted_goals_purge(now: datetime) -> int:
    """A deleted goal and its steps are gone within a minute of her Undo window ending."""
    return services.deleted_goals_purge(now=now)
