from django.db import migrations

from survivor_portal.vault.migrating import seal_existing

FIELDS = {
    "consent.ConsentGrant": ["purpose_note", "notice_text"],
    "consent.AccessEvent": ["actor_label"],
    "consent.DisclosureNotice": ["author_label", "shared_what", "with_whom", "why"],
    "consent.Suggestion": ["author_label", "text"],
}


class Migration(migrations.Migration):

    dependencies = [
        ("consent", "0004_encrypt_consent_words"),
    ]

    operations = [migrations.RunPython(*seal_existing(FIELDS))]
