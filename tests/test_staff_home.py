"""Staff home: today's meetings, people newly sharing, sharing that ends soon, and (for
admins) council proposals waiting for an answer. Each only what that person may already
see on her other pages; a withheld or never-share grant never shows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from peer_support.council import services as council
from survivor_portal.consent import services as consent
from survivor_portal.consent.models import AccessEvent, ConsentGrant
from survivor_portal.scheduling.models import Appointment, Slot
from tests.conftest import logged_in
from tests.council.conftest import close_now, in_voting, members  # noqa: F401  (a fixture)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _meeting_now(advocate, survivor):
    """A meeting under way (so it is today on any clock at any hour the test runs)."""
    starts = timezone.now() - timedelta(minutes=1)
    slot = Slot.objects.create(advocate=advocate, agency=advocate.agency, starts_at=starts, ends_at=starts + timedelta(minutes=30))
    return Appointment.objects.create(slot=slot, survivor=survivor, advocate=advocate, agency=advocate.agency)


def test_an_advocate_sees_her_day_and_who_newly_shares(survivor, advocate, northside):
    grant = consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["appointments", "display_name"])
    ConsentGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() + timedelta(days=5))
    _meeting_now(advocate, survivor)
    quiet = UserFactory(username="quiet", display_name="Quietname", agency=northside)
    consent.consent_grant(actor=quiet, agency_id=northside.pk, scopes=["goals"])
    page = logged_in(advocate).get("/").content.decode()
    today = page[page.index("Today"):page.index("Sharing with your agency")]
    assert "Maya" in today and "No meetings today." not in today
    news = page[page.index("Started sharing this week:"):]
    assert "Maya" in news and f"Person {quiet.pk} (no name shared)" in news and "Quietname" not in page
    assert "Sharing that ends within a week:" in page  # Maya's five days
    assert "Survivor council" not in page  # proposals are for the council and admins
    assert AccessEvent.objects.filter(survivor=survivor, actor=advocate).exists()  # reading her name is a look


def test_withheld_never_share_and_other_agencies_never_show(survivor, advocate, other_advocate, agency_admin, northside,
                                                             eastbridge):
    consent.never_share_set(actor=survivor, agency_id=northside.pk, never=True)
    withheld = consent.consent_record_for(actor=agency_admin, username="maya", scopes=["display_name"])
    assert ConsentGrant.objects.get(pk=withheld.pk).withheld
    other = UserFactory(username="eve", display_name="Evename", agency=northside)
    consent.consent_grant(actor=other, agency_id=eastbridge.pk, scopes=["display_name", "appointments"])
    for staff in (advocate, agency_admin, other_advocate):
        page = logged_in(staff).get("/").content.decode()
        assert "Maya" not in page and f"Person {survivor.pk}" not in page
        assert ("Evename" in page) == (staff == other_advocate)
    assert not AccessEvent.objects.filter(survivor=survivor).exists()


def test_a_meeting_with_someone_who_stopped_sharing_shows_no_name(survivor, advocate, agency_admin, northside):
    grant = consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["appointments", "display_name"])
    _meeting_now(advocate, survivor)
    consent.consent_withdraw(actor=survivor, grant_id=grant.pk)
    page = logged_in(advocate).get("/").content.decode()
    assert "Maya" not in page and "Booked (not shared with your agency)" in page
    assert "No meetings today." in logged_in(agency_admin).get("/").content.decode()  # her own meetings only


def test_an_admin_sees_proposals_waiting_for_an_answer_and_answered(members, agency_admin, advocate):
    waiting, answered = in_voting(members[0]), in_voting(members[0])
    for proposal in (waiting, answered):
        for member in members:
            council.vote_cast(actor=member, proposal_id=proposal.pk, choice="agree")
        close_now(proposal)
    council.answer_record(actor=agency_admin, proposal_id=answered.pk, answer="accepted", reasons="Yes")
    page = logged_in(agency_admin).get("/").content.decode()
    assert "1 proposal waits for your answer:" in page and f"/council/proposals/{waiting.pk}" in page
    assert "Answered in the last two weeks:" in page and f"/council/proposals/{answered.pk}" in page
    advocates = logged_in(advocate).get("/").content.decode()
    assert f"/council/proposals/{waiting.pk}" not in advocates and "waits for your answer" not in advocates


def test_survivors_home_is_unchanged(as_survivor):
    page = as_survivor.get("/").content.decode()
    assert "Sharing with your agency" not in page and "Started sharing this week" not in page


def test_the_api_gives_the_same_news(survivor, advocate, other_advocate, northside):
    old = UserFactory(username="old", display_name="Oldname", agency=northside)
    grant = consent.consent_grant(actor=old, agency_id=northside.pk, scopes=["display_name"])
    ConsentGrant.objects.filter(pk=grant.pk).update(starts_at=timezone.now() - timedelta(days=20))
    consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["display_name"])
    news = logged_in(advocate).get("/api/v1/agency/survivors?news_days=7").json()
    assert [(p["name"], p["new"]) for p in news] == [("Maya", True)]
    assert len(logged_in(advocate).get("/api/v1/agency/survivors").json()) == 2
    assert logged_in(advocate).get("/api/v1/agency/survivors?news_days=0").status_code == 422
    assert logged_in(other_advocate).get("/api/v1/agency/survivors?news_days=7").json() == []
