from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from athletes.access import athlete_required, coach_required, get_athlete_for_user
from athletes.models import Athlete

from . import services
from . import triage as t
from .display import describe
from .forms import AthleteComplaintForm, ComplaintForm, OverrideForm
from .models import Complaint, Injury

INBOX_RECENT = 20


def _injury_for_user(user, pk) -> Injury:
    return get_object_or_404(
        Injury.objects.filter(athlete__in=Athlete.objects.for_user(user)).select_related(
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
    athlete = get_athlete_for_user(request.user, athlete_pk)
    form = ComplaintForm(request.POST)
    return render(
        request,
        "injuries/complaint_form.html#preview",
        {"form": form, "athlete": athlete, "preview": _preview(form)},
    )


@coach_required
def injury_detail(request, pk):
    injury = _injury_for_user(request.user, pk)
    return _render_injury(request, injury, OverrideForm(injury=injury))


def _render_injury(request, injury, override_form, status=200):
    context = {
        "injury": injury,
        "athlete": injury.athlete,
        "result": describe(injury.complaint.triage_result),
        "overrides": injury.overrides.select_related("overridden_by"),
        "override_form": override_form,
    }
    return render(request, "injuries/injury_detail.html", context, status=status)


@require_POST
@coach_required
def injury_override(request, pk):
    injury = _injury_for_user(request.user, pk)
    form = OverrideForm(request.POST, injury=injury)
    if not form.is_valid():
        return _render_injury(request, injury, form)
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
    initial = {name: getattr(complaint, name) for name in ComplaintForm.Meta.fields}
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
