"""Her data: everything exported; deletion leaves nothing pointing to her, tells others what
they need to know, and is one transaction."""

import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from survivor_portal.accounts.login_sessions import LoginSession as Session
from django.utils import timezone

from peer_support.council import services as council
from peer_support.groups import services as groups
from peer_support.groups.models import Post
from survivor_portal import times
from survivor_portal.accounts import her_data
from survivor_portal.consent import services as consent
from survivor_portal.consent.models import ConsentGrant
from survivor_portal.consent.selectors import Reader, people_sharing_with
from survivor_portal.errors import Invalid, NotFound
from survivor_portal.goals import services as goals
from survivor_portal.scheduling import selectors as meetings
from survivor_portal.scheduling import services as scheduling
from survivor_portal.scheduling.models import Appointment
from tests.conftest import logged_in
from tests.factories import PASSPHRASE, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def her_life(survivor, advocate, agency_admin, mentor, northside):
    """Maya with something of everything."""
    goal = goals.goal_create(actor=survivor, title="Find a flat", category="housing")
    goals.step_create(actor=survivor, goal_id=goal.pk, text="Call the council")
    consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["goals", "appointments", "display_name"])
    people_sharing_with(reader=Reader.staff(advocate, via="page"))
    consent.disclosure_record(actor=advocate, username="maya", shared_what="a", with_whom="b", why="c")
    starts = timezone.now() + timedelta(days=1)
    slot = scheduling.slot_create(actor=advocate, starts_at=starts, ends_at=starts + timedelta(minutes=30))
    scheduling.appointment_book(actor=survivor, slot_id=slot.pk, contact="call_me", phone="555 0100 22")
    scheduling.prefs_set(actor=survivor, code_word="bluebird")
    group = groups.group_create(actor=agency_admin, name="Circle", purpose="p", agreement="a")
    groups.mentor_appoint(actor=agency_admin, group_id=group.pk, username="rosa")
    groups.join(actor=survivor, group_id=group.pk, alias="Blue Lake", agreed=True)
    post = groups.post_create(actor=survivor, group_id=group.pk, body="Hello all")
    groups.post_create(actor=mentor, group_id=group.pk, body="Welcome", parent_id=post.pk)
    groups.agenda_add(actor=survivor, group_id=group.pk, text="Sleep")
    lin = UserFactory(username="lin", display_name="Lin", agency=northside, is_council_member=True)
    survivor.is_council_member = True
    survivor.save()
    proposal = council.proposal_create(actor=survivor, open_now=True, title="Evening hours", problem="p", change="c", affects="a")
    council.comment_add(actor=lin, proposal_id=proposal.pk, body="Yes")
    council.comment_add(actor=survivor, proposal_id=proposal.pk, body="Thanks")
    council.idea_send(actor=survivor, text="Bus passes", signed=True)
    return {"group": group, "post": post, "proposal": proposal, "slot": slot}


def test_the_export_holds_everything(survivor, her_life):
    data = her_data.export_for(viewer=survivor)
    assert data["goals"][0]["steps"] == [{"text": "Call the council", "done": False}]
    assert data["sharing"][0]["agency"] == "Northside Shelter" and data["who_has_looked"]
    assert data["disclosure_notices"] and data["appointments"][0]["with"] == "Sam"
    assert data["groups"][0]["alias"] == "Blue Lake" and data["groups"][0]["posts"][0]["text"] == "Hello all"
    assert data["groups"][0]["agenda_items"] == ["Sleep"]
    assert data["council"]["ideas"][0]["text"] == "Bus passes" and data["council"]["proposals"][0]["title"] == "Evening hours"
    assert data["meeting_preferences"]["code_word"] == "bluebird"


def test_the_export_downloads(as_survivor, her_life, as_advocate):
    as_json = as_survivor.get("/download/export.json")
    assert "attachment" in as_json["Content-Disposition"] and json.loads(as_json.content)["profile"]["username"] == "maya"
    page = as_survivor.get("/download/export.html")
    assert b"Find a flat" in page.content and "no-store" in page["Cache-Control"]
    assert as_survivor.get("/api/v1/me/export").json()["goals"][0]["title"] == "Find a flat"
    assert as_advocate.get("/download/export.json").status_code == 404
    assert as_advocate.get("/api/v1/me/export").status_code == 404


def _references_to(pk: int) -> list[str]:
    user_model = get_user_model()
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if getattr(field, "many_to_one", False) or getattr(field, "one_to_one", False):
                if field.concrete and field.related_model is user_model and model.objects.filter(**{field.name: pk}).exists():
                    found.append(f"{model.__name__}.{field.name}")
    found += ["Session" for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(pk)]
    return found


