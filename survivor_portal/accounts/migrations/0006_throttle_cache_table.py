"""The table the login counters live in when there is no Redis (settings.CACHES["throttle"]).
Made here, so every `migrate` (make run, deploys, tests) has it, whatever the cache settings say today."""

from django.conf import settings
from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations


def make_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, settings.THROTTLE_CACHE_TABLE, dry_run=False)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(settings.THROTTLE_CACHE_TABLE)}")


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0005_user_username_key"),
    ]

    operations = [
        migrations.RunPython(make_table, drop_table),
    ]
