"""Migrates the stock project's database, makes one person and six rows, prints her session id."""
import json

import django
from django.core.management import call_command

django.setup()
call_command("migrate", verbosity=0)

from django.contrib.auth.models import Group, User  # noqa: E402
from django.test import Client  # noqa: E402

for k in range(6):
    Group.objects.get_or_create(name=f"Goal {k}")
person = User.objects.create_user("bench_her", password=None)
client = Client()
client.force_login(person)
print(json.dumps({"session": client.cookies["sessionid"].value}))
