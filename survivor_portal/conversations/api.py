from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from survivor_portal.conversations import selectors, services
from survivor_portal.conversations.models import Message
from survivor_portal.conversations.schemas import (
    ConversationIn,
    ConversationOut,
    KeepDaysIn,
    KeepDaysOut,
    MessageIn,
    MessageOut,
    MessagesOut,
    SentOut,
)
from survivor_portal.errors import NotFound
from survivor_portal.idempotency.keys import idempotent
from survivor_portal.versions import etag, expected_from_if_match, if_match_header

router = Router(tags=["messages"])
messages_router = Router(tags=["messages"])
me_router = Router(tags=["messages"])


def _conversation(thread: selectors.Thread) -> dict:
    c = thread.conversation
    return {"id": c.pk if c else None, "agency_id": thread.agency.pk, "agency": thread.agency.name,
            "survivor_id": thread.survivor.pk, "survivor_name": getattr(thread.survivor, "shown_name", None),
            "open": thread.open,
            "unread": thread.unread}


def _message(m: Message, as_her: bool) -> dict:
    return {"id": m.pk, "mine": m.from_agency != as_her, "from_agency": m.from_agency,
            "author": m.author_label or None, "body": m.body, "event": m.event or None,
            "meeting_at": m.meeting_at, "moved_to": m.moved_to, "created_at": m.created_at}


@router.get("", response=list[ConversationOut])
def conversations(request: HttpRequest):
    """Hers: every agency she writes with (or may). Staff's: everyone sharing messages with their agency."""
    if request.user.is_survivor:
        return [{"id": r["conversation"].pk if r["conversation"] else None, "agency_id": r["agency"].pk,
                 "agency": r["agency"].name, "survivor_id": request.user.pk, "survivor_name": None,
                 "open": r["open"], "unread": r["unread"]} for r in selectors.conversations_for_her(viewer=request.user)]
    return [{"id": r["conversation"].pk if r["conversation"] else None, "agency_id": request.user.agency_id,
             "agency": request.user.agency.name, "survivor_id": r["id"], "survivor_name": r["name"], "open": True,
             "unread": r["waiting"]} for r in selectors.conversations_for_staff(viewer=request.user)]


@router.post("", response={201: ConversationOut})
@idempotent
def conversation_open(request: HttpRequest, payload: ConversationIn):
    """Opens (or finds) the one conversation between her and an agency. Needs her "messages" sharing."""
    conversation = services.conversation_open(actor=request.user, **payload.dict())
    thread = selectors.conversation_of(viewer=request.user, conversation_id=conversation.pk, record=False)
    return Status(201, _conversation(thread))


@router.get("/{int:conversation_id}/messages", response=MessagesOut)
def messages(request: HttpRequest, conversation_id: int, after: int = 0):
    """The newest 200 messages (or those after `after`). A staff read is recorded in her "who has looked"."""
    thread = selectors.conversation_of(viewer=request.user, conversation_id=conversation_id,
                                       after=after if 0 < after < 2**63 else 0)
    services.conversation_seen(actor=request.user, conversation=thread.conversation, upto=thread.newest)
    return {"conversation": _conversation(thread), "messages": [_message(m, thread.as_her) for m in thread.messages],
            "more": thread.more, "newest_id": thread.newest}


@router.post("/{int:conversation_id}/messages", response={201: SentOut})
@idempotent
def message_send(request: HttpRequest, conversation_id: int, payload: MessageIn):
    sent = services.message_send(actor=request.user, conversation_id=conversation_id, body=payload.body)
    as_her = request.user.is_survivor
    help_now = (sent.conversation.agency.crisis_resources or None) if sent.crisis else None
    return Status(201, {**_message(sent, as_her), "crisis_resources": help_now})


@messages_router.delete("/{int:message_id}", response={204: None})
def message_delete(request: HttpRequest, message_id: int):
    """She deletes a message she sent, for everyone."""
    services.message_delete(actor=request.user, message_id=message_id)
    return Status(204, None)


@me_router.get("/keep-days", response=KeepDaysOut)
def keep_days(request: HttpRequest, response: HttpResponse):
    if not request.user.is_survivor:
        raise NotFound()
    settings = selectors.keep_days_for(viewer=request.user)
    response["ETag"] = etag(settings)
    return {"days": settings.keep_days}


@me_router.put("/keep-days", response=KeepDaysOut)
def keep_days_set(request: HttpRequest, payload: KeepDaysIn, response: HttpResponse,
                  if_match: str | None = if_match_header()):
    """7, 30 or 90 days; older messages are deleted for everyone within a minute. With `If-Match`,
    a change based on an older read is refused (412)."""
    settings = services.keep_days_set(actor=request.user, days=payload.days, version=expected_from_if_match(if_match))
    response["ETag"] = etag(settings)
    return {"days": settings.keep_days}
