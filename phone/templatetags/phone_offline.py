"""What the phone's offline script needs to know of the rules (docs/architecture.md#the-phone-offline)."""

from django import template

from programmes.progression import PAIN_RULES

register = template.Library()


@register.simple_tag
def offline_hold_above() -> int:
    """The lowest pain that moves any family down a rung (running's, today).

    A pain answer above it, a sharp pain or a worse morning, still waiting on the phone, may change
    the athlete's plan: the phone holds the saved sessions until the server has it.
    """
    return min(rules.hold_max_pain for rules in PAIN_RULES.values())
