"""Write limits (survivor_portal.write_limits): one rule per kind, held in the service, so the API
answers 429 with Retry-After and the page keeps what she typed beside the same kind words."""

import json
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
import redis
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.utils import timezone, translation

from peer_support.council import services as council
from peer_support.groups import services as groups
from survivor_portal import write_limits
from survivor_portal.consent import services as consent
from survivor_portal.goals import services as goals
from survivor_portal.goals.models import Goal
from survivor_portal.outreach import services as outreach
from survivor_portal.scheduling import services as scheduling
from survivor_portal.write_limits import LIMITS, Limit, TooFast
from tests.conftest import logged_in, needs_redis
from tests.council.conftest import close_now, draft, in_voting
from tests.groups.conftest import circle  # noqa: F401 - a fixture the group kinds use

pytestmark = pytest.mark.django_db
SLOW_DOWN = "You have sent a lot in a short time."
WORDS = "Ask about the evening bus pass"  # what she typed, which must still be on the page


@dataclass
class Case:
    kind: str
    who: str  # a persona fixture
    setup: callable  # (people) -> values for the paths and bodies
    api: tuple | None  # (method, path, body)
    form: tuple | None  # (path, data)
    kept: str | None = WORDS  # what must still be in the form; None where nothing is typed
    htmx: bool = False
    needs: list = field(default_factory=list)  # more fixtures


def _nothing(people) -> dict:
    return {}


def _goal(people) -> dict:
    goal = goals.goal_create(actor=people["survivor"], title="Find housing")
    step = goals.step_create(actor=people["survivor"], goal_id=goal.pk, text="Call the council")
    return {"goal": goal.pk, "step": step.pk, "version": goal.version}


def _circle(people) -> dict:
    circle = people["circle"]
    mine = groups.post_create(actor=people["survivor"], group_id=circle.pk, body="Hello all")
    rosas = groups.post_create(actor=people["mentor"], group_id=circle.pk, body="Welcome, everyone")
    return {"group": circle.pk, "post": mine.pk, "version": mine.version, "other_post": rosas.pk}


def _crisis(people) -> dict:
    circle = people["circle"]
    post = groups.post_create(actor=people["survivor"], group_id=circle.pk, body="Some nights I want to die")
    return {"group": circle.pk, "crisis_post": post.pk}


def _check_in(people) -> dict:
    values = _crisis(people)
    made = groups.check_in_start(actor=people["mentor"], group_id=values["group"], post_id=values["crisis_post"],
                                 body="How are you?")
    return {**values, "check_in": made.pk}


def _proposal(people, **fields) -> dict:
    proposal = draft(people["council_member"], **fields)
    return {"proposal": proposal.pk, "version": proposal.version}


def _voting(people) -> dict:
    return {"proposal": in_voting(people["council_member"]).pk}


def _answered(people) -> dict:
    """A proposal that passed and that the agency answered: what comes next is progress updates."""
    proposal = in_voting(people["council_member"])
    council.vote_cast(actor=people["council_member"], proposal_id=proposal.pk, choice="agree")
    close_now(proposal)
    council.answer_record(actor=people["agency_admin"], proposal_id=proposal.pk, answer="accepted", reasons="Yes")
    return {"proposal": proposal.pk}


def _shares_goals(people) -> dict:
    consent.consent_grant(actor=people["survivor"], agency_id=people["northside"].pk, scopes=["goals", "display_name"])
    return {"survivor": people["survivor"].pk}


def _talking(people) -> dict:
    from survivor_portal.conversations import services as conversations

    consent.consent_grant(actor=people["survivor"], agency_id=people["northside"].pk, scopes=["messages"])
    conversation = conversations.conversation_open(actor=people["survivor"], agency_id=people["northside"].pk)
    return {"agency": people["northside"].pk, "conversation": conversation.pk}


def _slots(people) -> dict:
    consent.consent_grant(actor=people["survivor"], agency_id=people["northside"].pk,
                          scopes=["appointments", "display_name"])
    starts = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    slot, later = (scheduling.slot_create(actor=people["advocate"], starts_at=starts + timedelta(hours=hours),
                                          ends_at=starts + timedelta(hours=hours, minutes=30)) for hours in (0, 2))
    return {"slot": slot.pk, "then": {"slot": later.pk}}


