"""Reads of conversations, filtered by who asks. Staff read only while she shares messages
with their agency, and each read of a conversation is one line in her "who has looked"."""

from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef
from django.utils.translation import gettext as _

from survivor_portal.accounts.models import Agency, User
from survivor_portal.consent.selectors import agencies_reading_messages, message_grants, messages_grant
from survivor_portal.consent.services import record_looks
from survivor_portal.conversations import polling
from survivor_portal.conversations.models import Conversation, Message
from survivor_portal.errors import NotFound

SHOWN = 200  # the newest messages on a page; keep-days bounds the rest


def _valid_id(value) -> bool:
    return isinstance(value, int) and 0 < value < 2**63


def _unread_for_her():
    """Her conversations holding a message from the agency newer than what she read or cleared."""
    newer = Message.objects.filter(conversation=OuterRef("pk"), from_agency=True, pk__gt=OuterRef("her_seen_id"))
    return Exists(newer.filter(pk__gt=OuterRef("her_cleared_id")))


def has_unread(user) -> bool:
    """The neutral mark in her menu: is anything waiting for her? One indexed query, or none
    with Redis (polling.py). A peer mentor's check-in waiting for her (or her answer to one she sent) counts too."""
    if user is None or not user.is_authenticated or not user.is_survivor:
        return False
    key = polling.unread_key(user.pk)
    known = polling.cached(key)
    if known is not None:
        return bool(known)
    from peer_support.groups.selectors import unread_check_ins

    messages = Message.objects.filter(conversation__survivor=user, from_agency=True,
                                      pk__gt=F("conversation__her_seen_id")).filter(
        pk__gt=F("conversation__her_cleared_id"))
    # A mentor's check-in (or her answer to one she sent) counts toward the same neutral mark:
    # both asked in one query.
    waiting = User.objects.filter(pk=user.pk).filter(Exists(messages) | Exists(unread_check_ins(user))).exists()
    polling.keep(key, int(waiting), polling.UNREAD_SECONDS)
    return waiting


@dataclass
class Thread:
    """One conversation as one person sees it."""

    survivor: User
    agency: Agency
    conversation: Conversation | None
    as_her: bool
    open: bool  # she shares messages with the agency now: both may write
    messages: list[Message] = field(default_factory=list)
    more: bool = False  # older messages than those shown

    @property
    def unread(self) -> bool:
        """Something from the other side that this side has not read (before this read marks it)."""
        if self.conversation is None:
            return False
        seen = self.conversation.her_seen_id if self.as_her else self.conversation.agency_seen_id
        return any(m.pk > seen and m.from_agency == self.as_her for m in self.messages)

    @property
    def newest(self) -> int:
        return self.messages[-1].pk if self.messages else (self.conversation.newest_id if self.conversation else 0)


def _messages(conversation: Conversation, *, as_her: bool, after: int = 0) -> tuple[list[Message], bool]:
    query = conversation.messages.filter(pk__gt=max(after, conversation.her_cleared_id if as_her else 0))
    newest_first = list(query.order_by("-pk")[:SHOWN + 1])
    return newest_first[:SHOWN][::-1], len(newest_first) > SHOWN


def thread_for_her(*, viewer: User, agency_id: int, after: int = 0) -> Thread:
    """Her conversation with one agency: while she shares messages with it, or afterwards, to
    read what was written (she keeps her view)."""
    if not viewer.is_authenticated or not viewer.is_survivor or not _valid_id(agency_id):
        raise NotFound(_("We could not find that conversation."))
    conversation = Conversation.objects.filter(survivor=viewer, agency_id=agency_id).select_related("agency").first()
    is_open = messages_grant(agency_id, viewer.pk) is not None
    if conversation is None and not is_open:
        raise NotFound(_("We could not find that conversation."))
    agency = conversation.agency if conversation else Agency.objects.get(pk=agency_id)
    thread = Thread(survivor=viewer, agency=agency, conversation=conversation, as_her=True, open=is_open)
    if conversation is not None:
        thread.messages, thread.more = _messages(conversation, as_her=True, after=after)
    return thread


def thread_for_staff(*, viewer: User, survivor_id: int, after: int = 0, record: bool = True,
                     via: str = "page") -> Thread:
    """Staff's view of a conversation with someone who shares messages with their agency now.
    One look is recorded per read that shows messages, not one per message."""
    if (not viewer.is_authenticated or not viewer.is_agency_staff or not viewer.is_active
            or viewer.agency_id is None or not _valid_id(survivor_id)):
        raise NotFound(_("We could not find that conversation."))
    grant = messages_grant(viewer.agency_id, survivor_id)
    if grant is None:
        raise NotFound(_("We could not find that conversation."))
    survivor = grant.survivor
    survivor.shown_name = survivor.display_name if grant.share_display_name else None
    conversation = Conversation.objects.filter(survivor_id=survivor_id, agency_id=viewer.agency_id).first()
    thread = Thread(survivor=survivor, agency=viewer.agency, conversation=conversation, as_her=False, open=True)
    if conversation is not None:
        thread.messages, thread.more = _messages(conversation, as_her=False, after=after)
    if record and (after == 0 or thread.messages):
        record_looks(survivors=[survivor_id], agency=viewer.agency, actor=viewer, actor_label=viewer.display_name,
                     what="messages", via=via)
    return thread


