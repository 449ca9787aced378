from django import forms
from django.utils.translation import gettext_lazy as _

from survivor_portal.accounts.models import User

# Personal free text must not be remembered by the browser's form history.
_PRIVATE = {"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150, widget=forms.TextInput(attrs=_PRIVATE))
    password = forms.CharField(
        label=_("Passphrase"), max_length=1024, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", **_PRIVATE}),
    )


class InviteCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Invite code"),
        max_length=40,
        help_text=_("The code someone at the agency gave you, like K7QM-3XPA-RT9D."),
        widget=forms.TextInput(attrs={**_PRIVATE, "autocapitalize": "characters"}),
    )


class JoinDetailsForm(forms.Form):
    username = forms.CharField(
        label=_("Pick a username"),
        max_length=40,
        help_text=_("You will use it to log in. Please do not use your real name or a name people know you by."),
        widget=forms.TextInput(attrs=_PRIVATE),
    )
    display_name = forms.CharField(
        label=_("What should we call you?"),
        max_length=60,
        help_text=_("Any name you like. Agencies you share with will see it."),
        widget=forms.TextInput(attrs=_PRIVATE),
    )
    passphrase = forms.CharField(
        label=_("Pick a passphrase"),
        help_text=_("At least 10 characters. A few words you can remember works well."),
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    passphrase_again = forms.CharField(
        label=_("Type it again"), max_length=1024, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("passphrase") and data.get("passphrase") != data.get("passphrase_again"):
            self.add_error("passphrase_again", _("The two passphrases are not the same."))
        return data


class SettingsForm(forms.Form):
    idle_minutes = forms.TypedChoiceField(
        label=_("Log me out when I have not used it for"),
        choices=User.IDLE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(label=_("Language"), choices=User.LANGUAGE_CHOICES, widget=forms.RadioSelect)
    # Where her settings stood when the page was made (services.settings_version).
    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)


class InviteCreateForm(forms.Form):
    role = forms.ChoiceField(label=_("Who is this code for?"), choices=User.Role.choices, widget=forms.RadioSelect)


class DeleteForm(forms.Form):
    posts = forms.ChoiceField(
        label=_("Your posts in peer groups"), widget=forms.RadioSelect, initial="delete",
        choices=[("delete", _("Delete them")), ("keep", _("Keep them, shown as “Former member”"))])
    passphrase = forms.CharField(label=_("Your passphrase, to confirm"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class RecoverForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=40, widget=forms.TextInput(attrs={"autocomplete": "username"}))
    code = forms.CharField(label=_("A recovery code, or the reset code from your agency"), max_length=40,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none"}))
    passphrase = forms.CharField(label=_("New passphrase"), help_text=_("At least 10 characters. A few words you will remember work well."),
                                 required=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    passphrase_again = forms.CharField(label=_("New passphrase again"), required=False,
                                       widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    otp_token = forms.CharField(label=_("Code from your authenticator app (only if you turned on two-step login)"), max_length=20,
                                required=False, widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


class ResetCodeForm(forms.Form):
    username = forms.CharField(label=_("Her username"), max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off"}),
                               help_text=_("Only after meeting her in person. She will be told a code was made."))


class PassphraseChangeForm(forms.Form):
    current = forms.CharField(label=_("Your passphrase now"), max_length=1024,
                              widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new = forms.CharField(label=_("New passphrase"), max_length=1024,
                          help_text=_("At least 10 characters. A few words you will remember work well."),
                          widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    new_again = forms.CharField(label=_("New passphrase again"), max_length=1024,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))


class OnlyMeOpenForm(forms.Form):
    passphrase = forms.CharField(label=_("Your passphrase"), max_length=200,
                                 widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    next = forms.CharField(max_length=200, required=False, widget=forms.HiddenInput)
