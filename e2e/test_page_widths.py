"""No page ever scrolls sideways on a small phone, and Exit never leaves the screen, even when
everything anyone wrote is as long as it may be and has no space to break at (a pasted link, a
word in a long-word language, a row of emoji). Every page of every role, the logged-out
screens, an error page and the export, at 320 and 390 px. The lengths are read from the models
and the forms, so a longer field tomorrow is tested at its new length."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from e2e.pages import every_page, log_in, new_phone
from peer_support.council import services as council
from peer_support.council.models import Comment, Idea, Proposal, ProgressUpdate, Vote
from peer_support.council.models import AgencyResponse as Answer
from peer_support.groups import services as groups
from peer_support.groups.models import AgendaItem, Meeting, Membership, PeerGroup, Post, Report
from survivor_portal.accounts.models import Agency, User
from survivor_portal.consent import services as consent
from survivor_portal.consent.models import AgencyApiKey, ConsentGrant, DisclosureNotice, Suggestion
from survivor_portal.goals import services as goals
from survivor_portal.goals.models import Goal, Step
from survivor_portal.scheduling import services as scheduling
from survivor_portal.scheduling.models import Appointment, MeetingPrefs, Slot
from tests.factories import PASSPHRASE, AgencyFactory, StaffFactory, UserFactory

WIDTHS = [390, 320]


def longest(model, field: str, letter: str = "W") -> str:
    """The longest value the model allows, in one unbroken word of wide letters."""
    return letter * model._meta.get_field(field).max_length


def username(name: str) -> str:
    return name + "w" * (User._meta.get_field("username").max_length - len(name))


@pytest.fixture
def world(db):
    """Everyone's things, all at their longest."""
    agency = AgencyFactory(name=longest(Agency, "name"), helps_with=longest(Agency, "helps_with"),
                           crisis_resources="W" * 500)
    people = {
        "survivor": UserFactory(username=username("maya"), display_name=longest(User, "display_name", "M"),
                                agency=agency),
        "mentor": UserFactory(username=username("rosa"), display_name=longest(User, "display_name", "R"),
                              agency=agency, is_peer_mentor=True),
        "council": UserFactory(username=username("lin"), display_name=longest(User, "display_name", "L"),
                               agency=agency, is_council_member=True),
        "advocate": StaffFactory(username=username("sam"), display_name=longest(User, "display_name", "S"),
                                 agency=agency),
        "admin": StaffFactory(username=username("alex"), display_name=longest(User, "display_name", "A"),
                              agency=agency, role=User.Role.AGENCY_ADMIN),
    }
    maya, rosa, lin, sam, alex = people.values()
    _goals_and_sharing(maya, sam, agency)
    _meetings(maya, sam)
    _group(alex, rosa, maya, lin)
    _council(maya, lin, alex)
    consent.api_key_create(actor=alex, name=longest(AgencyApiKey, "name"))
    _check_ins(sam, alex)
    return people


def _check_ins(sam, alex) -> None:
    """Sam out with Alex and overdue (the alert on every staff page), and one back, in the log."""
    from survivor_portal.outreach import services as outreach
    from survivor_portal.outreach.models import CheckIn

    words = {"place": longest(CheckIn, "place"), "with_others": longest(CheckIn, "with_others"),
             "note": "W" * 300, "colleague_ids": [alex.pk], "confirm_identifying": True}
    back = outreach.check_in_start(actor=alex, back_in_minutes=60, **{**words, "colleague_ids": [sam.pk]})
    outreach.check_in_end(actor=alex, check_in_id=back.pk)
    out = outreach.check_in_start(actor=sam, back_in_minutes=5, **words)
    CheckIn.objects.filter(pk=out.pk).update(alert_at=out.started_at)


def _goals_and_sharing(maya, sam, agency) -> None:
    for status in ["working", "not_ready", "done"]:
        goal = goals.goal_create(actor=maya, title=longest(Goal, "title"), note=longest(Goal, "note"),
                                 category="housing", status=status, target_date=date.today() + timedelta(days=40))
        for _ in range(2):
            goals.step_create(actor=maya, goal_id=goal.pk, text=longest(Step, "text"))
    consent.consent_grant(actor=maya, agency_id=agency.pk, scopes=["goals", "appointments", "display_name"],
                          purpose="other", purpose_note=longest(ConsentGrant, "purpose_note"), days=90)
    consent.disclosure_record(actor=sam, survivor_id=maya.pk, shared_what=longest(DisclosureNotice, "shared_what"),
                              with_whom=longest(DisclosureNotice, "with_whom"), why=longest(DisclosureNotice, "why"))
    consent.suggestion_make(actor=sam, survivor_id=maya.pk, text=longest(Suggestion, "text"))
    consent.record_looks(survivors=[maya.pk], agency=agency, actor=sam, actor_label=sam.display_name,
                         what=longest(Goal, "title"), via="page")


