"""The worker that runs the jobs on their clock: huey's consumer, with huey's own storage.

huey (a small, long-kept task queue) decides when each job is due, runs it in a worker thread
and stops cleanly on a signal (SIGINT: finish the job running, then stop; SIGTERM: at once).
Its queue is Redis when `REDIS_URL` is set, otherwise a SQLite file of its own
(`HOUSEKEEPING_QUEUE`), so nothing needs setting up. The queue holds only job names, never
anything of hers. It is built only in the worker: an app process never opens it.
"""

import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections
from huey import RedisHuey, SqliteHuey
from huey.api import Huey

from survivor_portal.housekeeping.registry import Job, registered, run_job

logger = logging.getLogger(__name__)


def queue_name() -> str:
    # One queue per database, so two copies of the app on one machine (or one Redis) never
    # take each other's jobs.
    return f"housekeeping:{settings.DATABASES['default']['NAME']}"


def queue_file() -> str:
    return settings.HOUSEKEEPING_QUEUE or str(Path(tempfile.gettempdir()) / "survivor-portal-housekeeping.sqlite3")


def build_queue() -> Huey:
    if settings.REDIS_URL:
        queue = RedisHuey(queue_name(), url=settings.REDIS_URL, results=False)
    else:
        queue = SqliteHuey(queue_name(), filename=queue_file(), results=False)
    for found in registered():
        queue.periodic_task(found.due, name=found.name)(_runner(found))
    return queue


def _runner(found: Job):
    def run() -> None:
        # The worker thread keeps its connection between minutes, like an app process: one that
        # broke (a database restart) or outlived DB_CONN_MAX_AGE is replaced first.
        close_old_connections()
        try:
            run_job(found)
        finally:
            close_old_connections()

    run.__name__ = found.name
    return run


def run_forever() -> None:
    """Until a signal: every minute, each job whose crontab matches. Jobs due at start run at once."""
    queue = build_queue()
    logger.info("housekeeping: worker started with %d jobs", len(registered()))
    queue.create_consumer(workers=1, worker_type="thread", periodic=True, check_worker_health=True).run()