def _times(people) -> dict:
    starts = (timezone.now() + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    return {"starts": starts.isoformat(), "ends": (starts + timedelta(minutes=30)).isoformat(),
            "day": starts.date().isoformat(), "start": starts.strftime("%H:%M"),
            "end": (starts + timedelta(minutes=30)).strftime("%H:%M")}


def _sharing_version(people) -> dict:
    return {"agency": people["northside"].pk, "sharing": consent.sharing_version(people["survivor"], people["northside"].pk)}


def _out(people) -> dict:
    check_in = outreach.check_in_start(actor=people["advocate"], place="Visit north side", back_in_minutes=60)
    return {"outing": check_in.pk, "version": check_in.version}


PROPOSAL = {"problem": "Days are hard for people who work.", "change": "Open later on Thursdays.",
            "affects": "Everyone who uses the drop-in"}

CASES = [
    Case("goal", "survivor", _nothing, ("post", "/api/v1/goals", {"title": WORDS}),
         ("/goals/add", {"title": WORDS, "category": "other"}), htmx=True),
    Case("goal_edit", "survivor", _goal, ("patch", "/api/v1/goals/{goal}", {"title": WORDS}),
         ("/goals/{goal}", {"title": WORDS, "note": "", "category": "other", "status": "not_started",
                            "version": "{version}"})),
    Case("step", "survivor", _goal, ("post", "/api/v1/goals/{goal}/steps", {"text": WORDS}),
         ("/goals/{goal}/steps", {"text": WORDS}), htmx=True),
    Case("step_edit", "survivor", _goal, ("patch", "/api/v1/goals/{goal}/steps/{step}", {"done": True}),
         ("/goals/{goal}/steps/{step}/toggle", {"done": "1"}), kept=None, htmx=True),
    Case("post", "survivor", _circle, ("post", "/api/v1/groups/{group}/posts", {"body": WORDS}),
         ("/groups/{group}/post", {"body": WORDS}), needs=["circle"]),
    Case("post_edit", "survivor", _circle, ("patch", "/api/v1/posts/{post}", {"body": WORDS}),
         ("/groups/posts/{post}/edit", {"body": WORDS, "content_warning": "", "version": "{version}"}),
         needs=["circle"]),
    Case("report", "survivor", _circle, ("post", "/api/v1/posts/{other_post}/reports", {"reason": "spam", "note": WORDS}),
         ("/groups/posts/{other_post}/report", {"reason": "spam", "note": WORDS}), needs=["circle"]),
    Case("agenda", "survivor", _circle, ("post", "/api/v1/groups/{group}/agenda", {"text": WORDS}),
         ("/groups/{group}/agenda", {"text": WORDS}), needs=["circle"]),
    Case("worry", "survivor", _circle, ("post", "/api/v1/posts/{other_post}/worried", {}),
         ("/groups/posts/{other_post}/worried", {}), kept=None, needs=["circle"]),
    Case("check_in", "mentor", _crisis, ("post", "/api/v1/groups/{group}/check-ins", {"post_id": "{crisis_post}", "body": WORDS}),
         ("/groups/{group}/check-ins/new", {"post_id": "{crisis_post}", "body": WORDS}), needs=["circle"]),
    Case("check_in_reply", "survivor", _check_in, ("post", "/api/v1/groups/{group}/check-ins/{check_in}/messages", {"body": WORDS}),
         ("/groups/{group}/check-ins/{check_in}", {"body": WORDS}), needs=["circle"]),
    Case("group", "agency_admin", _nothing, None,
         ("/groups", {"name": WORDS, "purpose": "Talking things through", "language": "en",
                      "agreement": "We are kind."})),
    Case("idea", "survivor", _nothing, ("post", "/api/v1/council/ideas", {"text": WORDS}),
         ("/council/ideas", {"text": WORDS})),
    Case("proposal", "council_member", _nothing, ("post", "/api/v1/council/proposals", {"title": WORDS, **PROPOSAL}),
         ("/council/proposals/new", {"title": WORDS, **PROPOSAL})),
    Case("proposal_edit", "council_member", _proposal,
         ("patch", "/api/v1/council/proposals/{proposal}", {"title": WORDS}),
         ("/council/proposals/{proposal}/edit", {"title": WORDS, **PROPOSAL, "version": "{version}"})),
    Case("comment", "council_member", lambda people: _proposal(people, open_now=True),
         ("post", "/api/v1/council/proposals/{proposal}/comments", {"body": WORDS}),
         ("/council/proposals/{proposal}/comment", {"body": WORDS})),
    Case("vote", "council_member", _voting, ("post", "/api/v1/council/proposals/{proposal}/votes", {"choice": "agree"}),
         ("/council/proposals/{proposal}/vote", {"choice": "agree", "reason": WORDS})),
    Case("council_answer", "agency_admin", _answered,
         ("post", "/api/v1/council/proposals/{proposal}/updates", {"text": WORDS}),
         ("/council/proposals/{proposal}/update", {"text": WORDS})),
    Case("sharing", "survivor", _sharing_version,
         ("post", "/api/v1/consents", {"agency_id": "{agency}", "scopes": ["display_name"], "purpose_note": WORDS}),
         ("/sharing/with/{agency}", {"scopes": ["display_name"], "goal_scope": "all", "purpose": "support",
                                     "purpose_note": WORDS, "days": "90", "sharing": "{sharing}", "confirm": "yes"})),
    Case("suggestion", "advocate", _shares_goals,
         ("post", "/api/v1/agency/survivors/{survivor}/suggestions", {"text": WORDS}),
         ("/agency/people/{survivor}/suggest", {"text": WORDS, "category": "health"})),
    Case("message", "survivor", _talking, ("post", "/api/v1/conversations/{conversation}/messages", {"body": WORDS}),
         ("/messages/with/{agency}/send", {"body": WORDS})),
    Case("booking", "survivor", _slots, ("post", "/api/v1/appointments", {"slot_id": "{slot}"}),
         ("/meetings/book/{slot}", {"contact": "app_only"}), kept=None),
    Case("slot", "advocate", _times, ("post", "/api/v1/slots", {"starts_at": "{starts}", "ends_at": "{ends}"}),
         ("/agency/times/add", {"day": "{day}", "start": "{start}", "end": "{end}", "mode": "in_person",
                                "place_label": WORDS})),
    Case("disclosure", "advocate", _nothing,
         ("post", "/api/v1/agency/disclosures", {"username": "maya", "shared_what": WORDS, "with_whom": "b", "why": "c"}),
         ("/agency/disclosures/new", {"username": "maya", "shared_what": WORDS, "with_whom": "The police",
                                      "why": "A court order"})),
    Case("staff_check_in", "advocate", _nothing,
         ("post", "/api/v1/agency/check-ins", {"place": WORDS, "back_in_minutes": 60}),
         ("/agency/check-ins/start", {"place": WORDS, "back_in_minutes": "60"})),
    Case("staff_check_in_edit", "advocate", _out,
         ("patch", "/api/v1/agency/check-ins/{outing}", {"back_in_minutes": 30}),
         ("/agency/check-ins/{outing}/extend", {"back_in_minutes": "30", "version": "{version}"}), kept=None),
    Case("safety_plan", "survivor", _nothing, ("put", "/api/v1/me/safety-plan", {"people": {"text": WORDS}}),
         ("/plan/part/people", {"text": WORDS, "version": "0"})),
    Case("invite", "agency_admin", _nothing, ("post", "/api/v1/agency/invites", {"role": "survivor"}),
         ("/agency/invites", {"role": "survivor"}), kept=None),
    Case("reset_code", "agency_admin", _nothing, ("post", "/api/v1/agency/reset-codes", {"username": "maya"}),
         ("/agency/reset-codes", {"username": "maya"}), kept="maya"),
    Case("api_key", "agency_admin", _nothing, ("post", "/api/v1/agency/keys", {"name": WORDS}),
         ("/agency/keys", {"name": WORDS})),
]


def _fill(value, values: dict):
    if isinstance(value, str) and value.startswith("{") and value.endswith("}") and value[1:-1] in values:
        return values[value[1:-1]]
    if isinstance(value, str):
        return value.format(**values)
    if isinstance(value, dict):
        return {key: _fill(item, values) for key, item in value.items()}
    return value


def _ready(case: Case, request, monkeypatch, limit: int = 1):
    """Her client and the filled-in values, with the kind's limit at `limit` a minute and no count yet."""
    people = {name: request.getfixturevalue(name) for name in
              ["survivor", "mentor", "council_member", "advocate", "agency_admin", "northside", *case.needs]}
    values = case.setup(people)
    client = logged_in(people[case.who])
    caches["throttle"].clear()  # what the setup wrote is not hers to count here
    monkeypatch.setitem(LIMITS, case.kind, Limit(limit, 100))
    monkeypatch.setattr(write_limits, "_now", lambda: 1_800_000_030.0)  # both tries in one minute
    return client, values


def _api(client, case: Case, values: dict):
    method, path, body = case.api
    return getattr(client, method)(_fill(path, values), json.dumps(_fill(body, values)), content_type="application/json")


def _form(client, case: Case, values: dict, then: bool = False, **headers):
    """The form sent; `then` is her next try, which may name another thing (another free time)."""
    path, data = case.form
    values = {**values, **(values.get("then", {}) if then else {})}
    return client.post(_fill(path, values), _fill(data, values), follow=not headers, **headers)


def test_every_limit_is_tested_through_the_api_and_a_form():
    assert {case.kind for case in CASES} == set(LIMITS)
    assert {case.kind for case in CASES if case.api is None} == {"group"}  # groups are opened on a page only


@pytest.mark.parametrize("case", [case for case in CASES if case.api], ids=lambda case: case.kind)
def test_past_its_limit_the_api_answers_429_with_retry_after_and_kind_words(case, request, monkeypatch):
    client, values = _ready(case, request, monkeypatch)
    first = _api(client, case, values)
    assert first.status_code < 300, first.content[:300]  # under the limit she never sees it
    refused = _api(client, case, values)
    assert refused.status_code == 429, refused.content[:300]
    assert refused["Retry-After"] == "30"
    body = refused.json()
    assert body["code"] == "too_fast" and body["detail"].startswith(SLOW_DOWN)
    assert body["retry_after"] == int(refused["Retry-After"])


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.kind)
def test_past_its_limit_the_form_says_so_and_keeps_what_she_typed(case, request, monkeypatch):
    client, values = _ready(case, request, monkeypatch)
    first = _form(client, case, values)
    assert first.status_code == 200 and SLOW_DOWN not in first.content.decode()  # under the limit: nothing said
    page = _form(client, case, values, then=True)
    html = page.content.decode()
    assert page.status_code == 200 and SLOW_DOWN in html
    if case.kept:  # in the form itself: an input's value or a textarea's text
        assert f'value="{case.kept}"' in html or f"{case.kept}</textarea>" in html


