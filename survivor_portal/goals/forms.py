from django import forms
from django.utils.translation import gettext_lazy as _

from survivor_portal.goals.models import Goal
from survivor_portal.idempotency.keys import once_field
from survivor_portal.web import version_field

_PRIVATE = {"autocomplete": "off"}
# Told in plain words before she marks anything "only me" (accounts.only_me).
ONLY_ME_LABEL = _("Only me — not even people you share with")
ONLY_ME_WARNING = _(
    "Only you can open it, with your passphrase. No agency ever sees it, even if you share all your goals. "
    "If you forget your passphrase, one of your recovery codes opens it. An agency’s reset does not: "
    "after one, this goal cannot be opened again."
)
ONLY_ME_OLD_CODES = _("Your recovery codes are older than this: make new ones in Settings so they can open it too.")


ONLY_ME_PASSPHRASE = _("To keep it only for you, type your passphrase.")


def ask_for_passphrase(form: forms.Form, error: str = "") -> None:
    """Her "only me" key is not with this session: the form she sent asks for her passphrase
    beside what she typed, which stays in it, instead of sending her to another page."""
    form.fields["passphrase"] = forms.CharField(
        label=_("Your passphrase"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        required=False, max_length=200,
    )
    form.add_error("passphrase", error or ONLY_ME_PASSPHRASE)


def only_me_field(old_codes: bool = False) -> forms.BooleanField:
    warning = f"{ONLY_ME_WARNING} {ONLY_ME_OLD_CODES}" if old_codes else ONLY_ME_WARNING
    return forms.BooleanField(label=ONLY_ME_LABEL, required=False, help_text=warning)


class GoalAddForm(forms.Form):
    title = forms.CharField(
        label=_("What would you like to work on?"), max_length=120, widget=forms.TextInput(attrs=_PRIVATE)
    )
    category = forms.ChoiceField(label=_("What is it about?"), choices=Goal.Category.choices, initial="other")
    only_me = only_me_field()
    once = once_field()
    folded = ("only_me",)  # Home stays a short list: the choice opens with what it means (form_fields.html)
    folded_summary = _("Only me")

    def __init__(self, *args, old_codes: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["only_me"] = only_me_field(old_codes)


class GoalEditForm(forms.Form):
    title = forms.CharField(label=_("Goal"), max_length=120, widget=forms.TextInput(attrs=_PRIVATE))
    note = forms.CharField(
        label=_("Notes (only you see these)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={**_PRIVATE, "rows": 4}),
    )
    category = forms.ChoiceField(label=_("What is it about?"), choices=Goal.Category.choices)
    status = forms.ChoiceField(label=_("Where are you with it?"), choices=Goal.Status.choices, widget=forms.RadioSelect)
    target_date = forms.DateField(
        label=_("Target date (optional)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    keep_private = forms.BooleanField(
        label=_("Keep this goal private: never share it with any agency"), required=False
    )
    only_me = only_me_field()
    version = version_field()

    def __init__(self, *args, old_codes: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["only_me"] = only_me_field(old_codes)


class StepAddForm(forms.Form):
    text = forms.CharField(label=_("Add a step"), max_length=200, widget=forms.TextInput(attrs=_PRIVATE))
    once = once_field()


class MoveForm(forms.Form):
    """One Move button: "<id>:up", "<id>:down" or "<id>:top", and the order the page showed."""

    move = forms.CharField(max_length=40)
    version = forms.CharField(max_length=32, required=False)

    def clean_move(self) -> tuple[int, str]:
        item, _sep, to = self.cleaned_data["move"].partition(":")
        if not item.isdigit() or len(item) > 18 or to not in ("up", "down", "top"):
            raise forms.ValidationError(_("That move could not be read."))
        return int(item), to
