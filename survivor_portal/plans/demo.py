"""Demo safety plan for demo_survivor (seed_demo): a few sections, one kept private, two saves,
shared with Northside Shelter, and one suggestion from Sam waiting for her."""

from survivor_portal.accounts.models import User
from survivor_portal.consent import services as consent
from survivor_portal.consent.models import ConsentGrant
from survivor_portal.plans import services
from survivor_portal.plans.models import SafetyPlan


def seed_plan(*, agencies, **_kwargs) -> None:
    maya = User.objects.get(username="demo_survivor")
    if SafetyPlan.objects.filter(owner=maya).exists():
        return
    services.plan_save(actor=maya, sections={
        "safe_places": {"text": "My sister's flat. The library on Elm Street until 8."},
        "people": {"text": "My sister (I call from the shop's phone). Sam at the shelter."},
    })
    services.plan_save(actor=maya, sections={
        "safe_places": {"text": "My sister's flat. The library on Elm Street until 8."},
        "people": {"text": "My sister (I call from the shop's phone). Sam at the shelter."},
        "code_word": {"text": "“Blue umbrella” means call for help.", "private": True},
        "documents": {"text": "Passport is with Sam.", "ticks": ["passport", "id"]},
        "phone": {"ticks": ["location"]},
    })
    services.plan_review_set(actor=maya, every_days=90)
    northside = agencies["Northside Shelter"]
    grant = ConsentGrant.objects.filter(survivor=maya, agency=northside, ended_at__isnull=True).first()
    if grant is not None and not grant.share_safety_plan:
        consent.consent_grant(actor=maya, agency_id=northside.pk, scopes=[*grant.scopes, "safety_plan"],
                              goal_scope=grant.goal_scope, categories=grant.goal_categories,
                              purpose=grant.purpose, days=90)
    sam = User.objects.get(username="demo_advocate")
    consent.suggestion_make(actor=sam, survivor_id=maya.pk, plan_section="money_bag",
                            text="Keep a copy of your bank card number somewhere safe.")
