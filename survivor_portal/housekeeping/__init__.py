"""The work that runs by itself (README, "Operations"): every job of every app, on a clock.

To add a job, write it in your app's `jobs.py`:

    from survivor_portal.housekeeping import job

    @job(minute="*/10")                 # huey's crontab fields; every minute when none is given
    def old_things_remove(now) -> int:  # returns how many it changed: logged as a count, never content
        return services.old_things_remove(now=now)

Jobs are found by name (`<app>/jobs.py`), must be idempotent (two workers, or a run from cron
beside the loop, may run one twice), and take the time they run for as `now`.
"""

from survivor_portal.housekeeping.registry import Job, job, registered

__all__ = ["Job", "job", "registered"]
