"""Safe retries' scheduled work (survivor_portal.housekeeping)."""

from datetime import datetime

from survivor_portal.housekeeping import job
from survivor_portal.idempotency.keys import keys_forget_expired


@job()
def expired_retry_keys_forget(now: datetime) -> int:
    return keys_forget_expired(now=now)
