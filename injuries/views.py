from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from athletes.access import athlete_required, coach_required, get_athlete_for_user, get_team_for_user
from athletes.models import AccessLog, Athlete, Team

from . import board, services
from . import triage as t
from .display import CLASSIFICATION_LABELS, describe
from .export import write_injuries_csv
from .forms import AthleteComplaintForm, ComplaintForm, ExportForm, InjuryDetailsForm, OverrideForm, PhaseForm
from .models import COMPLAINT_FIELDS, ChecklistItem, ClearanceCheck, Complaint, Injury
from .timeline import injury_timeline

INBOX_RECENT = 20


def _injury_for_user(user, pk) -> Injury:
    return get_object_or_404(
        Injury.objects.for_user(user).select_related(
            "athlete__team", "complaint__reported_by", "complaint__confirmed_by"
        ),
        pk=pk,
    )


def _complaint_for_user(user, pk) -> Complaint:
    return get_object_or_404(Complaint.objects.for_user(user).select_related("athlete__team"), pk=pk)


@coach_required
def complaint_create(request, athlete_pk):
    athlete = get_athlete_for_user(request.user, athlete_pk)
    form = ComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        injury = services.complaint_log(athlete=athlete, logged_by=request.user, answers=form.answers())
        messages.success(request, "Complaint saved and triaged.")
        return redirect("injury_detail", pk=injury.pk)
    return render(
        request,
        "injuries/complaint_form.html",
        {"form": form, "athlete": athlete, "preview": _preview(form)},
    )


def _preview(form):
    """The provisional result of a bound, valid form; None until every answer is in."""
    if form.is_bound and form.is_valid():
        return describe(t.triage(form.triage_input).to_dict())
    return None


@require_POST
@coach_required
def complaint_preview(request, athlete_pk):
    """htmx: re-run the triage on the answers so far and return only the result panel."""
    if not Athlete.objects.for_user(request.user).filter(pk=athlete_pk).exists():
        raise Http404("No such athlete.")
    form = ComplaintForm(request.POST)
    return render(request, "injuries/complaint_form.html#preview", {"form": form, "preview": _preview(form)})


@coach_required
def injury_detail(request, pk):
    injury = _injury_for_user(request.user, pk)
    AccessLog.record_access(
        request.user, AccessLog.Action.VIEW_INJURY, athlete_id=injury.athlete_id, record=f"injury:{injury.pk}"
    )
    return _render_injury(request, injury)


def _render_injury(request, injury, **forms):
    """The injury page, with any form that failed validation shown in place of a blank one."""
    phase_changes = list(injury.phase_changes.select_related("changed_by"))
    checks = list(injury.checks.select_related("changed_by"))
    context = {
        "injury": injury,
        "athlete": injury.athlete,
        "result": describe(injury.complaint.triage_result),
        "overrides": injury.overrides.select_related("overridden_by"),
        "phase_changes": phase_changes,
        "checks": checks,
        "timeline": injury_timeline(injury, phase_changes, timezone.localdate()),
        "override_form": forms.get("override_form") or OverrideForm(injury=injury, auto_id="override_%s"),
        "phase_form": forms.get("phase_form") or PhaseForm(injury=injury, auto_id="phase_%s"),
        "details_form": forms.get("details_form") or InjuryDetailsForm(instance=injury, auto_id="details_%s"),
        "phase_error": forms.get("phase_error"),
    }
    return render(request, "injuries/injury_detail.html", context)


@require_POST
@coach_required
def injury_phase(request, pk):
    injury = _injury_for_user(request.user, pk)
    form = PhaseForm(request.POST, injury=injury, auto_id="phase_%s")
    if not form.is_valid():
        return _render_injury(request, injury, phase_form=form)
    try:
        services.injury_change_phase(
            injury=injury,
            to_phase=form.cleaned_data["to_phase"],
            changed_by=request.user,
            reason=form.cleaned_data["reason"],
            override=form.cleaned_data["override"],
        )
    except services.PhaseChangeError as error:
        return _render_injury(request, injury, phase_form=form, phase_error=str(error))
    injury.refresh_from_db()
    messages.success(request, f"Moved to {injury.get_phase_display().lower()}.")
    return redirect("injury_detail", pk=injury.pk)


@require_POST
@coach_required
def injury_check(request, pk, item):
    """Tick or untick one checklist item; htmx swaps just the checklist."""
    injury = _injury_for_user(request.user, pk)
    if item not in ChecklistItem.values:
        raise Http404("No such checklist item.")
    services.clearance_check_set(
        injury=injury, item=item, done=request.POST.get("done") == "true", changed_by=request.user
    )
    if request.htmx:
        checks = injury.checks.select_related("changed_by")
        return render(request, "injuries/injury_detail.html#checklist", {"injury": injury, "checks": checks})
    return redirect("injury_detail", pk=injury.pk)


@require_POST
@coach_required
def injury_details(request, pk):
    injury = _injury_for_user(request.user, pk)
    form = InjuryDetailsForm(request.POST, instance=injury, auto_id="details_%s")
    if not form.is_valid():
        return _render_injury(request, injury, details_form=form)
    form.save()
    messages.success(request, "Saved.")
    return redirect("injury_detail", pk=injury.pk)


