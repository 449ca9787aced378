from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from survivor_portal.plans.models import SafetyPlan
from survivor_portal.plans.sections import SECTIONS, Section
from survivor_portal.web import version_field

PRIVATE_LABEL = _("Keep this part private")
PRIVATE_HELP = _("Nobody you share your plan with sees it, whatever you share.")


class SectionForm(forms.Form):
    """One section of her plan, in her words. Every field is optional."""

    text = forms.CharField(required=False, strip=True, widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off"}))
    ticks = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    private = forms.BooleanField(label=PRIVATE_LABEL, help_text=PRIVATE_HELP, required=False)
    version = version_field()

    section: Section  # set by section_form(): the conflict page makes the form again from its class alone

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        section = self.section
        self.fields["text"].label = section.question
        self.fields["text"].max_length = section.longest
        self.fields["text"].widget.attrs["maxlength"] = section.longest
        self.fields["text"].validators.append(MaxLengthValidator(section.longest))
        if section.checklist:
            self.fields["ticks"].choices = list(section.checklist)
            self.fields["ticks"].label = section.checklist_label
        else:
            del self.fields["ticks"]
        if section.longest < 500:
            self.fields["text"].widget = forms.TextInput(attrs={"autocomplete": "off", "maxlength": section.longest})


def section_form(section: Section) -> type[SectionForm]:
    return type(f"{section.key.title().replace('_', '')}Form", (SectionForm,), {"section": section})


class ReviewForm(forms.Form):
    every_days = forms.TypedChoiceField(
        label=_("Remind me in the app to look at my plan again"), coerce=int,
        choices=[(code, label) for code, label in SafetyPlan.Review.choices], widget=forms.RadioSelect,
    )


class PlanSuggestionForm(forms.Form):
    """Staff suggest an addition to one section; it reaches her only as a suggestion."""

    plan_section = forms.ChoiceField(label=_("Which part of her plan?"), choices=[(s.key, s.title) for s in SECTIONS])
    text = forms.CharField(label=_("Your suggestion"), max_length=200)
