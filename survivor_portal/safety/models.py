from django.conf import settings
from django.db import models

from survivor_portal.safety.disguises import DISGUISES, EXIT_CHOICES


class SafetySettings(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety")
    disguise = models.CharField(max_length=20, choices=[(k, d.name) for k, d in DISGUISES.items()], default="plain")
    exit_choice = models.CharField(max_length=20, choices=[(k, k) for k in EXIT_CHOICES], default="default")
    lock_when_hidden = models.BooleanField(default=False)
    # Goes up with every change of look, exit page or lock (survivor_portal/versions.py).
    version = models.PositiveIntegerField(default=1)
    unlock_pin_hash = models.CharField(max_length=200, blank=True)
    # The hash of an opaque key kept in one device's cookie, so a cover screen there knows whose PIN to check.
    cover_key_hash = models.CharField(max_length=64, blank=True, db_index=True)
    seen_exit_intro = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "safety settings"

    def __str__(self) -> str:
        return f"Safety settings #{self.pk}"
