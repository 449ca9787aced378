"""Each housekeeping job on a frozen clock: nothing goes a moment early, everything goes once
its time is up, a second run changes nothing, and no read does the job's work."""

import io
import logging
from datetime import timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from survivor_portal.accounts import recovery
from survivor_portal.accounts.login_sessions import LoginSession
from survivor_portal.accounts.models import Invite, RecoveryCode, ResetCode
from survivor_portal.accounts.services import invite_create
from survivor_portal.goals import selectors as goal_selectors
from survivor_portal.goals import services as goals
from survivor_portal.housekeeping import job, registered
from survivor_portal.housekeeping.registry import _JOBS, due_jobs, run_due
from survivor_portal.idempotency.models import IdempotencyKey
from survivor_portal.scheduling import selectors as meetings
from survivor_portal.scheduling import services as scheduling
from survivor_portal.scheduling.models import Appointment
from tests.conftest import logged_in
from tests.factories import UserFactory
from tests.scheduling.conftest import make_slot, shares_appointments, slot  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

START = timezone.now().replace(microsecond=0)


def housekeeping(*names: str) -> dict[str, int]:
    """`manage.py housekeeping`, as cron or an operator would run it; its printed counts."""
    out = io.StringIO()
    call_command("housekeeping", *[arg for name in names for arg in ("--job", name)], stdout=out)
    return {name: int(count) for name, count in (line.split(": ") for line in out.getvalue().splitlines())}


