"""How hard a new passphrase is to guess, scored by zxcvbn (the estimator Dropbox published,
as the `zxcvbn` package ships it): a Django password validator (settings.AUTH_PASSWORD_VALIDATORS).

Length rules alone let "Summer2026!" and "passwordpassword" through; zxcvbn counts the guesses
an attacker with lists of common passwords, words, names, years and keyboard rows would need,
so a few ordinary words together ("correct horse battery staple") pass and a dressed-up common
one does not. Her username and display name are among the words it tries first.

zxcvbn's own advice is English only and says "password"; what is wrong is said here instead, in
her language, from the kind of guess that found it.
"""

import threading

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from zxcvbn import matching, zxcvbn

# zxcvbn refuses longer input (its work grows with length); what follows the first 72
# characters only makes a passphrase harder to guess, so scoring the start is the cautious side.
SCORED_LENGTH = 72
# zxcvbn keeps the words of the person being scored in a module-wide dictionary for the length
# of a call: two people scored at once in one process must not trade names.
_one_at_a_time = threading.Lock()

# zxcvbn's lists are English; these are among the words Spanish speakers most often build a
# password from, most common first, so "Verano2026!" is as easy a guess as "Summer2026!".
SPANISH = "passwords_es"
matching.add_frequency_lists({SPANISH: [
    "contraseña", "contrasena", "teamo", "tequiero", "hola", "amor", "princesa", "mariposa", "corazon", "estrella",
    "verano", "invierno", "primavera", "otoño", "otono", "familia", "futbol", "america", "mexico", "colombia",
    "argentina", "barcelona", "madrid", "jesus", "dios", "angel", "amigos", "bonita", "hermosa", "chocolate",
    "perrito", "gatito", "mama", "papa", "cielo", "luna", "amorcito", "bebe", "secreto", "clave",
]})


def _her_words(user, attributes: tuple[str, ...]) -> list[str]:
    words: list[str] = []
    for attribute in attributes:
        value = str(getattr(user, attribute, "") or "").strip()
        if value:
            # The whole name, and each part of it: "Maya Lopez" and "lopez" alone are both easy guesses.
            words.extend([value, *value.replace("_", " ").replace(".", " ").replace("-", " ").split()])
    return words


def _why(passphrase: str, sequence: list[dict]) -> str:
    """The first guessable part, named in plain words, and what to do instead."""
    instead = _("Try three or four words of your own, like a short sentence only you would think of.")
    for match in sequence:
        pattern, dictionary = match.get("pattern"), match.get("dictionary_name")
        if pattern == "dictionary" and dictionary == "user_inputs":
            return _("It is close to your username or your name, so it is easy to guess.") + " " + instead
        if pattern == "repeat":
            return _("Saying the same thing twice does not make it harder to guess.") + " " + instead
        if pattern == "sequence":
            return _("Runs like “abc” or “1234” are easy to guess.") + " " + instead
        if pattern == "spatial":
            return _("Rows of keys like “qwerty” are easy to guess.") + " " + instead
        if pattern in ("date", "regex"):
            return _("Years and dates are easy to guess.") + " " + instead
        if pattern == "dictionary" and match.get("l33t"):
            return _("Swapping letters for numbers or symbols (like @ for a) is easy to guess.") + " " + instead
        if pattern == "dictionary" and dictionary in ("passwords", SPANISH) and match["token"] != passphrase:
            return _("A common word with numbers or signs added is still easy to guess.") + " " + instead
        if pattern == "dictionary" and dictionary in ("passwords", SPANISH):
            return _("Many people use that one, so it is easy to guess.") + " " + instead
    return _("That would be easy to guess.") + " " + instead


class GuessableValidator:
    """Refuses a passphrase zxcvbn scores below `min_score` (0–4; 3 is at least 10⁸ guesses, which
    zxcvbn calls safe against guessing online and fair even against stolen Argon2 hashes)."""

    code = "passphrase_guessable"

    def __init__(self, min_score: int = 3, user_attributes: tuple[str, ...] = ("username", "display_name")):
        self.min_score = min_score
        self.user_attributes = tuple(user_attributes)

    def validate(self, password: str, user=None) -> None:
        scored = password[:SCORED_LENGTH]
        with _one_at_a_time:
            result = zxcvbn(scored, user_inputs=_her_words(user, self.user_attributes))
        if result["score"] < self.min_score:
            raise ValidationError(_why(scored, result["sequence"]), code=self.code)

    def get_help_text(self) -> str:
        return _("Choose something hard to guess: a few words of your own work well.")
