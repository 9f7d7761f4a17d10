"""The roster's filters and the others' (django-filter): `?team=`, `?archived=`, `?search=`, …"""

import django_filters as filters
from django import forms
from drf_spectacular.utils import extend_schema_field


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 2**31 - 1})
class IdFilter(filters.NumberFilter):
    """A record's id: a whole number in the database's range, else a 400 naming the field."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**31 - 1)
        super().__init__(*args, **kwargs)

from athletes.models import Athlete
from injuries.models import Complaint, Injury
from programmes.models import Assignment, ScheduledSession
from testing.models import TestResult


@extend_schema_field({"type": "string", "maxLength": 200, "pattern": "^[^\\u0000]*$"})
class TextFilter(filters.CharFilter):
    """Free text: no NUL character (the database refuses one), at most 200 characters."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)


class AthleteFilter(filters.FilterSet):
    team = IdFilter(field_name="team_id", help_text="A team's id.")
    archived = filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")], method="archived_or_not",
        help_text="true: archived athletes only; false: current ones only; absent: both.",
    )
    search = TextFilter(method="search_words", help_text="Words in the name, email, position or sport.")

    class Meta:
        model = Athlete
        fields = ["team", "archived", "search"]

    def archived_or_not(self, queryset, name, value):
        return queryset.filter(archived_at__isnull=value != "true")

    def search_words(self, queryset, name, value):
        return queryset.search(value)


class ComplaintFilter(filters.FilterSet):
    athlete = IdFilter(field_name="athlete_id")

    class Meta:
        model = Complaint
        fields = ["athlete", "status", "referral"]


class InjuryFilter(filters.FilterSet):
    athlete = IdFilter(field_name="athlete_id")
    open = filters.ChoiceFilter(choices=[("true", "true"), ("false", "false")], method="open_or_not",
                                help_text="true: not yet cleared; false: cleared.")

    class Meta:
        model = Injury
        fields = ["athlete", "phase", "open"]


    def open_or_not(self, queryset, name, value):
        return queryset.filter(cleared_on__isnull=value == "true")


class SessionFilter(filters.FilterSet):
    athlete = IdFilter(field_name="athlete_id")
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = ScheduledSession
        fields = ["athlete", "date_from", "date_to"]


class ProgrammeFilter(filters.FilterSet):
    athlete = IdFilter(field_name="athlete_id")

    class Meta:
        model = Assignment
        fields = ["athlete"]


class TestResultFilter(filters.FilterSet):
    athlete = IdFilter(field_name="athlete_id")
    test = TextFilter(field_name="test_type__key", help_text="A test's short name, e.g. nordic.")

    class Meta:
        model = TestResult
        fields = ["athlete", "test"]
