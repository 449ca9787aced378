from django import forms
from django.utils.translation import gettext_lazy as _

from survivor_portal.conversations.models import LONGEST, KeepDays
from survivor_portal.idempotency.keys import once_field
from survivor_portal.web import version_field


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Your message"), max_length=LONGEST,
                           widget=forms.Textarea(attrs={"autocomplete": "off", "rows": 3}))
    once = once_field()


class KeepDaysForm(forms.Form):
    days = forms.TypedChoiceField(label=_("Keep messages for"), choices=KeepDays.choices, coerce=int,
                                  widget=forms.RadioSelect,
                                  help_text=_("Older messages are deleted for you and for the agency."))
    version = version_field()
