from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from survivor_portal.idempotency.keys import once_field
from survivor_portal.outreach.models import LONGEST_GRACE_MINUTES
from survivor_portal.web import version_field

_MINUTES = (15, 30, 45, 60, 120, 180, 240, 360, 480)  # whole hours past the first


def _minutes_label(minutes: int) -> str:
    if minutes < 60:
        return ngettext("in %(count)s minute", "in %(count)s minutes", minutes) % {"count": minutes}
    return ngettext("in %(count)s hour", "in %(count)s hours", minutes // 60) % {"count": minutes // 60}


def _minute_choices() -> list[tuple[int, str]]:
    return [(minutes, _minutes_label(minutes)) for minutes in _MINUTES]


class CheckInForm(forms.Form):
    place = forms.CharField(
        label=_("Where"), max_length=80,
        help_text=_("A neutral label, like “visit north side”. Never a survivor’s name or address."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}))
    colleague_ids = forms.TypedMultipleChoiceField(label=_("Colleagues with you"), coerce=int, required=False,
                                                   widget=forms.CheckboxSelectMultiple)
    with_others = forms.CharField(label=_("Anyone else with you"), max_length=120, required=False,
                                  help_text=_("For example “interpreter”. No names of people you visit."),
                                  widget=forms.TextInput(attrs={"autocomplete": "off"}))
    back_in_minutes = forms.TypedChoiceField(label=_("I will check back"), coerce=int, initial=60)
    note = forms.CharField(label=_("Note for colleagues (optional)"), max_length=300, required=False,
                           help_text=_("For example “phone on silent, call twice”."),
                           widget=forms.Textarea(attrs={"rows": 2}))
    once = once_field()

    def __init__(self, *args, colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["colleague_ids"].choices = [(person.pk, str(person)) for person in colleagues]
        self.fields["back_in_minutes"].choices = _minute_choices()


class ExtendForm(forms.Form):
    back_in_minutes = forms.TypedChoiceField(label=_("Check back"), coerce=int, initial=30)
    version = version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["back_in_minutes"].choices = _minute_choices()


class AgencySafetyForm(forms.Form):
    grace_minutes = forms.IntegerField(
        label=_("Grace period (minutes)"), min_value=0, max_value=LONGEST_GRACE_MINUTES,
        help_text=_("How long after someone’s time to check back colleagues are alerted."))
    on_duty_ids = forms.TypedMultipleChoiceField(
        label=_("Who is on duty"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("They see an alert when a colleague has not checked back in. If you tick nobody, all staff see it."))
    crisis_resources = forms.CharField(
        label=_("Crisis resources"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Help lines shown to survivors in the peer groups and when a post sounds like a crisis."))
    version = version_field()

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on_duty_ids"].choices = [(person.pk, str(person)) for person in staff]
