from django.conf import settings
from django.db import models
from django.utils import timezone

from survivor_portal.vault.fields import EncryptedTextField, RowKeyField


class IdempotencyKey(models.Model):
    """One create she asked for: by the API's `Idempotency-Key` ("api:<key>") or by a form's
    one-time token ("form:<token>"). Written in the same transaction as what it created, so
    either both exist or neither. Kept a day (keys.KEEP), then forgotten."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=300)
    # What was asked (method, address, body): the same key with something else is refused.
    fingerprint = models.CharField(max_length=64, blank=True)
    # The first answer, replayed to a retry. Empty for forms, which simply do not create twice.
    status = models.PositiveSmallIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    # In base64, sealed: the answer repeats what she wrote (a goal's title).
    body = EncryptedTextField(blank=True, default="")
    row_key = RowKeyField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_use_per_key")]
