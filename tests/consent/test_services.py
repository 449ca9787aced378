from datetime import timedelta

import pytest
from django.utils import timezone

from survivor_portal.consent import selectors, services
from survivor_portal.consent.models import AccessEvent, ConsentGrant
from survivor_portal.errors import Invalid, NotFound
from survivor_portal.goals import services as goal_services


@pytest.fixture
def her_goals(survivor):
    make = goal_services.goal_create
    return {
        "housing": make(actor=survivor, title="Find a flat", category="housing"),
        "safety": make(actor=survivor, title="Safety plan", category="safety"),
        "legal": make(actor=survivor, title="Get my papers", category="legal"),
    }


def share(survivor, agency, **choices):
    return services.consent_grant(actor=survivor, agency_id=agency.pk, **{"scopes": ["goals", "display_name"], **choices})


def test_the_sentence_she_confirms_is_plain_and_kept(survivor, northside, her_goals):
    grant = share(survivor, northside, goal_scope="categories", categories=["housing"], days=90)
    assert grant.notice_text.startswith("Northside Shelter will be able to see your housing goals and the name you use here until ")
    assert grant.notice_text.endswith(".") and "stop" not in grant.notice_text  # said beside it: a receipt outlives the sharing
    assert grant.notice_language == "en"
    assert (grant.expires_at - grant.starts_at) == timedelta(days=90)


@pytest.mark.parametrize("bad", [
    {"scopes": []}, {"scopes": ["diary"]}, {"days": 7}, {"days": 0}, {"purpose": "bribe"},
    {"goal_scope": "categories", "categories": []}, {"goal_scope": "categories", "categories": ["crime"]},
    {"goal_scope": "chosen", "goal_ids": []}, {"goal_scope": "everything"},
])
def test_bad_choices_share_nothing(survivor, northside, bad):
    with pytest.raises(Invalid):
        share(survivor, northside, **bad)
    assert not ConsentGrant.objects.exists()


def test_she_can_only_choose_her_own_goals(survivor, mentor, northside, her_goals):
    theirs = goal_services.goal_create(actor=mentor, title="Not hers")
    with pytest.raises(Invalid):
        share(survivor, northside, goal_scope="chosen", goal_ids=[her_goals["legal"].pk, theirs.pk])


def test_a_change_writes_a_new_grant_and_keeps_the_old_as_a_receipt(survivor, northside, her_goals):
    first = share(survivor, northside, goal_scope="all")
    second = share(survivor, northside, goal_scope="categories", categories=["safety"])
    first.refresh_from_db()
    assert first.state == "changed" and first.ended_at and second.supersedes == first
    assert second.is_active() and ConsentGrant.objects.count() == 2


def test_withdraw_ends_it_and_only_hers(survivor, mentor, northside, her_goals):
    grant = share(survivor, northside)
    with pytest.raises(NotFound):
        services.consent_withdraw(actor=mentor, grant_id=grant.pk)
    services.consent_withdraw(actor=survivor, grant_id=grant.pk)
    grant.refresh_from_db()
    assert grant.state == "withdrawn"
    with pytest.raises(NotFound):
        services.consent_withdraw(actor=survivor, grant_id=grant.pk)


def test_staff_cannot_grant_for_her(advocate, northside):
    with pytest.raises(NotFound):
        services.consent_grant(actor=advocate, agency_id=northside.pk, scopes=["display_name"])


def reader(user):
    return selectors.Reader.staff(user, via="page")


def titles(goals):
    return [goal.title for goal in goals]


