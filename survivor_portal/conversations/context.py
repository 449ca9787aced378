from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from survivor_portal.conversations.selectors import has_unread


def unread(request: HttpRequest) -> dict:
    """The mark beside "Messages" in her menu. Lazy: asked only where the menu is drawn, which is
    never on the lock or cover screen (templates/base.html), so nothing is read before unlock."""
    user = getattr(request, "user", None)
    return {"unread_messages": SimpleLazyObject(lambda: has_unread(user))}
