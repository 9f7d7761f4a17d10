"""How dates read in each language the app speaks (FORMAT_MODULE_PATH in coachapp/settings.py).

LocaleMiddleware picks the language from the browser's Accept-Language: British English (the
default, and for any English but American) writes "3 Dec 2026", American English "Dec 3, 2026".
Templates use the named formats (`|date`, `|date:"MONTH_DAY_FORMAT"`, `|date:"DATETIME_FORMAT"`)
and Python uses `django.utils.formats.date_format`, never a format of their own, so every page
and message reads one way for one reader. Both modules define the same names: Django looks a
name up in en_GB, then in en, so a name missing from en_GB would read the American way.

`WEEKDAY_DATE_FORMAT` is ours (Django has no named format with the weekday): read it with
`weekday_date_format()`, or in a template with `{% load dates %}{{ day|weekday_date }}`.
"""

from django.utils import formats


def weekday_date_format() -> str:
    """The active language's format of a date with its weekday: "Wednesday 3 Dec"."""
    for module in formats.get_format_modules():
        if hasattr(module, "WEEKDAY_DATE_FORMAT"):
            return module.WEEKDAY_DATE_FORMAT
    return "l j M"