@pytest.mark.parametrize("case", [case for case in CASES if case.htmx], ids=lambda case: case.kind)
def test_past_its_limit_an_htmx_form_gets_its_fragment_with_the_words_and_her_text(case, request, monkeypatch):
    client, values = _ready(case, request, monkeypatch)
    assert _form(client, case, values, HTTP_HX_REQUEST="true").status_code == 200
    fragment = _form(client, case, values, then=True, HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert fragment.status_code == 200 and SLOW_DOWN in html and "<html" not in html
    if case.kept:
        assert f'value="{case.kept}"' in html


@pytest.fixture
def clock(monkeypatch):
    now = {"at": 1_800_000_000.0}  # on a minute and an hour boundary
    monkeypatch.setattr(write_limits, "_now", lambda: now["at"])
    return now


def test_the_page_and_the_api_share_one_count(as_survivor, survivor, monkeypatch):
    monkeypatch.setitem(LIMITS, "goal", Limit(2, 100))
    assert as_survivor.post("/goals/add", {"title": "One", "category": "other"}).status_code == 302
    assert as_survivor.post("/api/v1/goals", json.dumps({"title": "Two"}), content_type="application/json").status_code == 201
    assert as_survivor.post("/api/v1/goals", json.dumps({"title": "Three"}), content_type="application/json").status_code == 429
    page = as_survivor.post("/goals/add", {"title": "Four", "category": "other"})
    assert SLOW_DOWN in page.content.decode() and 'value="Four"' in page.content.decode()
    assert [goal.title for goal in Goal.objects.filter(owner=survivor).order_by("position")] == ["One", "Two"]


def test_a_person_gets_the_shipped_limit_of_goals_a_minute_and_not_one_more(as_survivor, survivor, clock):
    answers = [as_survivor.post("/api/v1/goals", json.dumps({"title": f"Goal {n}"}),
                                content_type="application/json").status_code for n in range(LIMITS["goal"].per_minute + 1)]
    assert answers == [201] * LIMITS["goal"].per_minute + [429]
    assert Goal.objects.filter(owner=survivor).count() == LIMITS["goal"].per_minute


def test_the_words_are_in_her_language(survivor, northside, clock):
    survivor.language = "es"
    survivor.save(update_fields=["language"])
    client = logged_in(survivor)
    for _ in range(LIMITS["idea"].per_minute):
        assert client.post("/api/v1/council/ideas", json.dumps({"text": "Más horas"}), content_type="application/json").status_code == 201
    refused = client.post("/api/v1/council/ideas", json.dumps({"text": "Más horas"}), content_type="application/json")
    assert refused.status_code == 429 and refused.json()["detail"].startswith("Has enviado mucho en poco tiempo.")


# ---- The counts themselves -------------------------------------------------------------------------


def test_counts_are_per_person_and_per_kind_and_start_again_each_minute(survivor, council_member, clock):
    for _ in range(10):
        write_limits.write_counted(actor=survivor, kind="idea")
    with pytest.raises(TooFast) as refused:
        write_limits.write_counted(actor=survivor, kind="idea")
    assert refused.value.retry_after == 60 and refused.value.status == 429
    write_limits.write_counted(actor=council_member, kind="idea")  # someone else
    write_limits.write_counted(actor=survivor, kind="post")  # another kind
    clock["at"] += 45
    with pytest.raises(TooFast) as still:
        write_limits.write_counted(actor=survivor, kind="idea")
    assert still.value.retry_after == 15
    assert "15 seconds" in still.value.message
    clock["at"] += 15
    write_limits.write_counted(actor=survivor, kind="idea")  # a new minute


def test_the_hour_holds_a_patient_script(survivor, clock):
    allowed = 0
    for _minute in range(10):
        for _ in range(LIMITS["idea"].per_minute):
            try:
                write_limits.write_counted(actor=survivor, kind="idea")
                allowed += 1
            except TooFast as refused:
                last = refused
        clock["at"] += 60
    assert allowed == LIMITS["idea"].per_hour
    assert last.retry_after == 60 * 60 - 9 * 60 and "51 minutes" in last.message


def test_when_the_counts_cannot_be_kept_the_write_goes_ahead(settings, survivor):
    settings.CACHES = {**settings.CACHES, "throttle": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}}
    caches["throttle"].close()
    for _ in range(LIMITS["idea"].per_minute + 2):
        write_limits.write_counted(actor=survivor, kind="idea")


