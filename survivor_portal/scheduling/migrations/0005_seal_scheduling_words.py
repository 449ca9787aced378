from django.db import migrations

from survivor_portal.vault.migrating import seal_existing

FIELDS = {
    "scheduling.MeetingPrefs": ["code_word", "calendar_title"],
    "scheduling.Slot": ["place_label"],
    "scheduling.Appointment": ["phone", "note", "cancelled_by_label", "cancel_reason"],
}


class Migration(migrations.Migration):

    dependencies = [
        ("scheduling", "0004_encrypt_scheduling_words"),
    ]

    operations = [migrations.RunPython(*seal_existing(FIELDS))]
