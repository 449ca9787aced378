"""Every rule about messages between her and an agency.

Who may write: she, to an agency she shares "messages" with now; any active staff member of
that agency, while she does. Her own control: she deletes any message she sent (for everyone),
or the whole conversation for herself, and chooses how long messages are kept (7, 30 or 90
days), after which they are deleted for everyone (jobs.py). Nothing leaves the app: no e-mail,
SMS or push; the only sign of a new message is the neutral mark in her menu."""

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from survivor_portal.accounts.models import User
from survivor_portal.consent.selectors import messages_grant
from survivor_portal.conversations import polling
from survivor_portal.conversations.models import (
    DEFAULT_KEEP_DAYS,
    KEEP_DAYS,
    LONGEST,
    Conversation,
    Message,
    MessageSettings,
)
from survivor_portal.crisis_words import sounds_like_crisis
from survivor_portal.errors import Invalid, NotFound, full_clean_or_invalid, text_or_invalid
from survivor_portal.versions import Expected, version_bump, version_check
from survivor_portal.write_limits import write_limit


def _valid_id(value) -> bool:
    return isinstance(value, int) and 0 < value < 2**63


def _staff(actor: User) -> bool:
    return actor.is_authenticated and actor.is_agency_staff and actor.is_active and actor.agency_id is not None


def _survivor(actor: User) -> bool:
    return actor.is_authenticated and actor.is_survivor


def keep_days_of(survivor: User) -> int:
    found = MessageSettings.objects.filter(survivor=survivor).values_list("keep_days", flat=True).first()
    return found or DEFAULT_KEEP_DAYS


def _open_for_her(actor: User, agency_id: int) -> Conversation:
    """Her conversation with an agency she shares messages with now, made on first use."""
    if not _survivor(actor) or not _valid_id(agency_id) or messages_grant(agency_id, actor.pk) is None:
        raise NotFound(_("We could not find that conversation."))
    return _get_or_make(actor, agency_id)


def _open_for_staff(actor: User, survivor_id: int) -> Conversation:
    if not _staff(actor) or not _valid_id(survivor_id) or messages_grant(actor.agency_id, survivor_id) is None:
        raise NotFound(_("We could not find that conversation."))
    return _get_or_make(get_user_model().objects.get(pk=survivor_id), actor.agency_id)


def _get_or_make(survivor: User, agency_id: int) -> Conversation:
    found = Conversation.objects.filter(survivor=survivor, agency_id=agency_id).first()
    if found is not None:
        return found
    with transaction.atomic():  # a savepoint: two first messages at once make one conversation
        conversation, _made = Conversation.objects.get_or_create(
            survivor=survivor, agency_id=agency_id, defaults={"keep_days": keep_days_of(survivor)})
    return conversation


@transaction.atomic
def conversation_open(*, actor: User, agency_id: int | None = None, survivor_id: int | None = None) -> Conversation:
    """She opens hers with an agency (`agency_id`); staff open theirs with her (`survivor_id`).
    Opening twice gives the same conversation."""
    if _survivor(actor):
        return _open_for_her(actor, agency_id or 0)
    return _open_for_staff(actor, survivor_id or 0)


def writable(actor: User, conversation_id: int, *, lock: bool = False) -> Conversation:
    """The conversation, if `actor` may write in it now: hers while she shares messages with
    the agency; staff's of that agency while she does."""
    found = None
    if _valid_id(conversation_id):
        query = Conversation.objects.select_for_update() if lock else Conversation.objects
        found = query.filter(pk=conversation_id).select_related("agency").first()
    if found is None:
        raise NotFound(_("We could not find that conversation."))
    if _survivor(actor):
        mine = found.survivor_id == actor.pk
    else:
        mine = _staff(actor) and found.agency_id == actor.agency_id
    if not mine:
        raise NotFound(_("We could not find that conversation."))
    if messages_grant(found.agency_id, found.survivor_id) is None:
        if _survivor(actor):
            raise Invalid(_("You stopped sharing messages with %(agency)s, so you cannot write to them now. "
                            "Share messages with them again to write.") % {"agency": found.agency.name},
                          code="not_shared")
        raise NotFound(_("We could not find that conversation."))
    return found


def _after_new(conversation: Conversation, message: Message) -> None:
    """Whoever wrote (or caused the line) has seen it; the other side has something new."""
    conversation.newest_id = message.pk
    if message.from_agency:
        conversation.agency_seen_id = message.pk
    else:
        conversation.her_seen_id = message.pk
    conversation.save(update_fields=["newest_id", "agency_seen_id", "her_seen_id"])
    polling.forget_after_commit(polling.newest_key(conversation.pk), polling.unread_key(conversation.survivor_id))