def test_an_unknown_kind_is_a_mistake_found_at_import():
    with pytest.raises(KeyError):
        write_limits.write_limit("poems")


def test_the_cache_never_names_who_wrote(survivor):
    write_limits.write_counted(actor=survivor, kind="idea")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM throttle_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert keys and all(key.endswith(write_limits._key("idea", survivor.pk)) for key in keys)
    assert write_limits._key("idea", survivor.pk) == "writes:" + __import__("hashlib").sha256(
        f"idea:{survivor.pk}".encode()).hexdigest()[:40]  # a hash: no kind, no person in the clear


REDIS = "redis://127.0.0.1:6379/13"


@needs_redis(REDIS)
@pytest.mark.parametrize("backend", ["django.core.cache.backends.redis.RedisCache", "survivor_portal.caches.RedisOrTableCache"])
def test_with_redis_a_count_made_by_one_process_holds_in_another(settings, survivor, backend):
    prefix = f"test-{uuid.uuid4().hex}"
    options = {"FALLBACK": {"TABLE": settings.CACHES["throttle"].get("LOCATION", "throttle_cache")}} \
        if backend.endswith("RedisOrTableCache") else {}
    settings.CACHES = {**settings.CACHES, "throttle": {"BACKEND": backend, "LOCATION": REDIS, "KEY_PREFIX": prefix,
                                                      "OPTIONS": options}}
    caches["throttle"].close()
    for _ in range(LIMITS["idea"].per_minute):
        write_limits.write_counted(actor=survivor, kind="idea")
    # Another process is another client of the same server, with nothing in memory: it finds the count there.
    other_process = RedisCache(REDIS, {"KEY_PREFIX": prefix})
    key = write_limits._key("idea", survivor.pk)
    assert other_process.get(key)[1] == LIMITS["idea"].per_minute
    del caches["throttle"]  # this process forgets its cache object too
    with pytest.raises(TooFast):
        write_limits.write_counted(actor=survivor, kind="idea")
    raw = redis.Redis.from_url(REDIS)
    raw.delete(*raw.keys(f"{prefix}:*"))


def test_data_built_in_bulk_by_a_tool_is_not_counted_but_her_next_write_is(survivor, clock):
    with write_limits.not_counted():
        for _ in range(LIMITS["idea"].per_minute * 3):
            write_limits.write_counted(actor=survivor, kind="idea")
    for _ in range(LIMITS["idea"].per_minute):
        write_limits.write_counted(actor=survivor, kind="idea")
    with pytest.raises(TooFast):
        write_limits.write_counted(actor=survivor, kind="idea")
