"""Demo safety plan for demo_survivor (seed_demo): a few sections, one kept private, two saves,
shared with Northside Shelter (consent/demo.py), and one suggestion from Sam waiting for her."""

from survivor_portal.accounts.models import User
from survivor_portal.consent import services as consent
from survivor_portal.plans import services
from survivor_portal.plans.models import SafetyPlan


def seed_plan(**_kwargs) -> None:
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
    sam = User.objects.get(username="demo_advocate")
    consent.suggestion_make(actor=sam, survivor_id=maya.pk, plan_section="money_bag",
                            text="Keep a copy of your bank card number somewhere safe.")