@pytest.mark.parametrize("posts", ["delete", "keep"])
def test_deletion_leaves_nothing_pointing_to_her(survivor, advocate, her_life, posts):
    logged_in(survivor)  # a session on another device
    pk = survivor.pk
    her_data.account_delete(actor=survivor, passphrase=PASSPHRASE, posts=posts)
    assert _references_to(pk) == []
    assert not get_user_model().objects.filter(pk=pk).exists()
    [meeting] = meetings.agenda(reader=Reader.staff(advocate, via="page"))
    assert meeting.appointment.status == "cancelled" and "account was closed" in meeting.label
    assert meeting.appointment.phone == ""
    post = Post.objects.get(pk=her_life["post"].pk)
    assert post.alias == "Former member" and (post.body == "Hello all") == (posts == "keep")
    assert Post.objects.filter(parent=post).count() == 1  # replies others wrote stay
    assert people_sharing_with(reader=Reader.staff(advocate, via="page")) == []
    assert [c.author_label for c in her_life["proposal"].comments.all()] == ["Lin", "Former council member"]


def test_deletion_is_one_transaction(survivor, her_life, monkeypatch):
    def fail(self, *args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(get_user_model(), "delete", fail)
    with pytest.raises(RuntimeError):
        her_data.account_delete(actor=survivor, passphrase=PASSPHRASE, posts="delete")
    assert ConsentGrant.objects.get(survivor=survivor).ended_at is None
    assert Appointment.objects.get(survivor=survivor).status == "booked"
    assert Post.objects.get(pk=her_life["post"].pk).body == "Hello all"


def test_a_wrong_passphrase_deletes_nothing(as_survivor, survivor, her_life):
    page = as_survivor.post("/account/delete", {"passphrase": "not it", "posts": "delete"}).content.decode()
    assert "That passphrase is not right. Nothing was deleted." in page
    with pytest.raises(Invalid):
        her_data.account_delete(actor=survivor, passphrase="nope")
    assert get_user_model().objects.filter(pk=survivor.pk).exists()


def test_deleting_through_the_page_logs_her_out(as_survivor, survivor, her_life):
    answer = as_survivor.post("/account/delete", {"passphrase": PASSPHRASE, "posts": "keep"})
    assert answer.status_code == 200 and "cookies" in answer["Clear-Site-Data"]
    assert not get_user_model().objects.filter(username="maya").exists()


def test_after_deleting_a_plain_confirmation_answers_at_the_start_address(as_survivor, survivor, her_life):
    from django.contrib.sessions.models import Session

    wrong = as_survivor.post("/", {"screen": "delete", "passphrase": "not it", "posts": "delete"}).content.decode()
    assert "That passphrase is not right. Nothing was deleted." in wrong
    answer = as_survivor.post("/", {"screen": "delete", "passphrase": PASSPHRASE, "posts": "delete"})
    page = answer.content.decode()
    assert answer.status_code == 200 and "Your account is deleted" in page and "cookies" in answer["Clear-Site-Data"]
    assert "Maya" not in page and "Log out" not in page  # nothing of hers, no menu
    from tests.safety.test_public_words import found_in

    assert found_in(page) == []  # the next to see this phone may be the person she hides from
    assert not get_user_model().objects.filter(username="maya").exists()
    assert not [s for s in Session.objects.all() if s.get_decoded()]  # no session of hers, none made for the page
    assert "Your account is deleted" not in as_survivor.get("/").content.decode()  # shown once, kept nowhere


def test_staff_cannot_delete_through_this(advocate, as_advocate):
    with pytest.raises(NotFound):
        her_data.account_delete(actor=advocate, passphrase=PASSPHRASE)
    assert as_advocate.get("/account/delete").status_code == 404


def test_the_readable_export_says_things_as_people_do(as_survivor, survivor, her_life):
    """Dates as people write them on her agency's clock, and every code as the app's own words:
    no `not_ready`, `peer_mentor: False` or `(housing, working)`."""
    import re

    goal = survivor.goals.get()
    goals.goal_update(actor=survivor, goal_id=goal.pk, status="not_ready")
    page = as_survivor.get("/download/export.html").content.decode()
    body = page[page.index("<body>"):]
    assert "(Housing · Not ready yet" in body and "not_ready" not in body and "(housing" not in body
    assert "Peer mentor</dt><dd>No</dd>" in body and "False" not in body and "True" not in body
    assert "Times are New York time." in body and not re.search(r"\d{4}-\d\d-\d\dT", body)
    assert times.when(her_life["slot"].starts_at).split(",")[0] in body  # "Thursday 3 December"
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", body.replace("font:16px/1.5 system-ui,sans-serif", ""))  # call_me, in_person…
    for code in ("(support)", "booked<", ": booked", "(member", "active)", "plain<", "calculator<", "phone ·"):
        assert code not in body


def test_the_readable_export_speaks_her_language(as_survivor, survivor, her_life):
    survivor.language = "es"
    survivor.save()
    body = as_survivor.get("/download/export.html").content.decode()
    assert "Mentora de pares" in body or "Mentor" in body
    assert "(Vivienda · " in body and " de " in body and "Las horas se muestran en hora de Nueva York." in body


def test_the_json_file_keeps_codes_and_exact_times_for_other_software(survivor, her_life):
    data = her_data.export_for(viewer=survivor)
    assert data["goals"][0]["category"] == "housing" and data["profile"]["peer_mentor"] is False
    assert data["appointments"][0]["when"] == her_life["slot"].starts_at.isoformat()
