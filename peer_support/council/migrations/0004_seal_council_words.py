from django.db import migrations

from survivor_portal.vault.migrating import seal_existing

FIELDS = {
    "council.Idea": ["text", "council_note"],
    "council.Proposal": ["author_label", "title", "problem", "change", "affects"],
    "council.Revision": ["title", "problem", "change", "affects"],
    "council.Comment": ["author_label", "body"],
    "council.Vote": ["reason"],
    "council.AgencyResponse": ["reasons", "author_label"],
    "council.ProgressUpdate": ["text", "author_label"],
}


class Migration(migrations.Migration):

    dependencies = [
        ("council", "0003_encrypt_council_words"),
    ]

    operations = [migrations.RunPython(*seal_existing(FIELDS))]
