"""Two answers asked for on every page or every 20 seconds, kept cheap.

- "Is anything unread?" (the mark in her menu, on every page): with Redis (shared by every app
  process) the answer is kept under one key per person for UNREAD_SECONDS and dropped, once the
  change commits, whenever something new reaches her or she reads it; without Redis each process
  would keep its own copy and miss the other processes' drops, so every page asks the database
  (one indexed query).
- "Anything new after message N?" (the conversation page's poll): each conversation's newest
  message id is kept under its own key for NEWEST_SECONDS and dropped when a message commits;
  without Redis, one query on the conversation's row. The quick answer ("nothing new", 204) is
  given only to a session that opened that conversation's page (kept in her session), as in
  peer_support/groups/polling.py; anything new goes the full way, which checks who may read it.

Neither key holds anything of what anyone wrote: a yes/no and an id."""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

OPEN = "_conversations_open"  # in the session: conversations whose page was opened by someone allowed to read it
UNREAD_SECONDS = 300
NEWEST_SECONDS = 15


def shared() -> bool:
    return bool(settings.REDIS_URL)


def unread_key(user_id: int) -> str:
    return f"conversations:unread:{user_id}"


def newest_key(conversation_id: int) -> str:
    return f"conversations:newest:{conversation_id}"


def cached(key: str):
    if not shared():
        return None
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 - Redis down: the database answers
        return None


def keep(key: str, value, seconds: int) -> None:
    if not shared():
        return
    try:
        cache.set(key, value, seconds)
    except Exception:  # noqa: BLE001
        pass


def forget_after_commit(*keys: str) -> None:
    """Called inside the transaction that changes what the keys describe."""
    if not shared() or not keys:
        return

    def forget():
        try:
            cache.delete_many(list(keys))
        except Exception:  # noqa: BLE001 - the keys time out on their own
            pass

    transaction.on_commit(forget)


def opened(request, conversation_id: int) -> None:
    shown = list(request.session.get(OPEN, ()))
    if conversation_id not in shown:  # the session is written only when this changes
        request.session[OPEN] = [*shown[-19:], conversation_id]


def may_answer_quickly(request, conversation_id: int) -> bool:
    return conversation_id in request.session.get(OPEN, ())
