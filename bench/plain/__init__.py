"""A plain Django project, the yardstick for `make bench`: no apps, no middleware, one view
that asks the database `SELECT 1` over a persistent connection and answers JSON. The app's
pages are measured against it on the same gunicorn and database, in the same run."""