def test_the_permission_table(survivor, advocate, other_advocate, northside, her_goals):
    """Who sees what, through the selectors every page and endpoint uses."""
    # No grant: nobody at any agency sees anything.
    for staff in (advocate, other_advocate):
        assert selectors.people_sharing_with(reader=reader(staff)) == []
        with pytest.raises(NotFound):
            selectors.shared_goals_of(reader=reader(staff), survivor_id=survivor.pk)
    # Category filter.
    grant = share(survivor, northside, goal_scope="categories", categories=["housing", "safety"])
    assert titles(selectors.shared_goals_of(reader=reader(advocate), survivor_id=survivor.pk)) == ["Find a flat", "Safety plan"]
    with pytest.raises(NotFound):
        selectors.shared_goals_of(reader=reader(other_advocate), survivor_id=survivor.pk)
    # Chosen-goals filter, in her order.
    goal_services.goals_reorder(actor=survivor, ids=[her_goals[k].pk for k in ("legal", "safety", "housing")])
    share(survivor, northside, goal_scope="chosen", goal_ids=[her_goals["housing"].pk, her_goals["legal"].pk])
    assert titles(selectors.shared_goals_of(reader=reader(advocate), survivor_id=survivor.pk)) == ["Get my papers", "Find a flat"]
    # Private beats shared.
    goal_services.goal_update(actor=survivor, goal_id=her_goals["legal"].pk, keep_private=True)
    assert titles(selectors.shared_goals_of(reader=reader(advocate), survivor_id=survivor.pk)) == ["Find a flat"]
    # Withdrawn: refused on the very next read.
    services.consent_withdraw(actor=survivor, grant_id=ConsentGrant.objects.get(ended_at__isnull=True).pk)
    with pytest.raises(NotFound):
        selectors.shared_goals_of(reader=reader(advocate), survivor_id=survivor.pk)
    assert selectors.people_sharing_with(reader=reader(advocate)) == []
    # Expired: stops on its own.
    expired = share(survivor, northside)
    ConsentGrant.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(NotFound):
        selectors.shared_goals_of(reader=reader(advocate), survivor_id=survivor.pk)
    # Survivors and mentors are not readers at all.
    with pytest.raises(NotFound):
        selectors.Reader.staff(survivor, via="page")
    grant.refresh_from_db()
    assert grant.state == "changed"


def test_every_staff_read_writes_exactly_one_record(survivor, advocate, northside, her_goals):
    share(survivor, northside, goal_scope="categories", categories=["housing"])
    selectors.shared_goals_of(reader=reader(advocate), survivor_id=survivor.pk)
    assert AccessEvent.objects.count() == 1
    event = AccessEvent.objects.get()
    assert (event.actor, event.agency, event.what, event.via) == (advocate, northside, "goals:categories:housing", "page")
    assert selectors.look_sentence(event) == "Sam at Northside Shelter saw your housing goals"
    selectors.people_sharing_with(reader=reader(advocate))
    assert AccessEvent.objects.count() == 2


def test_a_refused_read_records_nothing(survivor, other_advocate, northside, her_goals):
    share(survivor, northside)
    with pytest.raises(NotFound):
        selectors.shared_goals_of(reader=reader(other_advocate), survivor_id=survivor.pk)
    assert not AccessEvent.objects.exists()


def test_grants_ending_within_a_week_are_offered_for_renewal(survivor, northside, her_goals):
    grant = share(survivor, northside, days=30)
    assert selectors.ending_soon(viewer=survivor) == []
    ConsentGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() + timedelta(days=6))
    assert [g.pk for g in selectors.ending_soon(viewer=survivor)] == [grant.pk]


def test_the_permission_table_for_appointments(survivor, advocate, other_advocate, northside):
    """Her appointments with an agency are seen only while she shares them with it."""
    from survivor_portal.scheduling import selectors as meetings
    from survivor_portal.scheduling import services as scheduling

    def seen(staff):
        return [e.appointment.pk for e in meetings.shared_appointments_of(reader=reader(staff), survivor_id=survivor.pk)]

    starts = timezone.now() + timedelta(days=1)
    slot = scheduling.slot_create(actor=advocate, starts_at=starts, ends_at=starts + timedelta(minutes=30))
    for staff in (advocate, other_advocate):  # no grant at all
        with pytest.raises(NotFound):
            seen(staff)
    share(survivor, northside, scopes=["goals"])  # goals only
    with pytest.raises(NotFound):
        seen(advocate)
    grant = share(survivor, northside, scopes=["appointments"])
    booked = scheduling.appointment_book(actor=survivor, slot_id=slot.pk)
    assert seen(advocate) == [booked.pk]
    with pytest.raises(NotFound):
        seen(other_advocate)
    assert selectors.look_sentence(AccessEvent.objects.get()) == "Sam at Northside Shelter saw your appointments with them"
    services.consent_withdraw(actor=survivor, grant_id=grant.pk)
    with pytest.raises(NotFound):
        seen(advocate)
    expired = share(survivor, northside, scopes=["appointments"])
    ConsentGrant.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(NotFound):
        seen(advocate)
    assert AccessEvent.objects.count() == 1
