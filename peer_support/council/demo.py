"""Demo council: Lin has one proposal in discussion and one that passed and was answered;
Maya has sent an idea."""

from datetime import timedelta

from django.utils import timezone

from peer_support.council import services
from peer_support.council.models import Idea, Proposal
from survivor_portal.accounts.models import User
from survivor_portal import times


def seed_council(**_kwargs) -> None:
    lin = User.objects.get(username="demo_council")
    if Proposal.objects.filter(author=lin).exists():
        return
    maya = User.objects.get(username="demo_survivor")
    alex = User.objects.get(username="demo_admin")
    idea = services.idea_send(actor=maya, text="Could the drop-in stay open later on Thursdays? Many of us work days.")
    passed = services.proposal_create(
        actor=lin, idea_id=idea.pk, open_now=True, title="Evening drop-in on Thursdays",
        problem="People who work during the day cannot reach the drop-in.",
        change="Keep the drop-in open until 8 pm on Thursdays.", affects="Everyone who uses the drop-in")
    services.voting_open(actor=lin, proposal_id=passed.pk, closes_on=times.today_in(lin.agency) + timedelta(days=3))
    services.vote_cast(actor=lin, proposal_id=passed.pk, choice="agree")
    Proposal.objects.filter(pk=passed.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    services.settle(Proposal.objects.get(pk=passed.pk))
    services.answer_record(actor=alex, proposal_id=passed.pk, answer="with_changes",
                           reasons="Yes, until 7 pm for now: that is when the last bus leaves. We will look again in spring.")
    services.update_add(actor=alex, proposal_id=passed.pk, text="Two staff have agreed to the Thursday evening rota.")
    services.proposal_create(
        actor=lin, open_now=True, title="Childcare during groups",
        problem="Some of us cannot come to groups because we have no one to mind the children.",
        change="Offer a play corner with a volunteer during the Tuesday group.", affects="Parents who come to groups")
