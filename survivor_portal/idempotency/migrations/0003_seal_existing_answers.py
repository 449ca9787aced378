import base64

from django.db import migrations

from survivor_portal.vault import cipher
from survivor_portal.vault.fields import Sealed, new_row_key


def seal(apps, schema_editor) -> None:
    model = apps.get_model("idempotency", "IdempotencyKey")
    for pk, body in model.objects.values_list("pk", "body").iterator():
        key = new_row_key()
        words = base64.b64encode(bytes(body or b"")).decode("ascii")
        sealed = Sealed(cipher.seal(words, label="idempotency.idempotencykey.body", row_key=key)) if words else ""
        model.objects.filter(pk=pk).update(row_key=key, sealed_body=sealed)


class Migration(migrations.Migration):

    dependencies = [
        ("idempotency", "0002_seal_stored_answers"),
    ]

    operations = [migrations.RunPython(seal, migrations.RunPython.noop)]
