"""Accounts' scheduled work (survivor_portal.housekeeping)."""

from datetime import datetime

from survivor_portal.accounts import services
from survivor_portal.accounts.login_sessions import sessions_clear_expired
from survivor_portal.housekeeping import job


@job()
def expired_sessions_clear(now: datetime) -> int:
    return sessions_clear_expired(now=now)


@job()
def used_recovery_codes_remove(now: datetime) -> int:
    return services.used_recovery_codes_remove(now=now)


@job()
def spent_invites_remove(now: datetime) -> int:
    return services.spent_invites_remove(now=now)


@job()
def ended_reset_codes_remove(now: datetime) -> int:
    return services.ended_reset_codes_remove(now=now)
