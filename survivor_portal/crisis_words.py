"""Words that may mean someone is in crisis: one list, used by peer groups (a post asks mentors
to look) and by messages (she is shown her agency's crisis resources, privately). A hint,
never a verdict: nothing is hidden or refused because of it."""

import re

_CRISIS = re.compile(
    r"kill myself|killing myself|suicid|end my life|end it all|want to die|wanna die|don'?t want to live|"
    r"hurt myself|hurting myself|self[- ]harm|cut myself|no reason to live|"
    r"matarme|suicid|quitarme la vida|no quiero vivir|quiero morir|hacerme daño|lastimarme",
    re.IGNORECASE,
)


def sounds_like_crisis(text: str) -> bool:
    return bool(_CRISIS.search(text or ""))
