"""Demo group: "Tuesday circle", with demo_mentor as its peer mentor and demo_survivor as a
member, a few posts and agenda items, and a mentor's private check-in with demo_survivor."""

from datetime import time, timedelta

from peer_support.groups import services
from peer_support.groups.models import PeerGroup
from survivor_portal.accounts.models import User
from survivor_portal import times


def seed_groups(*, agencies, **_kwargs) -> None:
    alex = User.objects.get(username="demo_admin")
    if PeerGroup.objects.filter(agency=alex.agency, name="Tuesday circle").exists():
        return
    rosa = User.objects.get(username="demo_mentor")
    maya = User.objects.get(username="demo_survivor")
    lin = User.objects.get(username="demo_council")
    circle = services.group_create(
        actor=alex, name="Tuesday circle", purpose="A calm space to talk about the week and what helps.",
        agreement="What is said here stays here.\nWe use group names only.\nWe listen without judging.\n"
                  "We do not give advice unless someone asks.\nIf you are in danger, call the help line below.")
    # She joins under the name she chose, then is appointed, which keeps it (a name suggested at
    # random could be one the demo gives a member below).
    services.join(actor=rosa, group_id=circle.pk, alias="Steady Willow", agreed=True)
    services.mentor_appoint(actor=alex, group_id=circle.pk, username="demo_mentor")
    services.join(actor=maya, group_id=circle.pk, alias="Blue Lake", agreed=True)
    services.join(actor=lin, group_id=circle.pk, alias="Warm Pebble", agreed=True)
    hello = services.post_create(actor=rosa, group_id=circle.pk,
                                 body="Welcome, everyone. How was your week? Share as much or as little as you like.")
    better = services.post_create(actor=maya, group_id=circle.pk, parent_id=hello.pk,
                                  body="Better than last week. I slept a little more.")
    services.post_create(actor=lin, group_id=circle.pk, content_warning="mentions a difficult memory",
                         body="Something on the bus reminded me of a bad time. Breathing slowly helped.")
    # Lin is quietly worried about Maya; Rosa, the mentor, checks in privately (Maya sees it unread).
    services.worry(actor=lin, post_id=better.pk)
    services.check_in_start(actor=rosa, group_id=circle.pk, post_id=better.pk,
                            body="Hi, it is Steady Willow. I wanted to see how you are doing this week. "
                                 "No need to answer; I am here if you want to talk.")
    services.agenda_add(actor=maya, group_id=circle.pk, text="Sleeping better")
    item = services.agenda_add(actor=lin, group_id=circle.pk, text="Filling in housing forms together")
    services.support(actor=maya, item_id=item.pk)
    next_tuesday = times.today_in(alex.agency) + timedelta(days=(1 - times.today_in(alex.agency).weekday()) % 7 or 7)
    services.meeting_set(actor=rosa, group_id=circle.pk, place_label="Community room, ground floor",
                         starts_at=times.at(next_tuesday, time(18), alex.agency))
