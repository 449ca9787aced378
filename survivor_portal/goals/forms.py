from django import forms
from django.utils.translation import gettext_lazy as _

from survivor_portal.goals.models import Goal

_PRIVATE = {"autocomplete": "off"}


class GoalAddForm(forms.Form):
    title = forms.CharField(
        label=_("What would you like to work on?"), max_length=120, widget=forms.TextInput(attrs=_PRIVATE)
    )
    category = forms.ChoiceField(label=_("What is it about?"), choices=Goal.Category.choices, initial="other")


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


class StepAddForm(forms.Form):
    text = forms.CharField(label=_("Add a step"), max_length=200, widget=forms.TextInput(attrs=_PRIVATE))


class OrderForm(forms.Form):
    """The whole new order, and the order it was based on."""

    ids = forms.CharField(max_length=4000)
    version = forms.CharField(max_length=32, required=False)
    moved = forms.IntegerField(required=False)

    def clean_ids(self) -> list[int]:
        try:
            return [int(part) for part in self.cleaned_data["ids"].split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(_("That order could not be read.")) from None