@coach_required
def injury_history(request, pk):
    """Every recorded version of the injury and its checklist, newest first, with what changed."""
    injury = _injury_for_user(request.user, pk)
    AccessLog.record_access(
        request.user, AccessLog.Action.VIEW_INJURY_HISTORY, athlete_id=injury.athlete_id, record=f"injury:{injury.pk}"
    )
    records = list(injury.history.select_related("history_user"))
    versions = [
        {"record": record, "changes": record.diff_against(older).changes if older else None}
        for record, older in zip(records, records[1:] + [None])
    ]
    check_history = ClearanceCheck.history.filter(injury_id=injury.pk).select_related("history_user")
    return render(
        request,
        "injuries/injury_history.html",
        {"injury": injury, "athlete": injury.athlete, "versions": versions, "check_history": check_history},
    )


@require_POST
@coach_required
def injury_override(request, pk):
    injury = _injury_for_user(request.user, pk)
    form = OverrideForm(request.POST, injury=injury, auto_id="override_%s")
    if not form.is_valid():
        return _render_injury(request, injury, override_form=form)
    services.injury_override_classification(
        injury=injury,
        overridden_by=request.user,
        classification=form.cleaned_data["classification"],
        reason=form.cleaned_data["reason"],
    )
    messages.success(request, "Classification changed. The original triage is kept below.")
    return redirect("injury_detail", pk=injury.pk)


@coach_required
def inbox(request):
    complaints = Complaint.objects.for_user(request.user).select_related("athlete__team", "injury")
    pending = complaints.filter(status=Complaint.Status.PENDING).inbox_order()
    recent = complaints.filter(status=Complaint.Status.CONFIRMED).order_by("-confirmed_at")[:INBOX_RECENT]
    return render(request, "injuries/inbox.html", {"pending": pending, "recent": recent})


@coach_required
def complaint_confirm(request, pk):
    complaint = _complaint_for_user(request.user, pk)
    if complaint.status == Complaint.Status.CONFIRMED:
        messages.info(request, "This report was already confirmed.")
        return redirect("injury_detail", pk=complaint.injury.pk)
    initial = {name: getattr(complaint, name) for name in COMPLAINT_FIELDS}
    form = ComplaintForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            injury = services.complaint_confirm(complaint=complaint, confirmed_by=request.user, answers=form.answers())
        except services.ComplaintAlreadyConfirmed:
            messages.info(request, "Another coach confirmed this report a moment ago.")
            return redirect("injury_detail", pk=complaint.injury.pk)
        messages.success(request, "Report confirmed and triaged.")
        return redirect("injury_detail", pk=injury.pk)
    # Before any change, the panel shows the provisional triage of the athlete's own answers.
    preview = _preview(form) if form.is_bound else describe(complaint.triage_result)
    return render(
        request,
        "injuries/complaint_form.html",
        {"form": form, "athlete": complaint.athlete, "complaint": complaint, "preview": preview},
    )


@athlete_required
def report_create(request):
    athlete = get_object_or_404(Athlete.objects.for_user(request.user))
    form = AthleteComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        complaint = services.complaint_report(athlete=athlete, reported_by=request.user, answers=form.answers())
        return redirect("report_sent", pk=complaint.pk)
    return render(request, "injuries/report_form.html", {"form": form})


@athlete_required
def report_sent(request, pk):
    complaint = _complaint_for_user(request.user, pk)
    return render(request, "injuries/report_sent.html", {"complaint": complaint})


BOARD_PAGE_SIZE = 100


@coach_required
def availability_board(request):
    teams = list(Team.objects.for_user(request.user))
    team = next((team for team in teams if str(team.pk) == request.GET.get("team")), None)
    if team is None and request.GET.get("team") != "all" and teams:
        team = teams[0]
    athletes = Athlete.objects.for_user(request.user).active().select_related("team")
    if team:
        athletes = athletes.filter(team=team)
    page = Paginator(board.with_availability(athletes), BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    injuries = board.open_injuries(page.object_list)
    rows = []
    for athlete in page.object_list:
        injury = injuries.get(athlete.injury_id)
        status = board.status_of(injury)
        rows.append({
            "athlete": athlete,
            "status": status,
            "status_label": board.STATUS_LABELS[status],
            "classification_label": CLASSIFICATION_LABELS[injury.classification] if injury else "",
            "recurrence_risk": board.recurrence_risk(athlete.last_return, today),
        })
    template = "injuries/board.html"
    if request.htmx and not request.htmx.boosted:
        template += "#board"
    return render(
        request,
        template,
        {"teams": teams, "team": team, "page": page, "rows": rows, "export_form": ExportForm()},
    )


@coach_required
def team_export(request, pk):
    """A team's injuries that began in a date range, as CSV; every export is logged."""
    team = get_team_for_user(request.user, pk)
    form = ExportForm(request.GET or None)
    if not form.is_valid():
        return render(request, "injuries/export.html", {"team": team, "form": form})
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    injuries = (
        Injury.objects.filter(athlete__team=team, onset_date__range=(start, end))
        .select_related("athlete__team", "complaint")
        .order_by("onset_date", "pk")
    )
    AccessLog.record_access(
        request.user, AccessLog.Action.EXPORT_INJURIES, team_id=team.pk, record=f"team:{team.pk}:{start}..{end}"
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="injuries-team-{team.pk}-{start}-{end}.csv"'
    write_injuries_csv(response, injuries)
    return response
