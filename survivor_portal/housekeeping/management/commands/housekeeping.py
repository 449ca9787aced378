"""`python manage.py housekeeping`: every job due this minute, once (for cron, or by hand).
`--loop`: the worker, running each job on its clock until stopped (what `make run` starts)."""

from django.core.management.base import BaseCommand, CommandError

from survivor_portal.housekeeping.registry import registered, run_due


class Command(BaseCommand):
    help = "Run the jobs that keep deleted things gone: once (what is due now), or --loop for ever."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running: each job on its own clock")
        parser.add_argument("--job", action="append", dest="names", metavar="NAME",
                            help="run this job now whether due or not (repeatable)")
        parser.add_argument("--list", action="store_true", dest="show", help="list the jobs and when they run")

    def handle(self, *args, loop=False, names=None, show=False, **options):
        if show:
            for found in registered():
                self.stdout.write(f"{found.name}\t{found.schedule}")
            return
        if loop:
            if names:
                raise CommandError("--loop runs every job on its clock; --job is for a single run.")
            from survivor_portal.housekeeping.worker import run_forever

            run_forever()
            return
        known = {found.name for found in registered()}
        if unknown := sorted(set(names or []) - known):
            raise CommandError(f"No job called {', '.join(unknown)}. Try --list.")
        failed = False
        for name, count in run_due(names=names).items():
            failed |= count is None
            self.stdout.write(f"{name}: {'failed (see the log)' if count is None else count}")
        if failed:
            raise CommandError("A job failed.")
