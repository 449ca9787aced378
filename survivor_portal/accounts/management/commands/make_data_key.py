"""Print a new key for DATA_KEYS (README, "Operations")."""

from django.core.management.base import BaseCommand

from survivor_portal.data_keys import new_key


class Command(BaseCommand):
    help = "Print a new 32-byte key for DATA_KEYS. Put it first in DATA_KEYS, then run rotate_data_keys."

    def handle(self, *args, **options):
        self.stdout.write(new_key())
