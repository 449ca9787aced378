"""Two gentle checks on what someone is about to post: could it identify a person, and does it
sound like a crisis. Both are hints, never verdicts: the first asks before posting; the second
shows the poster where to find help and asks mentors to look, and hides nothing."""

import re

_PHONE = re.compile(r"(?<!\w)\+?\d[\d\s().-]{6,}\d(?!\w)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_LINK = re.compile(r"(https?://|www\.)\S+|\b[\w-]+\.(com|org|net|info|io|me|es|mx|us|uk)\b", re.IGNORECASE)
_ADDRESS = re.compile(
    r"\b\d{1,5}\s+(\w+\s){0,3}(street|st|avenue|ave|road|rd|lane|ln|drive|dr|boulevard|blvd|way|court|ct|place|pl)\b"
    r"|\b(calle|avenida|av|carrera|camino|paseo|plaza)\s+[\w\s]{1,30}\d{1,5}\b",
    re.IGNORECASE,
)
_CRISIS = re.compile(
    r"kill myself|killing myself|suicid|end my life|end it all|want to die|wanna die|don'?t want to live|"
    r"hurt myself|hurting myself|self[- ]harm|cut myself|no reason to live|"
    r"matarme|suicid|quitarme la vida|no quiero vivir|quiero morir|hacerme daño|lastimarme",
    re.IGNORECASE,
)


def may_identify(text: str) -> bool:
    """A phone number, an e-mail address, a street address or a link."""
    return any(pattern.search(text or "") for pattern in (_PHONE, _EMAIL, _LINK, _ADDRESS))


def sounds_like_crisis(text: str) -> bool:
    return bool(_CRISIS.search(text or ""))
