"""A member posts; two others report it; a peer mentor hides it with a reason; the author sees
the reason; the other members see the placeholder."""

from playwright.sync_api import expect

from e2e.conftest import PHONE, SCREENSHOTS, log_in, log_in_survivor, totp_code, visit
from peer_support.groups import services
from tests.factories import PASSPHRASE, UserFactory


def _page(browser, live_server, username=None):
    page = browser.new_context(viewport=PHONE).new_page()
    page.base = live_server.url
    if username:
        log_in(page, username, PASSPHRASE)
        page.wait_for_load_state("load")
    return page


def test_post_report_hide_and_who_sees_what(browser, live_server, survivor, agency_admin, northside):
    UserFactory(username="rosa", display_name="Rosa", agency=northside, is_peer_mentor=True)
    group = services.group_create(actor=agency_admin, name="Tuesday circle", purpose="Talking things through",
                                  agreement="What is said here stays here.")
    services.mentor_appoint(actor=agency_admin, group_id=group.pk, username="rosa")
    for name in ("ana", "bea"):
        person = UserFactory(username=name, display_name=name.title(), agency=northside)
        services.join(actor=person, group_id=group.pk, alias=f"{name.title()} Heron", agreed=True)

    her = _page(browser, live_server)
    log_in_survivor(her)
    her.get_by_role("link", name="Groups", exact=True).click()
    her.get_by_role("link", name="Read the agreement and join").click()
    expect(her.get_by_text("What is said here stays here.")).to_be_visible()
    her.get_by_label("Your name in this group").fill("Blue Lake")
    her.get_by_label("I have read the group agreement and I accept it").check()
    her.get_by_role("button", name="Join").click()
    expect(her.get_by_text("Here you are “Blue Lake”.")).to_be_visible()
    her.get_by_label("Write to the group").fill("Some people here are useless.")
    her.get_by_role("button", name="Post", exact=True).click()
    expect(her.get_by_text("Some people here are useless.")).to_be_visible()
    her.screenshot(path=str(SCREENSHOTS / "group.png"), full_page=True)

    for name in ("ana", "bea"):
        other = _page(browser, live_server, name)
        visit(other, live_server.url + f"/groups/{group.pk}")
        other.get_by_role("link", name="Report").click()
        other.get_by_label("Hurtful").check()
        other.get_by_role("button", name="Report").click()
        expect(other.get_by_text("Thank you. A peer mentor will look at it.")).to_be_visible()

    mentor = _page(browser, live_server, "rosa")
    visit(mentor, live_server.url + f"/groups/{group.pk}/moderation")
    expect(mentor.get_by_text("Hurtful").first).to_be_visible()
    expect(mentor.get_by_text("maya")).to_have_count(0)
    mentor.get_by_label("Reason (the author will see it)").fill("Please speak kindly about others here.")
    mentor.get_by_role("button", name="Hide").click()
    expect(mentor.get_by_text("Hidden. The author sees your reason")).to_be_visible()

    visit(her, live_server.url + f"/groups/{group.pk}")
    expect(her.get_by_text("A peer mentor hid this post: “Please speak kindly about others here.”")).to_be_visible()
    other = _page(browser, live_server, "ana")
    visit(other, live_server.url + f"/groups/{group.pk}")
    expect(other.get_by_text("Hidden by a peer mentor")).to_be_visible()
    expect(other.get_by_text("Some people here are useless.")).to_have_count(0)


def test_new_posts_arrive_without_a_reload(browser, live_server, survivor, agency_admin, northside):
    group = services.group_create(actor=agency_admin, name="Circle", purpose="p", agreement="a")
    services.join(actor=survivor, group_id=group.pk, alias="Blue Lake", agreed=True)
    friend = UserFactory(username="ana", display_name="Ana", agency=northside)
    services.join(actor=friend, group_id=group.pk, alias="Ana Heron", agreed=True)
    her = _page(browser, live_server)
    log_in_survivor(her)
    visit(her, live_server.url + f"/groups/{group.pk}")
    her.wait_for_load_state("load")
    her.evaluate("() => document.getElementById('poller').setAttribute('hx-trigger', 'every 1s') || htmx.process(document.getElementById('poller'))")
    services.post_create(actor=friend, group_id=group.pk, body="Hello from Ana")
    expect(her.get_by_text("Hello from Ana")).to_be_visible(timeout=10_000)


def test_posting_and_the_identifying_prompt_work_without_javascript(browser, live_server, survivor, agency_admin):
    group = services.group_create(actor=agency_admin, name="Circle", purpose="p", agreement="a")
    services.join(actor=survivor, group_id=group.pk, alias="Blue Lake", agreed=True)
    page = browser.new_context(viewport=PHONE, java_script_enabled=False).new_page()
    page.base = live_server.url
    log_in(page, "maya", PASSPHRASE)
    visit(page, live_server.url + f"/groups/{group.pk}")
    page.get_by_label("Write to the group").fill("My number is 555 010 0199")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_text("This may identify you or someone else. Post anyway?")).to_be_visible()
    page.get_by_role("button", name="Post anyway").click()
    expect(page.get_by_text("My number is 555 010 0199")).to_be_visible()
    expect(page.get_by_role("link", name="Exit").first).to_be_visible()


