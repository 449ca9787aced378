from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

STOPPABLE = gettext_noop("You can stop this at any time.")

from survivor_portal.accounts.models import Agency
from survivor_portal.plans.sections import SECTIONS as PLAN_SECTIONS
from survivor_portal.vault.fields import EncryptedCharField, EncryptedTextField, RowKeyField


class ConsentGrant(models.Model):
    """What one agency may see of her, and until when. Never edited: a change writes a new
    grant that supersedes this one, so every grant stays as a receipt."""

    class GoalScope(models.TextChoices):
        ALL = "all", _("All my goals")
        CATEGORIES = "categories", _("Goals about some topics")
        CHOSEN = "chosen", _("Only goals I choose")

    class Purpose(models.TextChoices):
        SUPPORT = "support", _("So they can support me")
        HOUSING = "housing", _("Help with housing")
        LEGAL = "legal", _("Legal help")
        HEALTH = "health", _("Health care")
        SAFETY = "safety", _("Safety planning")
        OTHER = "other", _("Something else")

    class EndReason(models.TextChoices):
        CHANGED = "changed", _("Changed")
        RENEWED = "renewed", _("Renewed")
        WITHDRAWN = "withdrawn", _("Stopped")
        EXPIRED = "expired", _("Ended on its own")
        DECLINED = "declined", _("Not confirmed")

    survivor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consent_grants")
    # PROTECT: deleting an agency must never erase her receipts.
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="consent_grants")
    share_goals = models.BooleanField(default=False)
    goal_scope = models.CharField(max_length=20, choices=GoalScope.choices, default=GoalScope.ALL)
    goal_categories = models.JSONField(default=list, blank=True)
    goal_ids = models.JSONField(default=list, blank=True)
    share_appointments = models.BooleanField(default=False)
    # Messages with the agency's staff (survivor_portal/conversations): open only while this is on.
    share_messages = models.BooleanField(default=False)
    share_display_name = models.BooleanField(default=True)
    # Her safety plan (survivor_portal/plans), without the sections she keeps private. With one
    # agency at a time: sharing it with a second is refused until she stops it with the first.
    share_safety_plan = models.BooleanField(default=False)
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.SUPPORT)
    purpose_note = EncryptedCharField(max_length=200, blank=True, validators=[ProhibitNullCharactersValidator()])
    starts_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    supersedes = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="superseded_by")
    # How it was given, and the exact sentence she was shown. A grant staff record after she
    # agreed in person waits for her to confirm it in the app before it lets anyone see anything.
    given_via = models.CharField(max_length=10, default="app")
    awaiting_her = models.BooleanField(default=False)
    # Recorded by staff while she had "never share" on for their agency. Staff get the same
    # answer as for anyone else, so her choice stays hers; the grant never reaches her and is
    # never in force (it waits for a yes she is never asked for).
    withheld = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    notice_text = EncryptedTextField()
    notice_language = models.CharField(max_length=10, blank=True)  # the language she read it in
    created_at = models.DateTimeField(default=timezone.now)
    row_key = RowKeyField()  # binds her sealed words to this row (survivor_portal/vault)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # At most one grant per agency is in force (or waiting for her) at a time.
            models.UniqueConstraint(
                fields=["survivor", "agency", "awaiting_her"], condition=models.Q(ended_at__isnull=True),
                name="one_open_grant_per_agency",
            )
        ]

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.ended_at is None and not self.awaiting_her and self.starts_at <= now < self.expires_at

    @property
    def scopes(self) -> list[str]:
        """What it lets the agency see, as the API and the share form name it."""
        return [name for name, on in (("goals", self.share_goals), ("appointments", self.share_appointments),
                                      ("messages", self.share_messages), ("display_name", self.share_display_name),
                                      ("safety_plan", self.share_safety_plan)) if on]

    @property
    def receipt_text(self) -> str:
        """The sentence she confirmed. Grants before 2026-12 ended it with "You can stop this at
        any time", which stops being true when a grant ends; it is said beside the sentence now."""
        text = self.notice_text
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                text = text.removesuffix(" " + translation.gettext(STOPPABLE))
        return text

    @property
    def state(self) -> str:
        if self.end_reason:
            return self.end_reason
        if self.awaiting_her:
            return "awaiting_her"
        return "active" if self.is_active() else "expired"


class AccessEvent(models.Model):
    """One look at her data by agency staff or an agency's system. Written, never changed."""

    survivor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_events")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = EncryptedCharField(max_length=80)
    what = models.CharField(max_length=200)
    via = models.CharField(max_length=10)
    at = models.DateTimeField(default=timezone.now)
    row_key = RowKeyField()

    class Meta:
        ordering = ["-at"]


class DisclosureNotice(models.Model):
    """When an agency had to act without her choice, it says here what, to whom and why."""

    survivor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="disclosures")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    author_label = EncryptedCharField(max_length=80)
    shared_what = EncryptedCharField(max_length=300, validators=[ProhibitNullCharactersValidator()])
    with_whom = EncryptedCharField(max_length=200, validators=[ProhibitNullCharactersValidator()])
    why = EncryptedCharField(max_length=500, validators=[ProhibitNullCharactersValidator()])
    at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    row_key = RowKeyField()

    class Meta:
        ordering = ["-at"]


class AgencyApiKey(models.Model):
    """Lets an agency's own case system read consented data. Only the hash is kept."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=80, validators=[ProhibitNullCharactersValidator()])
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class NeverShare(models.Model):
    """She never shares with this agency: beats any grant, now and later."""

    survivor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survivor", "agency"], name="never_share_once")]


class Suggestion(models.Model):
    """An advocate's idea for a goal or a step. It reaches her as a suggestion only; nothing
    enters her list unless she takes it."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for you")
        TAKEN = "taken", _("Added")
        DECLINED = "declined", _("Declined")

    survivor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suggestions")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    author_label = EncryptedCharField(max_length=80)
    goal = models.ForeignKey("goals.Goal", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # An addition to a section of her safety plan (plans.sections) instead of a goal or a step.
    plan_section = models.CharField(max_length=20, blank=True, default="",
                                    choices=[(section.key, section.title) for section in PLAN_SECTIONS])
    text = EncryptedCharField(max_length=200)
    category = models.CharField(max_length=20, default="other")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    row_key = RowKeyField()

    class Meta:
        ordering = ["-created_at"]
