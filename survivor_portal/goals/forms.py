from django import forms
from django.utils.translation import gettext_lazy as _

from survivor_portal.goals.models import Goal
from survivor_portal.idempotency.keys import once_field
from survivor_portal.web import version_field

_PRIVATE = {"autocomplete": "off"}


class GoalAddForm(forms.Form):
    title = forms.CharField(
        label=_("What would you like to work on?"), max_length=120, widget=forms.TextInput(attrs=_PRIVATE)
    )
    category = forms.ChoiceField(label=_("What is it about?"), choices=Goal.Category.choices, initial="other")
    once = once_field()


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
    version = version_field()


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
