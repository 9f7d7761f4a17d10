from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services


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


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's, throttled per account (services.password_reset_request); the page that follows
    says the same whether the email has an account, is throttled, or neither."""

    def __init__(self, *args, address=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.address = address

    def get_users(self, email):
        return services.password_reset_request(users=list(super().get_users(email)), address=self.address)
