"""Agency admins make peer mentors and council members, see who mentors each group and end
someone's mentoring, by page and by API; every other persona is refused."""

import json

import pytest

from peer_support.council import services as council
from peer_support.groups import selectors, services
from peer_support.groups.models import Membership, ModerationAction
from survivor_portal.accounts.models import User
from survivor_portal.errors import Conflict, Invalid, NotFound
from tests.conftest import logged_in
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def send(client, method, path, body=None):
    if method == "get":
        return client.get(path)
    return getattr(client, method)(path, json.dumps(body or {}), content_type="application/json")


def test_an_admin_makes_a_peer_mentor_appoints_her_and_ends_it(agency_admin, survivor, circle, mentor):
    services.peer_mentor_make(actor=agency_admin, username=" MAYA ")
    with pytest.raises(Conflict) as again:
        services.peer_mentor_make(actor=agency_admin, username="maya")
    assert again.value.message == "Maya is already a peer mentor."
    found = services.mentor_appoint(actor=agency_admin, group_id=circle.pk, username="maya")
    assert found.alias == "Blue Lake"  # already a member: she keeps her name
    with pytest.raises(Conflict) as twice:
        services.mentor_appoint(actor=agency_admin, group_id=circle.pk, username="maya")
    assert "already mentors this group" in twice.value.message
    assert {m.user_id for m in selectors.group_mentors(viewer=agency_admin)[circle.pk]} == {mentor.pk, survivor.pk}
    services.mentor_step_down(actor=agency_admin, group_id=circle.pk, membership_id=found.pk)
    assert Membership.objects.get(pk=found.pk).role == "member" and Membership.objects.get(pk=found.pk).state == "active"
    services.peer_mentor_stop(actor=agency_admin, user_id=mentor.pk)
    assert not User.objects.get(pk=mentor.pk).is_peer_mentor
    assert Membership.objects.get(user=mentor).role == "member"
    assert ModerationAction.objects.filter(kind="step_down").count() == 2


def test_only_the_agencys_own_survivors_can_be_given_a_role(agency_admin, advocate, other_advocate, eastbridge):
    UserFactory(username="far", agency=eastbridge)
    for username in ("far", "sam", "nobody", "bad\x00name"):
        with pytest.raises(Invalid):
            services.peer_mentor_make(actor=agency_admin, username=username)
        with pytest.raises(Invalid):
            council.council_member_make(actor=agency_admin, username=username)


def test_council_members_are_added_and_leave(agency_admin, survivor, council_member):
    council.council_member_make(actor=agency_admin, username="maya")
    with pytest.raises(Conflict) as again:
        council.council_member_make(actor=agency_admin, username="maya")
    assert again.value.message == "Maya is already on the council."
    council.council_member_stop(actor=agency_admin, user_id=council_member.pk)
    assert not User.objects.get(pk=council_member.pk).is_council_member
    with pytest.raises(NotFound):
        council.council_member_stop(actor=agency_admin, user_id=council_member.pk)


