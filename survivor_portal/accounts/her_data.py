"""Everything the app holds about her: to take with her (export) or to have gone (deletion).
When a new kind of data about survivors lands, it belongs in both functions here."""

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peer_support.council.models import Comment, Idea, Proposal, Vote
from peer_support.groups.models import AgendaItem, Block, CheckIn, CheckInMessage, Membership, Post, Report, Worry
from survivor_portal.accounts.login_sessions import sessions_end_all
from survivor_portal.accounts.models import ResetCode, User
from survivor_portal.accounts.services import passphrase_confirm
from survivor_portal.consent.models import AccessEvent, ConsentGrant, DisclosureNotice, NeverShare, Suggestion
from survivor_portal.consent.selectors import look_sentence
from survivor_portal.conversations.models import Conversation, Message, MessageSettings
from survivor_portal.errors import Invalid, NotFound
from survivor_portal.goals import sealing
from survivor_portal.goals.models import Goal
from survivor_portal import times
from survivor_portal.scheduling.models import Appointment, MeetingPrefs, Mode
from survivor_portal.scheduling.services import hide_finished_contact
from survivor_portal.safety.disguises import DISGUISES, EXIT_CHOICES
from survivor_portal.safety.models import SafetySettings


class _ForMachines:
    """The JSON file: codes, ISO times, true/false, as other software reads them."""

    def when(self, moment) -> str | None:
        return moment.isoformat() if moment else None

    day = when

    def label(self, choices, code):
        return code if code != "" else None

    def labels(self, choices, codes: list) -> list:
        return list(codes)

    def yes(self, value: bool) -> bool:
        return value


class _ForHer(_ForMachines):
    """The page she reads: times as people write them on her agency's clock, and every code as
    the words the app shows for it, in her language."""

    def when(self, moment) -> str | None:
        return times.when(moment) if moment else None

    def day(self, value) -> str | None:
        return times.day(value) if value else None

    def label(self, choices, code):
        if code in ("", None):
            return None
        names = choices if isinstance(choices, dict) else dict(choices.choices)
        name = names.get(code, code)
        return None if name is None else str(name)

    def labels(self, choices, codes: list) -> list:
        return [self.label(choices, code) for code in codes]

    def yes(self, value: bool) -> str:
        return _("Yes") if value else _("No")


def _scope_names() -> dict:
    return {"goals": _("your goals"), "appointments": _("your appointments with them"),
            "messages": _("the messages you write with them"), "display_name": _("the name you use here"),
            "safety_plan": _("your safety plan")}


