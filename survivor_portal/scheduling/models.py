import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, ProhibitNullCharactersValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from survivor_portal.accounts.models import Agency
from survivor_portal.vault.fields import EncryptedCharField, RowKeyField

NO_NUL = [ProhibitNullCharactersValidator()]


class Mode(models.TextChoices):
    PHONE = "phone", _("Phone call")
    VIDEO = "video", _("Video call")
    IN_PERSON = "in_person", _("In person")


class BookingRules(models.Model):
    """An advocate's own rules, enforced on the server whenever someone books."""

    advocate = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="booking_rules")
    min_notice_minutes = models.PositiveIntegerField(default=120, validators=[MaxValueValidator(7 * 24 * 60)])
    buffer_minutes = models.PositiveIntegerField(default=0, validators=[MaxValueValidator(120)])
    version = models.PositiveIntegerField(default=1)  # goes up with each change (survivor_portal/versions.py)


class MeetingPrefs(models.Model):
    """Hers: the code word an advocate says on any call, and what a calendar file may say."""

    survivor = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_prefs")
    code_word = EncryptedCharField(max_length=40, blank=True, validators=NO_NUL)
    calendar_title = EncryptedCharField(max_length=60, blank=True, validators=NO_NUL)  # blank: "Catch-up" in her language
    calendar_details = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)  # goes up with each change (survivor_portal/versions.py)
    row_key = RowKeyField()  # binds her sealed words to this row (survivor_portal/vault)


class Slot(models.Model):
    """A time an advocate offers. Free while no live appointment holds it; withdrawn slots stay
    only as the place a past appointment happened."""

    advocate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="slots")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.PHONE)
    place_label = EncryptedCharField(max_length=80, blank=True, validators=NO_NUL)
    series = models.UUIDField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    row_key = RowKeyField()

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["advocate", "starts_at"]), models.Index(fields=["agency", "starts_at"])]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_it_starts")]


class Appointment(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")
        MOVED = "moved", _("Moved")

    class Contact(models.TextChoices):
        I_WILL_CALL = "i_will_call", _("I will call")
        APP_ONLY = "app_only", _("Message me in the app only")
        CALL_ME = "call_me", _("Call me")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="appointments")
    # Empty once she closed her account: the cancelled time stays, so her advocate sees it was cancelled.
    survivor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="appointments")
    advocate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    # How to reach her safely. Only that advocate sees it, and it is erased once the meeting is over.
    contact = models.CharField(max_length=12, choices=Contact.choices, default=Contact.APP_ONLY)
    phone = EncryptedCharField(max_length=30, blank=True, validators=NO_NUL)
    voicemail_ok = models.BooleanField(default=False)
    note = EncryptedCharField(max_length=300, blank=True, validators=NO_NUL)
    contact_erased_at = models.DateTimeField(null=True, blank=True)
    # "Message me in the app only": the conversation her advocate writes in about this meeting
    # (empty when she does not share messages with the agency).
    conversation = models.ForeignKey("conversations.Conversation", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="moved_to")
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    cancelled_by_label = EncryptedCharField(max_length=80, blank=True)
    cancel_reason = EncryptedCharField(max_length=300, blank=True, validators=NO_NUL)
    # When she said she had read, on Home, that her advocate cancelled it; until then Home tells her.
    change_seen_at = models.DateTimeField(null=True, blank=True)
    row_key = RowKeyField()

    class Meta:
        ordering = ["slot__starts_at"]
        constraints = [
            # The database itself refuses a second live appointment for one slot.
            models.UniqueConstraint(fields=["slot"], condition=Q(status="booked"), name="one_live_appointment_per_slot"),
        ]

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.BOOKED

    @property
    def is_over(self) -> bool:
        return self.slot.ends_at <= timezone.now()
