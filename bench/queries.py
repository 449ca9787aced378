"""Database queries per page with 1 and with 200 items. The two must be equal: a page costs
the same number of queries whatever the data size. Used by `make bench` (against the demo
copy) and by tests/quality/test_query_counts.py (against the test database)."""

import itertools
from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

SIZES = (1, 200)
_names = itertools.count()


def _person(role="survivor", agency=None, **fields):
    from survivor_portal.accounts.models import Agency, User
    from survivor_portal.safety.models import SafetySettings

    agency = agency or Agency.objects.get_or_create(name="Query Count Shelter", defaults={"time_zone": "America/New_York"})[0]
    user = User.objects.create_user(f"qc_{role}_{next(_names)}_{timezone.now().timestamp():.0f}",
                                    None, display_name="Q", role=role, agency=agency, **fields)
    SafetySettings.objects.get_or_create(user=user, defaults={"seen_exit_intro": True})
    if role != "survivor":
        TOTPDevice.objects.create(user=user, name="q", confirmed=True)
    return user


def logged_in_client(user, **client_options) -> Client:
    """A client with a full session; staff are also verified with their second step.
    The tests use it too (tests/conftest.py), so there is one way to log someone in."""
    from survivor_portal.accounts.services import TWO_STEP
    from survivor_portal.accounts.sessions import MOVED_AT

    client = Client(**client_options)
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    session = client.session
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    # As a real login leaves it (accounts.sessions.session_start), so a page's first request
    # costs what every later one does.
    session[TWO_STEP] = device is not None
    session[MOVED_AT] = timezone.now().timestamp()
    session.set_expiry(user.idle_minutes * 60)
    session.save()
    return client


def _client(user) -> Client:
    return logged_in_client(user, SERVER_NAME="localhost")  # a host every configuration allows


def _goals(n):
    from survivor_portal.goals import services

    her = _person()
    for k in range(n):
        services.goal_create(actor=her, title=f"Goal {k}", category="housing")
    return her, "/"


def _goal_api(n):
    her, _path = _goals(n)
    return her, "/api/v1/goals"


def _steps(n):
    from survivor_portal.goals import services

    her = _person()
    goal = services.goal_create(actor=her, title="Goal")
    for k in range(min(n, services.MAX_STEPS)):  # a goal holds at most 50 steps
        services.step_create(actor=her, goal_id=goal.pk, text=f"Step {k}")
    return her, f"/goals/{goal.pk}"


def _sharing_with(survivor, agency, scopes=("goals", "appointments", "display_name")):
    from survivor_portal.consent import services

    return services.consent_grant(actor=survivor, agency_id=agency.pk, scopes=list(scopes))


def _looks(n):
    from survivor_portal.consent.models import AccessEvent

    her = _person()
    AccessEvent.objects.bulk_create(AccessEvent(survivor=her, agency=her.agency, actor_label="Sam", what="goals:all", via="page")
                                    for _ in range(n))
    return her, "/sharing/looks"


def _slots(advocate, n, start_hours=3):
    from survivor_portal.scheduling import services

    first = (timezone.now() + timedelta(hours=start_hours)).replace(second=0, microsecond=0)
    return [services.slot_create(actor=advocate, starts_at=first + timedelta(minutes=30 * k),
                                 ends_at=first + timedelta(minutes=30 * k + 25)) for k in range(n)]


def _open_times(n):
    advocate = _person("advocate")
    her = _person(agency=advocate.agency)
    _sharing_with(her, advocate.agency)
    _slots(advocate, n)
    return her, "/meetings/book"


def _booked(n):
    """n people, each with one meeting booked with one advocate."""
    from survivor_portal.scheduling import services

    advocate = _person("advocate")
    people = []
    for slot in _slots(advocate, n):
        her = _person(agency=advocate.agency)
        _sharing_with(her, advocate.agency)
        services.appointment_book(actor=her, slot_id=slot.pk)
        people.append(her)
    return advocate, people


def _agenda(n):
    advocate, _people = _booked(n)
    return advocate, "/agency/agenda"


def _agenda_api(n):
    advocate, _people = _booked(n)
    return advocate, "/api/v1/appointments"


def _her_meetings(n):
    from survivor_portal.scheduling import services

    advocate = _person("advocate")
    her = _person(agency=advocate.agency)
    _sharing_with(her, advocate.agency)
    for slot in _slots(advocate, n):
        services.appointment_book(actor=her, slot_id=slot.pk)
    return her, "/meetings"


def _people(n):
    advocate, _people = _booked(n)
    return advocate, "/agency/people"


