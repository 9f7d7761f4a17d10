"""The wording of the notification sent when an endpoint is switched off after repeated failure
(registered with the reminder engine in ``WebhooksConfig.ready``; reminders/kinds.py)."""

from urllib.parse import urlsplit

from django.urls import reverse

from .models import Endpoint


def switched_off_message(reminder) -> dict:
    endpoint_id = reminder.occurrence.split(":")[1]
    endpoint = Endpoint.objects.filter(pk=endpoint_id).first() if endpoint_id.isdigit() else None
    host = urlsplit(endpoint.url).hostname if endpoint else "a system"
    return {
        "title": "A webhook was switched off",
        "body": (
            f"Sending updates to {host} failed again and again, so coachapp has stopped sending to it. "
            "Check the receiving system, then switch the webhook back on and send again what it missed."
        ),
        "url": reverse("team_webhooks", args=[reminder.athlete.team_id]),
    }
