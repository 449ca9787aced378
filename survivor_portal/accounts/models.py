import zoneinfo

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from survivor_portal.accounts.usernames import username_key, validate_one_script
from survivor_portal.vault.fields import EncryptedCharField, RowKeyField


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Pick a time zone from the list."))


class Agency(models.Model):
    class Kind(models.TextChoices):
        SHELTER = "shelter", _("Shelter and housing")
        LEGAL = "legal", _("Legal help")
        HEALTH = "health", _("Health")
        COUNSELLING = "counselling", _("Counselling")
        WORK = "work", _("Work and money")
        COMMUNITY = "community", _("Community group")
        OTHER = "other", _("Other")

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    helps_with = models.CharField(max_length=200, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    crisis_resources = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username: str) -> "User":
        # Handles are matched without regard to case, so "Maya" and "maya" are one person.
        return self.get(username__iexact=username)

    def create_user(self, username: str, password: str | None = None, **fields) -> "User":
        user = self.model(username=username, **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("display_name", username)
        fields.update(is_staff=True, is_superuser=True, role=User.Role.AGENCY_ADMIN)
        return self.create_user(username, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who logs in. No e-mail or phone number is ever asked for."""

    class Role(models.TextChoices):
        SURVIVOR = "survivor", _("Survivor")
        ADVOCATE = "advocate", _("Advocate")
        AGENCY_ADMIN = "agency_admin", _("Agency admin")

    IDLE_CHOICES = [(5, _("5 minutes")), (15, _("15 minutes")), (30, _("30 minutes"))]
    LANGUAGE_CHOICES = [("en", "English"), ("es", "Español")]

    username = models.CharField(
        _("username"),
        max_length=40,
        unique=True,
        validators=[UnicodeUsernameValidator(), validate_one_script],
        help_text=_("Letters, numbers and . _ - only."),
    )
    # The username's look-alike key (accounts.usernames): no two people's usernames look the same.
    username_key = models.CharField(max_length=200, unique=True, null=True, editable=False,
                                    error_messages={"unique": _("That username is taken. Try another.")})
    display_name = EncryptedCharField(_("display name"), max_length=60, validators=[ProhibitNullCharactersValidator()])
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.SURVIVOR)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="people")
    is_peer_mentor = models.BooleanField(default=False)
    is_council_member = models.BooleanField(default=False)
    language = models.CharField(max_length=8, choices=LANGUAGE_CHOICES, default="en")
    idle_minutes = models.PositiveSmallIntegerField(choices=IDLE_CHOICES, default=15)
    # is_staff is Django's "may use /admin/" for the people who run the server, not agency staff.
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Off: only her own recovery codes can set a new passphrase; no agency reset code ever works.
    allows_agency_reset = models.BooleanField(default=True)
    row_key = RowKeyField()  # binds her sealed words to this row (survivor_portal/vault)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="username_unique_ignoring_case"),
            models.CheckConstraint(
                condition=models.Q(role="survivor") | models.Q(agency__isnull=False),
                name="staff_belong_to_an_agency",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    def clean(self) -> None:
        super().clean()  # Django's own NFKC normalisation of the username
        self.username_key = username_key(self.username)
        if User.objects.filter(username_key=self.username_key).exclude(pk=self.pk).exists():
            raise ValidationError({"username": _("That username is taken. Try another.")})

    @property
    def is_agency_staff(self) -> bool:
        return self.role in (self.Role.ADVOCATE, self.Role.AGENCY_ADMIN)

    @property
    def is_survivor(self) -> bool:
        return self.role == self.Role.SURVIVOR


class Invite(models.Model):
    """A one-time code an agency admin reads out or hands over. Only its hash is kept."""

    code_hash = models.CharField(max_length=64, unique=True)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="invites")
    role = models.CharField(max_length=20, choices=User.Role.choices)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    @property
    def state(self) -> str:
        if self.used_at:
            return "used"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"


class RecoveryCode(models.Model):
    """One of her ten single-use codes to set a new passphrase without e-mail. Only the hash is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)


class ResetCode(models.Model):
    """A one-time code an agency admin made after meeting her in person. She is told it was made.
    Using it starts a 24-hour wait she can stop from any device she is logged in on; only after
    that can whoever holds it set a new passphrase (see accounts.recovery)."""

    class Blocked(models.TextChoices):
        NO = "", "-"
        RESETS_OFF = "resets_off", _("She turned agency resets off")
        NEVER_SHARE = "never_share", _("She never shares with this agency")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="reset_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    issued_by_label = EncryptedCharField(max_length=80)
    agency = models.ForeignKey(Agency, null=True, on_delete=models.SET_NULL, related_name="+")
    agency_label = models.CharField(max_length=120)
    created_at = models.DateTimeField(default=timezone.now)
    # The end of the present step: using it (48 hours), then finishing it (48 hours after the wait).
    expires_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    # Made although her choices rule it out: it behaves like any other code for whoever holds it
    # (so they learn nothing of her choices) and never sets a passphrase.
    blocked = models.CharField(max_length=20, choices=Blocked.choices, blank=True, default="")
    used_at = models.DateTimeField(null=True, blank=True)
    seen_at = models.DateTimeField(null=True, blank=True)
    row_key = RowKeyField()

    class Meta:
        ordering = ["-created_at"]


class OnlyMeWrap(models.Model):
    """Her own key for what she marks "only me", locked: with her passphrase (no recovery code)
    or with one recovery code. Only locked copies are kept, never the key (accounts.only_me)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="only_me_wraps")
    key_id = models.BigIntegerField()
    recovery_code = models.OneToOneField(RecoveryCode, null=True, blank=True, on_delete=models.CASCADE,
                                         related_name="only_me_wrap")
    salt = models.BinaryField(max_length=16)
    time_cost = models.PositiveSmallIntegerField()
    memory_kib = models.PositiveIntegerField()
    sealed = models.BinaryField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user"], condition=models.Q(recovery_code__isnull=True),
                                               name="one_passphrase_copy_of_her_key")]


# Her sessions: a model of its own module, which is also the session engine (see settings).
from survivor_portal.accounts.login_sessions import LoginSession  # noqa: E402,F401