def _meetings(maya, sam) -> None:
    place = longest(Slot, "place_label")
    soon = timezone.now() + timedelta(days=2)
    slots = [scheduling.slot_create(actor=sam, starts_at=soon + timedelta(hours=h), ends_at=soon + timedelta(hours=h, minutes=30),
                                    mode="in_person", place_label=place) for h in range(3)]
    phone = "+" + "5" * (Appointment._meta.get_field("phone").max_length - 1)
    scheduling.appointment_book(actor=maya, slot_id=slots[0].pk, contact="call_me", phone=phone,
                                note=longest(Appointment, "note"))
    cancelled = scheduling.appointment_book(actor=maya, slot_id=slots[1].pk, note=longest(Appointment, "note"))
    scheduling.appointment_cancel(actor=sam, appointment_id=cancelled.pk, reason=longest(Appointment, "cancel_reason"))
    scheduling.prefs_set(actor=maya, code_word=longest(MeetingPrefs, "code_word"))


def _group(alex, rosa, maya, lin) -> None:
    group = groups.group_create(actor=alex, name=longest(PeerGroup, "name"), purpose=longest(PeerGroup, "purpose"),
                                agreement=longest(PeerGroup, "agreement"))
    groups.mentor_appoint(actor=alex, group_id=group.pk, username=rosa.username)
    Membership.objects.filter(group=group, user=rosa).update(alias=longest(Membership, "alias", "R"))
    her = groups.join(actor=maya, group_id=group.pk, alias=longest(Membership, "alias", "M"), agreed=True)
    groups.join(actor=lin, group_id=group.pk, alias=longest(Membership, "alias", "L"), agreed=True)
    body = longest(Post, "body")
    first = groups.post_create(actor=maya, group_id=group.pk, body=body, content_warning=longest(Post, "content_warning"),
                               confirm_identifying=True)
    groups.post_create(actor=maya, group_id=group.pk, body=body, confirm_identifying=True)
    groups.post_create(actor=lin, group_id=group.pk, body=body, parent_id=first.pk, confirm_identifying=True)
    hidden = groups.post_create(actor=maya, group_id=group.pk, body=body, confirm_identifying=True)
    groups.hide(actor=rosa, post_id=hidden.pk, reason=longest(Post, "hidden_reason"))
    reported = groups.post_create(actor=maya, group_id=group.pk, body=body, confirm_identifying=True)
    groups.report(actor=lin, post_id=reported.pk, reason="other", note=longest(Report, "note"))
    groups.mute(actor=rosa, group_id=group.pk, membership_id=her.pk, duration="1d", reason=longest(Post, "hidden_reason"))
    item = groups.agenda_add(actor=lin, group_id=group.pk, text=longest(AgendaItem, "text"))
    groups.support(actor=maya, item_id=item.pk)
    groups.meeting_set(actor=rosa, group_id=group.pk, starts_at=timezone.now() + timedelta(days=3),
                       place_label=longest(Meeting, "place_label"))


def _council(maya, lin, alex) -> None:
    long = {field: longest(Proposal, field) for field in ["title", "problem", "change", "affects"]}
    idea = council.idea_send(actor=maya, text=longest(Idea, "text"), signed=True)
    council.idea_send(actor=maya, text=longest(Idea, "text"))
    council.idea_set_aside(actor=lin, idea_id=council.idea_send(actor=maya, text=longest(Idea, "text")).pk,
                           note=longest(Idea, "council_note"))
    voting = council.proposal_create(actor=lin, idea_id=idea.pk, open_now=True, **long)
    council.comment_add(actor=lin, proposal_id=voting.pk, body=longest(Comment, "body"))
    council.voting_open(actor=lin, proposal_id=voting.pk, closes_on=date.today() + timedelta(days=5))
    council.vote_cast(actor=lin, proposal_id=voting.pk, choice="block", reason=longest(Vote, "reason"))
    passed = council.proposal_create(actor=lin, open_now=True, **long)
    council.voting_open(actor=lin, proposal_id=passed.pk, closes_on=date.today() + timedelta(days=5))
    council.vote_cast(actor=lin, proposal_id=passed.pk, choice="agree")
    Proposal.objects.filter(pk=passed.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    council.settle(Proposal.objects.get(pk=passed.pk))
    council.answer_record(actor=alex, proposal_id=passed.pk, answer="with_changes", reasons=longest(Answer, "reasons"))
    council.update_add(actor=alex, proposal_id=passed.pk, text=longest(ProgressUpdate, "text"))
    council.proposal_create(actor=lin, **long)  # a draft


# Measured in the page: how wide the document is, and where Exit is at the top and at the
# bottom of the page (it is sticky, so it must stay on screen all the way down).
MEASURE = """() => {
  const exit = document.getElementById("exit");
  const where = () => { if (!exit) return null; const r = exit.getBoundingClientRect();
                        return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const top = where();
  window.scrollTo(0, document.scrollingElement.scrollHeight);
  const bottom = where();
  window.scrollTo(0, 0);
  return {wide: document.scrollingElement.scrollWidth, width: innerWidth, height: innerHeight, exit: [top, bottom]};
}"""


def problems(page, name: str, *, exit_control: bool = True) -> list[str]:
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 844})
        seen = page.evaluate(MEASURE)
        if seen["wide"] > seen["width"]:
            found.append(f"{name} at {width} px is {seen['wide']} px wide")
        for box in seen["exit"] if exit_control else []:
            if box is None or box["left"] < 0 or box["right"] > width or box["top"] < 0 or box["bottom"] > seen["height"]:
                found.append(f"{name} at {width} px: Exit is not on the screen ({box})")
                break
    page.set_viewport_size({"width": WIDTHS[0], "height": 844})
    return found


