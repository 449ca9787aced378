"""After each app's words were sealed in place, the old plain words can still sit in the database
file: in SQLite's free pages, in PostgreSQL's dead row versions. This rewrites the files without
them: SQLite's VACUUM, PostgreSQL's VACUUM FULL on the tables that hold sealed words. Neither
runs inside a transaction, so this migration is not atomic. Where it cannot run (the migration is
applied inside someone's transaction), README "Operations" gives the same step by hand."""

from django.db import migrations

SEALED_TABLES = [
    "accounts_user", "accounts_resetcode", "accounts_login_session", "goals_goal", "goals_step",
    "consent_consentgrant", "consent_accessevent", "consent_disclosurenotice", "consent_suggestion",
    "scheduling_meetingprefs", "scheduling_slot", "scheduling_appointment", "council_idea", "council_proposal",
    "council_revision", "council_comment", "council_vote", "council_agencyresponse", "council_progressupdate",
    "groups_post", "groups_report", "groups_moderationaction", "groups_agendaitem", "groups_meeting",
    "idempotency_idempotencykey",
]


def vacuum(apps, schema_editor) -> None:
    connection = schema_editor.connection
    if connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("VACUUM")
        elif connection.vendor == "postgresql":
            for name in SEALED_TABLES:
                cursor.execute(f"VACUUM FULL {connection.ops.quote_name(name)}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("accounts", "0010_seal_accounts_words"),
        ("goals", "0005_seal_goal_words"),
        ("consent", "0005_seal_consent_words"),
        ("scheduling", "0005_seal_scheduling_words"),
        ("council", "0004_seal_council_words"),
        ("groups", "0005_seal_groups_words"),
        ("idempotency", "0004_sealed_answer_is_the_answer"),
    ]

    operations = [migrations.RunPython(vacuum, migrations.RunPython.noop, elidable=False)]
