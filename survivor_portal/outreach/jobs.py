"""Check-ins' scheduled work (survivor_portal.housekeeping). Only cleanup: whether a check-in is
overdue is read from the clock on each page, never written by a job."""

from datetime import datetime

from survivor_portal.housekeeping import job
from survivor_portal.outreach import services


@job()
def old_check_ins_remove(now: datetime) -> int:
    """Check-ins and their log, 30 days after they ended (services.KEEP_DAYS): one indexed delete."""
    return services.old_check_ins_remove(now=now)
