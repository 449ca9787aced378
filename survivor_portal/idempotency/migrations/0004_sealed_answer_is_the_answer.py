from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("idempotency", "0003_seal_existing_answers"),
    ]

    operations = [
        migrations.RemoveField(model_name="idempotencykey", name="body"),
        migrations.RenameField(model_name="idempotencykey", old_name="sealed_body", new_name="body"),
    ]
