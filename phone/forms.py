"""Forms only the athlete's phone uses: one set, finishing a session, the next-morning check-in.

The athlete's injury report uses `injuries.forms.AthleteComplaintForm`, which shares its questions
with the coach's form and stays beside it.
"""

from django import forms

PAIN = [(n, str(n)) for n in range(11)]


class FinishForm(forms.Form):
    worst_pain = forms.TypedChoiceField(
        label="Worst pain during the session (0 none, 10 worst)", choices=PAIN, coerce=int,
        widget=forms.RadioSelect(attrs={"class": "choice-row"}),
    )
    sharp_pain = forms.TypedChoiceField(
        label="Was any of the pain sharp?", choices=[(True, "Yes"), (False, "No")],
        coerce=lambda v: v in (True, "True"), widget=forms.RadioSelect(attrs={"class": "choice-row"}),
    )


class MorningForm(forms.Form):
    feeling = forms.ChoiceField(
        label="How does the hamstring feel compared with yesterday?",
        choices=[("better", "Better"), ("same", "The same"), ("worse", "Worse")],
        widget=forms.RadioSelect(attrs={"class": "choice-row"}),
    )
    pain = forms.TypedChoiceField(
        label="Pain right now (0 none, 10 worst)", choices=PAIN, coerce=int,
        widget=forms.RadioSelect(attrs={"class": "choice-row"}),
    )


class SetEditForm(forms.Form):
    reps = forms.IntegerField(min_value=0, max_value=200, required=False, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    load = forms.CharField(max_length=60, required=False)
