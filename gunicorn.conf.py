"""gunicorn's settings, read on its own when gunicorn starts in this folder:
`gunicorn survivor_portal.wsgi` (README, "Operations").

Sync workers handle one request at a time, so a request stuck on a frozen backend holds one
worker and no more, and `timeout` takes that worker back. The database gives up after 2 s
(connect_timeout, statement_timeout) and Redis after 0.5 s, so nearly every stall ends there
as a 503; only a request already waiting for an answer from a database that froze mid-reply
is left, and gunicorn replaces that worker after `timeout`."""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
# A page takes well under 100 ms of a worker's time; 5 s leaves room for a slow phone's upload
# while never holding a worker (and everyone queued behind it, Exit included) for long.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "5"))
graceful_timeout = 5
keepalive = 2
# Workers are forked from a loaded app, so a replaced worker answers again within milliseconds.
preload_app = True
errorlog = "-"
# gunicorn 24+ opens a control socket in the home folder, shared by every copy on the machine.
control_socket_disable = True
