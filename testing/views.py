import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from athletes import audit
from athletes.access import coach_required, get_athlete_for_user, get_team_for_user

from . import imports, selectors, services
from .forms import ImportReviewForm, TestImportForm, TestResultForm, read_upload, sign_upload
from .models import TestResult, TestType

IMPORT_PROBLEMS_SHOWN = 200
IMPORT_ROWS_SHOWN = 500


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
    """Upload a team's results as CSV, review each row's match, then confirm; nothing is half-imported."""
    team = get_team_for_user(request.user, pk)
    if request.method == "POST" and "upload" in request.POST:  # the review, confirmed
        try:
            read = read_upload(request.POST["upload"], team=team, user=request.user)
        except ValidationError as error:
            return _import_page(request, team, TestImportForm(), review_error=error.messages[0])
        return _import_review(request, team, read["preset"], read["text"], data=request.POST)
    form = TestImportForm(request.POST, request.FILES) if request.method == "POST" else TestImportForm()
    if request.method == "POST" and form.is_valid():
        return _import_review(request, team, form.cleaned_data["preset"], form.cleaned_data["file"])
    return _import_page(request, team, form)


def _import_page(request, team, form, **context):
    context = {
        "team": team,
        "form": form,
        "test_types": TestType.objects.all(),
        "athletes": team.athletes.only("first_name", "last_name", "email", "archived_at"),
        "columns": imports.IMPORT_COLUMNS,
        **context,
    }
    if context.get("problems"):
        context["problems_shown"] = context["problems"][:IMPORT_PROBLEMS_SHOWN]
    return render(request, "testing/import.html", context)


def _import_review(request, team, preset, text, data=None):
    """The file read: its problems (nothing imported), or each row's match for the coach to confirm."""
    user = request.user
    plan = imports.import_plan(team=team, text=text, preset=preset, user=user)
    if plan.problems:
        return _import_page(request, team, TestImportForm(initial={"preset": preset}), problems=plan.problems)
    athletes = list(team.athletes.only("first_name", "last_name"))
    token = data["upload"] if data else sign_upload(team=team, user=user, preset=preset, text=text)
    review = ImportReviewForm(
        data, initial={"upload": token}, team=team, user=user, unmatched=plan.unmatched, athletes=athletes
    )
    if data is not None and review.is_valid():
        choices = review.choices()
        plan = imports.import_plan(team=team, text=text, preset=preset, user=user, choices=choices)
        for name, key in review.keys.items():
            if key in {u.key for u in plan.unresolved}:
                review.add_error(name, "Choose who this is, or skip these rows.")
        if not plan.problems and not plan.unresolved:
            outcome = imports.test_results_import(
                team=team, file=text, preset=preset, recorded_by=user, choices=choices
            )
            if outcome.ok:
                messages.success(request, _imported_message(outcome))
                return redirect("team_screening", pk=team.pk)
            plan.problems = list(outcome.problems)
        if plan.problems:
            return _import_page(request, team, TestImportForm(initial={"preset": preset}), problems=plan.problems)
    context = {
        "plan": plan,
        "review": review,
        "rows": plan.rows[:IMPORT_ROWS_SHOWN],
        "to_import": len(plan.kept),
        "not_kept": plan.count("not kept"),
        "already": plan.count("already imported"),
        "ignored": sorted(plan.ignored.items()),
        "ignored_rows": sum(plan.ignored.values()),
    }
    return render(request, "testing/import_review.html", {"team": team, **context})


def _imported_message(outcome) -> str:
    parts = [
        f"Imported {outcome.imported} result{pluralize(outcome.imported)} "
        f"for {outcome.athletes} athlete{pluralize(outcome.athletes)}."
    ]
    if outcome.not_kept:
        parts.append(f"Kept the strongest attempt of each day: {outcome.not_kept} weaker attempt{pluralize(outcome.not_kept)} left out.")
    if outcome.already:
        parts.append(f"{outcome.already} result{pluralize(outcome.already)} had been imported before.")
    if outcome.skipped:
        parts.append(f"Skipped {outcome.skipped} row{pluralize(outcome.skipped)} as you chose.")
    if outcome.ignored:
        parts.append(f"Left out {outcome.ignored} row{pluralize(outcome.ignored)} of other tests.")
    return " ".join(parts)


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
    today = timezone.localdate()
    table = selectors.team_screening_table(team=team, flagged_only=request.GET.get("show") == "flagged", columns_for_day=today)
    table = selectors.screening_columns(table, user=request.user, team=team, today=today)
    return render(request, "testing/screening.html", {"team": team, **table})