def test_every_other_persona_is_refused(circle, survivor, mentor, council_member, advocate, other_advocate, agency_admin,
                                        eastbridge):
    rosa = Membership.objects.get(user=mentor)
    other_admin = StaffFactory(username="erin", agency=eastbridge, role=User.Role.AGENCY_ADMIN)
    for someone in (survivor, mentor, council_member, advocate, other_advocate, other_admin):
        with pytest.raises(NotFound):
            services.peer_mentor_stop(actor=someone, user_id=mentor.pk)
        with pytest.raises(NotFound):
            council.council_member_stop(actor=someone, user_id=council_member.pk)
        with pytest.raises(NotFound):
            services.mentor_step_down(actor=someone, group_id=circle.pk, membership_id=rosa.pk)
        client = logged_in(someone)
        pages = [("/groups/peer-mentors", {"username": "maya"}), (f"/groups/peer-mentors/{mentor.pk}/stop", {}),
                 (f"/groups/{circle.pk}/mentors", {"username": "rosa"}),
                 (f"/groups/{circle.pk}/mentors/{rosa.pk}/step-down", {}),
                 ("/council/members", {"username": "maya"}), (f"/council/members/{council_member.pk}/stop", {})]
        for path, body in pages:
            answer = client.post(path, body)
            # An admin elsewhere may name people, but finds nobody of Northside's: told so, nothing changes.
            assert answer.status_code == 404 or (someone == other_admin and "username" in body and answer.status_code == 302)
        calls = [("get", "/api/v1/groups/peer-mentors", None), ("post", "/api/v1/groups/peer-mentors", {"username": "maya"}),
                 ("delete", f"/api/v1/groups/peer-mentors/{mentor.pk}", None),
                 ("get", f"/api/v1/groups/{circle.pk}/mentors", None),
                 ("post", f"/api/v1/groups/{circle.pk}/mentors", {"username": "rosa"}),
                 ("delete", f"/api/v1/groups/{circle.pk}/mentors/{rosa.pk}", None),
                 ("get", "/api/v1/council/members", None), ("post", "/api/v1/council/members", {"username": "maya"}),
                 ("delete", f"/api/v1/council/members/{council_member.pk}", None)]
        for method, path, body in calls:
            answer = send(client, method, path, body)
            assert answer.status_code == 404 or (someone == other_admin and (
                (body and answer.status_code == 422) or (method == "get" and answer.json() == []))), (someone, path)
    assert User.objects.get(pk=mentor.pk).is_peer_mentor and User.objects.get(pk=council_member.pk).is_council_member
    assert Membership.objects.get(pk=rosa.pk).is_mentor and not User.objects.get(pk=survivor.pk).is_peer_mentor


def test_the_admin_does_it_all_through_the_api(as_admin, circle, survivor, mentor):
    made = send(as_admin, "post", "/api/v1/groups/peer-mentors", {"username": "maya"})
    assert made.status_code == 201 and made.json()["username"] == "maya"
    again = send(as_admin, "post", "/api/v1/groups/peer-mentors", {"username": "maya"})
    assert again.status_code == 409 and again.json()["code"] == "already"
    assert [p["username"] for p in as_admin.get("/api/v1/groups/peer-mentors").json()] == ["maya", "rosa"]
    appointed = send(as_admin, "post", f"/api/v1/groups/{circle.pk}/mentors", {"username": "maya"})
    assert appointed.status_code == 201 and appointed.json()["alias"] == "Blue Lake"
    assert send(as_admin, "post", f"/api/v1/groups/{circle.pk}/mentors", {"username": "maya"}).status_code == 409
    listed = as_admin.get(f"/api/v1/groups/{circle.pk}/mentors").json()
    assert {m["display_name"] for m in listed} == {"Maya", "Rosa"}
    gone = send(as_admin, "delete", f"/api/v1/groups/{circle.pk}/mentors/{appointed.json()['membership_id']}")
    assert gone.status_code == 204 and len(as_admin.get(f"/api/v1/groups/{circle.pk}/mentors").json()) == 1
    assert send(as_admin, "post", "/api/v1/council/members", {"username": "maya"}).status_code == 201
    assert send(as_admin, "post", "/api/v1/council/members", {"username": "maya"}).status_code == 409
    assert send(as_admin, "post", "/api/v1/council/members", {"username": "nobody"}).status_code == 422
    assert send(as_admin, "delete", f"/api/v1/council/members/{survivor.pk}").status_code == 204


def test_the_admins_pages_show_who_mentors_and_say_when_it_already_is(as_admin, circle, mentor):
    page = as_admin.get("/groups").content.decode()
    rosa = Membership.objects.get(user=mentor)
    assert "Peer mentors at your agency" in page and f"{rosa.alias} (Rosa)" in page
    answer = as_admin.post(f"/groups/{circle.pk}/mentors", {"username": "rosa"}, follow=True).content.decode()
    assert f"Rosa already mentors this group, as “{rosa.alias}”." in answer
    answer = as_admin.post("/groups/peer-mentors", {"username": "rosa"}, follow=True).content.decode()
    assert "Rosa is already a peer mentor." in answer
    answer = as_admin.post("/council/members", {"username": "rosa"}, follow=True).content.decode()
    assert "Rosa is now on the council." in answer and "Council members" in answer