@write_limit("message")
@transaction.atomic
def message_send(*, actor: User, conversation_id: int, body: str) -> Message:
    """She or staff write. `message.crisis` says whether her words sound like a crisis: then
    she is shown the agency's crisis resources, privately (nothing is flagged to anyone)."""
    conversation = writable(actor, conversation_id, lock=True)
    body = text_or_invalid(body, "body", LONGEST, empty=_("Write a message first."))
    from_agency = not _survivor(actor)
    message = Message(conversation=conversation, from_agency=from_agency, author=actor if from_agency else None,
                      author_label=actor.display_name if from_agency else "", body=body)
    full_clean_or_invalid(message, exclude=["conversation", "author"])
    message.save()
    _after_new(conversation, message)
    message.crisis = not from_agency and sounds_like_crisis(body)
    return message


@transaction.atomic
def meeting_line(*, survivor: User, agency_id: int, by_agency: bool, event: str, meeting_at: datetime,
                 moved_to: datetime | None = None) -> Message | None:
    """A short neutral line the app writes when a meeting she asked to hear about "in the app
    only" is cancelled or moved (scheduling calls this). Only where a conversation exists."""
    conversation = Conversation.objects.select_for_update().filter(survivor=survivor, agency_id=agency_id).first()
    if conversation is None:
        return None
    message = Message.objects.create(conversation=conversation, from_agency=by_agency, event=event,
                                     meeting_at=meeting_at, moved_to=moved_to)
    _after_new(conversation, message)
    return message


def conversation_for_meeting(*, survivor: User, agency_id: int) -> Conversation | None:
    """Booking with "Message me in the app only": the conversation the advocate writes in about
    the meeting, if she shares messages with that agency (otherwise there is none to link)."""
    if messages_grant(agency_id, survivor.pk) is None:
        return None
    return _get_or_make(survivor, agency_id)


@transaction.atomic
def conversation_seen(*, actor: User, conversation: Conversation, upto: int) -> None:
    """Her reading (or staff's) up to message `upto`. Writes only when it moves forward."""
    if upto <= 0:
        return
    if _survivor(actor) and conversation.survivor_id == actor.pk:
        if Conversation.objects.filter(pk=conversation.pk, her_seen_id__lt=upto).update(her_seen_id=upto):
            polling.forget_after_commit(polling.unread_key(actor.pk))
    elif _staff(actor) and conversation.agency_id == actor.agency_id:
        Conversation.objects.filter(pk=conversation.pk, agency_seen_id__lt=upto).update(agency_seen_id=upto)


@transaction.atomic
def message_delete(*, actor: User, message_id: int) -> None:
    """She deletes a message she sent: gone for everyone, at once. Never limited."""
    found = None
    if _survivor(actor) and _valid_id(message_id):
        found = Message.objects.filter(pk=message_id, conversation__survivor=actor, from_agency=False,
                                       event="").select_related("conversation").first()
    if found is None:
        raise NotFound(_("We could not find that message."))
    found.delete()


@transaction.atomic
def conversation_clear(*, actor: User, conversation_id: int) -> Conversation:
    """She deletes the whole conversation for herself: what was written so far is no longer
    in her view. The agency's view is not hers to change (what she sent she can delete one by
    one, for everyone); it goes for everyone after her keep-days."""
    found = None
    if _survivor(actor) and _valid_id(conversation_id):
        found = Conversation.objects.select_for_update().filter(pk=conversation_id, survivor=actor).first()
    if found is None:
        raise NotFound(_("We could not find that conversation."))
    newest = found.messages.aggregate(newest=Max("pk"))["newest"] or found.newest_id
    found.her_cleared_id = found.her_seen_id = max(found.her_cleared_id, newest)
    found.save(update_fields=["her_cleared_id", "her_seen_id"])
    polling.forget_after_commit(polling.unread_key(actor.pk))
    return found


@transaction.atomic
def keep_days_set(*, actor: User, days: int, version: Expected = None) -> MessageSettings:
    """How long her messages are kept, in every conversation she has: 7, 30 or 90 days.
    Shortening it deletes older messages at the next housekeeping run (within a minute)."""
    if not _survivor(actor):
        raise NotFound(_("We could not find that."))
    if days not in KEEP_DAYS:
        raise Invalid(_("Choose 7, 30 or 90 days."), field="days")
    get_user_model().objects.select_for_update(no_key=True).only("pk").get(pk=actor.pk)
    settings, _made = MessageSettings.objects.get_or_create(survivor=actor)
    version_check(settings, version, _("How long messages are kept changed in another window. Nothing was saved yet."))
    if settings.keep_days != days:
        settings.keep_days = days
        settings.save(update_fields=["keep_days", version_bump(settings)])
        Conversation.objects.filter(survivor=actor).update(keep_days=days)
    return settings


def old_messages_purge(*, now: datetime | None = None) -> int:
    """Messages older than their conversation's keep-days are deleted for everyone. One
    statement per choice; running it twice deletes nothing more."""
    now = now or timezone.now()
    deleted = 0
    for days in KEEP_DAYS:
        old = Message.objects.filter(conversation__keep_days=days, created_at__lt=now - timedelta(days=days))
        survivors = list(old.values_list("conversation__survivor_id", flat=True).distinct()) if polling.shared() else []
        deleted += old.delete()[0]
        if survivors:
            polling.forget_after_commit(*(polling.unread_key(pk) for pk in survivors))
    return deleted
