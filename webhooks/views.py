"""The team's webhooks page: its endpoints (add, switch off or on, delete) and the latest deliveries
(send again). Coaches of the team and admins only (athletes/access.py)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from athletes.access import coach_required, get_team_for_user

from . import selectors, services
from .forms import EndpointForm
from .models import Delivery

SECRET_KEY = "webhook_secret"  # the session key that carries a new secret to the one page that shows it


@coach_required
def team_webhooks(request, pk):
    team = get_team_for_user(request.user, pk)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = services.endpoint_create(team=team, created_by=request.user, **form.cleaned_data)
        except services.WebhookError as error:
            form.add_error(None, str(error))
        else:
            request.session[SECRET_KEY] = {"endpoint": endpoint.pk, "secret": secret}
            messages.success(request, f"Added the webhook to {endpoint.url}.")
            return redirect("team_webhooks", pk=team.pk)
    context = {"team": team, "form": form, "new_secret": request.session.pop(SECRET_KEY, None)}
    return render(request, "webhooks/team_webhooks.html", {**context, **selectors.team_webhooks(team=team)})


@coach_required
@require_POST
def webhook_switch(request, pk):
    endpoint = get_object_or_404(selectors.endpoints_for_user(request.user), pk=pk)
    # The state asked for, not a toggle: a form sent twice leaves it as the coach wanted.
    on = request.POST["on"] == "1" if "on" in request.POST else not endpoint.active
    services.endpoint_switch(endpoint=endpoint, on=on)
    messages.success(request, f"{'Switched on' if on else 'Switched off'}: {endpoint.url}.")
    return redirect("team_webhooks", pk=endpoint.team_id)


@coach_required
@require_POST
def webhook_delete(request, pk):
    endpoint = get_object_or_404(selectors.endpoints_for_user(request.user), pk=pk)
    services.endpoint_delete(endpoint=endpoint)
    messages.success(request, f"Deleted the webhook to {endpoint.url}.")
    return redirect("team_webhooks", pk=endpoint.team_id)


@coach_required
@require_POST
def webhook_delivery_replay(request, pk):
    delivery = get_object_or_404(
        Delivery.objects.filter(endpoint__in=selectors.endpoints_for_user(request.user)).select_related("endpoint"), pk=pk
    )
    try:
        services.delivery_replay(delivery=delivery)
    except services.WebhookError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "It will be sent again in a moment, with the same delivery id.")
    return redirect("team_webhooks", pk=delivery.endpoint.team_id)
