from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from survivor_portal.outreach.selectors import alerts_for


def alerts(request: HttpRequest) -> dict:
    """Colleagues' overdue check-ins, at the top of every staff page (templates/base.html reads
    it only for staff, so a survivor's page never asks). Not before the second step of the login:
    a passphrase alone must not show where a colleague went."""
    user = getattr(request, "user", None)
    verified = user is not None and getattr(user, "is_verified", lambda: False)()
    return {"outreach_alerts": SimpleLazyObject(lambda: alerts_for(viewer=user) if verified else [])}
