from django import forms
from django.utils.translation import gettext_lazy as _

from survivor_portal.safety.disguises import DISGUISES, EXIT_CHOICES
from survivor_portal.web import version_field

_PIN = {"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]*"}


class SafetyForm(forms.Form):
    disguise = forms.ChoiceField(
        label=_("How the app looks on this phone"),
        choices=[(key, d.label) for key, d in DISGUISES.items()],
        widget=forms.RadioSelect,
    )
    exit_choice = forms.ChoiceField(
        label=_("Where Exit takes you"),
        choices=[(key, label) for key, (_url, label) in EXIT_CHOICES.items()],
        widget=forms.RadioSelect,
    )
    lock_when_hidden = forms.BooleanField(
        label=_("Lock the app when I switch away from it for more than 30 seconds"), required=False
    )
    version = version_field()


class PinForm(forms.Form):
    pin = forms.CharField(
        label=_("New unlock PIN"),
        help_text=_("4 to 8 numbers. Not your phone's PIN, a date or a year."),
        max_length=8,
        widget=forms.PasswordInput(attrs=_PIN),
    )
    pin_again = forms.CharField(label=_("Type the PIN again"), max_length=8, widget=forms.PasswordInput(attrs=_PIN))


class UnlockForm(forms.Form):
    secret = forms.CharField(
        label=_("Your PIN or passphrase"),
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
