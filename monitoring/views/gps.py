"""A team's GPS export, imported by its coach: upload, (map the columns,) import; all or nothing
(monitoring/imports.py, docs/load-and-risk.md#high-speed-running).

Without JavaScript in two steps: the file with a saved mapping or a common export imports at once;
"map the columns myself" (or "check the columns first") shows one select per field of ours, with the
file carried signed in the page (monitoring/gps_forms.py)."""

import csv
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize

from athletes import audit
from athletes.access import coach_required, get_team_for_user
from testing.imports import ImportProblem

from .. import imports
from ..gps_forms import MAP_MYSELF, GpsMappingForm, GpsUploadForm, read_upload, resolve_choice, sign_upload
from ..services import MonitoringError, today_for

IMPORT_PROBLEMS_SHOWN = 200  # as the test import (testing/views.py)
RECENT_IMPORTS = 5


@coach_required
def team_gps_import(request, pk):
    team = get_team_for_user(request.user, pk)
    saved = list(team.gps_mappings.all())
    if request.method == "POST" and "upload" in request.POST:  # the mapping step, its file signed
        return _mapping_step(request, team, saved)
    if request.method != "POST":
        return _upload_page(request, team, GpsUploadForm(saved=saved), saved)
    form = GpsUploadForm(request.POST, request.FILES, saved=saved)
    if not form.is_valid():
        return _upload_page(request, team, form, saved)
    text, (kind, chosen) = form.cleaned_data["file"], form.cleaned_data["mapping"]

    def token():
        return sign_upload(team=team, user=request.user, text=text, name=form.file_name, start=request.POST["mapping"])

    if kind == MAP_MYSELF or request.POST.get("step") == "map":
        if not imports.file_columns(text):
            problem = ImportProblem(1, "The first line names no columns: it must, such as Player Name,Date,Total Distance.")
            return _upload_page(request, team, GpsUploadForm(saved=saved), saved, problems=[problem])
        return _mapping_page(request, team, _first_mapping_form(request, team, text, token(), kind, chosen))
    outcome = imports.gps_import(team=team, file=text, mapping=chosen, by=request.user, file_name=form.file_name)
    if outcome.ok:
        return _imported(request, team, outcome)
    again = GpsUploadForm(saved=saved, initial={"mapping": request.POST["mapping"]})
    return _upload_page(request, team, again, saved, problems=outcome.problems, token=token())


def _mapping_step(request, team, saved):
    """Map the file's columns: the form first (from a refused import's "map this file"), then the import."""
    try:
        read = read_upload(request.POST["upload"], team=team, user=request.user)
    except ValidationError as error:
        return _upload_page(request, team, GpsUploadForm(saved=saved), saved, upload_error=error.messages[0])
    kind, chosen = resolve_choice(read["start"], saved)
    if request.POST.get("step") == "map":
        return _mapping_page(request, team, _first_mapping_form(request, team, read["text"], request.POST["upload"], kind, chosen))
    columns = imports.file_columns(read["text"])
    form = GpsMappingForm(request.POST, columns=columns, team=team, user=request.user)
    if not form.is_valid():
        return _mapping_page(request, team, form)
    mapping, kept = form.mapping, None
    if form.cleaned_data["save_as"]:
        try:
            mapping = kept = imports.gps_mapping_save(
                team=team, name=form.cleaned_data["save_as"], columns=form.mapping, by=request.user,
                preset=chosen if kind == "preset" else (chosen.preset if kind == "saved" else ""),
            )
        except MonitoringError as error:
            form.add_error("save_as", str(error))
            return _mapping_page(request, team, form)
    outcome = imports.gps_import(team=team, file=read["text"], mapping=mapping, by=request.user, file_name=read["name"])
    if outcome.ok:
        return _imported(request, team, outcome, kept)
    return _mapping_page(request, team, form, problems=outcome.problems, kept=kept)


