from django.conf import settings
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from survivor_portal.vault.fields import EncryptedCharField, EncryptedTextField, RowKeyField

# How long a deleted goal can be brought back before it is removed for good.
UNDO_SECONDS = 60


class Goal(models.Model):
    """Something she wants to work on, in her words and her order."""

    class Category(models.TextChoices):
        HOUSING = "housing", _("Housing")
        SAFETY = "safety", _("Safety")
        LEGAL = "legal", _("Legal")
        HEALTH = "health", _("Health")
        MONEY = "money", _("Money")
        WORK = "work", _("Work")
        LEARNING = "learning", _("Learning")
        FAMILY = "family", _("Family")
        COMMUNITY = "community", _("Community")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        NOT_READY = "not_ready", _("Not ready yet")
        WORKING = "working", _("Working on it")
        PAUSED = "paused", _("Paused")
        DONE = "done", _("Done")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="goals")
    title = EncryptedCharField(_("title"), max_length=120, validators=[ProhibitNullCharactersValidator()])
    note = EncryptedTextField(
        _("note"), max_length=2000, blank=True,
        validators=[MaxLengthValidator(2000), ProhibitNullCharactersValidator()],
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.OTHER)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    # Private beats shared: no grant, however broad, ever shows this goal to an agency.
    keep_private = models.BooleanField(_("keep private"), default=False)
    # Only she can open it: title, note and steps sealed with her own key; always kept private too.
    only_me = models.BooleanField(_("only me"), default=False)
    # 0..n-1 over her live goals; None while deleted (waiting for Undo).
    position = models.IntegerField(null=True)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_position = models.IntegerField(null=True, blank=True)
    # Goes up with every edit, so a save from an older tab is refused (survivor_portal/versions.py).
    version = models.PositiveIntegerField(default=1)
    row_key = RowKeyField()  # binds her sealed words to this row (survivor_portal/vault)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["owner", "position"], name="one_goal_per_position")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE


class Step(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    text = EncryptedCharField(_("step"), max_length=200, validators=[ProhibitNullCharactersValidator()])
    done = models.BooleanField(default=False)
    position = models.IntegerField()
    version = models.PositiveIntegerField(default=1)
    row_key = RowKeyField()

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["goal", "position"], name="one_step_per_position")]

    def __str__(self) -> str:
        return self.text
