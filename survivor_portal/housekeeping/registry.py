"""One registry of jobs, and running them: once (what is due this minute) or for ever (huey)."""

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.utils import timezone
from huey import crontab

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[datetime], int]
    # huey's crontab: called with a naive UTC datetime, true in the minutes the job is due.
    due: Callable[[datetime], bool]
    schedule: str


_JOBS: dict[str, Job] = {}


def job(*, minute: str = "*", hour: str = "*", day: str = "*", month: str = "*", day_of_week: str = "*"):
    """Registers a job under its function's name; it runs in every minute its crontab fields match."""

    def register(run: Callable[[datetime], int]) -> Callable[[datetime], int]:
        if run.__name__ in _JOBS and _JOBS[run.__name__].run is not run:
            raise ValueError(f"Two housekeeping jobs are called {run.__name__}.")
        due = crontab(minute=minute, hour=hour, day=day, month=month, day_of_week=day_of_week, strict=True)
        _JOBS[run.__name__] = Job(run.__name__, run, due, f"{minute} {hour} {day} {month} {day_of_week}")
        return run

    return register


def registered() -> list[Job]:
    """In the order they were registered: apps' jobs in INSTALLED_APPS order, housekeeping's own last."""
    return list(_JOBS.values())


def _utc_minute(now: datetime) -> datetime:
    return now.astimezone(UTC).replace(tzinfo=None)


def due_jobs(now: datetime | None = None) -> list[Job]:
    minute = _utc_minute(now or timezone.now())
    return [found for found in registered() if found.due(minute)]


def run_job(found: Job, now: datetime | None = None) -> int | None:
    """Runs one job; logs how many things it changed (never what they were). A job that fails is
    logged and skipped; the others still run."""
    try:
        count = found.run(now or timezone.now())
    except Exception as error:  # noqa: BLE001 - one failing job must not stop the rest, nor the worker
        # Where it failed and what kind of error, never the error's message: a database's
        # message can quote the row it was working on.
        logger.error("housekeeping: %s failed: %s\n%s", found.name, type(error).__name__,
                     "".join(traceback.format_tb(error.__traceback__)).rstrip())
        return None
    logger.log(logging.INFO if count else logging.DEBUG, "housekeeping: %s: %d", found.name, count)
    return count


def run_due(now: datetime | None = None, *, names: list[str] | None = None) -> dict[str, int | None]:
    """Every job due now (or the ones named), once each: what `manage.py housekeeping` does."""
    now = now or timezone.now()
    chosen = [found for found in registered() if found.name in names] if names else due_jobs(now)
    return {found.name: run_job(found, now) for found in chosen}
