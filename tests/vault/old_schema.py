"""Rows written through the schema as it was before her words were sealed, with a distinctive
word in every encrypted field, to migrate forward and read back (test_migration.py)."""

import base64
import json
import zlib
from datetime import timedelta

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from survivor_portal.vault import table

BEFORE = [
    ("accounts", "0008_only_me_key"), ("goals", "0003_goal_and_step_versions"),
    ("consent", "0003_grant_notice_language"), ("scheduling", "0003_change_seen"),
    ("council", "0002_proposal_version"), ("groups", "0003_moderation_step_down"), ("idempotency", "0001_initial"),
]
UNBORN = [("conversations", None)]  # apps that did not exist yet: unapplied entirely

# Sealed from the day they were made: no plain word was ever written to them, so there is
# nothing to migrate (their sealing is tested with their app).
BORN_SEALED = {"groups.checkinmessage.body",
               "outreach.checkin.place", "outreach.checkin.with_others", "outreach.checkin.note",
               "plans.safetyplan.content", "plans.safetyplanversion.content",
               "conversations.message.body", "conversations.message.author_label"}


def word(label: str) -> str:
    """The words written into one field: findable in a raw file, unique to the field."""
    return f"Quokka{zlib.crc32(label.encode()) % 10**6:06d} {label.rsplit('.', 1)[1]}"


def migrate_to(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([*targets, *UNBORN])
    return MigrationExecutor(connection)


def fill(apps) -> dict[tuple[str, int], str]:
    """Creates one row of each model with sealed fields; returns {(label, pk): words}."""
    now = timezone.now()
    model = apps.get_model
    made = {}

    def create(name: str, **fields):
        row = model(name).objects.create(**fields)
        app, cls = name.split(".")
        for label in table_labels(app, cls):
            if getattr(row, label.rsplit(".", 1)[1]):
                made[(label, row.pk)] = getattr(row, label.rsplit(".", 1)[1])
        return row

    def words(app: str, cls: str) -> dict[str, str]:
        return {label.rsplit(".", 1)[1]: word(label) for label in table_labels(app, cls)}

    agency = model("accounts.Agency").objects.create(name="Old Agency", time_zone="UTC")
    her = create("accounts.User", username="oldmaya", password="!", agency=agency, **words("accounts", "User"))
    staff = model("accounts.User").objects.create(username="oldsam", password="!", display_name="Sam", role="advocate",
                                                   agency=agency)
    create("accounts.ResetCode", user=her, code_hash="h" * 64, issued_by=staff, agency=agency, agency_label="Old Agency",
           expires_at=now + timedelta(days=1), **words("accounts", "ResetCode"))
    create("accounts.LoginSession", session_key="k" * 32, expire_date=now + timedelta(hours=1), user=her,
           **words("accounts", "LoginSession"))
    goal = create("goals.Goal", owner=her, position=0, **words("goals", "Goal"))
    create("goals.Step", goal=goal, position=0, **words("goals", "Step"))
    create("consent.ConsentGrant", survivor=her, agency=agency, expires_at=now + timedelta(days=30),
           **words("consent", "ConsentGrant"))
    create("consent.AccessEvent", survivor=her, agency=agency, actor=staff, what="goals", via="page",
           **words("consent", "AccessEvent"))
    create("consent.DisclosureNotice", survivor=her, agency=agency, author=staff, **words("consent", "DisclosureNotice"))
    create("consent.Suggestion", survivor=her, agency=agency, author=staff, **words("consent", "Suggestion"))
    create("scheduling.MeetingPrefs", survivor=her, **words("scheduling", "MeetingPrefs"))
    slot = create("scheduling.Slot", advocate=staff, agency=agency, starts_at=now + timedelta(days=1),
                  ends_at=now + timedelta(days=1, hours=1), mode="in_person", **words("scheduling", "Slot"))
    create("scheduling.Appointment", slot=slot, survivor=her, advocate=staff, agency=agency, cancelled_by=staff,
           **words("scheduling", "Appointment"))
    proposal = create("council.Proposal", agency=agency, author=her, **words("council", "Proposal"))
    create("council.Idea", agency=agency, sender=her, **words("council", "Idea"))
    create("council.Revision", proposal=proposal, number=1, **words("council", "Revision"))
    create("council.Comment", proposal=proposal, author=her, **words("council", "Comment"))
    create("council.Vote", proposal=proposal, member=her, choice="agree", **words("council", "Vote"))
    create("council.AgencyResponse", proposal=proposal, answer="accepted", author=staff, **words("council", "AgencyResponse"))
    create("council.ProgressUpdate", proposal=proposal, author=staff, **words("council", "ProgressUpdate"))
    group = model("groups.PeerGroup").objects.create(agency=agency, name="Circle", purpose="Talk", agreement="Be kind")
    member = model("groups.Membership").objects.create(group=group, user=her, alias="Quiet River", alias_key="quiet river")
    post = create("groups.Post", group=group, author=member, **words("groups", "Post"))
    create("groups.Report", post=post, reporter=member, reason="other", **words("groups", "Report"))
    create("groups.ModerationAction", group=group, actor_label="Quiet River", kind="hide", post=post,
           **words("groups", "ModerationAction"))
    create("groups.AgendaItem", group=group, proposer=member, **words("groups", "AgendaItem"))
    create("groups.Meeting", group=group, starts_at=now, set_by_label="Quiet River", **words("groups", "Meeting"))
    answer = model("idempotency.IdempotencyKey").objects.create(
        user=her, key="api:k1", status=201, content_type="application/json",
        body=json.dumps({"title": word("idempotency.idempotencykey.body")}).encode())
    # The answer is kept in base64 now, and replayed as the same bytes.
    made[("idempotency.idempotencykey.body", answer.pk)] = base64.b64encode(bytes(answer.body)).decode("ascii")
    return made


def table_labels(app: str, cls: str) -> list[str]:
    """The encrypted fields of one model, named app.model.field (the cipher's labels)."""
    for model, names in table.encrypted_fields().items():
        if (model._meta.app_label, model.__name__) == (app, cls):
            return [f"{app}.{model._meta.model_name}.{name}" for name in names]
    return []
