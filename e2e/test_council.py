"""A survivor sends an idea; a council member makes it a proposal; members vote; it passes; the
admin answers; the survivor sees it on "What changed"."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import PHONE, SCREENSHOTS, log_in, log_in_survivor, totp_code, visit
from peer_support.council.models import Proposal
from survivor_portal import times
from tests.factories import PASSPHRASE, UserFactory


def _page(browser, live_server):
    page = browser.new_context(viewport=PHONE).new_page()
    page.base = live_server.url
    return page


def test_idea_to_proposal_to_vote_to_answer_to_what_changed(browser, live_server, survivor, agency_admin, northside):
    lin = UserFactory(username="lin", display_name="Lin", agency=northside, is_council_member=True)
    UserFactory(username="ana", display_name="Ana", agency=northside, is_council_member=True)

    her = _page(browser, live_server)
    log_in_survivor(her)
    her.get_by_role("link", name="Council", exact=True).click()
    her.get_by_label("Your idea, in a few sentences").fill("Could the drop-in stay open on Thursday evenings?")
    her.get_by_role("button", name="Send").click()
    expect(her.get_by_text("Sent to the survivor council. Thank you.")).to_be_visible()

    member = _page(browser, live_server)
    log_in(member, "lin", PASSPHRASE)
    member.get_by_role("link", name="Council", exact=True).click()
    member.get_by_role("link", name="Ideas (1 new)").click()
    expect(member.get_by_text("Someone (not signed)")).to_be_visible()
    member.get_by_role("link", name="Make it a proposal").click()
    member.get_by_label("Title").fill("Evening drop-in on Thursdays")
    member.get_by_label("What should change?").fill("Keep the drop-in open until 8 pm on Thursdays.")
    member.get_by_label("Who does it affect?").fill("Everyone who uses the drop-in")
    member.get_by_role("button", name="Open for discussion").click()
    expect(member.get_by_role("heading", name="Evening drop-in on Thursdays")).to_be_visible()
    closes = times.today_in(northside) + timedelta(days=3)
    member.get_by_label("Voting closes at the end of").fill(closes.isoformat())
    member.get_by_role("button", name="Open voting").click()
    expect(member.get_by_text("Voting is open.")).to_be_visible()
    member.get_by_label("Agree", exact=True).check()
    member.get_by_role("button", name="Vote").click()
    expect(member.get_by_text("Your vote is saved.")).to_be_visible()

    other = _page(browser, live_server)
    log_in(other, "ana", PASSPHRASE)
    visit(other, live_server.url + "/council")
    other.get_by_role("link", name="Evening drop-in on Thursdays").click()
    other.get_by_label("Agree", exact=True).check()
    other.get_by_role("button", name="Vote").click()
    expect(other.get_by_text("Your vote is saved.")).to_be_visible()

    # The closing date arrives (the result is fixed by the next read).
    Proposal.objects.update(closes_at=timezone.now() - timedelta(seconds=1))

    admin = _page(browser, live_server)
    log_in(admin, "alex", PASSPHRASE)
    admin.get_by_label("Code").fill(totp_code(agency_admin))
    admin.get_by_role("button", name="Continue").click()
    admin.get_by_role("link", name="Council", exact=True).click()
    admin.get_by_role("link", name="Evening drop-in on Thursdays").click()
    expect(admin.get_by_text("Passed.")).to_be_visible()
    expect(admin.get_by_text("2 of 2 members voted")).to_be_visible()
    admin.get_by_label("Accepted with changes").check()
    admin.get_by_label("Why, in plain words").fill("Yes, until 7 pm: that is when the last bus leaves.")
    admin.get_by_role("button", name="Record the answer").click()
    expect(admin.get_by_text("The agency's answer is recorded.")).to_be_visible()
    admin.screenshot(path=str(SCREENSHOTS / "council-proposal.png"), full_page=True)

    visit(her, live_server.url + "/what-changed")
    expect(her.get_by_role("heading", name="Evening drop-in on Thursdays")).to_be_visible()
    expect(her.get_by_text("Yes, until 7 pm: that is when the last bus leaves.")).to_be_visible()
    her.screenshot(path=str(SCREENSHOTS / "what-changed.png"), full_page=True)