def export_for(*, viewer: User, readable: bool = False, her_key=None) -> dict:
    """Her data, in plain keys: for the JSON file, or (readable) for the page she reads.
    "Only me" goals come opened with `her_key` (her session's, accounts.only_me); without it,
    they say they could not be opened here rather than carry sealed text."""
    if not viewer.is_authenticated or not viewer.is_survivor:
        raise NotFound(_("We could not find that."))
    shown = _ForHer() if readable else _ForMachines()
    when, day, label, yes = shown.when, shown.day, shown.label, shown.yes
    safety = SafetySettings.objects.filter(user=viewer).first()
    prefs = MeetingPrefs.objects.filter(survivor=viewer).first()
    return {
        "exported_at": when(timezone.now()),
        "profile": {"username": viewer.username, "display_name": viewer.display_name,
                    "language": label(dict(User.LANGUAGE_CHOICES), viewer.language),
                    "agency": viewer.agency.name if viewer.agency_id else None, "joined": when(viewer.date_joined),
                    "idle_minutes": label(dict(User.IDLE_CHOICES), viewer.idle_minutes) if readable else viewer.idle_minutes,
                    "peer_mentor": yes(viewer.is_peer_mentor), "agency_can_reset": yes(viewer.allows_agency_reset),
                    "council_member": yes(viewer.is_council_member)},
        "safety": {"disguise": label({k: d.label for k, d in DISGUISES.items()}, safety.disguise) if safety else None,
                   "exit_site": label({k: name for k, (_url, name) in EXIT_CHOICES.items()}, safety.exit_choice) if safety else None,
                   "lock_when_hidden": yes(safety.lock_when_hidden) if safety else None},
        "never_share_with": [n.agency.name for n in NeverShare.objects.filter(survivor=viewer).select_related("agency")],
        "reset_codes_made": [{"by": r.issued_by_label, "agency": r.agency_label, "at": when(r.created_at),
                              "someone_used_it": when(r.started_at), "stopped": when(r.stopped_at),
                              "new_passphrase_set": when(r.used_at),
                              "could_never_work_because": label(_reset_blocked_names(), r.blocked)}
                             for r in ResetCode.objects.filter(user=viewer)],
        "goals": [
            {"title": g.title, "note": g.note, "category": label(Goal.Category, g.category),
             "status": label(Goal.Status, g.status), "keep_private": label({True: _("only you see it"), False: None}, g.keep_private), "target_date": day(g.target_date),
             "only_me": label({True: _("only you can open it"), False: None}, g.only_me),
             "opened": label({"": None, "closed": _("not opened: type your passphrase in the app first"),
                              "lost": _("kept with your old passphrase: it cannot be opened")}, g.sealed),
             "steps": [{"text": s.text, "done": yes(s.done)} for s in g.steps.all()]}
            for g in sealing.show(list(Goal.objects.filter(owner=viewer, deleted_at__isnull=True).order_by("position")
                                       .prefetch_related("steps")), her_key, steps=True)
        ],
        "sharing": [
            {"agency": g.agency.name, "what": g.receipt_text, "scopes": shown.labels(_scope_names(), g.scopes),
             "purpose": label(ConsentGrant.Purpose, g.purpose), "from": when(g.starts_at),
             "until": when(g.expires_at), "ended": when(g.ended_at), "ended_because": label(ConsentGrant.EndReason, g.end_reason),
             "given_via": label(_given_via_names(), g.given_via), "held_back_because_you_never_share": label(
                 {True: _("recorded by staff, never shown to you or used: you never share with them"), False: None}, g.withheld)}
            for g in ConsentGrant.objects.filter(survivor=viewer).select_related("agency")
        ],
        "who_has_looked": [{"sentence": look_sentence(e), "at": when(e.at), "via": label(_via_names(), e.via)}
                           for e in AccessEvent.objects.filter(survivor=viewer).select_related("agency")],
        "disclosure_notices": [
            {"agency": n.agency.name, "by": n.author_label, "what": n.shared_what, "with_whom": n.with_whom, "why": n.why,
             "at": when(n.at), "read": when(n.acknowledged_at)}
            for n in DisclosureNotice.objects.filter(survivor=viewer).select_related("agency")
        ],
        "suggestions": [{"from": s.author_label, "text": s.text, "status": label(Suggestion.Status, s.status),
                         "for_safety_plan": label(dict(Suggestion._meta.get_field("plan_section").choices), s.plan_section),
                         "at": when(s.created_at)} for s in Suggestion.objects.filter(survivor=viewer)],
        "safety_plan": _safety_plan(viewer, shown),
        "appointments": [
            {"when": times.span(a.slot.starts_at, a.slot.ends_at) if readable else when(a.slot.starts_at),
             "until": when(a.slot.ends_at), "with": a.advocate.display_name, "agency": a.agency.name,
             "mode": label(Mode, a.slot.mode),
             "status": label(Appointment.Status, a.status), "contact": label(Appointment.Contact, a.contact),
             "note": a.note, "cancel_reason": a.cancel_reason}
            for a in hide_finished_contact(list(Appointment.objects.filter(survivor=viewer)
                                                .select_related("slot__agency", "agency", "advocate")))
        ],
        "meeting_preferences": {"code_word": prefs.code_word if prefs else "", "calendar_title": prefs.calendar_title if prefs else "",
                                "calendar_details": yes(prefs.calendar_details if prefs else False)},
        "messages": _messages(viewer, shown),
        "groups": [
            {"group": m.group.name, "alias": m.alias, "role": label(Membership.Role, m.role),
             "state": label(Membership.State, m.state), "joined": when(m.joined_at),
             "posts": [{"text": p.body, "content_warning": p.content_warning, "at": when(p.created_at),
                        "reply": yes(p.parent_id is not None), "hidden_reason": p.hidden_reason or None}
                       for p in m.posts.filter(deleted_at__isnull=True).order_by("created_at")],
             "agenda_items": [i.text for i in AgendaItem.objects.filter(proposer=m)],
             "reports_made": [{"reason": label(Report.Reason, r.reason), "note": r.note, "at": when(r.created_at)}
                              for r in Report.objects.filter(reporter=m)],
             "blocked": [b.blocked.alias for b in Block.objects.filter(blocker=m).select_related("blocked")],
             "worried_about": [{"alias": w.post.alias, "at": when(w.created_at)}
                               for w in Worry.objects.filter(member=m).select_related("post__author")],
             "check_ins_refused": yes(m.check_ins_refused),
             "check_ins": [_check_in(c, as_member=True, when=when, yes=yes)
                           for c in CheckIn.objects.filter(member=m).select_related("member").prefetch_related("messages")],
             "check_ins_sent": [_check_in(c, as_member=False, when=when, yes=yes)
                                for c in CheckIn.objects.filter(mentor=m).select_related("member").prefetch_related("messages")]}
            for m in Membership.objects.filter(user=viewer).select_related("group")
        ],
        "council": {
            "ideas": [{"text": i.text, "signed": yes(i.signed), "status": label(Idea.Status, i.status), "at": when(i.created_at)}
                      for i in Idea.objects.filter(sender=viewer)],
            "proposals": [{"title": p.title, "problem": p.problem, "change": p.change, "affects": p.affects,
                           "status": label(Proposal.Status, p.status), "at": when(p.created_at)}
                          for p in Proposal.objects.filter(author=viewer)],
            "comments": [{"on": c.proposal.title, "text": c.body, "at": when(c.created_at)}
                         for c in Comment.objects.filter(author=viewer).select_related("proposal")],
            "votes": [{"on": v.proposal.title, "choice": label(Vote.Choice, v.choice), "reason": v.reason}
                      for v in Vote.objects.filter(member=viewer).select_related("proposal")],
        },
    }


