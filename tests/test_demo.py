"""`seed_demo` loads what each issue promises, runs twice without change, and refuses a real database."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from peer_support.council.models import AgencyResponse, Proposal
from peer_support.groups.models import Membership, PeerGroup
from survivor_portal.accounts.models import User
from survivor_portal.consent.models import ConsentGrant
from survivor_portal.scheduling import times
from survivor_portal.scheduling.models import Appointment, Slot
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


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


def test_it_refuses_a_database_with_real_people():
    UserFactory(username="someone_real")
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=open("/dev/null", "w"))
