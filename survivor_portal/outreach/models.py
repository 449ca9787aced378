"""Staff who go out: check-ins for outreach and home visits, and the agency's safety settings.

A check-in names no survivor, ever: where is a neutral label ("visit north side"), with whom is
colleagues or a few words. Overdue is read from the clock (`alert_at` against now), never written
by a job, so an alert cannot be late because a worker was down."""

from django.conf import settings
from django.core.validators import MaxValueValidator, ProhibitNullCharactersValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from survivor_portal.vault.fields import EncryptedCharField, EncryptedTextField, RowKeyField

DEFAULT_GRACE_MINUTES = 15
LONGEST_GRACE_MINUTES = 120


class AgencySafety(models.Model):
    """An agency's settings for staff who go out. An agency without a row uses the defaults."""

    agency = models.OneToOneField("accounts.Agency", on_delete=models.CASCADE, primary_key=True, related_name="outreach")
    grace_minutes = models.PositiveSmallIntegerField(
        _("grace period (minutes)"), default=DEFAULT_GRACE_MINUTES, validators=[MaxValueValidator(LONGEST_GRACE_MINUTES)])
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "agency safety settings"


class OnDuty(models.Model):
    """A staff member the agency lists as on duty: they see colleagues' overdue check-ins.
    While an agency lists nobody, every staff member sees them (an alert nobody sees helps nobody)."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="on_duty")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="on_duty")


class CheckIn(models.Model):
    """One time a staff member went out, from "going out" until "back" (or until acknowledged)."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="check_ins")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_ins")
    place = EncryptedCharField(_("where"), max_length=80, validators=[ProhibitNullCharactersValidator()])
    colleagues = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="check_ins_along")
    with_others = EncryptedCharField(_("with whom else"), max_length=120, blank=True,
                                      validators=[ProhibitNullCharactersValidator()])
    note = EncryptedTextField(_("note for colleagues"), max_length=300, blank=True,
                              validators=[ProhibitNullCharactersValidator()])
    started_at = models.DateTimeField(default=timezone.now)
    back_by = models.DateTimeField()
    # back_by plus the agency's grace period, kept here so one indexed comparison with the clock
    # finds every overdue check-in; the settings service moves it when the grace period changes.
    alert_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)  # for the current deadline
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="+")
    version = models.PositiveIntegerField(default=1)
    row_key = RowKeyField()

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["agency", "alert_at"], name="outreach_open_by_alert",
                         condition=Q(ended_at__isnull=True, acknowledged_at__isnull=True)),
            models.Index(fields=["agency", "started_at"], name="outreach_by_start"),
        ]
        constraints = [
            # One open check-in per person: "I am back" always means one thing.
            models.UniqueConstraint(fields=["staff"], condition=Q(ended_at__isnull=True), name="outreach_one_open_each"),
        ]

    def is_overdue(self, now=None) -> bool:
        return self.ended_at is None and self.alert_at <= (now or timezone.now())


class CheckInEvent(models.Model):
    """The log: every start, extension, return and acknowledgement, by whom and when."""

    class Kind(models.TextChoices):
        STARTED = "started", _("Went out")
        EXTENDED = "extended", _("Extended")
        ENDED = "ended", _("Back")
        ACKNOWLEDGED = "acknowledged", _("Alert acknowledged")

    check_in = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    back_by = models.DateTimeField(null=True, blank=True)  # the deadline this event set or answered

    class Meta:
        ordering = ["at", "pk"]
