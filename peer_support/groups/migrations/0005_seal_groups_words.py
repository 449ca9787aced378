from django.db import migrations

from survivor_portal.vault.migrating import seal_existing

FIELDS = {
    "groups.Post": ["body", "content_warning", "hidden_reason"],
    "groups.Report": ["note"],
    "groups.ModerationAction": ["reason"],
    "groups.AgendaItem": ["text"],
    "groups.Meeting": ["place_label"],
}


class Migration(migrations.Migration):

    dependencies = [
        ("groups", "0004_encrypt_groups_words"),
    ]

    operations = [migrations.RunPython(*seal_existing(FIELDS))]
