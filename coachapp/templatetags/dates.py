"""`{{ day|weekday_date }}`: a date with its weekday in the reader's language, "Thursday 3 Dec"
or "Thursday, Dec 3" (coachapp/formats/__init__.py)."""

from django import template
from django.utils import formats

from coachapp.formats import weekday_date_format

register = template.Library()


@register.filter(expects_localtime=True)
def weekday_date(value) -> str:
    if value in (None, ""):
        return ""
    try:
        return formats.date_format(value, weekday_date_format())
    except AttributeError:
        return ""
