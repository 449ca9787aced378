"""Django's PostgreSQL backend with a health check that costs no round trip.

Connections are kept between requests (DB_CONN_MAX_AGE), and each request first checks the one
it reuses, so a connection the server dropped (a restart, a killed backend) is replaced instead
of failing her request. Django checks with a `SELECT 1` round trip, which on the app's cheapest
requests cost as much as the work itself. A connection the server ended is known without
asking: psycopg has marked it broken, or the server's goodbye (or the end of the stream) is
waiting unread on its socket, since an idle connection is sent nothing else (the app never
LISTENs). Only a network that vanishes without a word is missed here — and `SELECT 1` would
wait for that too, until the statement timeout.
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq

Database = base.Database


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        if connection.info.transaction_status != pq.TransactionStatus.IDLE:
            return super().is_usable()  # not between requests: ask the server, as Django does
        try:
            waiting, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not waiting
