"""Erase what survivors wrote about contact for meetings that are over. Every read of meetings
already does this first; run it from cron too, so nothing waits for the next read."""

from django.core.management.base import BaseCommand

from survivor_portal.scheduling.services import erase_finished_contact


class Command(BaseCommand):
    help = "Erase phone numbers, voicemail choices and notes of meetings that are over."

    def handle(self, *args, **options):
        erased = erase_finished_contact()
        self.stdout.write(f"Erased contact details of {erased} finished meetings.")
