from django.db import migrations

from survivor_portal.vault.migrating import seal_existing

FIELDS = {
    "accounts.User": ["display_name"],
    "accounts.ResetCode": ["issued_by_label"],
    "accounts.LoginSession": ["session_data"],
}


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0009_encrypt_accounts_words"),
    ]

    operations = [migrations.RunPython(*seal_existing(FIELDS))]
