"""Her safety plan. The whole plan, and every version of it, is one sealed text each
(survivor_portal/vault): a dump or a query shows nothing of what she wrote, not even which
sections she filled in or kept private."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from survivor_portal.vault.fields import EncryptedTextField, RowKeyField


class SafetyPlan(models.Model):
    """Her plan as it is now. Made at her first save; `version` counts her saves."""

    class Review(models.IntegerChoices):
        NEVER = 0, _("Never")
        MONTH = 30, _("After a month")
        THREE_MONTHS = 90, _("After three months")
        SIX_MONTHS = 180, _("After six months")

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_plan")
    # JSON: {"sections": {key: {"text", "ticks", "private"}}} (plans/content.py reads and writes it).
    content = EncryptedTextField(blank=True)
    version = models.PositiveIntegerField(default=0)
    # A gentle prompt in the app to look at it again after this many days (0: never).
    review_every_days = models.PositiveSmallIntegerField(choices=Review.choices, default=Review.NEVER)
    looked_at = models.DateTimeField(default=timezone.now)  # her last save, or "I have looked at it"
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    row_key = RowKeyField()


class SafetyPlanVersion(models.Model):
    """One save of her plan, kept so she can look back and restore it."""

    class How(models.TextChoices):
        SAVED = "saved", _("Saved")
        RESTORED = "restored", _("Brought back")
        SUGGESTION = "suggestion", _("A suggestion you took")

    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = EncryptedTextField()
    how = models.CharField(max_length=12, choices=How.choices, default=How.SAVED)
    restored_from = models.PositiveIntegerField(null=True, blank=True)
    saved_at = models.DateTimeField(default=timezone.now)
    row_key = RowKeyField()

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="one_plan_version_per_number")]