def _person_page(n):
    from survivor_portal.goals import services

    advocate = _person("advocate")
    her = _person(agency=advocate.agency)
    for k in range(n):
        services.goal_create(actor=her, title=f"Goal {k}", category="housing")
    _sharing_with(her, advocate.agency)
    return advocate, f"/agency/people/{her.pk}"


def _talking(n):
    """Her and Sam, writing in turn, n messages."""
    from survivor_portal.conversations import services

    advocate = _person("advocate")
    her = _person(agency=advocate.agency)
    _sharing_with(her, advocate.agency, scopes=("messages", "display_name"))
    conversation = services.conversation_open(actor=her, agency_id=advocate.agency_id)
    for k in range(n):
        services.message_send(actor=advocate if k % 2 else her, conversation_id=conversation.pk, body=f"Message {k}")
    return her, advocate


def _her_messages(n):
    her, advocate = _talking(n)
    return her, f"/messages/with/{advocate.agency_id}"


def _staff_conversation(n):
    her, advocate = _talking(n)
    return advocate, f"/agency/messages/{her.pk}"


def _staff_messages(n):
    """n people sharing messages with one agency, each with one message written."""
    from survivor_portal.conversations import services

    advocate = _person("advocate")
    for _k in range(n):
        her = _person(agency=advocate.agency)
        _sharing_with(her, advocate.agency, scopes=("messages",))
        conversation = services.conversation_open(actor=her, agency_id=advocate.agency_id)
        services.message_send(actor=her, conversation_id=conversation.pk, body="Hello")
    return advocate, "/agency/messages"


def _circle(n_members: int = 1):
    from peer_support.groups import services

    admin = _person("agency_admin")
    group = services.group_create(actor=admin, name=f"QC {next(_names)}", purpose="p", agreement="a")
    people = [_person(agency=admin.agency) for _ in range(n_members)]
    for k, person in enumerate(people):
        services.join(actor=person, group_id=group.pk, alias=f"QC {k}", agreed=True)
    return group, people


def _group_posts(n):
    from peer_support.groups import services

    group, (her, other) = _circle(2)
    for k in range(n):
        post = services.post_create(actor=other if k % 2 else her, group_id=group.pk, body=f"Post {k}",
                                    content_warning="cw" if k % 3 == 0 else "")
        if k % 4 == 0:
            services.post_create(actor=her, group_id=group.pk, body="Reply", parent_id=post.pk)
    return her, f"/groups/{group.pk}"


def _group_queue(n):
    from peer_support.groups import services

    group, (her, reporter) = _circle(2)
    mentor = _person(agency=her.agency, is_peer_mentor=True)
    services.mentor_appoint(actor=_person("agency_admin", agency=her.agency), group_id=group.pk, username=mentor.username)
    for k in range(n):
        post = services.post_create(actor=her, group_id=group.pk, body=f"Post {k}")
        services.report(actor=reporter, post_id=post.pk, reason="spam")
    return mentor, f"/groups/{group.pk}/moderation"


def _group_agenda(n):
    from peer_support.groups import services

    group, (her, other) = _circle(2)
    for k in range(n):
        item = services.agenda_add(actor=her, group_id=group.pk, text=f"Item {k}")
        if k % 2:
            services.support(actor=other, item_id=item.pk)
    return her, f"/groups/{group.pk}/agenda"


def _check_in_circle():
    from peer_support.groups import services

    group, (her, other) = _circle(2)
    mentor = _person(agency=her.agency, is_peer_mentor=True)
    services.mentor_appoint(actor=_person("agency_admin", agency=her.agency), group_id=group.pk, username=mentor.username)
    return services, group, her, other, mentor


def _check_in(n):
    services, group, her, _other, mentor = _check_in_circle()
    post = services.post_create(actor=her, group_id=group.pk, body="I want to die")
    check_in = services.check_in_start(actor=mentor, group_id=group.pk, post_id=post.pk, body="How are you?")
    for k in range(n):
        services.check_in_reply(actor=her if k % 2 else mentor, group_id=group.pk, check_in_id=check_in.pk, body=f"Message {k}")
    return her, f"/groups/{group.pk}/check-ins/{check_in.pk}"


def _group_check_ins(n):
    from peer_support.groups.models import CheckIn

    services, group, her, other, mentor = _check_in_circle()
    for k in range(n):
        post = services.post_create(actor=her, group_id=group.pk, body=f"Post {k}")
        services.worry(actor=other, post_id=post.pk)
        made = services.check_in_start(actor=mentor, group_id=group.pk, post_id=post.pk, body="How are you?")
        CheckIn.objects.filter(pk=made.pk).update(closes_at=made.created_at)  # closed: the next may start
    return mentor, f"/groups/{group.pk}/moderation"


