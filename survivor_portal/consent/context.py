from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from survivor_portal.accounts.backends import has_news
from survivor_portal.consent.selectors import awaiting_her, ending_soon, unread_disclosures, waiting_suggestions
from survivor_portal.consent.services import summary_of


def notices(request: HttpRequest) -> dict:
    """Disclosure notices she has not yet seen are shown at the top of every page."""
    user = getattr(request, "user", None)
    if user is not None and not has_news(user):
        return {"disclosure_notices": [], "grants_awaiting_her": [], "suggestions": [], "sharing_ending_soon": []}
    return {
        "disclosure_notices": SimpleLazyObject(lambda: unread_disclosures(viewer=user) if user else []),
        # Shown in the language she reads now; the words she says yes to become her receipt.
        "grants_awaiting_her": SimpleLazyObject(lambda: [
            {"grant": grant, "summary": summary_of(grant)} for grant in (awaiting_her(viewer=user) if user else [])]),
        "suggestions": SimpleLazyObject(lambda: waiting_suggestions(viewer=user) if user else []),
        "sharing_ending_soon": SimpleLazyObject(
            lambda: ending_soon(viewer=user) if user is not None and user.is_authenticated else []
        ),
    }