def _check_in(check_in: CheckIn, *, as_member: bool, when, yes) -> dict:
    """A private check-in with a peer mentor (or, for a mentor, one she sent), by alias only."""
    you = _("you")
    return {"with": check_in.mentor_alias if as_member else check_in.member.alias, "started": when(check_in.created_at),
            "closes": when(check_in.closes_at), "other_mentors_may_read": yes(check_in.mentors_may_read),
            "messages": [{"by": you if m.from_member == as_member else (check_in.mentor_alias if as_member else check_in.member.alias),
                          "text": m.body, "at": when(m.created_at)} for m in check_in.messages.all()]}


def _safety_plan(viewer: User, shown: _ForMachines) -> dict:
    """Her plan as it is now and every version kept, each section in her words."""
    from survivor_portal.plans.models import SafetyPlan, SafetyPlanVersion
    from survivor_portal.plans.selectors import plan_for, versions_for

    def sections(plan_view) -> list[dict]:
        return [{"part": str(p.section.title) if isinstance(shown, _ForHer) else p.key, "text": p.text,
                 "ticked": [label if isinstance(shown, _ForHer) else code for code, label, ticked in p.ticked if ticked],
                 "private": shown.yes(p.private)} for p in plan_view.sections if p.filled or p.private]

    plan = SafetyPlan.objects.filter(owner=viewer).first()
    versions = versions_for(viewer=viewer)
    return {
        "saved": shown.when(plan.updated_at) if plan and plan.version else None,
        "look_again": shown.label(SafetyPlan.Review, plan.review_every_days) if plan else None,
        "now": sections(plan_for(viewer=viewer)),
        "versions": [{"number": v["number"], "saved": shown.when(v["saved_at"]),
                      "how": shown.label(SafetyPlanVersion.How, v["how"]), "parts": sections(v["plan"])}
                     for v in versions],
    }


