"""axe-core on every page built so far, at phone and desktop size: no WCAG 2.x A/AA violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from e2e.conftest import log_in_survivor, visit
from survivor_portal.goals import services as goal_services
from survivor_portal.safety import services as safety_services
from survivor_portal.scheduling import services as scheduling
from tests.factories import PASSPHRASE

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
# Every page in the plain look at both sizes, and once more in each disguise at phone size:
# each look must keep every page readable (colour contrast above all).
LOOKS = pytest.mark.parametrize("look, size", [("plain", "phone"), ("plain", "desktop"), ("calculator", "phone"),
                                               ("weather", "phone"), ("notes", "phone")])


def wear(*people, look: str) -> None:
    """The look each of them chose; logging in brings it to the browser."""
    if look == "plain":
        return
    for person in people:
        safety_services.pin_set(actor=person, pin="2468", pin_again="2468")
        safety_services.safety_update(actor=person, disguise=look, exit_choice="default", lock_when_hidden=False)


def violations(page) -> list[str]:
    results = Axe().run(page, options=WCAG)
    return [
        f"{page.url} {v['id']}: {v['help']} ({len(v['nodes'])}×: {v['nodes'][0]['target']})"
        for v in results.response["violations"]
    ]


def _slot(who, hours: int):
    from datetime import timedelta

    from django.utils import timezone

    starts = timezone.now() + timedelta(hours=hours)
    return scheduling.slot_create(actor=who, starts_at=starts, ends_at=starts + timedelta(minutes=30))


@LOOKS
def test_pages_meet_wcag_aa(app, survivor, advocate, northside, look, size):
    page = app
    page.set_viewport_size(SIZES[size])
    wear(survivor, look=look)
    goal = goal_services.goal_create(actor=survivor, title="Find housing", category="housing")
    goal_services.step_create(actor=survivor, goal_id=goal.pk, text="Call the council")
    goal_services.goal_create(actor=survivor, title="Start a class")
    found: list[str] = []
    page.goto(page.base + "/")  # a plain phone: the login
    found += violations(page)
    for screen, back in [("I have an invite code", "I already have an account"), ("I forgot my passphrase", "Back to log in")]:
        page.get_by_role("button", name=screen).click()
        page.get_by_role("button", name=back).wait_for()
        found += violations(page)
        page.get_by_role("button", name=back).click()
        page.get_by_role("heading", name="Log in").wait_for()
    for path in ["/staying-safe", "/offline?d=weather", "/?d=calculator", "/?d=weather", "/?d=notes"]:
        page.goto(page.base + path)
        found += violations(page)
    page.context.clear_cookies()
    log_in_survivor(page)
    from survivor_portal.consent import services as consent_services

    grant = consent_services.consent_grant(actor=survivor, agency_id=northside.pk,
                                           scopes=["goals", "appointments", "display_name"])
    free, booked = _slot(advocate, 24), _slot(advocate, 48)
    meeting = scheduling.appointment_book(actor=survivor, slot_id=booked.pk, contact="call_me", phone="555 0100 22")
    for path in ["/meetings", f"/goals/{goal.pk}", f"/goals/{goal.pk}/delete", "/account/safety", "/account/settings", "/",
                 "/sharing", f"/sharing/with/{northside.pk}", f"/sharing/{grant.pk}/stop", "/sharing/looks",
                 "/meetings", "/meetings/book", f"/meetings/book/{free.pk}", f"/meetings/{meeting.pk}",
                 f"/meetings/{meeting.pk}/cancel", f"/meetings/{meeting.pk}/move", "/meetings/preferences",
                 "/council/ideas", "/what-changed", "/account/my-data", "/account/delete"]:
        visit(page, page.base + path)
        found += violations(page)
    visit(page, page.base + "/account/settings")
    page.locator("#codes-passphrase").fill(PASSPHRASE)
    page.get_by_role("button", name="Make new recovery codes").click()
    page.get_by_role("heading", name="Your recovery codes").wait_for()
    found += violations(page)
    safety_services.pin_set(actor=survivor, pin="2468", pin_again="2468")
    page.evaluate("() => fetch('/lock', {method: 'POST'})")
    page.goto(page.base + "/")  # locked, on a plain phone: the unlock screen
    found += violations(page)
    assert found == []



@LOOKS
def test_agency_pages_meet_wcag_aa(app, survivor, agency_admin, northside, look, size):
    from e2e.conftest import log_in, totp_code, visit
    from survivor_portal.consent import services as consent_services
    from tests.factories import PASSPHRASE

    page = app
    page.set_viewport_size(SIZES[size])
    goal_services.goal_create(actor=survivor, title="Find housing", category="housing")
    consent_services.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["goals", "appointments", "display_name"])
    meeting = scheduling.appointment_book(actor=survivor, slot_id=_slot(agency_admin, 24).pk)
    _slot(agency_admin, 48)
    passed = _passed_proposal(northside)
    wear(agency_admin, look=look)
    log_in(page, "alex", PASSPHRASE)
    page.get_by_label("Code").fill(totp_code(agency_admin))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state("load")
    found: list[str] = []
    for path in ["/", "/agency/people", f"/agency/people/{survivor.pk}", "/agency/disclosures/new",
                 "/agency/consents/new", "/agency/keys", "/agency/invites", "/agency/agenda", "/agency/agenda?view=day",
                 f"/agency/agenda/{meeting.pk}/cancel", "/agency/times", "/council", f"/council/proposals/{passed.pk}",
                 "/what-changed", "/agency/reset-codes"]:
        visit(page, page.base + path)
        found += violations(page)
    assert found == []


def _passed_proposal(agency):
    from datetime import timedelta

    from django.utils import timezone

    from peer_support.council import services as council
    from peer_support.council.models import Proposal
    from survivor_portal import times
    from tests.factories import UserFactory

    lin = UserFactory(username="lin_a11y", display_name="Lin", agency=agency, is_council_member=True)
    proposal = council.proposal_create(actor=lin, open_now=True, title="Evening drop-in", problem="Hard days",
                                       change="Open until 8 pm", affects="Everyone")
    council.voting_open(actor=lin, proposal_id=proposal.pk, closes_on=times.today_in(agency) + timedelta(days=3))
    council.vote_cast(actor=lin, proposal_id=proposal.pk, choice="agree")
    Proposal.objects.filter(pk=proposal.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    return council.settle(Proposal.objects.get(pk=proposal.pk))


@LOOKS
def test_council_pages_meet_wcag_aa(app, northside, look, size):
    from datetime import timedelta

    from e2e.conftest import log_in, visit
    from peer_support.council import services as council
    from survivor_portal import times
    from tests.factories import PASSPHRASE, UserFactory

    page = app
    page.set_viewport_size(SIZES[size])
    member = UserFactory(username="lin", display_name="Lin", agency=northside, is_council_member=True)
    sender = UserFactory(username="ana", display_name="Ana", agency=northside)
    council.idea_send(actor=sender, text="Evening hours, please")
    proposal = council.proposal_create(actor=member, open_now=True, title="Childcare", problem="No one minds the kids",
                                       change="A play corner", affects="Parents")
    council.proposal_revise(actor=member, proposal_id=proposal.pk, change="A play corner with a volunteer")
    voting = council.proposal_create(actor=member, open_now=True, title="Bus passes", problem="Travel costs",
                                     change="Free passes", affects="Everyone")
    council.voting_open(actor=member, proposal_id=voting.pk, closes_on=times.today_in(northside) + timedelta(days=5))
    wear(member, look=look)
    log_in(page, "lin", PASSPHRASE)
    page.wait_for_load_state("load")
    found: list[str] = []
    for path in ["/council", "/council/inbox", "/council/proposals/new", f"/council/proposals/{proposal.pk}",
                 f"/council/proposals/{proposal.pk}/edit", f"/council/proposals/{voting.pk}", "/council/ideas"]:
        visit(page, page.base + path)
        found += violations(page)
    assert found == []


@LOOKS
def test_group_pages_meet_wcag_aa(app, survivor, agency_admin, northside, look, size):
    from e2e.conftest import log_in, totp_code, visit
    from peer_support.groups import services as groups
    from tests.factories import PASSPHRASE, UserFactory

    page = app
    page.set_viewport_size(SIZES[size])
    northside.crisis_resources = "Northside 24-hour line: 555-0100"
    northside.save()
    UserFactory(username="rosa", display_name="Rosa", agency=northside, is_peer_mentor=True)
    group = groups.group_create(actor=agency_admin, name="Tuesday circle", purpose="Talk", agreement="Be kind.")
    groups.mentor_appoint(actor=agency_admin, group_id=group.pk, username="rosa")
    groups.join(actor=survivor, group_id=group.pk, alias="Blue Lake", agreed=True)
    other = UserFactory(username="ana", display_name="Ana", agency=northside)
    groups.join(actor=other, group_id=group.pk, alias="Ana Heron", agreed=True)
    mine = groups.post_create(actor=survivor, group_id=group.pk, body="Hello", content_warning="a hard day")
    theirs = groups.post_create(actor=other, group_id=group.pk, body="Welcome", parent_id=mine.pk)
    groups.post_create(actor=other, group_id=group.pk, body="I want to die some days")
    groups.agenda_add(actor=survivor, group_id=group.pk, text="Sleep")
    wear(survivor, agency_admin, UserFactory._meta.model.objects.get(username="rosa"), look=look)
    found: list[str] = []
    log_in(page, "rosa", PASSPHRASE)
    page.wait_for_load_state("load")
    for path in [f"/groups/{group.pk}", f"/groups/{group.pk}/moderation", f"/groups/{group.pk}/log", f"/groups/{group.pk}/agenda"]:
        visit(page, page.base + path)
        found += violations(page)
    page.context.clear_cookies()
    log_in(page, "maya", PASSPHRASE)
    page.wait_for_load_state("load")
    for path in ["/groups", f"/groups/{group.pk}", f"/groups/posts/{mine.pk}/edit", f"/groups/posts/{theirs.pk}/report",
                 f"/groups/{group.pk}/leave"]:
        visit(page, page.base + path)
        found += violations(page)
    visit(page, page.base + f"/groups/{group.pk}")
    page.get_by_label("Write to the group").fill("Call me on 555 010 0199")
    page.get_by_role("button", name="Post", exact=True).click()
    page.get_by_text("Post anyway?").wait_for()
    found += violations(page)
    page.context.clear_cookies()
    log_in(page, "alex", PASSPHRASE)
    page.get_by_label("Code").fill(totp_code(agency_admin))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state("load")
    visit(page, page.base + "/groups")
    found += violations(page)
    assert found == []
