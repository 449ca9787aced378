from django import forms
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from survivor_portal.consent.models import ConsentGrant
from survivor_portal.consent.services import DEFAULT_DAYS, DURATIONS
from survivor_portal.goals.models import Goal


class ShareForm(forms.Form):
    scopes = forms.MultipleChoiceField(
        label=_("What may they see?"),
        choices=[("goals", _("My goals")), ("appointments", _("My appointments with them")),
                 ("messages", _("Messages with them")),
                 ("display_name", _("The name I use here")),
                 ("safety_plan", _("My safety plan (one agency at a time; never the parts I keep private)"))],
        widget=forms.CheckboxSelectMultiple,
    )
    goal_scope = forms.ChoiceField(
        label=_("Which goals?"), choices=ConsentGrant.GoalScope.choices, initial="all", widget=forms.RadioSelect
    )
    categories = forms.MultipleChoiceField(
        label=_("Topics (if you chose “Goals about some topics”)"), choices=Goal.Category.choices,
        required=False, widget=forms.CheckboxSelectMultiple,
    )
    goal_ids = forms.TypedMultipleChoiceField(
        label=_("Goals (if you chose “Only goals I choose”)"), coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    purpose = forms.ChoiceField(
        label=_("Why are you sharing?"), choices=ConsentGrant.Purpose.choices, initial="support", widget=forms.RadioSelect
    )
    purpose_note = forms.CharField(
        label=_("Anything to add? (optional)"), max_length=200, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    days = forms.TypedChoiceField(
        label=_("For how long?"), coerce=int, initial=DEFAULT_DAYS, widget=forms.RadioSelect,
        choices=[],  # filled per request, in her language (see _days_choices)
    )
    # Where her sharing with this agency stood when the page was made (services.sharing_version).
    sharing = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def __init__(self, *args, goals: list[Goal], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal_ids"].choices = [(goal.pk, goal.title) for goal in goals]
        self.fields["days"].choices = _days_choices()


class DisclosureForm(forms.Form):
    username = forms.CharField(label=_("Her username"), max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    shared_what = forms.CharField(label=_("What was shared"), max_length=300)
    with_whom = forms.CharField(label=_("With whom"), max_length=200)
    why = forms.CharField(label=_("Why it could not be her choice"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("Name of the system"), max_length=80)


class RecordForForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = _days_choices()

    username = forms.CharField(label=_("Her username"), max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    scopes = forms.MultipleChoiceField(
        label=_("What she agreed you may see"),
        choices=[("goals", _("Her goals")), ("appointments", _("Her appointments with you")),
                 ("messages", _("Messages with you")),
                 ("display_name", _("The name she uses here"))],
        widget=forms.CheckboxSelectMultiple,
    )
    goal_scope = forms.ChoiceField(
        label=_("Which goals?"), initial="all", widget=forms.RadioSelect,
        choices=[("all", _("All her goals")), ("categories", _("Goals about some topics"))],
    )
    categories = forms.MultipleChoiceField(
        label=_("Topics"), choices=Goal.Category.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    purpose = forms.ChoiceField(label=_("Why"), choices=ConsentGrant.Purpose.choices, widget=forms.RadioSelect)
    days = forms.TypedChoiceField(
        label=_("For how long?"), coerce=int, initial=DEFAULT_DAYS, widget=forms.RadioSelect,
        choices=[],  # filled per request, in her language (see _days_choices)
    )


def _days_choices() -> list[tuple[int, str]]:
    return [(d, ngettext("%(days)s day", "%(days)s days", d) % {"days": d}) for d in DURATIONS]


class SuggestionForm(forms.Form):
    text = forms.CharField(label=_("Suggest a goal or a step"), max_length=200)
    goal_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    category = forms.ChoiceField(label=_("Topic"), choices=Goal.Category.choices, initial="other")
