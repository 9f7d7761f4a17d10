from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .models import Athlete, Team

User = get_user_model()


class EmailAuthenticationForm(AuthenticationForm):
    """Sign in with an email address, whatever its capitalisation."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email and password do not match an account. Check both and try again.",
    }
    username = forms.EmailField(
        label="Email",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


WRONG_CODE = (
    "That code is not right, or it has been used already. Enter the code your app shows now, "
    "or one of your unused recovery codes."
)


class SecondFactorForm(OTPAuthenticationFormMixin, forms.Form):
    """A six-digit code from the authenticator app, or a recovery code.

    django-otp checks it: it throttles repeated guesses and refuses a code that was used before.
    Pass `device` to check against one device only (confirming a new app).
    """

    otp_error_messages = {
        **OTPAuthenticationFormMixin.otp_error_messages,
        "token_required": "Enter the six-digit code from your authenticator app.",
        "invalid_token": WRONG_CODE,
        "device_required": WRONG_CODE,
        "n_failed_attempts": "After a wrong code, wait a few seconds, then enter the code your app shows now.",
        "verification_not_allowed": "Codes cannot be checked just now: wait a few seconds and try again.",
    }
    otp_token = forms.CharField(
        label="Code",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "autocapitalize": "off", "spellcheck": "false"}
        ),
    )

    def __init__(self, user, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = device

    def clean_otp_token(self):
        return "".join(self.cleaned_data["otp_token"].split()).lower()

    def clean(self):
        super().clean()
        if "otp_token" in self.cleaned_data:
            self.clean_otp(self.user)
        return self.cleaned_data

    def get_user(self):
        return self.user

    def _chosen_device(self, user):
        # Called inside django-otp's transaction: lock the device so two guesses cannot race.
        if self.device is not None:
            return type(self.device).objects.select_for_update().filter(pk=self.device.pk).first()
        token = self.cleaned_data.get("otp_token", "")
        model = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
        return model.objects.devices_for_user(user, confirmed=True).select_for_update().first()


class AthleteForm(forms.ModelForm):
    send_invitation = forms.BooleanField(
        required=False,
        label="Invite them to coachapp",
        help_text="Emails a link so the athlete can set a password and see their sessions.",
    )

    class Meta:
        model = Athlete
        fields = [
            "first_name",
            "last_name",
            "email",
            "team",
            "sport",
            "position",
            "dominant_leg",
            "date_of_birth",
            "notes",
        ]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.for_user(user)
        self.fields["team"].empty_label = None
        if self.instance.pk and self.instance.user_id:
            # The login is the athlete's own; a coach cannot move it to another address.
            self.fields["email"].disabled = True
        if self.instance.pk:
            del self.fields["send_invitation"]

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born and born > timezone.localdate():
            raise forms.ValidationError("Date of birth cannot be in the future.")
        if born and born.year < 1900:
            raise forms.ValidationError("Enter a date of birth after 1900.")
        return born

    def clean(self):
        cleaned = super().clean()
        # Whether the address already has an account is not said here: the invitation tells
        # its owner, and nobody else learns it.
        if cleaned.get("send_invitation") and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", "An email address is needed to send an invitation.")
        return cleaned


class CoachInvitationForm(forms.Form):
    """Any address: whether it has an account, and of which kind, is for its owner to see."""

    email = forms.EmailField(label="Coach's email")

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class InvitationJoinForm(forms.Form):
    """An existing account says yes to coaching a team."""

    action = forms.ChoiceField(choices=[("accept", "Accept")])


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's, throttled per account (services.password_reset_request); the page that follows
    says the same whether the email has an account, is throttled, or neither."""

    def __init__(self, *args, address=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.address = address

    def get_users(self, email):
        return services.password_reset_request(users=list(super().get_users(email)), address=self.address)


class AcceptInvitationForm(forms.Form):
    """Sets the new account's password; coaches also give their name."""

    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        if invitation.kind == "athlete":
            del self.fields["first_name"]
            del self.fields["last_name"]

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords do not match.")
        elif password1:
            athlete = self.invitation.athlete
            candidate = User(
                email=self.invitation.email,
                first_name=cleaned.get("first_name") or (athlete.first_name if athlete else ""),
                last_name=cleaned.get("last_name") or (athlete.last_name if athlete else ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class RosterFilterForm(forms.Form):
    STATUS_CHOICES = [("active", "Active"), ("archived", "Archived")]

    q = forms.CharField(required=False, label="Search", max_length=100)
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False, empty_label="All my teams")
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False, initial="active")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.for_user(user)

    def filter(self, athletes):
        """Apply the valid filters; an invalid one (a stale team id, say) is ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("status") == "archived":
            athletes = athletes.filter(archived_at__isnull=False)
        else:
            athletes = athletes.active()
        if data.get("team"):
            athletes = athletes.filter(team=data["team"])
        return athletes.search(data.get("q", ""))
