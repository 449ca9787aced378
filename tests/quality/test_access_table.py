"""The access table: every URL and every API operation, and who may use it. Each persona gets
exactly what the table says; a new route without an entry fails the suite.

"Refused" means 401, 403, 404, or, for someone logged out, a redirect to the start address (the login lives there). Anything else (200, 201, 204,
a redirect elsewhere, 409, 422) means the person reached it."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.db import transaction
from django.urls import get_resolver
from django.utils import timezone

from survivor_portal.api import api
from survivor_portal.consent import services as consent
from survivor_portal.conversations import services as conversations
from survivor_portal.accounts import recovery
from survivor_portal.goals import services as goals
from survivor_portal.goals.models import Goal
from survivor_portal.outreach import services as outreach
from survivor_portal.plans import services as plans
from peer_support.council import services as council
from peer_support.council.models import Proposal
from peer_support.groups import services as groups
from peer_support.groups.models import Membership
from tests.factories import UserFactory
from survivor_portal.scheduling import services as scheduling
from survivor_portal import times as scheduling_times
from tests.conftest import logged_in

ANON, MAYA, ROSA, LIN, SAM, JORDAN, ALEX = "anonymous", "survivor", "mentor", "council", "advocate", "other_advocate", "admin"
EVERYONE = {ANON, MAYA, ROSA, LIN, SAM, JORDAN, ALEX}
LOGGED_IN = EVERYONE - {ANON}
SURVIVORS = {MAYA, ROSA, LIN}
STAFF = {SAM, JORDAN, ALEX}
NORTHSIDE_STAFF = {SAM, ALEX}
HERS = {MAYA}
MEMBERS = {MAYA, ROSA}  # of the Tuesday circle: Maya a member, Rosa its peer mentor; Lin is not in it,
# and is the peer mentor of another group (the Thursday circle), so every row of the Tuesday circle's
# also shows a mentor of another group refused.

# (method, route as Django or OpenAPI spells it, who may, body)
PAGES = [
    ("get", "", EVERYONE, None),
    ("post", "logout", EVERYONE, {}),
    ("post", "language", EVERYONE, {"language": "en", "next": "/staying-safe"}),
    ("get", "account/settings", LOGGED_IN, None),
    ("get", "account/my-data", SURVIVORS, None),
    ("get", "download/export.json", SURVIVORS, None),
    ("get", "download/export.html", SURVIVORS, None),
    ("get", "account/delete", SURVIVORS, None),
    ("post", "account/recovery-codes", SURVIVORS, {}),
    ("get", "account/only-me", SURVIVORS, None),
    ("post", "account/reset-notices/<int:code_id>/seen", HERS, {}),
    ("get", "agency/reset-codes", {ALEX}, None),
    ("get", "account/two-factor/setup", LOGGED_IN, None),
    ("get", "account/two-factor/verify", LOGGED_IN, None),
    ("post", "account/two-factor/backup-codes", STAFF, {}),
    ("post", "account/two-factor/remove", STAFF, {}),
    ("get", "agency/invites", {ALEX}, None),
    ("get", "account/passphrase", LOGGED_IN, None),
    ("post", "account/sessions/<str:session_id>/end", HERS, {}),
    ("post", "account/sessions/end-others", LOGGED_IN, {}),
    ("post", "account/resets/<int:code_id>/stop", HERS, {"secret": "not it"}),
    ("post", "account/agency-resets", SURVIVORS, {"allow": "yes", "secret": "not it"}),
    ("get", "exit", EVERYONE, None),
    ("post", "lock", EVERYONE, {}),
    ("post", "alive", LOGGED_IN, {}),
    ("post", "welcome", LOGGED_IN, {}),
    ("get", "staying-safe", EVERYONE, None),
    ("get", "account/safety", LOGGED_IN, None),
    ("get", "offline", EVERYONE, None),
    ("get", "manifest.webmanifest", EVERYONE, None),
    ("get", "sw.js", EVERYONE, None),
    ("post", "goals/add", SURVIVORS, {"title": "x", "category": "other"}),
    ("get", "goals/order", SURVIVORS, None),
    ("post", "goals/move", HERS, {"move": "{goal}:down"}),
    ("get", "goals/<int:goal_id>", HERS, None),
    ("get", "goals/<int:goal_id>/delete", HERS, None),
    ("post", "goals/<int:goal_id>/restore", HERS, {}),
    ("post", "goals/<int:goal_id>/steps", HERS, {"text": "x"}),
    ("post", "goals/<int:goal_id>/steps/move", HERS, {"move": "{step}:up"}),
    ("post", "goals/<int:goal_id>/steps/<int:step_id>/toggle", HERS, {"done": "1"}),
    ("post", "goals/<int:goal_id>/steps/<int:step_id>/delete", HERS, {}),
    ("get", "sharing", SURVIVORS, None),
    ("get", "sharing/with/<int:agency_id>", SURVIVORS, None),
    ("get", "sharing/<int:grant_id>/stop", HERS, None),
    ("get", "sharing/looks", SURVIVORS, None),
    ("post", "sharing/<int:grant_id>/renew", HERS, {}),
    ("post", "sharing/<int:grant_id>/confirm", HERS, {"answer": "no"}),
    ("post", "sharing/notices/<int:notice_id>/seen", HERS, {}),
    ("post", "sharing/never/<int:agency_id>", SURVIVORS, {"never": "0"}),
    ("post", "suggestions/<int:suggestion_id>/answer", HERS, {"answer": "decline"}),
    ("get", "agency/people", STAFF, None),
    ("get", "agency/people/<int:survivor_id>", NORTHSIDE_STAFF, None),
    ("post", "agency/people/<int:survivor_id>/suggest", NORTHSIDE_STAFF, {"text": "Rest", "category": "health"}),
    ("get", "plan", SURVIVORS, None),
    ("get", "plan/read", SURVIVORS, None),
    ("get", "plan/versions", SURVIVORS, None),
    ("post", "plan/versions/<int:number>/restore", HERS, {"version": "1"}),
    ("post", "plan/review", SURVIVORS, {"every_days": "30"}),
    ("post", "plan/looked", SURVIVORS, {}),
    ("get", "plan/delete", SURVIVORS, None),
    ("post", "plan/delete", SURVIVORS, {}),
    ("get", "plan/part/<slug:key>", SURVIVORS, None),
    ("post", "plan/part/<slug:key>", SURVIVORS, {"text": "Ana", "version": "0"}),
    ("get", "agency/people/<int:survivor_id>/safety-plan", NORTHSIDE_STAFF, None),
    ("post", "agency/people/<int:survivor_id>/safety-plan/suggest", NORTHSIDE_STAFF, {"plan_section": "people", "text": "Rest"}),
    ("get", "agency/consents/new", STAFF, None),
    ("get", "agency/disclosures/new", STAFF, None),
    ("get", "agency/keys", {ALEX}, None),
    ("get", "meetings", SURVIVORS, None),
    ("get", "meetings/book", SURVIVORS, None),
    ("get", "meetings/book/<int:slot_id>", HERS, None),
    ("get", "meetings/preferences", SURVIVORS, None),
    ("get", "meetings/<int:appointment_id>", HERS, None),
    ("get", "meetings/<int:appointment_id>/cancel", HERS, None),
    ("get", "meetings/<int:appointment_id>/move", HERS, None),
    ("post", "meetings/<int:appointment_id>/seen", HERS, {}),
    ("get", "download/event-<int:appointment_id>.ics", HERS, None),
    ("get", "agency/agenda", STAFF, None),
    ("get", "agency/agenda/<int:appointment_id>/cancel", {SAM}, None),
    ("get", "agency/times", STAFF, None),
    ("post", "agency/times/add", STAFF, {}),
    ("post", "agency/times/weekly", STAFF, {}),
    ("post", "agency/times/rules", STAFF, {}),
    ("post", "agency/times/<int:slot_id>/withdraw", {SAM}, {}),
    ("get", "agency/check-ins", STAFF, None),
    ("post", "agency/check-ins/start", STAFF, {"place": "Visit north side", "back_in_minutes": "60"}),
    ("post", "agency/check-ins/<int:check_in_id>/extend", {SAM}, {"back_in_minutes": "30"}),
    ("post", "agency/check-ins/<int:check_in_id>/end", {SAM}, {}),
    ("post", "agency/check-ins/<int:check_in_id>/acknowledge", NORTHSIDE_STAFF, {}),
    ("get", "agency/safety", {ALEX}, None),  # advocates are refused the admin's settings
    ("get", "messages", SURVIVORS, None),
    ("post", "messages/keep", SURVIVORS, {"days": "30"}),
    ("post", "messages/check", {MAYA, SAM, ALEX}, {"agency_id": "{agency}", "survivor_id": "{survivor_id}"}),
    ("get", "messages/with/<int:agency_id>", HERS, None),
    ("post", "messages/with/<int:agency_id>/send", HERS, {"body": "Hi"}),
    ("get", "messages/with/<int:agency_id>/clear", HERS, None),
    ("get", "messages/<int:conversation_id>/new", {MAYA, SAM, ALEX}, None),
    ("post", "messages/sent/<int:message_id>/delete", HERS, {}),
    ("get", "agency/messages", STAFF, None),
    ("get", "agency/messages/<int:survivor_id>", NORTHSIDE_STAFF, None),
    ("post", "agency/messages/<int:survivor_id>/send", NORTHSIDE_STAFF, {"body": "Hi"}),
    ("get", "council", {LIN, ALEX}, None),
    ("get", "council/ideas", SURVIVORS, None),
    ("get", "council/inbox", {LIN}, None),
    ("post", "council/ideas/<int:idea_id>/set-aside", {LIN}, {"note": "Already done"}),
    ("get", "council/proposals/new", {LIN}, None),
    ("get", "council/proposals/<int:proposal_id>", {LIN, ALEX}, None),
    ("get", "council/proposals/<int:proposal_id>/edit", {LIN}, None),
    ("post", "council/proposals/<int:proposal_id>/open", {LIN}, {}),
    ("post", "council/proposals/<int:proposal_id>/withdraw", {LIN}, {}),
    ("post", "council/proposals/<int:proposal_id>/comment", {LIN}, {"body": "Yes"}),
    ("post", "council/proposals/<int:proposal_id>/voting", {LIN}, {"closes_on": "{closes_on}"}),
    ("post", "council/proposals/<int:proposal_id>/vote", {LIN}, {"choice": "agree"}),
    ("post", "council/proposals/<int:proposal_id>/answer", {ALEX}, {"answer": "accepted", "reasons": "Yes"}),
    ("post", "council/proposals/<int:proposal_id>/update", {ALEX}, {"text": "Started"}),
    ("get", "what-changed", LOGGED_IN, None),
    ("get", "groups", SURVIVORS | {ALEX}, None),
    ("get", "groups/<int:group_id>", MEMBERS, None),
    ("get", "groups/<int:group_id>/join", SURVIVORS, None),
    ("get", "groups/<int:group_id>/new", MEMBERS, None),
    ("post", "groups/<int:group_id>/post", MEMBERS, {"body": "Hi"}),
    ("get", "groups/<int:group_id>/leave", MEMBERS, None),
    ("post", "groups/<int:group_id>/block", MEMBERS, {"membership_id": "{membership_id}"}),
    ("get", "groups/<int:group_id>/agenda", MEMBERS, None),
    ("post", "groups/<int:group_id>/meeting", {ROSA}, {}),
    ("post", "groups/<int:group_id>/mentors", {ALEX}, {"username": "rosa"}),
    ("post", "groups/<int:group_id>/mentors/<int:membership_id>/step-down", {ALEX}, {}),
    ("post", "groups/peer-mentors", {ALEX}, {"username": "maya"}),
    ("post", "groups/peer-mentors/<int:user_id>/stop", {ALEX}, {}),
    ("post", "council/members", {ALEX}, {"username": "maya"}),
    ("post", "council/members/<int:user_id>/stop", {ALEX}, {}),
    ("get", "groups/<int:group_id>/moderation", {ROSA, ALEX}, None),  # Alex: what no other mentor can look at
    ("post", "groups/<int:group_id>/agreement", {ROSA}, {"agreement": "Be kind"}),
    ("get", "groups/<int:group_id>/log", {ROSA, ALEX}, None),
    ("post", "groups/<int:group_id>/members/<int:membership_id>/mute", {ROSA}, {"duration": "1h"}),
    ("post", "groups/<int:group_id>/members/<int:membership_id>/remove", {ROSA}, {}),
    ("post", "groups/<int:group_id>/members/<int:membership_id>/admit", {ROSA}, {}),
    ("post", "groups/<int:group_id>/members/<int:membership_id>/decline", {ROSA}, {}),
    ("get", "groups/posts/<int:post_id>/edit", HERS, None),
    ("post", "groups/posts/<int:post_id>/delete", HERS, {}),
    ("get", "groups/posts/<int:post_id>/report", MEMBERS, None),
    ("post", "groups/posts/<int:post_id>/hide", {ROSA}, {"reason": "Unkind"}),
    ("post", "groups/posts/<int:post_id>/restore", {ROSA}, {}),
    ("post", "groups/posts/<int:post_id>/dismiss", {ROSA}, {}),
    ("post", "groups/posts/<int:post_id>/worried", MEMBERS, {}),  # Maya: her own post, told she cannot
    ("post", "groups/<int:group_id>/check-ins/new", {ROSA}, {"post_id": "{crisis_post_id}", "body": "Hi"}),
    ("post", "groups/<int:group_id>/check-ins/refuse", MEMBERS, {"refused": "0"}),
    ("get", "groups/<int:group_id>/check-ins/<int:check_in_id>", {MAYA, ROSA}, None),
    ("get", "groups/<int:group_id>/check-ins/<int:check_in_id>/new", {MAYA, ROSA}, None),
    ("post", "groups/<int:group_id>/check-ins/<int:check_in_id>/share", HERS, {"allow": "0"}),
    ("post", "groups/agenda/<int:item_id>/support", MEMBERS, {}),
    ("post", "groups/agenda/<int:item_id>/discussed", {ROSA}, {}),
]
OPERATIONS = [
    ("get", "/api/v1/auth/csrf", EVERYONE, None),
    ("post", "/api/v1/auth/login", EVERYONE, {}),
    ("post", "/api/v1/auth/join", EVERYONE, {}),
    ("post", "/api/v1/auth/logout", EVERYONE, {}),
    ("get", "/api/v1/me", LOGGED_IN, None),
    ("patch", "/api/v1/me", LOGGED_IN, {}),
    ("get", "/api/v1/me/export", SURVIVORS, None),
    ("post", "/api/v1/me/backup-codes", SURVIVORS, {"passphrase": "not the passphrase"}),
    ("post", "/api/v1/me/only-me/open", SURVIVORS, {"passphrase": "not the passphrase"}),
    ("post", "/api/v1/auth/recover", EVERYONE, {"username": "maya", "code": "wrong", "passphrase": "x", "passphrase_again": "x"}),
    ("post", "/api/v1/agency/reset-codes", {ALEX}, {"username": "maya"}),
    ("post", "/api/v1/me/delete", SURVIVORS, {"passphrase": "not the passphrase"}),
    ("get", "/api/v1/me/sessions", LOGGED_IN, None),
    ("delete", "/api/v1/me/sessions", LOGGED_IN, None),
    ("delete", "/api/v1/me/sessions/{session_id}", HERS, None),
    ("get", "/api/v1/me/resets", SURVIVORS, None),
    ("post", "/api/v1/me/resets/{code_id}/stop", HERS, {"secret": "not it"}),
    ("put", "/api/v1/me/agency-resets", SURVIVORS, {"allow": True, "secret": "not it"}),
    ("post", "/api/v1/me/passphrase", LOGGED_IN, {"current": "not it", "new": "x", "new_again": "x"}),
    ("get", "/api/v1/me/safety", LOGGED_IN, None),
    ("put", "/api/v1/me/safety", LOGGED_IN, {"disguise": "plain"}),
    ("post", "/api/v1/me/safety/lock", LOGGED_IN, {}),
    ("post", "/api/v1/me/safety/unlock", LOGGED_IN, {"secret": "x"}),
    ("put", "/api/v1/me/safety/pin", LOGGED_IN, {"pin": "1234", "pin_again": "1234"}),
    ("get", "/api/v1/agency/invites", {ALEX}, None),
    ("post", "/api/v1/agency/invites", {ALEX}, {"role": "survivor"}),
    ("get", "/api/v1/goals", SURVIVORS, None),
    ("post", "/api/v1/goals", SURVIVORS, {"title": "x"}),
    ("put", "/api/v1/goals/order", SURVIVORS, {"ids": []}),
    ("get", "/api/v1/goals/{goal_id}", HERS, None),
    ("patch", "/api/v1/goals/{goal_id}", HERS, {}),
    ("delete", "/api/v1/goals/{goal_id}", HERS, None),
    ("post", "/api/v1/goals/{goal_id}/restore", HERS, {}),
    ("post", "/api/v1/goals/{goal_id}/steps", HERS, {"text": "x"}),
    ("put", "/api/v1/goals/{goal_id}/steps/order", HERS, {"ids": []}),
    ("patch", "/api/v1/goals/{goal_id}/steps/{step_id}", HERS, {}),
    ("delete", "/api/v1/goals/{goal_id}/steps/{step_id}", HERS, None),
    ("post", "/api/v1/goals/{goal_id}/move", HERS, {"to": "down"}),
    ("get", "/api/v1/consents", SURVIVORS, None),
    ("post", "/api/v1/consents", SURVIVORS, {"agency_id": "{agency}", "scopes": ["display_name"]}),
    ("get", "/api/v1/consents/access-log", SURVIVORS, None),
    ("get", "/api/v1/consents/disclosures", SURVIVORS, None),
    ("post", "/api/v1/consents/disclosures/{notice_id}/acknowledge", HERS, {}),
    ("post", "/api/v1/consents/never-share", SURVIVORS, {"agency_id": "{agency}", "never": False}),
    ("get", "/api/v1/consents/suggestions", SURVIVORS, None),
    ("post", "/api/v1/consents/suggestions/{suggestion_id}/answer", HERS, {"take": False}),
    ("get", "/api/v1/consents/{grant_id}", HERS, None),
    ("post", "/api/v1/consents/{grant_id}/renew", HERS, {}),
    ("post", "/api/v1/consents/{grant_id}/confirm", HERS, {"yes": False}),
    ("post", "/api/v1/consents/{grant_id}/withdraw", HERS, {}),
    ("get", "/api/v1/agency/survivors", STAFF, None),
    ("get", "/api/v1/agency/survivors/{survivor_id}/goals", NORTHSIDE_STAFF, None),
    ("get", "/api/v1/agency/survivors/{survivor_id}/safety-plan", NORTHSIDE_STAFF, None),
    ("get", "/api/v1/me/safety-plan", SURVIVORS, None),
    ("put", "/api/v1/me/safety-plan", SURVIVORS, {}),
    ("delete", "/api/v1/me/safety-plan", SURVIVORS, None),
    ("get", "/api/v1/me/safety-plan/versions", SURVIVORS, None),
    ("post", "/api/v1/me/safety-plan/versions/{number}/restore", HERS, {}),
    ("put", "/api/v1/me/safety-plan/review", SURVIVORS, {"every_days": 30}),
    ("post", "/api/v1/agency/disclosures", NORTHSIDE_STAFF,
     {"username": "maya", "shared_what": "a", "with_whom": "b", "why": "c"}),
    ("get", "/api/v1/agency/keys", {ALEX}, None),
    ("post", "/api/v1/agency/keys", {ALEX}, {"name": "Case system"}),
    ("delete", "/api/v1/agency/keys/{key_id}", {ALEX}, None),
    ("post", "/api/v1/agency/consents", NORTHSIDE_STAFF, {"username": "maya", "scopes": ["display_name"]}),
    ("post", "/api/v1/agency/survivors/{survivor_id}/suggestions", NORTHSIDE_STAFF, {"text": "Rest"}),
    ("get", "/api/v1/agency/survivors/{survivor_id}/appointments", NORTHSIDE_STAFF, None),
    ("get", "/api/v1/slots", LOGGED_IN, None),
    ("post", "/api/v1/slots", STAFF, {"starts_at": "{starts}", "ends_at": "{ends}"}),
    ("post", "/api/v1/slots/weekly", STAFF,
     {"weekdays": [0, 1, 2, 3, 4, 5, 6], "start_time": "06:00", "end_time": "06:30", "slot_minutes": 30, "weeks": 2}),
    ("get", "/api/v1/slots/rules", STAFF, None),
    ("put", "/api/v1/slots/rules", STAFF, {"min_notice_minutes": 120, "buffer_minutes": 0}),
    ("delete", "/api/v1/slots/{slot_id}", {SAM}, None),
    ("get", "/api/v1/appointments", LOGGED_IN, None),
    ("post", "/api/v1/appointments", HERS, {"slot_id": "{slot_id}"}),
    ("get", "/api/v1/appointments/preferences", SURVIVORS, None),
    ("put", "/api/v1/appointments/preferences", SURVIVORS, {"code_word": "bluebird"}),
    ("get", "/api/v1/appointments/{appointment_id}", {MAYA, SAM}, None),
    ("post", "/api/v1/appointments/{appointment_id}/cancel", {MAYA, SAM}, {"reason": "Sorry, I am ill today"}),
    ("post", "/api/v1/appointments/{appointment_id}/move", HERS, {"slot_id": "{slot_id}"}),
    ("post", "/api/v1/appointments/{appointment_id}/seen", HERS, {}),
    ("get", "/api/v1/appointments/{appointment_id}/ics", HERS, None),
    ("get", "/api/v1/agency/check-ins", STAFF, None),
    ("post", "/api/v1/agency/check-ins", STAFF, {"place": "Visit north side", "back_in_minutes": 60}),
    ("patch", "/api/v1/agency/check-ins/{check_in_id}", {SAM}, {"back_in_minutes": 30}),
    ("post", "/api/v1/agency/check-ins/{check_in_id}/acknowledge", NORTHSIDE_STAFF, {}),
    ("get", "/api/v1/agency/safety-settings", {ALEX}, None),
    ("put", "/api/v1/agency/safety-settings", {ALEX}, {"grace_minutes": 20}),
    ("get", "/api/v1/conversations", LOGGED_IN, None),
    ("post", "/api/v1/conversations", {MAYA, SAM, ALEX}, {"agency_id": "{agency}", "survivor_id": "{survivor_id}"}),
    ("get", "/api/v1/conversations/{conversation_id}/messages", {MAYA, SAM, ALEX}, None),
    ("post", "/api/v1/conversations/{conversation_id}/messages", {MAYA, SAM, ALEX}, {"body": "Hi"}),
    ("delete", "/api/v1/messages/{message_id}", HERS, None),
    ("get", "/api/v1/me/messages/keep-days", SURVIVORS, None),
    ("put", "/api/v1/me/messages/keep-days", SURVIVORS, {"days": 30}),
    ("get", "/api/v1/council/ideas", SURVIVORS, None),
    ("post", "/api/v1/council/ideas", SURVIVORS, {"text": "Evening hours"}),
    ("get", "/api/v1/council/proposals", {LIN, ALEX}, None),
    ("post", "/api/v1/council/proposals", {LIN}, {"title": "t", "problem": "p", "change": "c", "affects": "a"}),
    ("get", "/api/v1/council/proposals/{proposal_id}", {LIN, ALEX}, None),
    ("patch", "/api/v1/council/proposals/{proposal_id}", {LIN}, {"title": "Another title"}),
    ("post", "/api/v1/council/proposals/{proposal_id}/comments", {LIN}, {"body": "Yes"}),
    ("post", "/api/v1/council/proposals/{proposal_id}/open-voting", {LIN}, {"closes_on": "{closes_on}"}),
    ("post", "/api/v1/council/proposals/{proposal_id}/votes", {LIN}, {"choice": "agree"}),
    ("post", "/api/v1/council/proposals/{proposal_id}/answer", {ALEX}, {"answer": "accepted", "reasons": "Yes"}),
    ("post", "/api/v1/council/proposals/{proposal_id}/updates", {ALEX}, {"text": "Started"}),
    ("get", "/api/v1/council/changes", LOGGED_IN, None),
    ("get", "/api/v1/groups", SURVIVORS | {ALEX}, None),
    ("get", "/api/v1/groups/{group_id}", SURVIVORS, None),
    ("post", "/api/v1/groups/{group_id}/join", SURVIVORS, {"alias": "New Name", "agreed": True}),
    ("post", "/api/v1/groups/{group_id}/leave", MEMBERS, {}),
    ("get", "/api/v1/groups/{group_id}/posts", MEMBERS, None),
    ("post", "/api/v1/groups/{group_id}/posts", MEMBERS, {"body": "Hi"}),
    ("patch", "/api/v1/posts/{post_id}", HERS, {"body": "Hi again"}),
    ("delete", "/api/v1/posts/{post_id}", HERS, None),
    ("post", "/api/v1/posts/{post_id}/reports", MEMBERS, {"reason": "spam"}),
    ("post", "/api/v1/posts/{post_id}/hide", {ROSA}, {"reason": "Unkind"}),
    ("post", "/api/v1/posts/{post_id}/restore", {ROSA}, {}),
    ("post", "/api/v1/posts/{post_id}/dismiss", {ROSA}, {}),
    ("get", "/api/v1/groups/{group_id}/moderation/queue", {ROSA, ALEX}, None),
    ("get", "/api/v1/groups/{group_id}/moderation/log", {ROSA, ALEX}, None),
    ("get", "/api/v1/groups/peer-mentors", {ALEX}, None),
    ("post", "/api/v1/groups/peer-mentors", {ALEX}, {"username": "maya"}),
    ("delete", "/api/v1/groups/peer-mentors/{user_id}", {ALEX}, None),
    ("get", "/api/v1/groups/{group_id}/mentors", {ALEX}, None),
    ("post", "/api/v1/groups/{group_id}/mentors", {ALEX}, {"username": "rosa"}),
    ("delete", "/api/v1/groups/{group_id}/mentors/{membership_id}", {ALEX}, None),
    ("get", "/api/v1/council/members", {ALEX}, None),
    ("post", "/api/v1/council/members", {ALEX}, {"username": "maya"}),
    ("delete", "/api/v1/council/members/{user_id}", {ALEX}, None),
    ("post", "/api/v1/groups/{group_id}/members/{membership_id}/mute", {ROSA}, {"duration": "1h"}),
    ("post", "/api/v1/groups/{group_id}/members/{membership_id}/remove", {ROSA}, {}),
    ("post", "/api/v1/groups/{group_id}/blocks", MEMBERS, {"membership_id": "{membership_id}"}),
    ("get", "/api/v1/groups/{group_id}/agenda", MEMBERS, None),
    ("post", "/api/v1/groups/{group_id}/agenda", MEMBERS, {"text": "Sleep"}),
    ("post", "/api/v1/agenda/{item_id}/support", MEMBERS, {}),
    ("post", "/api/v1/posts/{post_id}/worried", MEMBERS, {}),
    ("get", "/api/v1/groups/{group_id}/check-ins", MEMBERS, None),
    ("post", "/api/v1/groups/{group_id}/check-ins", {ROSA}, {"post_id": "{crisis_post_id}", "body": "Hi"}),  # 409: one is open
    ("get", "/api/v1/groups/{group_id}/check-ins/{check_in_id}", {MAYA, ROSA}, None),
    ("post", "/api/v1/groups/{group_id}/check-ins/{check_in_id}/messages", {MAYA, ROSA}, {"body": "Hi"}),
    ("put", "/api/v1/groups/{group_id}/check-ins/{check_in_id}/mentors-may-read", HERS, {"allow": False}),
    ("put", "/api/v1/groups/{group_id}/check-ins/refused", MEMBERS, {"refused": False}),
]


def _page_routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            if not route.startswith(("admin/", "api/v1/")):
                yield from _page_routes(pattern.url_patterns, route)
        else:
            yield route


def test_every_route_and_operation_has_an_entry():
    pages = set(_page_routes(get_resolver().url_patterns))
    operations = {(method, path) for path, ops in api.get_openapi_schema()["paths"].items() for method in ops}
    assert pages == {route for _m, route, _w, _b in PAGES}
    assert operations == {(method, route) for method, route, _w, _b in OPERATIONS}


def _personas() -> dict:
    """The same people as tests/conftest.py, made once for this module."""
    from survivor_portal.accounts.models import User
    from tests.factories import AgencyFactory, StaffFactory

    northside = AgencyFactory(name="Northside Shelter")
    eastbridge = AgencyFactory(name="Eastbridge Legal Aid", time_zone="America/Chicago")
    return {
        "northside": northside,
        "survivor": UserFactory(username="maya", display_name="Maya", agency=northside),
        "mentor": UserFactory(username="rosa", display_name="Rosa", agency=northside, is_peer_mentor=True),
        "council_member": UserFactory(username="lin", display_name="Lin", agency=northside, is_council_member=True,
                                      is_peer_mentor=True),  # of another group (the world makes it)
        "advocate": StaffFactory(username="sam", display_name="Sam", agency=northside),
        "other_advocate": StaffFactory(username="jordan", display_name="Jordan", agency=eastbridge),
        "agency_admin": StaffFactory(username="alex", display_name="Alex", agency=northside, role=User.Role.AGENCY_ADMIN),
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module, inside a transaction. Each test runs in a savepoint within it
    (the `db` fixture) and is rolled back; at the end the whole world is rolled back too."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world(**_personas())
        transaction.set_rollback(True)


def _build_world(survivor, mentor, council_member, advocate, other_advocate, agency_admin, northside):
    goal = goals.goal_create(actor=survivor, title="Find a flat", category="housing")
    goals.goal_create(actor=survivor, title="Second", category="work")
    gone = goals.goal_create(actor=survivor, title="Gone", category="work")
    goals.goal_delete(actor=survivor, goal_id=gone.pk)
    step = goals.step_create(actor=survivor, goal_id=goal.pk, text="Call")
    goals.step_create(actor=survivor, goal_id=goal.pk, text="Visit")
    grant = consent.consent_grant(actor=survivor, agency_id=northside.pk,
                                  scopes=["goals", "appointments", "messages", "display_name", "safety_plan"])
    plans.plan_save(actor=survivor, sections={"people": {"text": "Sister"}, "code_word": {"text": "x", "private": True}})
    conversation = conversations.conversation_open(actor=survivor, agency_id=northside.pk)
    message = conversations.message_send(actor=survivor, conversation_id=conversation.pk, body="Hello")
    starts = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    booked_slot = scheduling.slot_create(actor=advocate, starts_at=starts, ends_at=starts + timedelta(minutes=30))
    free_slot = scheduling.slot_create(actor=advocate, starts_at=starts + timedelta(hours=1),
                                       ends_at=starts + timedelta(hours=1, minutes=30))
    appointment = scheduling.appointment_book(actor=survivor, slot_id=booked_slot.pk)
    idea = council.idea_send(actor=survivor, text="Evening hours")
    proposal_text = {"title": "T", "problem": "P", "change": "C", "affects": "A"}
    discussed = council.proposal_create(actor=council_member, open_now=True, **proposal_text)
    closes_on = scheduling_times.today_in(northside) + timedelta(days=5)
    voting, passed, answered = (council.proposal_create(actor=council_member, open_now=True, **proposal_text) for _ in range(3))
    for proposal in (voting, passed, answered):
        council.voting_open(actor=council_member, proposal_id=proposal.pk, closes_on=closes_on)
    for proposal in (passed, answered):
        council.vote_cast(actor=council_member, proposal_id=proposal.pk, choice="agree")
        Proposal.objects.filter(pk=proposal.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
        council.settle(Proposal.objects.get(pk=proposal.pk))
    council.answer_record(actor=agency_admin, proposal_id=answered.pk, answer="accepted", reasons="Yes")
    circle = groups.group_create(actor=agency_admin, name="Tuesday circle", purpose="Talk", agreement="Be kind")
    groups.mentor_appoint(actor=agency_admin, group_id=circle.pk, username="rosa")
    other_circle = groups.group_create(actor=agency_admin, name="Thursday circle", purpose="Talk", agreement="Be kind")
    groups.mentor_appoint(actor=agency_admin, group_id=other_circle.pk, username=council_member.username)
    groups.join(actor=survivor, group_id=circle.pk, alias="Blue Lake", agreed=True)
    peer = groups.join(actor=UserFactory(username="peer", agency=northside), group_id=circle.pk, alias="Red Kite", agreed=True)
    asking = Membership.objects.create(group=circle, user=UserFactory(username="asking", agency=northside), alias="Asking",
                                       state=Membership.State.REQUESTED)
    post = groups.post_create(actor=survivor, group_id=circle.pk, body="Hello")
    crisis = groups.post_create(actor=survivor, group_id=circle.pk, body="Some nights I want to die")
    check_in = groups.check_in_start(actor=mentor, group_id=circle.pk, post_id=crisis.pk, body="How are you?")
    item = groups.agenda_add(actor=survivor, group_id=circle.pk, text="Sleep")
    reset, _reset_code = recovery.reset_code_issue(actor=agency_admin, username="maya")
    pending = consent.consent_record_for(actor=agency_admin, username="maya", scopes=["display_name"])
    notice = consent.disclosure_record(actor=advocate, username="maya", shared_what="a", with_whom="b", why="c")
    suggestion = consent.suggestion_make(actor=advocate, survivor_id=survivor.pk, text="Rest")
    key, _secret = consent.api_key_create(actor=agency_admin, name="Case system")
    outing = outreach.check_in_start(actor=advocate, place="Visit north side", back_in_minutes=5)
    logged_in(survivor)  # another phone of hers, for the routes that log one out
    her_other_session = survivor.login_sessions.get().handle
    ids = {"goal_id": goal.pk, "step_id": step.pk, "grant_id": grant.pk, "notice_id": notice.pk,
           "suggestion_id": suggestion.pk, "agency_id": northside.pk, "survivor_id": survivor.pk, "key_id": key.pk,
           "slot_id": free_slot.pk, "appointment_id": appointment.pk, "idea_id": idea.pk,
           "conversation_id": conversation.pk, "message_id": message.pk,
           "proposal_id": discussed.pk, "closes_on": closes_on.isoformat(),
           "group_id": circle.pk, "membership_id": peer.pk, "post_id": post.pk, "item_id": item.pk,
           "crisis_post_id": crisis.pk, "check_in_id": check_in.pk, "code_id": reset.pk, "session_id": her_other_session,
           "starts": (starts + timedelta(days=1)).isoformat(), "ends": (starts + timedelta(days=1, minutes=30)).isoformat(),
           "goal": goal.pk, "step": step.pk, "agency": northside.pk, "number": 1, "key": "people"}
    people = {MAYA: survivor, ROSA: mentor, LIN: council_member, SAM: advocate, JORDAN: other_advocate, ALEX: agency_admin}
    return ids, people, {"rosa": mentor.pk, "lin": council_member.pk, "rosa_membership": circle.memberships.get(user=mentor).pk,
                         "pending_grant_id": pending.pk, "outing": outing.pk, "deleted_goal_id": gone.pk,
                         "voting": voting.pk, "passed": passed.pk, "answered": answered.pk, "asking": asking.pk}


def _ids_for(route: str, ids: dict, extra: dict) -> dict:
    if route.startswith(("agency/check-ins", "/api/v1/agency/check-ins")):
        return {**ids, "check_in_id": extra["outing"]}  # staff check-ins, not a mentor's in a group
    ids = {**ids, "user_id": extra["lin"] if "council/members" in route else extra["rosa"]}
    if "/mentors/" in route:
        return {**ids, "membership_id": extra["rosa_membership"]}
    if route.endswith(("/admit", "/decline")):
        return {**ids, "membership_id": extra["asking"]}
    for ending, which in (("/vote", "voting"), ("/votes", "voting"), ("/answer", "passed"), ("/update", "answered"),
                          ("/updates", "answered")):
        if route.endswith(ending):
            return {**ids, "proposal_id": extra[which]}
    if route.endswith("/confirm"):
        return {**ids, "grant_id": extra["pending_grant_id"]}
    if route.endswith("/restore"):
        # Still inside its Undo window, however long ago the world was built.
        Goal.objects.filter(pk=extra["deleted_goal_id"]).update(deleted_at=timezone.now())
        return {**ids, "goal_id": extra["deleted_goal_id"]}
    return ids


def _fill(text: str, ids: dict) -> str:
    for name, value in ids.items():
        text = (text.replace(f"<int:{name}>", str(value)).replace(f"<str:{name}>", str(value))
                .replace(f"<slug:{name}>", str(value)).replace(f"{{{name}}}", str(value)))
    return text


def _client(persona: str, people: dict) -> Client:
    return Client() if persona == ANON else logged_in(people[persona])


def _refused(answer, persona: str) -> bool:
    if answer.has_header("Clear-Site-Data"):
        return False  # logout and exit: reached, whoever asked
    if answer.status_code in (401, 403, 404):
        return True
    return persona == ANON and answer.status_code == 302 and answer["Location"] == "/"


@pytest.mark.parametrize("persona", sorted(EVERYONE))
@pytest.mark.parametrize("method, route, allowed, body", PAGES, ids=[f"{m} /{r}" for m, r, _a, _b in PAGES])
def test_pages_follow_the_table(db, world, persona, method, route, allowed, body):
    ids, people, extra = world
    ids = _ids_for(route, ids, extra)
    path = "/" + _fill(route, ids)
    data = {key: _fill(str(value), ids) for key, value in (body or {}).items()}
    answer = getattr(_client(persona, people), method)(path, data) if method == "post" else _client(persona, people).get(path)
    assert _refused(answer, persona) == (persona not in allowed), (persona, method, path, answer.status_code, answer.get("Location"))


@pytest.mark.parametrize("persona", sorted(EVERYONE))
@pytest.mark.parametrize("method, route, allowed, body", OPERATIONS, ids=[f"{m} {r}" for m, r, _a, _b in OPERATIONS])
def test_api_follows_the_table(db, world, persona, method, route, allowed, body):
    ids, people, extra = world
    ids = _ids_for(route, ids, extra)
    path = _fill(route, ids)
    client = _client(persona, people)
    if body is None:
        answer = getattr(client, method)(path)
    else:
        payload = json.loads(_fill(json.dumps(body), ids))
        payload = {key: int(value) if key.endswith("_id") and str(value).isdigit() else value for key, value in payload.items()}
        answer = getattr(client, method)(path, json.dumps(payload), content_type="application/json")
    assert _refused(answer, persona) == (persona not in allowed), (persona, method, path, answer.status_code, answer.content[:200])
