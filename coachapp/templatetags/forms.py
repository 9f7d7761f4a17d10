"""Template helpers for the one form layout (templates/_form.html)."""

from django import template

register = template.Library()


@register.filter
def field_problems(form) -> int:
    """How many fields have an error; a problem with the whole form (a wrong password) is not a
    field's, and is shown on its own."""
    return sum(1 for name in form.errors if name != "__all__")
