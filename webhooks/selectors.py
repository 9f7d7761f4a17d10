"""What the team's webhooks page reads: its endpoints and their latest deliveries, in two queries.

The page shows ids of nothing clinical: the kind of update, when, and how the send went; the
payloads (athlete ids and states) stay in the database and the receiver.
"""

from django.urls import reverse

from .models import Delivery, Endpoint

RECENT_DELIVERIES = 30
REPLAYABLE = {Delivery.Status.DELIVERED, Delivery.Status.FAILED, Delivery.Status.CANCELLED, Delivery.Status.RETRYING}


def endpoints_for_user(user):
    """The endpoints of the teams the user may see (athletes/access.py's rule, through Team)."""
    from athletes.models import Team

    return Endpoint.objects.filter(team__in=Team.objects.for_user(user))


def team_webhooks(*, team) -> dict:
    endpoints = list(Endpoint.objects.filter(team=team))
    deliveries = list(
        Delivery.objects.filter(endpoint__team=team).select_related("event", "endpoint")[:RECENT_DELIVERIES]
    )
    rows = [
        {
            "delivery": delivery,
            "event_label": delivery.event.get_type_display(),
            "status_label": delivery.get_status_display(),
            "replay_url": reverse("webhook_delivery_replay", args=[delivery.pk]) if delivery.status in REPLAYABLE else "",
        }
        for delivery in deliveries
    ]
    return {"endpoints": endpoints, "deliveries": rows}