def _messages(viewer: User, shown: _ForMachines) -> dict:
    """Every conversation as she sees it (what she deleted for herself is not in it)."""
    settings = MessageSettings.objects.filter(survivor=viewer).first()
    conversations = Conversation.objects.filter(survivor=viewer).select_related("agency").order_by("agency__name")
    return {
        "keep_days": settings.keep_days if settings else Conversation._meta.get_field("keep_days").default,
        "conversations": [
            {"agency": c.agency.name,
             "messages": [{"from": m.author_label if m.from_agency and m.author_label else
                           (shown.label({"you": _("you")}, "you") if not m.from_agency else c.agency.name),
                           "text": m.body, "about_a_meeting": shown.label(Message.Event, m.event),
                           "meeting": shown.when(m.meeting_at), "moved_to": shown.when(m.moved_to),
                           "at": shown.when(m.created_at)}
                          for m in c.messages.filter(pk__gt=c.her_cleared_id).order_by("pk")]}
            for c in conversations
        ],
    }


def _reset_blocked_names() -> dict:
    return {"resets_off": _("You had turned agency resets off"), "never_share": _("You never share with that agency")}


def _given_via_names() -> dict:
    return {"app": _("By you, in the app"), "staff": _("Written down by staff after you agreed in person")}


def _via_names() -> dict:
    return {"page": _("on their screen"), "api": _("through their computer system")}


def account_delete(*, actor: User, passphrase: str, posts: str = "delete", address: str = "", device: str = "") -> None:
    """Gone, in one transaction: a failure half-way leaves everything as it was. Her passphrase
    is checked before the transaction, so a wrong one stays counted (accounts.throttle)."""
    if not actor.is_authenticated or not actor.is_survivor:
        raise NotFound(_("We could not find that."))
    if posts not in ("delete", "keep"):
        raise Invalid(_("Choose what happens to your group posts."), field="posts")
    passphrase_confirm(actor=actor, passphrase=passphrase, address=address, device=device, field="passphrase",
                       refusal=_("That passphrase is not right. Nothing was deleted."))
    _account_delete_now(actor=actor, posts=posts)


@transaction.atomic
def _account_delete_now(*, actor: User, posts: str) -> None:
    """Everything of hers, in one transaction.

    First what others should notice: her sharing ends (agencies see her no longer sharing) and
    her meetings are cancelled (the advocate sees "cancelled"). Her group posts go, or stay as
    "former member" if she chose so. Then everything of hers is deleted, and nothing anywhere
    still points to her."""
    get_user_model().objects.select_for_update().get(pk=actor.pk)
    now = timezone.now()
    ConsentGrant.objects.filter(survivor=actor, ended_at__isnull=True).update(ended_at=now, end_reason=ConsentGrant.EndReason.WITHDRAWN)
    Appointment.objects.filter(survivor=actor, status=Appointment.Status.BOOKED, slot__ends_at__gt=now).update(
        status=Appointment.Status.CANCELLED, cancelled_at=now, cancel_reason="", phone="", note="", voicemail_ok=False)
    Appointment.objects.filter(survivor=actor).update(survivor=None, cancelled_by=None, phone="", note="")
    mine = Post.objects.filter(author__user=actor)
    if posts == "keep":
        mine.update(author=None)  # shown as "Former member"
    else:  # emptied, so replies others wrote to them stay where they were
        mine.update(author=None, deleted_at=now, body="", content_warning="")
    # Check-ins: those to her go with her memberships (cascade); in those she sent as a mentor,
    # her words go and the thread closes, while the member keeps what she wrote herself.
    CheckInMessage.objects.filter(check_in__mentor__user=actor, from_member=False).delete()
    CheckIn.objects.filter(mentor__user=actor, closes_at__gt=now).update(closes_at=now)
    former = _("Former council member")
    for written in [*Proposal.objects.filter(author=actor), *Comment.objects.filter(author=actor)]:
        written.author, written.author_label = None, former  # sealed per row, so saved row by row
        written.save(update_fields=["author", "author_label"])
    Idea.objects.filter(sender=actor).update(sender=None, signed=False)
    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User), object_id=str(actor.pk)).delete()
    sessions_end_all(user=actor)
    actor.delete()  # goals, steps, grants, looks, notices, memberships, reports, votes, devices: all cascade
