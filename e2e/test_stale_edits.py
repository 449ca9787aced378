"""Two tabs on one goal: the older one saves, and she sees both texts and keeps hers."""

from playwright.sync_api import expect

from e2e.conftest import log_in_survivor, unlock, visit
from survivor_portal.goals import services
from survivor_portal.goals.models import Goal


def test_an_older_tab_saving_shows_both_texts_and_she_keeps_hers(app, survivor):
    goal = services.goal_create(actor=survivor, title="Find housing", note="Call Ana on Monday")
    old_tab = app
    log_in_survivor(old_tab)
    visit(old_tab, f"/goals/{goal.pk}")

    new_tab = old_tab.context.new_page()  # a new tab is a fresh load: it shows the unlock screen first
    new_tab.goto(f"{old_tab.base}/")
    unlock(new_tab)
    visit(new_tab, f"/goals/{goal.pk}")
    new_tab.get_by_label("Notes (only you see these)").fill("Ana said Tuesday")
    new_tab.get_by_label("Keep this goal private: never share it with any agency").check()
    new_tab.get_by_role("button", name="Save").click()
    expect(new_tab.get_by_text("Saved.")).to_be_visible()

    old_tab.get_by_label("Notes (only you see these)").fill("Bring my ID to the office")
    old_tab.get_by_role("button", name="Save").click()
    expect(old_tab.get_by_role("heading", name="This changed in another window")).to_be_visible()
    expect(old_tab.get_by_role("group", name="Notes (only you see these): what you typed")).to_contain_text(
        "Bring my ID to the office")
    expect(old_tab.get_by_role("group", name="Notes (only you see these): saved now")).to_contain_text(
        "Ana said Tuesday")
    private = old_tab.get_by_role("checkbox", name="Keep this goal private: never share it with any agency")
    expect(private).to_be_checked()  # the older tab's "off" is not offered back
    old_tab.screenshot(path="/tmp/h25a_conflict_390.png", full_page=True)

    old_tab.get_by_role("button", name="Save what I typed").click()
    expect(old_tab.get_by_text("Saved.")).to_be_visible()
    goal.refresh_from_db()
    assert (goal.note, goal.keep_private) == ("Bring my ID to the office", True)
    assert Goal.objects.filter(owner=survivor).count() == 1
