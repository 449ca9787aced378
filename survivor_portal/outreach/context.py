from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from survivor_portal.outreach.selectors import alerts_for


def alerts(request: HttpRequest) -> dict:
    """Colleagues' overdue check-ins, at the top of every staff page (templates/base.html reads
    it only for staff, so a survivor's page never asks)."""
    user = getattr(request, "user", None)
    return {"outreach_alerts": SimpleLazyObject(lambda: alerts_for(viewer=user))}
