from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils import timezone

from .models import Athlete, Team

User = get_user_model()


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


class _TeamField(forms.ModelChoiceField):
    """A ModelChoiceField checked against the teams the form already read for its select (one
    query for both): the same answers as ``queryset.get(pk=value)``, a stale or foreign id invalid."""

    teams: dict = {}  # by id: the form's own, set in RosterFilterForm.__init__

    def to_python(self, value):
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        try:
            return self.teams[int(value)]
        except (KeyError, ValueError, TypeError):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})


class RosterFilterForm(forms.Form):
    STATUS_CHOICES = [("active", "Active"), ("archived", "Archived")]

    q = forms.CharField(required=False, label="Search", max_length=100)
    team = _TeamField(queryset=Team.objects.none(), required=False, empty_label="All my teams")
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False, initial="active")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams = Team.objects.for_user(user)
        self.teams = list(teams)
        self.fields["team"].teams = {team.pk: team for team in self.teams}

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

    def selects(self) -> list[dict]:
        """The team and status selects as the roster prints them (templates/athletes/roster.html):
        what ``{{ field.label_tag }} {{ field }}`` renders, without a template per option. As
        Django's Select: the submitted value (the last one given) picks the option whose value is
        the same string, "" (every team) when none is given, and a field whose value is invalid
        says so (aria-invalid, aria-describedby: Django 5.2's BoundField attributes)."""
        choices = {
            "team": [("", self.fields["team"].empty_label)] + [(str(team.pk), team.name) for team in self.teams],
            "status": self.STATUS_CHOICES,
        }
        selects = []
        for name, options in choices.items():
            field = self[name]
            value = field.data
            value = "" if value is None else str(value)
            selected = next((index for index, (option, _label) in enumerate(options) if option == value), None)
            label = str(field.label)
            if self.label_suffix and label and label[-1] not in ":?.!":  # as BoundField.label_tag
                label += self.label_suffix
            selects.append({
                "name": name,
                "id": field.auto_id,
                "label": label,
                "invalid": bool(field.errors),
                "options": [(option, label, index == selected) for index, (option, label) in enumerate(options)],
            })
        return selects
