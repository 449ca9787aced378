"""`seed_demo` loads what each issue promises, runs twice without change, and refuses a real database."""

import io
import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from peer_support.council.models import AgencyResponse, Proposal
from peer_support.groups.models import Membership, PeerGroup
from survivor_portal.accounts.models import User
from survivor_portal.consent.models import ConsentGrant
from survivor_portal import times
from survivor_portal.scheduling.models import Appointment, Slot
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def test_the_demo_is_what_the_readme_says_and_idempotent():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    maya = User.objects.get(username="demo_survivor")
    [grant] = ConsentGrant.objects.filter(survivor=maya)
    assert grant.agency.name == "Northside Shelter" and grant.goal_categories == ["housing", "safety"]
    assert (grant.expires_at - grant.starts_at).days == 90 and grant.share_appointments
    sam = User.objects.get(username="demo_advocate")
    slots = Slot.objects.filter(advocate=sam, starts_at__gt=timezone.now())
    days = {times.local(s.starts_at, sam.agency).date() for s in slots}
    assert slots.count() >= 30 and all(day.weekday() < 5 for day in days)
    assert max(days) <= times.today_in(sam.agency) + timezone.timedelta(days=15)
    assert Appointment.objects.filter(survivor=maya, status="booked").count() == 1
    lin = User.objects.get(username="demo_council")
    assert sorted(Proposal.objects.filter(author=lin).values_list("status", flat=True)) == ["discussion", "passed"]
    assert AgencyResponse.objects.filter(proposal__author=lin).count() == 1
    circle = PeerGroup.objects.get(name="Tuesday circle")
    roles = dict(Membership.objects.filter(group=circle).values_list("user__username", "role"))
    assert roles["demo_mentor"] == "mentor" and roles["demo_survivor"] == "member"
    assert circle.posts.count() >= 3 and circle.agenda.count() >= 2
    from survivor_portal.outreach.selectors import alerts_for

    alex = User.objects.get(username="demo_admin")
    assert [c.place for c in alerts_for(viewer=alex)] == ["Home visit, north side"]  # Sam is overdue
    assert alex.check_ins.get().ended_at is not None


def test_it_refuses_a_database_with_real_people():
    UserFactory(username="someone_real")
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=open("/dev/null", "w"))


def test_demo_staff_get_a_160_bit_key_and_demo_code_prints_their_current_code(settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.conftest import totp_code

    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    alex = User.objects.get(username="demo_admin")
    assert len(TOTPDevice.objects.get(user=alex).bin_key) * 8 >= 160
    for who in ["alex", "demo_admin", "Alex"]:
        out = io.StringIO()
        call_command("demo_code", who, stdout=out)
        assert out.getvalue().strip() == totp_code(alex)


def test_demo_code_refuses_outside_development(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    settings.DEBUG = False
    out = io.StringIO()
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("demo_code", "alex", stdout=out)
    assert out.getvalue() == ""


def test_demo_code_refuses_anyone_who_is_not_demo_staff(settings):
    from tests.factories import StaffFactory

    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    StaffFactory(username="sam_real")  # a real person's key is never printed, even in development
    for who in ["sam_real", "nobody", "maya", "demo_survivor"]:
        out = io.StringIO()
        with pytest.raises(CommandError):
            call_command("demo_code", who, stdout=out)
        assert out.getvalue() == ""


def test_make_run_serves_on_the_port_asked_for_with_the_housekeeping_worker_beside_it():
    def run_line(*args: str) -> str:
        dry = subprocess.run(["make", "-n", "run", *args], cwd=ROOT, capture_output=True, text=True, check=True)
        return next(line for line in dry.stdout.replace("\\\n", " ").splitlines() if "runserver" in line)

    assert re.search(r"runserver 127\.0\.0\.1:8000\b", run_line())
    assert re.search(r"runserver 127\.0\.0\.1:8123\b", run_line("PORT=8123"))
    assert "manage.py housekeeping --loop &" in run_line()  # one recipe line: the worker stops with the server


def test_the_readme_points_only_inside_the_repository_and_needs_no_extra_tools():
    readme = (ROOT / "README.md").read_text()
    for target in re.findall(r"\]\(([^)]+)\)", readme):
        assert target.startswith("https://") or (ROOT / target).resolve().is_relative_to(ROOT), target
        assert target.startswith("https://") or (ROOT / target).exists(), target
    assert "../" not in readme and "/work/" not in readme and "oathtool" not in readme
    assert "demo_code" in readme
