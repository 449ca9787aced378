"""The group page asks every 20 seconds whether anything was posted. When nothing was, the
answer should cost next to nothing: no database at all.

With Redis (shared by every app process) each group has a cache key holding its newest post
id. A new post deletes the key once it commits; the next slow answer puts the newest id back
for a short while (NEWEST_SECONDS), so even a value written just before a post committed is
wrong for at most that long. The quick answer ("nothing new", 204) is given only to a session
that opened the group's page as a member (kept in her session); everything else, and anything
new, goes the old way, which checks her membership. Without Redis each process would keep its
own copy, so the quick answer is not used at all.

The quick answer is given by `quick_poll`, a middleware right after the session is read, so a
poll with nothing new costs her session and the group's key in Redis, and no database and none
of the page machinery. It says nothing but "nothing new": a locked session, one that is not
logged in, or any doubt goes on to the page's own view and every rule on the way."""

import re
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest, HttpResponse

from survivor_portal.safety.middleware import is_locked

OPEN_GROUPS = "_groups_open"  # in her session: groups whose page she opened as a member
NEWEST_SECONDS = 15


def _key(group_id: int) -> str:
    return f"groups:newest:{group_id}"


def quick_answers(request, group_id: int) -> bool:
    return bool(settings.REDIS_URL) and group_id in request.session.get(OPEN_GROUPS, ())


def nothing_new(request, group_id: int, after: int) -> bool:
    """True only when it is certain enough that nothing was posted after `after`."""
    if not quick_answers(request, group_id):
        return False
    try:
        newest = cache.get(_key(group_id))
    except Exception:  # noqa: BLE001 - Redis down: the old way answers
        return False
    return newest is not None and newest <= after


_POLL = re.compile(r"/groups/(\d{1,18})/new")  # groups:new_posts


def quick_poll(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        if request.method == "GET" and request.headers.get("X-Background") == "1":
            poll = _POLL.fullmatch(request.path_info)
            after = request.GET.get("after", "")
            if (poll and after.isascii() and after.isdigit() and request.session.get(SESSION_KEY)
                    and not is_locked(request.session) and nothing_new(request, int(poll[1]), int(after))):
                return HttpResponse(status=204)
        return get_response(request)

    return middleware


def remember_newest(group_id: int) -> None:
    if not settings.REDIS_URL:
        return
    from peer_support.groups.models import Post

    newest = Post.objects.filter(group_id=group_id).aggregate(newest=Max("pk"))["newest"] or 0
    try:
        cache.set(_key(group_id), newest, NEWEST_SECONDS)
    except Exception:  # noqa: BLE001
        pass


def posted(group_id: int) -> None:
    """Called inside the transaction that creates a post."""
    if not settings.REDIS_URL:
        return

    def forget():
        try:
            cache.delete(_key(group_id))
        except Exception:  # noqa: BLE001 - the key times out on its own
            pass

    transaction.on_commit(forget)


def opened(request, group_id: int) -> None:
    """She was shown the group's page as a member: her polls may take the quick answer."""
    groups = list(request.session.get(OPEN_GROUPS, ()))
    if group_id not in groups:  # the session is written only when this changes
        request.session[OPEN_GROUPS] = [*groups[-19:], group_id]


def closed(request, group_id: int) -> None:
    groups = list(request.session.get(OPEN_GROUPS, ()))
    if group_id in groups:
        groups.remove(group_id)
        request.session[OPEN_GROUPS] = groups
