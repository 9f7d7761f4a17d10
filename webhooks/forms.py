from django import forms

from .models import EventType
from .services import url_problem


class EndpointForm(forms.Form):
    url = forms.URLField(
        label="Address that receives the updates", max_length=300, assume_scheme="https",
        help_text="The web address your other system gave you, starting with https://.",
    )
    events = forms.MultipleChoiceField(
        label="Send these updates", choices=EventType.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one update to send."},
    )

    def clean_url(self):
        url = self.cleaned_data["url"]
        problem = url_problem(url)
        if problem:
            raise forms.ValidationError(problem)
        return url
