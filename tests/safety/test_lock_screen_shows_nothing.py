"""The lock screen a watcher may see shows nothing of hers: no notices, no menu, no messages,
not even her agency's time zone (found at phone size: the zone line named the agency's city)."""

from django.contrib.messages import get_messages  # noqa: F401 - messages stay for after she unlocks

from survivor_portal.accounts import recovery
from survivor_portal.consent import services as consent
from survivor_portal.safety.middleware import LOCKED
from tests.conftest import logged_in


def test_a_locked_session_shows_nothing_of_hers_until_she_unlocks(survivor, advocate, agency_admin):
    consent.disclosure_record(actor=advocate, username="maya", shared_what="Her first name", with_whom="A doctor",
                              why="She asked")
    recovery.reset_code_issue(actor=agency_admin, username="maya")
    client = logged_in(survivor)
    session = client.session
    session[LOCKED] = True
    session.save()
    page = client.get("/").content.decode()
    assert "Welcome back" in page
    for hers in ("Her first name", "reset code", "Times are", "New York", "Sharing", "Log out", "Maya"):
        assert hers not in page, hers
