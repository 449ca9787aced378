"""manage.py rotate_data_keys: re-encrypt every sealed word not on the newest key (README, "Operations")."""

import time

from django.core.management.base import BaseCommand, CommandError

from survivor_portal.vault import rotation


class Progress:
    """A plain text progress bar on stderr: redrawn in place on a terminal, a line a second in a log."""

    def __init__(self, total: int, stream) -> None:
        self.total, self.done, self.stream, self.shown = max(total, 1), 0, stream, 0.0
        self.live = hasattr(stream, "isatty") and stream.isatty()

    def advance(self, rows: int) -> None:
        self.done += rows
        now = time.monotonic()
        if self.live or now - self.shown >= 1 or self.done >= self.total:
            self.shown = now
            filled = int(30 * min(self.done, self.total) / self.total)
            line = f"[{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total} rows"
            self.stream.write(("\r" + line) if self.live else line + "\n")
            self.stream.flush()

    def finish(self) -> None:
        if self.live:
            self.stream.write("\n")


class Command(BaseCommand):
    help = ("Re-encrypt every sealed value that is not on the newest key in DATA_KEYS, in batches. "
            "Safe to stop and run again.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch-size", type=int, default=200, help="rows per transaction (default 200)")

    def handle(self, *args, batch_size: int, **options) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        progress = Progress(rotation.rows_to_rotate(), self.stderr._out)
        try:
            outcome = rotation.rotate(batch_size=batch_size, on_batch=progress.advance)
        except KeyboardInterrupt:
            progress.finish()
            raise CommandError("Stopped. What was done is kept; run it again to finish.") from None
        progress.finish()
        for label, rows in sorted(outcome.rows_changed.items()):
            self.stdout.write(f"{label}: {rows} rows re-encrypted")
        self.stdout.write(f"Re-encrypted {outcome.values_changed} values in {outcome.total_changed} of "
                          f"{outcome.rows_seen} rows; every other value was already on the newest key.")
        if outcome.unreadable:
            for label, count in sorted(outcome.unreadable.items()):
                self.stderr.write(f"{label}: {count} values open with none of DATA_KEYS")
            raise CommandError("Some values open with none of the listed keys: keep every old key listed "
                               "until you know where they came from.")
