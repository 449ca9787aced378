"""Peer groups: pseudonymous, survivor-led, moderated by trained peer mentors. Inside a group
people are known by an alias only; nothing here shows a username or display name."""

import unicodedata

from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from survivor_portal.accounts.models import Agency
from survivor_portal.vault.fields import EncryptedCharField, EncryptedTextField, RowKeyField

NO_NUL = [ProhibitNullCharactersValidator()]
EDIT_MINUTES = 15
AUTO_HIDE_REPORTS = 3


def alias_key(alias: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", alias or "").casefold().split())


class PeerGroup(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=80, validators=NO_NUL)
    purpose = models.CharField(max_length=300, validators=NO_NUL)
    language = models.CharField(max_length=8, choices=[("en", "English"), ("es", "Español")], default="en")
    open_to_join = models.BooleanField(default=True)
    agreement = models.TextField(max_length=4000, validators=NO_NUL)
    agreement_updated_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        MENTOR = "mentor", _("Peer mentor")

    class State(models.TextChoices):
        REQUESTED = "requested", _("Asked to join")
        ACTIVE = "active", _("Member")
        LEFT = "left", _("Left")
        REMOVED = "removed", _("Removed")
        DECLINED = "declined", _("Not let in this time")

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    alias = models.CharField(max_length=40, validators=NO_NUL)
    # The alias as compared: "Quiet River", "quiet  river" and "QUIET RIVER" are one name.
    alias_key = models.CharField(max_length=40)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    agreed_at = models.DateTimeField(null=True, blank=True)
    muted_until = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)
    check_ins_refused = models.BooleanField(default=False)  # her choice: no private check-ins from this group's mentors

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_person"),
            # An alias stays hers in that group, even after she leaves: nobody else can take it
            # and seem to have written her old posts.
            models.UniqueConstraint(fields=["group", "alias_key"], name="alias_unique_in_group"),
        ]

    def save(self, *args, **kwargs):
        self.alias_key = alias_key(self.alias)
        if kwargs.get("update_fields") and "alias" in kwargs["update_fields"]:
            kwargs["update_fields"] = [*kwargs["update_fields"], "alias_key"]
        super().save(*args, **kwargs)

    @property
    def is_mentor(self) -> bool:
        return self.role == self.Role.MENTOR and self.state == self.State.ACTIVE

    def muted(self, now=None) -> bool:
        return self.muted_until is not None and self.muted_until > (now or timezone.now())


class Post(models.Model):
    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="posts")
    # Empty once its author closed her account and chose to leave her posts as "former member".
    author = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    body = EncryptedTextField(max_length=2000, validators=NO_NUL)
    content_warning = EncryptedCharField(max_length=100, blank=True, validators=NO_NUL)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = EncryptedCharField(max_length=300, blank=True)
    auto_hidden = models.BooleanField(default=False)
    needs_attention = models.BooleanField(default=False)  # crisis language: mentors take a look
    version = models.PositiveIntegerField(default=1)  # goes up with each edit (survivor_portal/versions.py)
    row_key = RowKeyField()  # binds her sealed words to this row (survivor_portal/vault)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["group", "parent", "-id"])]

    @property
    def alias(self) -> str:
        return self.author.alias if self.author_id else str(_("Former member"))

    def editable(self, now=None) -> bool:
        return self.deleted_at is None and (now or timezone.now()) - self.created_at <= timezone.timedelta(minutes=EDIT_MINUTES)


class Report(models.Model):
    class Reason(models.TextChoices):
        UNSAFE = "unsafe", _("Unsafe or identifying")
        HURTFUL = "hurtful", _("Hurtful")
        SPAM = "spam", _("Spam")
        OTHER = "other", _("Something else")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    note = EncryptedCharField(max_length=300, blank=True, validators=NO_NUL)
    created_at = models.DateTimeField(default=timezone.now)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    row_key = RowKeyField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "reporter"], name="one_report_per_member_per_post")]