def conversation_of(*, viewer: User, conversation_id: int, after: int = 0, record: bool = True,
                    via: str = "api") -> Thread:
    """For the API, by id: hers, or staff's under the same rules as the pages (a read by staff
    is recorded, through their computer or app: "api")."""
    found = Conversation.objects.filter(pk=conversation_id).first() if _valid_id(conversation_id) else None
    if found is None:
        raise NotFound(_("We could not find that conversation."))
    if viewer.is_authenticated and viewer.is_survivor and found.survivor_id == viewer.pk:
        return thread_for_her(viewer=viewer, agency_id=found.agency_id, after=after)
    if viewer.is_authenticated and viewer.is_agency_staff and found.agency_id == viewer.agency_id:
        return thread_for_staff(viewer=viewer, survivor_id=found.survivor_id, after=after, record=record, via=via)
    raise NotFound(_("We could not find that conversation."))


def conversations_for_her(*, viewer: User) -> list[dict]:
    """Her conversations, and the agencies she shares messages with where none was started."""
    if not viewer.is_authenticated or not viewer.is_survivor:
        raise NotFound(_("We could not find that."))
    sharing = agencies_reading_messages(viewer.pk)
    mine = list(Conversation.objects.filter(survivor=viewer).select_related("agency")
                .annotate(unread=_unread_for_her()).order_by("-newest_id", "agency__name"))
    started = {c.agency_id for c in mine}
    rows = [{"agency": c.agency, "conversation": c, "open": c.agency_id in sharing, "unread": c.unread} for c in mine]
    rows += [{"agency": agency, "conversation": None, "open": True, "unread": False}
             for agency in Agency.objects.filter(pk__in=sharing - started).order_by("name")]
    return rows


def conversations_for_staff(*, viewer: User) -> list[dict]:
    """Everyone who shares messages with the viewer's agency now, newest conversation first.
    Listing shows no message, so it is recorded like the people list (name or "listed")."""
    if not viewer.is_authenticated or not viewer.is_agency_staff or viewer.agency_id is None:
        raise NotFound(_("We could not find that."))
    grants = message_grants(viewer.agency_id)
    conversations = {c.survivor_id: c for c in Conversation.objects.filter(
        agency_id=viewer.agency_id, survivor_id__in=list(grants)).annotate(
        waiting=Exists(Message.objects.filter(conversation=OuterRef("pk"), from_agency=False,
                                              pk__gt=OuterRef("agency_seen_id"))))}
    for shares_name, what in ((True, "name"), (False, "listed")):
        record_looks(survivors=[pk for pk, g in grants.items() if g.share_display_name == shares_name],
                     agency=viewer.agency, actor=viewer, actor_label=viewer.display_name, what=what, via="page")
    rows = [{"id": pk, "name": g.survivor.display_name if g.share_display_name else None,
             "conversation": conversations.get(pk), "waiting": bool(getattr(conversations.get(pk), "waiting", False))}
            for pk, g in grants.items()]
    return sorted(rows, key=lambda row: (-(row["conversation"].newest_id if row["conversation"] else 0), row["id"]))


def keep_days_for(*, viewer: User):
    from survivor_portal.conversations.models import MessageSettings

    return MessageSettings.objects.filter(survivor=viewer).first() or MessageSettings(survivor=viewer)


def anything_new(conversation_id: int, after: int) -> bool:
    """Whether a message came after `after`: no database with Redis while the key is kept, else
    one query on the conversation's row. Says nothing but yes or no (polling.py)."""
    key = polling.newest_key(conversation_id)
    newest = polling.cached(key)
    if newest is None:
        newest = Conversation.objects.filter(pk=conversation_id).values_list("newest_id", flat=True).first() or 0
        polling.keep(key, newest, polling.NEWEST_SECONDS)
    return newest > after


def own_message_agency(*, viewer: User, message_id: int) -> int:
    """The agency of a message she sent (to go back to that conversation after deleting it)."""
    found = None
    if viewer.is_authenticated and viewer.is_survivor and _valid_id(message_id):
        found = Message.objects.filter(pk=message_id, conversation__survivor=viewer, from_agency=False,
                                       event="").values_list("conversation__agency_id", flat=True).first()
    if found is None:
        raise NotFound(_("We could not find that message."))
    return found
