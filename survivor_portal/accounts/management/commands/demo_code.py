"""Prints a demo staff member's current two-step code, so the demo needs no authenticator app."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from survivor_portal.accounts.management.commands.seed_demo import DEMO_USERNAMES, PEOPLE
from survivor_portal.accounts.models import User


class Command(BaseCommand):
    help = "Print the current two-step code of a demo staff account (development only): demo_code alex"

    def add_arguments(self, parser):
        parser.add_argument("who", help="a demo username (demo_admin) or first name (alex)")

    def handle(self, *args, who: str, **options):
        # A real deployment's codes must never be printable from a shell: demo data and DEBUG only.
        if not settings.DEBUG:
            raise CommandError("demo_code works only in development (DEBUG=1), for the demo accounts.")
        names = {person["display_name"].lower(): person["username"] for person in PEOPLE}
        username = names.get(who.lower(), who)
        if username not in DEMO_USERNAMES:
            raise CommandError(f"{who} is not a demo account. Demo accounts: {', '.join(sorted(DEMO_USERNAMES))}.")
        device = TOTPDevice.objects.filter(user__username=username, name="Demo authenticator", confirmed=True).first()
        if device is None:
            staff = sorted(p["username"] for p in PEOPLE if p["role"] != User.Role.SURVIVOR)
            raise CommandError(f"{username} has no demo two-step key. Staff with one: {', '.join(staff)} "
                               "(run seed_demo first).")
        code = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits).token()
        self.stdout.write(f"{code:0{device.digits}d}")
