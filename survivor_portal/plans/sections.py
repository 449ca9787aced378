"""The sections of her safety plan: what each asks, a few example sentences she may take and
reword, and the two short checklists. One list, read by the pages, the API, the advocate's
view and her export. Every section is optional and in her own words."""

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TEXT_LONGEST = 2000
CODE_WORD_LONGEST = 100


@dataclass(frozen=True)
class Section:
    key: str
    title: Promise
    question: Promise
    examples: tuple[Promise, ...]
    checklist: tuple[tuple[str, Promise], ...] = field(default=())
    checklist_label: Promise | str = ""
    longest: int = TEXT_LONGEST

    @property
    def tick_codes(self) -> tuple[str, ...]:
        return tuple(code for code, _label in self.checklist)


SECTIONS: tuple[Section, ...] = (
    Section(
        "warning_signs", _("Warning signs"), _("What tells you things may be getting unsafe?"),
        (_("When my phone gets checked all the time, I know things may get worse."),
         _("If I am told I cannot go out, I will call someone I trust."),
         _("I trust my feeling when something seems wrong.")),
    ),
    Section(
        "safe_places", _("Safe places"), _("Where could you go if you need to leave quickly?"),
        (_("I could go to my friend's home."),
         _("The library and the supermarket are open late and have people around."),
         _("I can ask the shelter for a bed.")),
    ),
    Section(
        "people", _("People I trust"),
        _("Who could help you, and how will you reach them? You do not need to write their numbers here."),
        (_("My sister. I can call her from a friend's phone."),
         _("My advocate. I can ask for a meeting in this app."),
         _("A neighbour I can knock on the door of.")),
    ),
    Section(
        "code_word", _("A code word"), _("Is there a word or sign that tells someone you need help?"),
        (_("If I say “the blue umbrella”, it means call for help."),
         _("If I send an empty message, it means come and find me.")),
        longest=CODE_WORD_LONGEST,
    ),
    Section(
        "documents", _("Documents"), _("Which papers do you have, and where are they kept?"),
        (_("My passport is with my advocate."),
         _("I have photos of my papers on a phone nobody else sees."),
         _("I do not know where my passport is. I will ask for help to get a new one.")),
        checklist=(
            ("passport", _("Passport")),
            ("id", _("ID card")),
            ("immigration", _("Immigration papers")),
            ("birth", _("Birth certificates")),
            ("benefits", _("Benefit papers")),
            ("bank", _("Bank cards and papers")),
        ),
        checklist_label=_("I have it, or I know where it is"),
    ),
    Section(
        "money_bag", _("Money and a bag"), _("Is there money or a bag you could take?"),
        (_("I keep a little money in a place only I know."),
         _("A friend keeps a bag with clothes and a phone charger for me."),
         _("I will take my medicine and my keys.")),
    ),
    Section(
        "children_pets", _("Children and pets"), _("Who needs to come with you, and who can help with them?"),
        (_("My children know they can go to our neighbour."),
         _("My friend can keep my dog for a while."),
         _("I will take my children's favourite toy and their medicine.")),
    ),
    Section(
        "phone", _("My phone and accounts"),
        _("Phones and accounts can show where you are. Tick what you have checked."),
        (_("I will use a friend's phone for calls that must stay private."),
         _("I changed my email password on a computer at the library."),
         _("I will check again in a few weeks.")),
        checklist=(
            ("location", _("Location sharing is off (maps, find-my-phone, photos, social apps)")),
            ("shared", _("I know which accounts are shared or were set up by someone else (cloud, email, family plan)")),
            ("passwords", _("I changed passwords from a device nobody else uses, and signed out other devices")),
            ("spyware", _("I know the signs of spying: a battery that drains fast, apps I did not add, or someone knowing things they should not")),
            ("careful", _("If I think my phone is watched, I use another phone for private things; removing spying apps can alert the person")),
        ),
        checklist_label=_("What I have checked"),
    ),
    Section(
        "after_leaving", _("After I leave"), _("What will help you stay safe afterwards?"),
        (_("I will take a different way to work."),
         _("I will ask my advocate about a protection order."),
         _("I will tell my work who must not be let in.")),
    ),
)

BY_KEY: dict[str, Section] = {section.key: section for section in SECTIONS}
KEYS: tuple[str, ...] = tuple(BY_KEY)


def empty_section() -> dict:
    return {"text": "", "ticks": [], "private": False}
