"""Template words for injuries: `{{ injury.side|side:"hamstring" }}` reads "left hamstring" or
"both hamstrings" (injuries/sides.py)."""

from django import template

from injuries.sides import side_words

register = template.Library()


@register.filter
def side(value, part="leg") -> str:
    return side_words(str(value or ""), part)
