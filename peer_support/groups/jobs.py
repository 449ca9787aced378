"""Peer groups' scheduled work (survivor_portal.housekeeping)."""

from datetime import datetime

from peer_support.groups import services
from survivor_portal.housekeeping import job


@job()
def check_ins_purge(now: datetime) -> int:
    """A private check-in closes after 7 days (a read-only thread from then on) and goes, with its
    messages, 14 days later (models.CHECK_IN_KEEP_DAYS says why that long)."""
    return services.check_ins_purge(now=now)


@job()
def worries_purge(now: datetime) -> int:
    """"I'm worried about them" taps, 14 days after they were made (models.WORRY_KEEP_DAYS)."""
    return services.worries_purge(now=now)
