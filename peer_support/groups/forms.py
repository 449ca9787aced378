from django import forms
from django.utils.translation import gettext_lazy as _

from peer_support.groups.models import CHECK_IN_LONGEST, Report
from survivor_portal.idempotency.keys import once_field
from survivor_portal.web import version_field

_PRIVATE = {"autocomplete": "off"}


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    purpose = forms.CharField(label=_("What the group is for"), max_length=300)
    language = forms.ChoiceField(label=_("Language"), choices=[("en", "English"), ("es", "Español")])
    open_to_join = forms.BooleanField(label=_("Anyone at the agency can join (otherwise a mentor lets people in)"),
                                      required=False, initial=True)
    agreement = forms.CharField(label=_("First group agreement (the mentors can change it)"), max_length=4000,
                                widget=forms.Textarea(attrs={"rows": 4}))


class JoinForm(forms.Form):
    alias = forms.CharField(label=_("Your name in this group"), max_length=40, widget=forms.TextInput(attrs=_PRIVATE),
                            help_text=_("Others see only this. We suggest a neutral one; you can change it."))
    agreed = forms.BooleanField(label=_("I have read the group agreement and I accept it"))


class PostForm(forms.Form):
    body = forms.CharField(label=_("Write to the group"), max_length=2000, widget=forms.Textarea(attrs={**_PRIVATE, "rows": 3}))
    content_warning = forms.CharField(label=_("Content warning (optional)"), max_length=100, required=False,
                                      widget=forms.TextInput(attrs=_PRIVATE),
                                      help_text=_("A few words, like “talks about violence”. Your post stays folded until someone taps it."))
    once = once_field()


class PostEditForm(PostForm):
    once = None  # an edit creates nothing; it carries the version instead
    version = version_field()


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why are you reporting it?"), choices=Report.Reason.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Anything to add? (optional)"), max_length=300, required=False,
                           widget=forms.Textarea(attrs={**_PRIVATE, "rows": 2}))


class AgendaForm(forms.Form):
    text = forms.CharField(label=_("Something to talk about next time"), max_length=300, widget=forms.TextInput(attrs=_PRIVATE))


class AgreementForm(forms.Form):
    agreement = forms.CharField(label=_("Group agreement"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}))


class MeetingForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    place_label = forms.CharField(label=_("Where (“online”, or a neutral place)"), max_length=80, initial="online")


class CheckInForm(forms.Form):
    """A mentor's first message, or either one's reply: the same text rule (CHECK_IN_LONGEST)."""

    body = forms.CharField(label=_("Your message"), max_length=CHECK_IN_LONGEST,
                           widget=forms.Textarea(attrs={**_PRIVATE, "rows": 3}))
    once = once_field()