class ModerationAction(models.Model):
    """Who did what, why and when. Written, never changed."""

    class Kind(models.TextChoices):
        HIDE = "hide", _("Hid a post")
        AUTO_HIDE = "auto_hide", _("Hidden after three reports")
        RESTORE = "restore", _("Restored a post")
        DISMISS = "dismiss", _("Dismissed reports")
        MUTE = "mute", _("Muted a member")
        REMOVE = "remove", _("Removed a member")
        ADMIT = "admit", _("Let someone join")
        DECLINE = "decline", _("Said no to a request to join")
        AGREEMENT = "agreement", _("Updated the group agreement")
        MEETING = "meeting", _("Set the next meeting")
        APPOINT = "appoint", _("Appointed a peer mentor")
        STEP_DOWN = "step_down", _("Ended someone's mentoring")

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="moderation")
    actor_label = models.CharField(max_length=80)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target_label = models.CharField(max_length=80, blank=True)
    reason = EncryptedCharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)
    row_key = RowKeyField()

    class Meta:
        ordering = ["-at"]


class Block(models.Model):
    blocker = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="blocks")
    blocked = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once")]


class AgendaItem(models.Model):
    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="agenda")
    proposer = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    text = EncryptedCharField(max_length=300, validators=NO_NUL)
    created_at = models.DateTimeField(default=timezone.now)
    discussed_at = models.DateTimeField(null=True, blank=True)
    row_key = RowKeyField()


class Support(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="supports")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="support_once")]


class Meeting(models.Model):
    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField()
    place_label = EncryptedCharField(max_length=80, validators=NO_NUL)  # "online", or a neutral place
    set_by_label = models.CharField(max_length=80)
    created_at = models.DateTimeField(default=timezone.now)
    row_key = RowKeyField()

    class Meta:
        ordering = ["-starts_at"]


CHECK_IN_OPEN_DAYS = 7
# Closed check-ins are deleted this long after they close (jobs.check_ins_purge): long enough for
# her to read a late answer again or take it up in the group, short enough that a phone or a
# server taken later holds little of a private exchange that has ended.
CHECK_IN_KEEP_DAYS = 14
CHECK_IN_LONGEST = 1000
# A worry asks the mentors to act now; after this long it is deleted (jobs.worries_purge), so
# who was worried about whom is not kept once it has done its work.
WORRY_KEEP_DAYS = 14


class Worry(models.Model):
    """A member's quiet "I'm worried about them" on a post. Only the group's mentors see it (in
    their moderation view); the post's author never does, and nothing is hidden by it."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="worries")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "member"], name="worry_once_per_post")]


class CheckIn(models.Model):
    """A mentor's private check-in with a member after crisis words or a member's worry. Aliases
    only, both ways. Open for CHECK_IN_OPEN_DAYS, then read-only, then deleted."""

    class Reason(models.TextChoices):
        CRISIS = "crisis", _("Words of crisis")
        WORRY = "worry", _("A member is worried")

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="check_ins")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="check_ins")
    mentor = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    mentor_alias = models.CharField(max_length=40)  # kept if the mentor's account goes
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=8, choices=Reason.choices)
    created_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()
    mentors_may_read = models.BooleanField(default=False)  # her choice: the group's other mentors read it too
    last_to_member_at = models.DateTimeField(null=True, blank=True)
    last_to_mentor_at = models.DateTimeField(null=True, blank=True)
    member_seen_at = models.DateTimeField(null=True, blank=True)
    mentor_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["closes_at"])]

    def is_open(self, now=None) -> bool:
        return (now or timezone.now()) < self.closes_at

    @property
    def unread_for_member(self) -> bool:
        return self.last_to_member_at is not None and (self.member_seen_at is None or self.member_seen_at < self.last_to_member_at)

    @property
    def unread_for_mentor(self) -> bool:
        return self.last_to_mentor_at is not None and (self.mentor_seen_at is None or self.mentor_seen_at < self.last_to_mentor_at)


class CheckInMessage(models.Model):
    check_in = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="messages")
    from_member = models.BooleanField()  # else from the mentor; who they are is on the check-in, by alias
    body = EncryptedTextField(max_length=CHECK_IN_LONGEST, validators=NO_NUL)
    created_at = models.DateTimeField(default=timezone.now)
    row_key = RowKeyField()

    class Meta:
        ordering = ["id"]
