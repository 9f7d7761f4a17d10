import csv

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from athletes import audit
from athletes.access import coach_required, get_athlete_for_user, get_team_for_user

from . import imports, selectors, services
from .forms import TestImportForm, TestResultForm
from .models import TestResult, TestType

IMPORT_PROBLEMS_SHOWN = 200


@coach_required
def test_result_create(request, athlete_pk):
    """Choose a test, then type its values: a few taps from the athlete's page."""
    athlete = get_athlete_for_user(request.user, athlete_pk)
    test_types = list(TestType.objects.all())
    key = request.POST.get("test") or request.GET.get("test")
    test_type = next((test_type for test_type in test_types if test_type.key == key), None)
    if test_type is None:
        context = {"athlete": athlete, "test_types": test_types, "unknown_test": key}
        return render(request, "testing/choose_test.html", context)
    form = TestResultForm(request.POST or None, test_type=test_type, initial={"tested_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            result = services.test_result_record(
                athlete=athlete, test_type=test_type, recorded_by=request.user, **form.cleaned_data
            )
        except services.TestResultError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved {test_type.name}: {selectors.result_summary(result)}.")
            return redirect("athlete_tests", athlete_pk=athlete.pk)
    return render(request, "testing/record.html", {"athlete": athlete, "test_type": test_type, "form": form})


@coach_required
def athlete_tests(request, athlete_pk):
    """Every test the athlete has done: latest values, asymmetry, baseline and a trend per test."""
    athlete = get_athlete_for_user(request.user, athlete_pk)
    audit.record_shown(request.user, audit.Action.VIEW_TESTS, athlete_id=athlete.pk, record=f"tests:{athlete.pk}")
    context = {"athlete": athlete, **selectors.athlete_test_cards(athlete=athlete)}
    return render(request, "testing/athlete_tests.html", context)


@require_POST
@coach_required
def test_result_delete(request, pk):
    result = get_object_or_404(TestResult.objects.for_user(request.user).select_related("test_type"), pk=pk)
    services.test_result_delete(result=result, deleted_by=request.user)
    day = result.tested_on
    messages.success(request, f"Deleted the {result.test_type.name} result of {date_format(day)}.")
    return redirect("athlete_tests", athlete_pk=result.athlete_id)


@coach_required
def team_tests_import(request, pk):
    """Upload a team's results as CSV; every row is checked and nothing is half-imported."""
    team = get_team_for_user(request.user, pk)
    form = TestImportForm(request.POST, request.FILES) if request.method == "POST" else TestImportForm()
    outcome = None
    if request.method == "POST" and form.is_valid():
        outcome = imports.test_results_import_csv(team=team, text=form.cleaned_data["file"], recorded_by=request.user)
        if outcome.ok:
            messages.success(
                request,
                f"Imported {outcome.imported} result{pluralize(outcome.imported)} "
                f"for {outcome.athletes} athlete{pluralize(outcome.athletes)}.",
            )
            return redirect("team_screening", pk=team.pk)
    context = {
        "team": team,
        "form": form,
        "outcome": outcome,
        "problems": outcome.problems[:IMPORT_PROBLEMS_SHOWN] if outcome else (),
        "test_types": TestType.objects.all(),
        "athletes": team.athletes.only("first_name", "last_name", "email", "archived_at"),
        "columns": imports.IMPORT_COLUMNS,
    }
    return render(request, "testing/import.html", context)


@coach_required
def tests_import_example(request):
    """A CSV in the import format, one row per test, with made-up athletes."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="test-results-example.csv"'
    csv.writer(response).writerows(imports.example_rows(TestType.objects.all(), timezone.localdate()))
    return response


@coach_required
def team_screening(request, pk):
    """The latest asymmetry of every active athlete in every bilateral test; over-threshold flagged."""
    team = get_team_for_user(request.user, pk)
    audit.record_shown(request.user, audit.Action.VIEW_SCREENING, team_id=team.pk, record=f"screening:{team.pk}")
    table = selectors.team_screening_table(team=team, flagged_only=request.GET.get("show") == "flagged")
    return render(request, "testing/screening.html", {"team": team, **table})
