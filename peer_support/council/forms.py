from django import forms
from django.utils.translation import gettext_lazy as _

from peer_support.council.models import AgencyResponse, Vote
from survivor_portal.idempotency.keys import once_field
from survivor_portal.web import version_field

_PRIVATE = {"autocomplete": "off"}


class IdeaForm(forms.Form):
    text = forms.CharField(label=_("Your idea, in a few sentences"), max_length=1000,
                           widget=forms.Textarea(attrs={**_PRIVATE, "rows": 4}))
    signed = forms.BooleanField(label=_("Show the council my name"), required=False,
                                help_text=_("If you leave this off, the council does not see who sent it."))
    once = once_field()


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120, widget=forms.TextInput(attrs=_PRIVATE))
    problem = forms.CharField(label=_("What is the problem?"), max_length=2000,
                              widget=forms.Textarea(attrs={**_PRIVATE, "rows": 4}))
    change = forms.CharField(label=_("What should change?"), max_length=2000,
                             widget=forms.Textarea(attrs={**_PRIVATE, "rows": 4}))
    affects = forms.CharField(label=_("Who does it affect?"), max_length=300, widget=forms.TextInput(attrs=_PRIVATE))
    once = once_field()


class ProposalEditForm(ProposalForm):
    once = None  # a revision creates nothing; it carries the version instead
    version = version_field()


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), max_length=2000, widget=forms.Textarea(attrs={**_PRIVATE, "rows": 3}))


class VotingForm(forms.Form):
    closes_on = forms.DateField(label=_("Voting closes at the end of"), widget=forms.DateInput(attrs={"type": "date"}),
                                help_text=_("Between 3 and 30 days from today."))


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("Your vote"), choices=Vote.Choice.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason (needed for a block)"), max_length=500, required=False,
                             widget=forms.Textarea(attrs={**_PRIVATE, "rows": 2}))


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("The agency's answer"), choices=AgencyResponse.Answer.choices, widget=forms.RadioSelect)
    reasons = forms.CharField(label=_("Why, in plain words"), max_length=2000, widget=forms.Textarea(attrs={**_PRIVATE, "rows": 4}))


class UpdateForm(forms.Form):
    text = forms.CharField(label=_("Progress update"), max_length=2000, widget=forms.Textarea(attrs={**_PRIVATE, "rows": 3}))
    done = forms.BooleanField(label=_("This change is now done"), required=False)


class SetAsideForm(forms.Form):
    note = forms.CharField(label=_("Why not take it forward? The sender will read this."), max_length=500,
                           widget=forms.Textarea(attrs={**_PRIVATE, "rows": 2}))
