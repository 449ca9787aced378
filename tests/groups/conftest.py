import pytest

from peer_support.groups import services
from tests.factories import UserFactory


@pytest.fixture
def circle(agency_admin, mentor, survivor):
    """Tuesday circle at Northside: Rosa mentors it, Maya is a member."""
    group = services.group_create(actor=agency_admin, name="Tuesday circle", purpose="Talking things through",
                                  agreement="We keep what is said here. We are kind.")
    services.mentor_appoint(actor=agency_admin, group_id=group.pk, username="rosa")
    services.join(actor=survivor, group_id=group.pk, alias="Blue Lake", agreed=True)
    return group


@pytest.fixture
def others(circle, northside):
    """Three more members."""
    people = []
    for n in range(3):
        person = UserFactory(username=f"peer{n}", display_name=f"P{n}", agency=northside)
        services.join(actor=person, group_id=circle.pk, alias=f"Kite {n}", agreed=True)
        people.append(person)
    return people
