"""How the app may look on her phone. Every name and description is as dull as the app it copies,
and in the language the phone is set to, as that app's would be."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Disguise:
    key: str
    name: str
    short_name: str
    description: str
    theme_color: str
    background_color: str
    label: str  # how the choice is named on the settings page


DISGUISES: dict[str, Disguise] = {
    d.key: d
    for d in [
        Disguise("calculator", _("Calculator"), _("Calculator"), _("A simple calculator."), "#202124", "#202124",
                 _("Calculator")),
        Disguise("weather", _("Weather"), _("Weather"), _("Today's weather and the week ahead."), "#1e6fb8", "#e8f1fa",
                 _("Weather")),
        Disguise("notes", _("Notes"), _("Notes"), _("Quick notes and lists."), "#f2c94c", "#fffdf5", _("Notes")),
        Disguise("plain", _("Portal"), _("Portal"), _("Your space."), "#2f5d8a", "#fbfbf8", _("Plain (no disguise)")),
    ]
}
DEFAULT = "plain"
COOKIE = "look"  # holds only the disguise key


def disguise_for(key: str | None) -> Disguise:
    return DISGUISES.get(key or "", DISGUISES[DEFAULT])


# Neutral public pages Exit can go to. None shows anything personal.
EXIT_CHOICES: dict[str, tuple[str, object]] = {
    "default": ("", _("Weather forecast")),
    "news": ("https://www.bbc.com/news", _("News headlines")),
    "search": ("https://www.google.com/", _("A search page")),
    "recipes": ("https://www.bbcgoodfood.com/", _("Recipes")),
}
