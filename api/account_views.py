"""The tokens section of the security page (templates/api/_tokens.html, included in
templates/accounts/two_factor.html): make a token, shown once, and revoke one. Plain Django
pages with the session and CSRF, like the rest of the security page."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from athletes.access import coach_required

from .services import DEFAULT_DAYS, MAX_DAYS, TokenError, token_create, token_revoke


class TokenForm(forms.Form):
    """The fields of templates/api/_tokens.html (written out there: accounts renders that page)."""

    token_name = forms.CharField(label="What it is for", max_length=80)
    days = forms.IntegerField(label="Days until it expires", min_value=1, max_value=MAX_DAYS, initial=DEFAULT_DAYS)
    write = forms.TypedChoiceField(
        label="It may", choices=[("", "Read only"), ("1", "Read and write")], coerce=bool, empty_value=False,
        required=False,
    )


@require_POST
@coach_required
def token_new(request):
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            data = form.cleaned_data
            row, token = token_create(user=request.user, name=data["token_name"], write=data["write"], days=data["days"])
        except TokenError as error:
            form.add_error(None, str(error))
        else:
            return render(request, "api/token_created.html", {"row": row, "token": token})
    messages.error(request, "The token was not made: " + " ".join(
        f"{form.fields[field].label if field in form.fields else ''} {' '.join(errors)}".strip()
        for field, errors in form.errors.items()
    ))
    return redirect("two_factor")


@require_POST
@coach_required
def token_delete(request):
    if token_revoke(user=request.user, digest=request.POST.get("token", "")[:128]):
        messages.success(request, "The token is revoked: it no longer works.")
    else:
        messages.error(request, "That token was already revoked or has expired.")
    return redirect("two_factor")