def _first_mapping_form(request, team, text, token, kind, chosen):
    """The mapping form as it opens: the columns guessed from the chosen mapping or export."""
    try:
        start = imports.mapping_from(chosen) if kind in {"preset", "saved"} else None
    except MonitoringError:  # a saved mapping that no longer works: start from the file's own columns
        start = None
    columns = imports.file_columns(text)
    initial = GpsMappingForm.initial_from(
        token=token, chosen=imports.guess_columns(columns, start), start=start,
        save_as=chosen.name if kind == "saved" else "",
    )
    return GpsMappingForm(initial=initial, columns=columns, team=team, user=request.user)


def _imported(request, team, outcome, kept=None):
    if outcome.import_id is not None:
        audit.record_shown(request.user, audit.Action.IMPORT_GPS, team_id=team.pk, record=f"gps_import:{outcome.import_id}")
    message = imported_message(outcome)
    if kept is not None:
        message += f" Saved the column mapping “{kept.name}” for next time."
    messages.success(request, message)
    return redirect("team_load", pk=team.pk)


def imported_message(outcome) -> str:
    rows = outcome.imported
    if not rows:
        return f"Nothing new: the file's {outcome.already} row{pluralize(outcome.already)} had all been imported before."
    parts = [f"Imported {rows} GPS row{pluralize(rows)} for {outcome.athletes} athlete{pluralize(outcome.athletes)}."]
    if outcome.new_max_velocities:
        count = outcome.new_max_velocities
        parts.append(f"A new maximal velocity for {count} athlete{pluralize(count)}.")
    if outcome.already:
        parts.append(f"{outcome.already} row{pluralize(outcome.already)} had been imported before.")
    return " ".join(parts)


def _problems(problems) -> dict:
    problems = list(problems or ())
    return {"problems": problems, "problems_shown": problems[:IMPORT_PROBLEMS_SHOWN]}


def _upload_page(request, team, form, saved, *, problems=(), token="", upload_error=""):
    context = {
        "team": team, "form": form, "step": "upload", "saved": saved, "token": token, "upload_error": upload_error,
        "fields": _fields(), "presets": _presets(),
        "recent": team.gps_imports.select_related("imported_by")[:RECENT_IMPORTS],
        **_problems(problems),
    }
    return render(request, "monitoring/gps_import.html", context)


def _mapping_page(request, team, form, *, problems=(), kept=None):
    context = {"team": team, "form": form, "step": "map", "kept": kept, "fields": _fields(), **_problems(problems)}
    return render(request, "monitoring/gps_import.html", context)


def _fields() -> list[tuple[str, bool]]:
    return [(label, name in imports.REQUIRED) for name, label in imports.FIELDS.items()]


def _presets() -> list[tuple[str, list[str]]]:
    return [(preset.label, [preset.columns[name] for name in imports.FIELDS if name in preset.columns])
            for preset in imports.PRESETS.values()]


EXAMPLE_ROWS = (  # made-up athletes: the names or emails must be the team's own to import
    ("Alex Morgan", 2, "MD-3 Training", "1:14:30", "6120.4", "512.3", "88.1", "8.62"),
    ("sam.taylor@example.com", 2, "MD-3 Training", "1:14:30", "5890", "430.9", "41", "8.10"),
    ("Alex Morgan", 1, "Speed session", "0:42:00", "3210.7", "402", "160.5", "9.31"),
)


@coach_required
def gps_import_example(request):
    """A CSV as a Catapult OpenField export writes it (its preset's columns), dated the last two days."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="gps-import-example.csv"'
    columns = imports.PRESETS["catapult"].columns
    writer = csv.writer(response)
    writer.writerow([columns[name] for name in imports.FIELDS])
    today = today_for(request.user)
    for athlete, days_ago, *values in EXAMPLE_ROWS:
        values.insert(0, f"{today - timedelta(days=days_ago):%d/%m/%Y}")
        writer.writerow([athlete, *values])
    return response

