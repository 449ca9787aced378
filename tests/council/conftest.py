from datetime import timedelta

import pytest

from peer_support.council import services
from peer_support.council.models import Proposal
from survivor_portal import times
from tests.factories import UserFactory


@pytest.fixture
def members(council_member, northside):
    """Lin and three more council members at Northside: a council of four."""
    return [council_member] + [UserFactory(username=f"member{n}", display_name=f"M{n}", agency=northside,
                                           is_council_member=True) for n in range(3)]


def draft(author, **fields):
    return services.proposal_create(actor=author, **{
        "title": "Evening drop-in", "problem": "Days are hard for people who work.",
        "change": "Open the drop-in until 8 pm on Thursdays.", "affects": "Everyone who uses the drop-in", **fields})


def in_voting(author, days=5):
    proposal = draft(author, open_now=True)
    return services.voting_open(actor=author, proposal_id=proposal.pk,
                                closes_on=times.today_in(author.agency) + timedelta(days=days))


def close_now(proposal):
    """Move the closing time into the past; the next read fixes the result."""
    from django.utils import timezone

    Proposal.objects.filter(pk=proposal.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    proposal.refresh_from_db()
    return services.settle(proposal)
