# The stored first answer repeats what she wrote: it is kept sealed, in base64 (survivor_portal/vault).

from django.db import migrations

import survivor_portal.vault.fields


class Migration(migrations.Migration):

    dependencies = [
        ("idempotency", "0001_initial"),
    ]

    operations = [
        migrations.AddField(model_name="idempotencykey", name="row_key", field=survivor_portal.vault.fields.RowKeyField()),
        migrations.AddField(model_name="idempotencykey", name="sealed_body",
                            field=survivor_portal.vault.fields.EncryptedTextField(blank=True, default="")),
    ]
