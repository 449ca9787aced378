"""Demo data for trying the app. Safe to run again; refuses a database with real people in it."""

import base64

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from survivor_portal.accounts.models import Agency, User
from survivor_portal.accounts.usernames import username_key

DEMO_PASSPHRASE = "demo-passphrase-2026"
# 160 bits, as RFC 4226 recommends: authenticator apps and pyotp refuse shorter keys.
DEMO_TOTP_BASE32 = "U6Q4YNBGKD4CDZKHDALPK67AJIHTXNYM"
AGENCIES = {
    "Northside Shelter": dict(
        kind=Agency.Kind.SHELTER,
        helps_with="A safe place to stay, safety planning and support.",
        time_zone="America/New_York",
        crisis_resources="Northside 24-hour line: 555-0100",
    ),
    "Eastbridge Legal Aid": dict(
        kind=Agency.Kind.LEGAL,
        helps_with="Free legal advice: papers, immigration, court.",
        time_zone="America/Chicago",
        crisis_resources="Eastbridge advice line, weekdays 9-5: 555-0199",
    ),
}
PEOPLE = [
    dict(username="demo_survivor", display_name="Maya", role=User.Role.SURVIVOR, agency="Northside Shelter"),
    dict(
        username="demo_mentor", display_name="Rosa", role=User.Role.SURVIVOR, agency="Northside Shelter",
        is_peer_mentor=True,
    ),
    dict(
        username="demo_council", display_name="Lin", role=User.Role.SURVIVOR, agency="Northside Shelter",
        is_council_member=True,
    ),
    dict(username="demo_advocate", display_name="Sam", role=User.Role.ADVOCATE, agency="Northside Shelter"),
    dict(username="demo_legal", display_name="Jordan", role=User.Role.ADVOCATE, agency="Eastbridge Legal Aid"),
    dict(username="demo_admin", display_name="Alex", role=User.Role.AGENCY_ADMIN, agency="Northside Shelter"),
]
DEMO_USERNAMES = {person["username"] for person in PEOPLE}


class Command(BaseCommand):
    help = "Load demo agencies and accounts (idempotent; demo databases only)."

    @transaction.atomic
    def handle(self, *args, **options):
        others = User.objects.exclude(username__in=DEMO_USERNAMES)
        if others.exists():
            raise CommandError(
                "This database holds accounts that are not demo accounts. seed_demo will not touch it."
            )
        agencies = {
            name: Agency.objects.update_or_create(name=name, defaults=fields)[0] for name, fields in AGENCIES.items()
        }
        for person in PEOPLE:
            fields = {**person, "agency": agencies[person["agency"]]}
            username = fields.pop("username")
            user, created = User.objects.update_or_create(
                username=username, defaults={**fields, "username_key": username_key(username)}
            )
            if created or not user.check_password(DEMO_PASSPHRASE):
                user.set_password(DEMO_PASSPHRASE)
                user.save(update_fields=["password"])
            if user.is_agency_staff:
                TOTPDevice.objects.update_or_create(
                    user=user,
                    name="Demo authenticator",
                    defaults={"key": base64.b32decode(DEMO_TOTP_BASE32).hex(), "confirmed": True},
                )
        for seed in self.later_seeds():
            seed(agencies=agencies)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(PEOPLE)} accounts, passphrase {DEMO_PASSPHRASE}"))

    def later_seeds(self):
        """Each capability adds its demo content here."""
        from peer_support.council.demo import seed_council
        from peer_support.groups.demo import seed_groups
        from survivor_portal.consent.demo import seed_sharing
        from survivor_portal.conversations.demo import seed_messages
        from survivor_portal.goals.demo import seed_goals
        from survivor_portal.outreach.demo import seed_check_ins
        from survivor_portal.plans.demo import seed_plan
        from survivor_portal.scheduling.demo import seed_meetings

        return [seed_goals, seed_sharing, seed_plan, seed_meetings, seed_messages, seed_council, seed_groups, seed_check_ins]
