"""Her and her agency: one conversation per survivor and agency, inside the app only.

Staff of the agency read and answer only while she shares "messages" with it (consent); what
was written stays in her own view after she stops. Every word is sealed (survivor_portal/vault).
Messages older than her chosen keep-days are deleted for everyone (jobs.py)."""

from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from survivor_portal.accounts.models import Agency
from survivor_portal.vault.fields import EncryptedCharField, EncryptedTextField, RowKeyField

NO_NUL = [ProhibitNullCharactersValidator()]
LONGEST = 2000  # characters in one message
KEEP_DAYS = (7, 30, 90)
DEFAULT_KEEP_DAYS = 30


class KeepDays(models.IntegerChoices):
    WEEK = 7, _("7 days")
    MONTH = 30, _("30 days")
    THREE_MONTHS = 90, _("90 days")


class MessageSettings(models.Model):
    """Hers: how long messages are kept, for every conversation she has."""

    survivor = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_settings")
    keep_days = models.PositiveSmallIntegerField(choices=KeepDays.choices, default=DEFAULT_KEEP_DAYS)
    version = models.PositiveIntegerField(default=1)  # goes up with each change (survivor_portal/versions.py)


class Conversation(models.Model):
    survivor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    # Her keep-days, copied here so the housekeeping job deletes in three statements.
    keep_days = models.PositiveSmallIntegerField(choices=KeepDays.choices, default=DEFAULT_KEEP_DAYS)
    # Message ids: what each side has read, and the newest (a poll for "anything new?" reads this row only).
    newest_id = models.BigIntegerField(default=0)
    her_seen_id = models.BigIntegerField(default=0)
    agency_seen_id = models.BigIntegerField(default=0)
    # She deleted the conversation for herself up to this message: she no longer sees those.
    her_cleared_id = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survivor", "agency"], name="one_conversation_per_agency")]


class Message(models.Model):
    class Event(models.TextChoices):
        WORDS = "", _("Message")
        MEETING_CANCELLED = "cancelled", _("A meeting was cancelled")
        MEETING_MOVED = "moved", _("A meeting was moved")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    from_agency = models.BooleanField()
    # Empty for her own messages and for the short lines the app writes about meetings.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    author_label = EncryptedCharField(max_length=80, blank=True)
    body = EncryptedTextField(max_length=LONGEST, blank=True, validators=NO_NUL)
    event = models.CharField(max_length=10, choices=Event.choices, blank=True, default="")
    # For a line about a meeting: when it was, and where it moved to. Times, never words, so
    # scheduling tells this app about meetings and this app never reads scheduling's rows.
    meeting_at = models.DateTimeField(null=True, blank=True)
    moved_to = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    row_key = RowKeyField()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["conversation", "id"]), models.Index(fields=["created_at"])]
