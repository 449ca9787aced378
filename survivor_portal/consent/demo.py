"""Demo sharing: demo_survivor shares her housing and safety goals, her appointments, messages, her
name and her safety plan with Northside Shelter."""

from survivor_portal.accounts.models import User
from survivor_portal.consent import services
from survivor_portal.consent.models import ConsentGrant


def seed_sharing(*, agencies, **_kwargs) -> None:
    maya = User.objects.get(username="demo_survivor")
    if ConsentGrant.objects.filter(survivor=maya).exists():
        return
    services.consent_grant(
        actor=maya, agency_id=agencies["Northside Shelter"].pk,
        scopes=["goals", "appointments", "messages", "display_name", "safety_plan"],
        goal_scope="categories", categories=["housing", "safety"], purpose="housing", days=90,
    )
