"""Housekeeping's own job, registered after every app's (this app comes last in INSTALLED_APPS)."""

from datetime import datetime

from django.db import connection

from survivor_portal.housekeeping.registry import job


@job()
def sqlite_wal_truncate(now: datetime) -> int:
    """On SQLite, what was deleted must leave the files too. secure_delete (settings) zeroes a
    deleted row's bytes in the page written next, but the page as it was stays in the database
    file, and earlier copies in the write-ahead log, until a checkpoint. This one copies the
    log into the database and empties the log file. Returns the pages copied."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:  # a checkpoint cannot run inside a transaction
        return 0
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        busy, _log, copied = cursor.fetchone()
    return 0 if busy else max(copied, 0)
