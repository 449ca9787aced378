"""The survivor council's record: ideas, proposals with every revision, comments, votes, the
agency's answer and its progress. Nothing here is edited or deleted by staff."""

from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from survivor_portal.accounts.models import Agency
from survivor_portal.vault.fields import EncryptedCharField, EncryptedTextField, RowKeyField

NO_NUL = [ProhibitNullCharactersValidator()]
OVERDUE_DAYS = 30


class Idea(models.Model):
    """A few sentences from any survivor. The council sees who sent it only if she signs it."""

    class Status(models.TextChoices):
        NEW = "new", _("Waiting for the council")
        PROPOSAL = "proposal", _("Became a proposal")
        SET_ASIDE = "set_aside", _("Not taken forward")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="council_ideas")
    signed = models.BooleanField(default=False)
    text = EncryptedCharField(max_length=1000, validators=NO_NUL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    council_note = EncryptedCharField(max_length=500, blank=True, validators=NO_NUL)
    proposal = models.ForeignKey("Proposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas")
    created_at = models.DateTimeField(default=timezone.now)
    row_key = RowKeyField()  # binds her sealed words to this row (survivor_portal/vault)

    class Meta:
        ordering = ["-created_at"]


class Proposal(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        DISCUSSION = "discussion", _("In discussion")
        VOTING = "voting", _("Voting")
        PASSED = "passed", _("Passed")
        NOT_PASSED = "not_passed", _("Did not pass")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    author_label = EncryptedCharField(max_length=80)
    title = EncryptedCharField(max_length=120, validators=NO_NUL)
    problem = EncryptedTextField(max_length=2000, validators=NO_NUL)
    change = EncryptedTextField(max_length=2000, validators=NO_NUL)
    affects = EncryptedCharField(max_length=300, validators=NO_NUL)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    voting_opened_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)  # goes up with each revision (survivor_portal/versions.py)
    # Fixed at closing, with the rule's inputs, so the result can always be shown as it was.
    closed_at = models.DateTimeField(null=True, blank=True)
    council_size = models.PositiveIntegerField(null=True, blank=True)
    agree = models.PositiveIntegerField(default=0)
    abstain = models.PositiveIntegerField(default=0)
    disagree = models.PositiveIntegerField(default=0)
    block = models.PositiveIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)
    row_key = RowKeyField()

    class Meta:
        ordering = ["-created_at"]

    @property
    def voted(self) -> int:
        return self.agree + self.abstain + self.disagree + self.block

    @property
    def answer_due(self):
        return self.closed_at + timezone.timedelta(days=OVERDUE_DAYS) if self.closed_at else None

    def is_overdue(self, answered: bool) -> bool:
        return self.status == self.Status.PASSED and not answered and timezone.now() > self.answer_due


class Revision(models.Model):
    """Every version of a proposal's text, the first included."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = EncryptedCharField(max_length=120)
    problem = EncryptedTextField(max_length=2000)
    change = EncryptedTextField(max_length=2000)
    affects = EncryptedCharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    row_key = RowKeyField()

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["proposal", "number"], name="revision_numbers_once")]


class Comment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    author_label = EncryptedCharField(max_length=80)
    body = EncryptedTextField(max_length=2000, validators=NO_NUL)
    created_at = models.DateTimeField(default=timezone.now)
    row_key = RowKeyField()

    class Meta:
        ordering = ["created_at"]


class Vote(models.Model):
    class Choice(models.TextChoices):
        AGREE = "agree", _("Agree")
        ABSTAIN = "abstain", _("Abstain")
        DISAGREE = "disagree", _("Disagree")
        BLOCK = "block", _("Block")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(max_length=10, choices=Choice.choices)
    reason = EncryptedCharField(max_length=500, blank=True, validators=NO_NUL)
    updated_at = models.DateTimeField(default=timezone.now)
    row_key = RowKeyField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "member"], name="one_vote_per_member")]


class AgencyResponse(models.Model):
    class Answer(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        WITH_CHANGES = "with_changes", _("Accepted with changes")
        NOT_NOW = "not_now", _("Not now")
        DECLINED = "declined", _("Declined")

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="response")
    answer = models.CharField(max_length=15, choices=Answer.choices)
    reasons = EncryptedTextField(max_length=2000, validators=NO_NUL)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    author_label = EncryptedCharField(max_length=80)
    created_at = models.DateTimeField(default=timezone.now)
    row_key = RowKeyField()


class ProgressUpdate(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="updates")
    text = EncryptedTextField(max_length=2000, validators=NO_NUL)
    marks_done = models.BooleanField(default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    author_label = EncryptedCharField(max_length=80)
    created_at = models.DateTimeField(default=timezone.now)
    row_key = RowKeyField()

    class Meta:
        ordering = ["created_at"]