def _raw(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_every_job_is_due_each_minute_and_one_run_runs_them_all():
    names = [found.name for found in registered()]
    assert {"deleted_goals_purge", "finished_contact_erase", "expired_sessions_clear", "used_recovery_codes_remove",
            "spent_invites_remove", "ended_reset_codes_remove", "expired_retry_keys_forget"} <= set(names)
    assert names[-1] == "sqlite_wal_truncate"  # after every job that deletes
    assert [found.name for found in due_jobs()] == names
    assert set(housekeeping()) == set(names)


def test_a_deleted_goal_waits_for_undo_then_goes_with_its_steps(survivor):
    other = UserFactory(username="ana")
    with time_machine.travel(START, tick=False):
        goal = goals.goal_create(actor=survivor, title="Leave the flat on Elm Street", note="Friday, when he works")
        goals.step_create(actor=survivor, goal_id=goal.pk, text="Pack the green bag")
        kept = goals.goal_create(actor=other, title="Find a job")
        goals.goal_delete(actor=survivor, goal_id=goal.pk)
    with time_machine.travel(START + timedelta(seconds=59), tick=False):
        assert housekeeping("deleted_goals_purge") == {"deleted_goals_purge": 0}
        assert [g.pk for g in goal_selectors.recently_deleted(viewer=survivor)] == [goal.pk]  # Undo still works
    with time_machine.travel(START + timedelta(seconds=61), tick=False):
        assert housekeeping("deleted_goals_purge") == {"deleted_goals_purge": 1}
        assert housekeeping("deleted_goals_purge") == {"deleted_goals_purge": 0}  # idempotent
    assert _raw("SELECT id FROM goals_goal WHERE id = %s", [goal.pk]) == []
    assert _raw("SELECT id FROM goals_step WHERE goal_id = %s", [goal.pk]) == []
    assert _raw("SELECT id FROM goals_goal WHERE id = %s", [kept.pk]) == [(kept.pk,)]


def test_her_contact_details_are_erased_by_the_job_and_no_read_writes(survivor, advocate, shares_appointments, slot):
    booked = scheduling.appointment_book(actor=survivor, slot_id=slot.pk, contact="call_me", phone="555 0100 22",
                                         voicemail_ok=True, note="Side door")
    with time_machine.travel(slot.ends_at - timedelta(seconds=1), tick=False):
        assert housekeeping("finished_contact_erase") == {"finished_contact_erase": 0}
    assert Appointment.objects.get(pk=booked.pk).phone == "555 0100 22"
    with time_machine.travel(slot.ends_at + timedelta(seconds=30), tick=False):
        with CaptureQueriesContext(connection) as seen:
            shown = meetings.her_appointment(viewer=survivor, appointment_id=booked.pk)
            meetings.her_appointments(viewer=survivor)
            logged_in(survivor).get("/")
        # Between the meeting's end and the job, reads blank it in memory and write nothing.
        assert (shown.phone, shown.note, shown.voicemail_ok) == ("", "", False)
        assert not [q["sql"] for q in seen.captured_queries if q["sql"].startswith("UPDATE \"scheduling")]
        assert Appointment.objects.get(pk=booked.pk).phone == "555 0100 22"
        assert housekeeping("finished_contact_erase") == {"finished_contact_erase": 1}
        assert housekeeping("finished_contact_erase") == {"finished_contact_erase": 0}
    erased = Appointment.objects.get(pk=booked.pk)
    assert (erased.phone, erased.note, erased.voicemail_ok) == ("", "", False)
    assert erased.contact_erased_at == slot.ends_at + timedelta(seconds=30)


def test_expired_sessions_are_cleared_logged_out_ones_too(survivor, agency_admin):
    with time_machine.travel(START, tick=False):
        hers = logged_in(survivor)
        assert hers.get("/api/v1/me").status_code == 200
        _invite, code = invite_create(actor=agency_admin, role="survivor")
        Client().post("/", {"screen": "join", "code": code})  # a join left half-way holds the code she typed
        keys = set(LoginSession.objects.values_list("session_key", flat=True))
        assert len(keys) == 2
    with time_machine.travel(START + timedelta(minutes=survivor.idle_minutes, seconds=1), tick=False):
        assert housekeeping("expired_sessions_clear") == {"expired_sessions_clear": 1}  # her idle time is up
    with time_machine.travel(START + timedelta(hours=12, seconds=1), tick=False):
        assert housekeeping("expired_sessions_clear") == {"expired_sessions_clear": 1}  # logged out: 12 hours
        assert housekeeping("expired_sessions_clear") == {"expired_sessions_clear": 0}
    assert LoginSession.objects.count() == 0


NEW = "a-brand-new-passphrase-77"


def test_a_used_recovery_code_is_removed_and_the_others_stay(survivor):
    codes = recovery.recovery_codes_make(actor=survivor)
    assert housekeeping("used_recovery_codes_remove") == {"used_recovery_codes_remove": 0}
    recovery.recover(username="maya", code=codes[0], passphrase=NEW, passphrase_again=NEW)
    assert housekeeping("used_recovery_codes_remove") == {"used_recovery_codes_remove": 1}
    assert RecoveryCode.objects.filter(user=survivor, used_at__isnull=True).count() == 9
    assert not RecoveryCode.objects.filter(used_at__isnull=False).exists()


def test_spent_invites_go_30_days_after_they_were_spent(agency_admin, survivor):
    with time_machine.travel(START, tick=False):
        used, _code = invite_create(actor=agency_admin, role="survivor")
        Invite.objects.filter(pk=used.pk).update(used_at=START, used_by=survivor)
        unused, _code = invite_create(actor=agency_admin, role="survivor")  # out of date after 7 days
    with time_machine.travel(START + timedelta(days=30), tick=False):
        fresh, _code = invite_create(actor=agency_admin, role="advocate")
        assert housekeeping("spent_invites_remove") == {"spent_invites_remove": 0}
    with time_machine.travel(START + timedelta(days=30, seconds=1), tick=False):
        assert housekeeping("spent_invites_remove") == {"spent_invites_remove": 1}
    assert set(Invite.objects.values_list("pk", flat=True)) == {unused.pk, fresh.pk}
    with time_machine.travel(START + timedelta(days=37, seconds=1), tick=False):
        assert housekeeping("spent_invites_remove") == {"spent_invites_remove": 1}
        assert housekeeping("spent_invites_remove") == {"spent_invites_remove": 0}
    assert set(Invite.objects.values_list("pk", flat=True)) == {fresh.pk}


def test_reset_codes_go_30_days_after_they_stopped_working(survivor, agency_admin):
    with time_machine.travel(START, tick=False):
        recovery.reset_code_issue(actor=agency_admin, username="maya")  # works for 48 hours
    with time_machine.travel(START + timedelta(hours=48, days=30), tick=False):
        assert housekeeping("ended_reset_codes_remove") == {"ended_reset_codes_remove": 0}
    with time_machine.travel(START + timedelta(hours=48, days=30, seconds=1), tick=False):
        assert housekeeping("ended_reset_codes_remove") == {"ended_reset_codes_remove": 1}
        live, _code = recovery.reset_code_issue(actor=agency_admin, username="maya")
        assert housekeeping("ended_reset_codes_remove") == {"ended_reset_codes_remove": 0}
    assert list(ResetCode.objects.values_list("pk", flat=True)) == [live.pk]


def test_retry_keys_and_their_stored_answers_go_after_a_day(survivor):
    with time_machine.travel(START, tick=False):
        client = logged_in(survivor)
        made = client.post("/api/v1/goals", {"title": "Call my sister"}, content_type="application/json",
                           headers={"Idempotency-Key": "first-try"})
        assert made.status_code == 201 and IdempotencyKey.objects.filter(user=survivor).count() == 1
    with time_machine.travel(START + timedelta(hours=24), tick=False):
        assert housekeeping("expired_retry_keys_forget") == {"expired_retry_keys_forget": 0}
    with time_machine.travel(START + timedelta(hours=24, seconds=1), tick=False):
        assert housekeeping("expired_retry_keys_forget") == {"expired_retry_keys_forget": 1}
    assert not IdempotencyKey.objects.exists()


def test_a_job_that_fails_logs_no_content_and_the_others_still_run(survivor, caplog, monkeypatch):
    words = "Leave the flat on " + "Elm Street"

    def broken(*, now):
        raise ValueError(words)

    monkeypatch.setattr(goals, "deleted_goals_purge", broken)
    with caplog.at_level(logging.INFO, logger="survivor_portal.housekeeping"):
        with pytest.raises(CommandError):
            call_command("housekeeping", stdout=io.StringIO())
    assert "deleted_goals_purge failed: ValueError" in caplog.text
    assert "Elm Street" not in caplog.text
    assert run_due(names=["finished_contact_erase"]) == {"finished_contact_erase": 0}


def test_a_job_runs_only_in_the_minutes_its_clock_names():
    @job(minute="*/15")
    def quarterly_test_job(now) -> int:
        return 1

    try:
        assert "quarterly_test_job" in [j.name for j in due_jobs(START.replace(minute=30))]
        assert "quarterly_test_job" not in [j.name for j in due_jobs(START.replace(minute=31))]
        with pytest.raises(ValueError):  # two jobs of one name: the second would silently never run
            job()(_another_quarterly_test_job())
    finally:
        _JOBS.pop("quarterly_test_job", None)


def _another_quarterly_test_job():
    def quarterly_test_job(now) -> int:
        return 2

    return quarterly_test_job


def test_an_unknown_job_is_refused_and_the_list_names_each_clock():
    with pytest.raises(CommandError):
        call_command("housekeeping", "--job", "no_such_job", stdout=io.StringIO())
    out = io.StringIO()
    call_command("housekeeping", "--list", stdout=out)
    assert "deleted_goals_purge\t* * * * *" in out.getvalue()