def fill_longest(page, form) -> None:
    """Every text box of a form, as long as the page lets her type."""
    for box in form.locator("input[type=text], input[type=search], input:not([type]), textarea").all():
        longest_typed = box.get_attribute("maxlength")
        box.fill("W" * int(longest_typed or 500))


def logged_out_screens(page, survivor) -> list[str]:
    found = []
    page.goto(page.base + "/")
    fill_longest(page, page.locator("form:has(input[name=screen][value=login])"))
    with page.expect_navigation():
        page.locator("button.primary[type=submit]").click()  # a wrong login: the message and her text
    found += problems(page, "the login, refused")
    for screen in ["recover", "login", "join"]:
        page.locator(f"button[name=show][value={screen}]").click()
        page.locator(f"input[name=screen][value={screen}]").wait_for(state="attached")
        if screen != "login":
            fill_longest(page, page.locator(f"form:has(input[name=screen][value={screen}])"))
            with page.expect_navigation():
                page.locator("button.primary[type=submit]").click()
            found += problems(page, f"the {screen} screen, refused")
    for look in ["calculator", "weather", "notes"]:
        page.context.add_cookies([{"name": "look", "value": look, "url": page.base}])
        page.goto(page.base + "/")
        found += problems(page, f"the {look} cover")
        search = page.locator("input[type=search]")
        if search.count():
            search.fill("W" * int(search.get_attribute("maxlength") or 500))
            with page.expect_navigation():
                search.press("Enter")
            found += problems(page, f"the {look} cover, searched")
    page.context.clear_cookies(name="look")
    for path in ["/staying-safe", "/offline", "/no-page-here"]:
        page.goto(page.base + path)
        found += problems(page, path, exit_control=path != "/offline")
    found += error_page_problems(page)
    page.context.clear_cookies()
    page.goto(page.base + "/")
    log_in(page, survivor, PASSPHRASE)
    page.goto(page.base + "/")  # a fresh load: the unlock screen
    found += problems(page, "the unlock screen")
    return found


def error_page_problems(page) -> list[str]:
    """The pages for a request the app could not answer, as the error handlers build them."""
    from django.test import RequestFactory

    from survivor_portal.safety.error_pages import error_answer

    found = []
    for status, template in [(400, None), (403, None), (403, "403_csrf.html"), (500, None), (503, None)]:
        body = error_answer(RequestFactory().get("/"), status, template).content
        page.route(page.base + "/an-error", lambda route, body=body: route.fulfill(
            status=status, content_type="text/html", body=body))
        page.goto(page.base + "/an-error")
        found += problems(page, f"the {template or status} error page")
        page.unroute(page.base + "/an-error")
    return found


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_page_scrolls_sideways_and_exit_stays_on_screen_with_the_longest_words(
        browser, live_server, browser_context_args, world, language):
    """In English and in Spanish, whose words and labels run longer."""
    from django.conf import settings
    from django.utils import translation

    User.objects.update(language=language)
    found = []

    def phone():
        page = new_phone(browser, live_server, browser_context_args)
        page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": page.base}])
        return page

    page = phone()
    with translation.override(language):  # the error pages are built here, in her language
        found += logged_out_screens(page, world["survivor"])
    page.context.close()
    visited = 0
    for role in ["advocate", "admin", "mentor", "council", "survivor"]:  # staff first: she sees who looked
        page = phone()
        page.goto(page.base + "/")
        log_in(page, world[role], PASSPHRASE)
        assert page.evaluate("document.documentElement.lang") == language, role
        for path in every_page(page):
            found += problems(page, f"{role} {path}")
            visited += 1
        if role == "survivor":
            found += export_problems(page)
        page.context.close()
    assert visited > 50, visited
    assert not found, "\n".join(found)


def export_problems(page) -> list[str]:
    """The readable export is a file she keeps: it is opened on its own, without the app's styles."""
    html = page.evaluate("async () => (await fetch('/download/export.html', {credentials: 'same-origin'})).text()")
    assert "<h1>" in html
    exported = page.context.new_page()
    exported.set_content(html)
    found = problems(exported, "the export", exit_control=False)
    exported.close()
    return found