def test_a_mentors_alias_cannot_be_taken_in_another_group(browser, live_server, survivor, agency_admin, northside):
    UserFactory(username="rosa", display_name="Rosa", agency=northside, is_peer_mentor=True)
    first = services.group_create(actor=agency_admin, name="Tuesday circle", purpose="p", agreement="Be kind.")
    second = services.group_create(actor=agency_admin, name="Thursday circle", purpose="p", agreement="Be kind.")
    rosa = services.mentor_appoint(actor=agency_admin, group_id=first.pk, username="rosa").alias

    her = _page(browser, live_server)
    log_in_survivor(her)
    her.get_by_role("link", name="Groups", exact=True).click()
    her.get_by_role("listitem").filter(has_text="Thursday circle").get_by_role("link", name="Read the agreement and join").click()
    expect(her.get_by_label("Your name in this group")).not_to_have_value(rosa)
    her.get_by_label("Your name in this group").fill(rosa)
    her.get_by_label("I have read the group agreement and I accept it").check()
    her.get_by_role("button", name="Join").click()
    expect(her.get_by_text("A peer mentor at your agency uses that name. Choose another.")).to_be_visible()
    assert not second.memberships.exists()


def test_reports_on_the_only_mentors_post_go_to_the_agency_admin(browser, live_server, agency_admin, northside):
    rosa = UserFactory(username="rosa", display_name="Rosa", agency=northside, is_peer_mentor=True)
    group = services.group_create(actor=agency_admin, name="Tuesday circle", purpose="p", agreement="Be kind.")
    services.mentor_appoint(actor=agency_admin, group_id=group.pk, username="rosa")
    ana = UserFactory(username="ana", display_name="Ana", agency=northside)
    services.join(actor=ana, group_id=group.pk, alias="Ana Heron", agreed=True)
    post = services.post_create(actor=rosa, group_id=group.pk, body="Mentor words that hurt")

    member = _page(browser, live_server, "ana")
    visit(member, live_server.url + f"/groups/{group.pk}")
    member.get_by_role("link", name="Report").click()
    member.get_by_label("Hurtful").check()
    member.get_by_role("button", name="Report").click()

    mentor = _page(browser, live_server, "rosa")
    visit(mentor, live_server.url + f"/groups/{group.pk}/moderation")
    expect(mentor.get_by_text("Nothing to look at.")).to_be_visible()  # not hers to judge

    admin = _page(browser, live_server)
    log_in(admin, "alex", PASSPHRASE)
    admin.get_by_label("Code").fill(totp_code(agency_admin))
    admin.get_by_role("button", name="Continue").click()
    admin.get_by_role("link", name="Groups", exact=True).click()
    admin.get_by_role("link", name="1 post waits for you").click()
    expect(admin.get_by_text("Mentor words that hurt")).to_be_visible()
    admin.get_by_role("button", name="Dismiss: it is fine").click()
    expect(admin.get_by_text("Reports dismissed. The post stays.")).to_be_visible()
    assert not post.reports.filter(dismissed_at__isnull=True).exists()
    admin.screenshot(path="/tmp/h16c-admin-moderation.png", full_page=True)


def test_an_agency_admin_makes_and_ends_peer_mentors_and_council_members(browser, live_server, survivor, agency_admin):
    group = services.group_create(actor=agency_admin, name="Tuesday circle", purpose="p", agreement="Be kind.")
    admin = _page(browser, live_server)
    log_in(admin, "alex", PASSPHRASE)
    admin.get_by_label("Code").fill(totp_code(agency_admin))
    admin.get_by_role("button", name="Continue").click()
    admin.get_by_role("link", name="Groups", exact=True).click()
    admin.get_by_label("Make someone a peer mentor (their username)").fill("maya")
    admin.get_by_role("button", name="Make a peer mentor").click()
    expect(admin.get_by_text("Maya is now a peer mentor. Appoint them to a group below.")).to_be_visible()
    admin.get_by_label("Appoint a peer mentor (their username)").fill("maya")
    admin.get_by_role("button", name="Appoint", exact=True).click()
    expect(admin.get_by_text("Appointed. In the group they appear as")).to_be_visible()
    expect(admin.locator(".card .people li")).to_contain_text("(Maya)")  # who mentors the group
    admin.get_by_label("Appoint a peer mentor (their username)").fill("maya")
    admin.get_by_role("button", name="Appoint", exact=True).click()
    expect(admin.get_by_text("Maya already mentors this group")).to_be_visible()
    assert admin.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    admin.screenshot(path="/tmp/h16c-admin-groups.png", full_page=True)
    admin.get_by_role("button", name="End their mentoring here").click()
    expect(admin.get_by_text("no longer mentors this group, and stays in it as a member.")).to_be_visible()
    assert not group.memberships.filter(role="mentor").exists()

    admin.get_by_role("link", name="Council", exact=True).click()
    admin.get_by_label("Add someone to the council (their username)").fill("maya")
    admin.get_by_role("button", name="Add to the council").click()
    expect(admin.get_by_text("Maya is now on the council.")).to_be_visible()
    admin.get_by_label("Add someone to the council (their username)").fill("maya")
    admin.get_by_role("button", name="Add to the council").click()
    expect(admin.get_by_text("Maya is already on the council.")).to_be_visible()
    admin.get_by_role("button", name="Take off the council").click()
    expect(admin.get_by_text("Maya is no longer on the council. What they wrote and voted stays.")).to_be_visible()
