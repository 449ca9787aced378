from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from survivor_portal.plans.selectors import review_due


def plan_review(request: HttpRequest) -> dict:
    """Whether her home asks her, gently, to look at her plan again. Asked only by a page that
    shows it (home), so other pages pay nothing."""
    user = getattr(request, "user", None)
    return {"plan_review_due": SimpleLazyObject(lambda: bool(user is not None and review_due(viewer=user)))}
