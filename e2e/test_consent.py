"""She shares her housing goals with Northside; the Northside advocate sees exactly those;
she stops; the advocate's next request is refused; she sees both looks."""

from playwright.sync_api import expect

from e2e.conftest import log_in, log_in_survivor, totp_code, visit
from survivor_portal.goals import services as goal_services
from tests.factories import PASSPHRASE


def test_share_look_stop_refused_and_she_sees_the_looks(browser, live_server, survivor, advocate, northside, eastbridge):
    goal_services.goal_create(actor=survivor, title="Find a flat", category="housing")
    goal_services.goal_create(actor=survivor, title="Get my papers", category="legal")
    phone = {"viewport": {"width": 390, "height": 844}}
    her = browser.new_context(**phone).new_page()
    her.base = live_server.url
    staff = browser.new_context(**phone).new_page()
    staff.base = live_server.url

    log_in_survivor(her)
    her.get_by_role("link", name="Sharing", exact=True).click()
    her.get_by_role("link", name="Share with Northside Shelter").click()
    her.get_by_label("My goals", exact=True).check()
    her.get_by_label("The name I use here", exact=True).check()
    her.get_by_label("Goals about some topics", exact=True).check()
    her.get_by_label("Housing", exact=True).check()
    her.get_by_role("button", name="Continue").click()
    expect(her.get_by_text("Northside Shelter will be able to see your housing goals and the name you use here until")).to_be_visible()
    her.get_by_role("button", name="Yes, share this").click()
    expect(her.get_by_text("You are now sharing with Northside Shelter.")).to_be_visible()

    log_in(staff, "sam", PASSPHRASE)
    staff.get_by_label("Code").fill(totp_code(advocate))
    staff.get_by_role("button", name="Continue").click()
    staff.get_by_role("link", name="People", exact=True).click()
    staff.get_by_role("link", name="Maya").click()
    expect(staff.get_by_role("heading", name="Find a flat")).to_be_visible()
    expect(staff.get_by_text("Get my papers")).to_have_count(0)

    her.get_by_role("link", name="Stop sharing").click()
    her.get_by_role("button", name="Yes, stop sharing").click()
    expect(her.get_by_text("Northside Shelter can no longer see your things.")).to_be_visible()

    visit(staff, live_server.url + f"/agency/people/{survivor.pk}")
    expect(staff.get_by_role("heading", name="Page not found")).to_be_visible()

    her.get_by_role("link", name="Who has looked at my things").click()
    # One look at her page, one line: what was shown, by whom.
    expect(her.get_by_text("Sam at Northside Shelter saw the name you use here and your housing goals")).to_be_visible()


def _share_form_lists(page) -> tuple[bool, bool]:
    return (page.locator(".field-categories").is_visible(), page.locator(".field-goal_ids").is_visible())


def test_the_topic_and_goal_lists_show_only_when_she_picks_some(browser, live_server, survivor, northside):
    goal_services.goal_create(actor=survivor, title="Find a flat", category="housing")
    for script in (True, False):
        page = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=script).new_page()
        page.base = live_server.url
        log_in(page, "maya", PASSPHRASE)
        page.get_by_role("link", name="Sharing", exact=True).click()
        page.get_by_role("link", name="Share with Northside Shelter").click()
        assert _share_form_lists(page) == (False, False)  # "All my goals" is chosen: no lists to read past
        page.get_by_label("Goals about some topics", exact=True).check()
        assert _share_form_lists(page) == (True, False)
        page.get_by_label("Only goals I choose", exact=True).check()
        assert _share_form_lists(page) == (False, True)
        page.get_by_label("Find a flat", exact=True).check()
        page.get_by_label("My goals", exact=True).check()
        page.screenshot(path=f"/tmp/h16a-share-{'js' if script else 'nojs'}.png", full_page=True)
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_text("Northside Shelter will be able to see")).to_be_visible()
        page.context.close()
