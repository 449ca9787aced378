"""Demo goals for demo_survivor (seed_demo)."""

from survivor_portal.accounts.models import User
from survivor_portal.goals import services

GOALS = [
    ("Find a safe place to live", "housing", "working", ["Ask Sam about the housing list", "Visit the flat on Elm Street"]),
    ("Make a safety plan I trust", "safety", "working", ["Pick a code word with my sister", "Keep spare keys with a friend"]),
    ("Get my documents back", "legal", "not_started", []),
    ("See a doctor about my back", "health", "not_ready", []),
    ("Start an English class", "learning", "paused", []),
]


def seed_goals(**_kwargs) -> None:
    maya = User.objects.get(username="demo_survivor")
    if maya.goals.exists():
        return
    for title, category, status, steps in GOALS:
        goal = services.goal_create(actor=maya, title=title, category=category, status=status)
        for text in steps:
            services.step_create(actor=maya, goal_id=goal.pk, text=text)
