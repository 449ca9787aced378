"""The admin's history named people by their display name, in plain text: each entry now names
what changed by kind and number only, as new entries do (survivor_portal/admin_site.py)."""

from django.db import migrations


def neutral_history(apps, schema_editor) -> None:
    LogEntry = apps.get_model("admin", "LogEntry")
    for entry in LogEntry.objects.select_related("content_type").iterator():
        kind = entry.content_type.model if entry.content_type_id else "entry"
        LogEntry.objects.filter(pk=entry.pk).update(object_repr=f"{kind} {entry.object_id}"[:200])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0010_seal_accounts_words"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(neutral_history, migrations.RunPython.noop)]