def _council(n):
    from peer_support.council import services

    member = _person(is_council_member=True)
    for k in range(n):
        services.proposal_create(actor=member, open_now=True, title=f"Proposal {k}", problem="p", change="c", affects="a")
    return member, "/council"


def _check_ins(n):
    """n colleagues, each out with a companion: every other one back, the rest overdue (so the
    alert at the top of the page has n/2 rows too)."""
    from survivor_portal.outreach import services
    from survivor_portal.outreach.models import CheckIn

    viewer = _person("advocate")
    for k in range(n):
        colleague = _person("advocate", agency=viewer.agency)
        check_in = services.check_in_start(actor=colleague, place=f"Visit {k}", back_in_minutes=30,
                                           colleague_ids=[viewer.pk], note="Phone on silent")
        if k % 2:
            services.check_in_end(actor=colleague, check_in_id=check_in.pk)
        else:
            CheckIn.objects.filter(pk=check_in.pk).update(alert_at=timezone.now() - timedelta(minutes=1))
    return viewer, "/agency/check-ins"


def _check_ins_api(n):
    viewer, _path = _check_ins(n)
    return viewer, "/api/v1/agency/check-ins"


def _plan_versions(n):
    from survivor_portal.plans import services

    her = _person()
    for k in range(n):  # the newest 100 are kept
        services.plan_section_save(actor=her, key="people", text=f"Version {k}")
    return her, "/plan/versions"


def _plan_suggestions(n):
    from survivor_portal.consent import services as consent

    advocate = _person("advocate")
    her = _person(agency=advocate.agency)
    _sharing_with(her, advocate.agency, scopes=("safety_plan",))
    for k in range(n):
        consent.suggestion_make(actor=advocate, survivor_id=her.pk, text=f"Idea {k}", plan_section="people")
    return her, "/plan"


PAGES = [
    ("home: her goals", "goals", _goals),
    ("GET /api/v1/goals", "goals", _goal_api),
    ("a goal", "steps (50 at most)", _steps),
    ("who has looked", "looks", _looks),
    ("book a meeting", "free slots", _open_times),
    ("her meetings", "meetings", _her_meetings),
    ("advocate: agenda", "meetings", _agenda),
    ("GET /api/v1/appointments (staff)", "meetings", _agenda_api),
    ("advocate: people", "people", _people),
    ("advocate: one person", "goals", _person_page),
    ("her messages with an agency", "messages", _her_messages),
    ("advocate: one conversation", "messages", _staff_conversation),
    ("advocate: messages", "people sharing messages", _staff_messages),
    ("a peer group", "posts", _group_posts),
    ("a group's moderation queue", "reported posts", _group_queue),
    ("a group's agenda", "agenda items", _group_agenda),
    ("a private check-in", "messages", _check_in),
    ("a group's check-ins and worries (mentor)", "check-ins and worried-about posts", _group_check_ins),
    ("survivor council", "proposals", _council),
    ("staff: check-ins (and the alert on every page)", "check-ins", _check_ins),
    ("GET /api/v1/agency/check-ins", "check-ins", _check_ins_api),
    ("her safety plan's versions", "saves", _plan_versions),
    ("her safety plan", "suggestions", _plan_suggestions),
]


def count(make, n: int) -> int:
    from survivor_portal import write_limits

    with write_limits.not_counted():  # 200 goals or posts as if made over months, not in a minute
        user, path = make(n)
    client = _client(user)
    client.get(path)  # a first visit may set up per-person rows; count the second
    with CaptureQueriesContext(connection) as seen:
        answer = client.get(path)
    if answer.status_code != 200:
        raise AssertionError(f"{path} answered {answer.status_code}")
    return _statements(seen.captured_queries)


def _statements(captured: list[dict]) -> int:
    """Statements the code issues. One bulk insert counts once, even where SQLite's limit of
    999 parameters makes Django send it in batches (about 140 access records each)."""
    count, previous = 0, None
    for query in captured:
        sql = query["sql"]
        insert = sql.split(" VALUES", 1)[0] if sql.startswith("INSERT INTO") else None
        if insert is None or insert != previous:
            count += 1
        previous = insert
    return count


def table() -> list[dict]:
    return [{"page": page, "items": items, **{str(n): count(make, n) for n in SIZES}} for page, items, make in PAGES]


def main() -> None:
    """Run inside the demo copy (`manage.py shell`); prints the table as JSON."""
    import json

    print(json.dumps(table()))
