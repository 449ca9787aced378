from django.db import migrations

from survivor_portal.vault.migrating import seal_existing

FIELDS = {"goals.Goal": ["title", "note"], "goals.Step": ["text"]}


class Migration(migrations.Migration):

    dependencies = [
        ("goals", "0004_encrypt_goal_words"),
    ]

    operations = [migrations.RunPython(*seal_existing(FIELDS))]
