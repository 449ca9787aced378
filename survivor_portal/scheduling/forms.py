from django import forms
from django.utils.translation import gettext_lazy as _

from survivor_portal.idempotency.keys import once_field
from survivor_portal.scheduling.models import Appointment, Mode
from survivor_portal.web import version_field

_PRIVATE = {"autocomplete": "off"}
WEEKDAYS = [(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday")),
            (5, _("Saturday")), (6, _("Sunday"))]
LENGTHS = [(15, _("15 minutes")), (20, _("20 minutes")), (30, _("30 minutes")), (45, _("45 minutes")),
           (60, _("1 hour")), (90, _("1 hour 30 minutes")), (120, _("2 hours"))]
NOTICE = [(0, _("No notice")), (60, _("1 hour")), (120, _("2 hours")), (240, _("4 hours")), (1440, _("1 day")),
          (2880, _("2 days"))]
BUFFER = [(0, _("No break")), (5, _("5 minutes")), (10, _("10 minutes")), (15, _("15 minutes")),
          (30, _("30 minutes")), (60, _("1 hour"))]


class BookForm(forms.Form):
    contact = forms.ChoiceField(label=_("How can your advocate reach you safely?"), choices=Appointment.Contact.choices,
                                initial=Appointment.Contact.APP_ONLY, widget=forms.RadioSelect)
    phone = forms.CharField(label=_("Number to call (only if you chose “Call me”)"), max_length=30, required=False,
                            widget=forms.TextInput(attrs={**_PRIVATE, "inputmode": "tel"}))
    voicemail_ok = forms.BooleanField(label=_("It is safe to leave a voicemail"), required=False)
    once = once_field()
    note = forms.CharField(label=_("Anything they should know? (optional)"), max_length=300, required=False,
                           help_text=_("Only this advocate sees it. It is erased after the meeting."),
                           widget=forms.Textarea(attrs={**_PRIVATE, "rows": 2}))


class SlotForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="one_%s", **kwargs)  # shares a page with the weekly form

    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("To"), widget=forms.TimeInput(attrs={"type": "time"}))
    mode = forms.ChoiceField(label=_("How"), choices=Mode.choices, initial=Mode.PHONE, widget=forms.RadioSelect)
    place_label = forms.CharField(label=_("Where, for in person (neutral words)"), max_length=80, required=False,
                                  help_text=_("For example: Office, side entrance."))


class WeeklyForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="weekly_%s", **kwargs)

    weekdays = forms.TypedMultipleChoiceField(label=_("Every"), choices=WEEKDAYS, coerce=int,
                                              widget=forms.CheckboxSelectMultiple)
    start_time = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("To"), widget=forms.TimeInput(attrs={"type": "time"}))
    slot_minutes = forms.TypedChoiceField(label=_("Each meeting lasts"), choices=LENGTHS, coerce=int, initial=30)
    first_day = forms.DateField(label=_("Starting on"), widget=forms.DateInput(attrs={"type": "date"}))
    weeks = forms.TypedChoiceField(label=_("For how many weeks"), choices=[(n, n) for n in range(1, 13)], coerce=int, initial=4)
    mode = forms.ChoiceField(label=_("How"), choices=Mode.choices, initial=Mode.PHONE, widget=forms.RadioSelect)
    place_label = forms.CharField(label=_("Where, for in person (neutral words)"), max_length=80, required=False)


class RulesForm(forms.Form):
    min_notice_minutes = forms.TypedChoiceField(label=_("People can book up to"), choices=NOTICE, coerce=int,
                                                help_text=_("before the meeting starts."))
    buffer_minutes = forms.TypedChoiceField(label=_("Break between meetings"), choices=BUFFER, coerce=int)
    version = version_field()


class PrefsForm(forms.Form):
    code_word = forms.CharField(
        label=_("Code word (optional)"), max_length=40, required=False, widget=forms.TextInput(attrs=_PRIVATE),
        help_text=_("Your advocate says it at the start of any call, so you know it is really them."))
    calendar_title = forms.CharField(
        label=_("Title in your calendar"), max_length=60, required=False, widget=forms.TextInput(attrs=_PRIVATE),
        help_text=_("Left empty, it says “Catch-up”."))
    calendar_details = forms.BooleanField(
        label=_("Also put the agency, the advocate and the place in the calendar file"), required=False)
    version = version_field()


class StaffCancelForm(forms.Form):
    reason = forms.CharField(label=_("Why? She will see this."), max_length=300,
                             widget=forms.Textarea(attrs={**_PRIVATE, "rows": 2}))
    withdraw_slot = forms.BooleanField(label=_("Also take this time off my list"), required=False)
