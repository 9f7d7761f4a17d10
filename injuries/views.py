from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.views.decorators.http import require_POST

from athletes import audit
from athletes.access import coach_required, get_athlete_for_user, get_team_for_user
from athletes.models import Athlete

from . import pathway, selectors, services
from . import triage as t
from .display import describe
from .evidence import evidence_for
from .export import write_injuries_csv
from .forms import (
    CheckReasonForm,
    ComplaintConfirmForm,
    ComplaintForm,
    DoctorReviewForm,
    ExportForm,
    InjuryDetailsForm,
    OverrideForm,
    PhaseForm,
)
from .models import ChecklistItem, Complaint, Episode, Injury, Phase
from .selectors import record_url
from .summary import next_action
from .timeline import injury_timeline


def _injury_for_user(user, pk) -> Injury:
    return get_object_or_404(
        Injury.objects.for_user(user).select_related(
            "athlete__team", "complaint__reported_by", "complaint__confirmed_by"
        ),
        pk=pk,
    )


def _episode_for_user(user, pk) -> Episode:
    return get_object_or_404(Episode.objects.for_user(user).select_related("athlete__team", "complaint"), pk=pk)


def _complaint_for_user(user, pk) -> Complaint:
    return get_object_or_404(Complaint.objects.for_user(user).select_related("athlete__team"), pk=pk)


def _day(day) -> str:
    return formats.date_format(day)


def _opened(request, record, verb) -> None:
    if isinstance(record, Episode):
        messages.success(request, f"{verb} Minor episode: lighter training, no step up, until {_day(record.ends_on)}.")
    else:
        messages.success(request, f"{verb} Injury opened in protect.")


@coach_required
def complaint_create(request, athlete_pk):
    athlete = get_athlete_for_user(request.user, athlete_pk)
    form = ComplaintForm(request.POST if request.method == "POST" else None)  # an empty POST is unanswered
    if form.is_bound and form.is_valid():
        record = services.complaint_log(athlete=athlete, logged_by=request.user, answers=form.answers())
        _opened(request, record, "Complaint saved and triaged.")
        return redirect(record_url(record))
    return render(
        request,
        "injuries/complaint_form.html",
        {"form": form, "athlete": athlete, "preview": _preview(form)},
    )


def _preview(form):
    """The provisional result of a bound form once every answer is in (a missing reason for a
    confirmation does not hide it); None until then."""
    if form.is_bound and (form.is_valid() or hasattr(form, "triage_input")):
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
    return _render_injury(request, _injury_for_user(request.user, pk))


def _next_step(injury, checks) -> dict:
    """The phase the injury would move on to and each of its criteria, met or missing; what
    clearing the athlete still needs; and what the coach should do next (the page's summary)."""
    to_phase = pathway.next_phase(injury.phase) if injury.is_open else None
    ticked = {check.item for check in checks if check.done}
    if to_phase is None:
        step = {"next_phase": None, "criteria": (), "missing": [], "waivable_missing": [], "clearance_after": []}
    else:
        criteria = services.phase_criteria(injury, to_phase, ticked)
        step = {
            "next_phase": to_phase,
            "next_phase_label": injury.Phase(to_phase).label,
            "criteria": criteria,
            "missing": pathway.missing(criteria),
            "waivable_missing": [criterion for criterion in pathway.missing(criteria) if criterion.waivable],
        }
        # What clearing the athlete needs after the next step (none when the next step is clearance).
        later = pathway.missing(services.phase_criteria(injury, Phase.CLEARED, ticked))
        step["clearance_after"] = [criterion for criterion in later if criterion not in step["missing"]]
    step["action"] = next_action(
        injury, next_phase_label=step.get("next_phase_label", ""), missing=step["missing"], today=timezone.localdate()
    )
    return step


def _athlete_report(complaint) -> list[dict]:
    """An athlete's own answers beside the ones a coach confirmed; empty for a coach's complaint."""
    if not complaint.athlete_answers:
        return []
    return ComplaintForm(initial=complaint.answers(), said=complaint.athlete_answers).comparison()


def _render_injury(request, injury, **forms):
    """The injury page, with any form that failed validation shown in place of a blank one.

    Logged here, so the page shown again after a refused change is logged as the first one was.
    """
    audit.record_shown(request.user, audit.Action.VIEW_INJURY, athlete_id=injury.athlete_id, record=f"injury:{injury.pk}")
    phase_changes = list(injury.phase_changes.select_related("changed_by"))
    checklist = _checklist(injury, forms.get("check_prompt"))
    review_form = forms.get("review_form") or DoctorReviewForm(injury=injury, auto_id="review_%s")
    context = {
        "injury": injury,
        "athlete": injury.athlete,
        "result": describe(injury.complaint.triage_result),
        "athlete_report": _athlete_report(injury.complaint),
        "advice": t.advice_for(injury.classification, injury.referral),
        "warnings": [warning.to_dict() for warning in t.warnings_for(injury.classification)],
        "overrides": injury.overrides.select_related("overridden_by"),
        "phase_changes": phase_changes,
        **checklist,
        **_next_step(injury, checklist["checks"]),
        "timeline": injury_timeline(injury, phase_changes, timezone.localdate()),
        "override_form": forms.get("override_form") or OverrideForm(injury=injury, auto_id="override_%s"),
        "phase_form": forms.get("phase_form") or PhaseForm(injury=injury, auto_id="phase_%s"),
        "details_form": forms.get("details_form") or InjuryDetailsForm(instance=injury, auto_id="details_%s"),
        "review_form": review_form,
        "show_review": review_form.is_bound or injury.ever_urgent or injury.doctor_reviewed_on is not None
        or injury.referral in (t.Referral.URGENT, t.Referral.RECOMMENDED),
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
            expected_phase=form.cleaned_data["expected_phase"],
        )
    except services.PhaseChangedMeanwhile as error:
        messages.warning(request, str(error))  # not the coach's mistake: show the fresh page
        return redirect("injury_detail", pk=injury.pk)
    except services.PhaseChangeError as error:
        return _render_injury(request, injury, phase_form=form, phase_error=str(error))
    injury.refresh_from_db()
    messages.success(request, f"Moved to {injury.get_phase_display().lower()}.")
    return redirect("injury_detail", pk=injury.pk)


@require_POST
@coach_required
def injury_doctor_review(request, pk):
    """Record who saw the athlete, when, and what they said; an urgent case may then leave protect."""
    injury = _injury_for_user(request.user, pk)
    form = DoctorReviewForm(request.POST, injury=injury, auto_id="review_%s")
    if form.is_valid():
        try:
            services.doctor_review_record(injury=injury, recorded_by=request.user, **form.cleaned_data)
        except services.InjuryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Doctor's review recorded.")
            return redirect("injury_detail", pk=injury.pk)
    return _render_injury(request, injury, review_form=form)


@require_POST
@coach_required
def injury_check(request, pk, item):
    """Tick or untick one checklist item; htmx swaps the checklist, and the next step and its
    criteria follow out of band."""
    injury = _injury_for_user(request.user, pk)
    if item not in ChecklistItem.values:
        raise Http404("No such checklist item.")
    # The page always says which way, once (done=true or done=false): a body that does not,
    # empty, JSON or ambiguous, changes nothing rather than unticking the item.
    if request.POST.getlist("done") not in (["true"], ["false"]):
        return HttpResponse("Say done=true or done=false.", status=400, content_type="text/plain")
    done = request.POST["done"] == "true"
    form = CheckReasonForm(request.POST)
    prompt = None
    if not form.is_valid():  # a reason too long, or with a NUL byte: asked again, with the problem
        prompt = {"item": item, "done": done, "message": "The reason: " + " ".join(form.errors["reason"])}
    else:
        try:
            services.clearance_check_set(
                injury=injury, item=item, done=done, changed_by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.ChecklistOverrideNeedsReason as error:
            prompt = {"item": item, "done": done, "message": str(error)}  # ask for the reason in place
    if request.htmx:
        audit.record_shown(request.user, audit.Action.VIEW_INJURY, athlete_id=injury.athlete_id, record=f"injury:{injury.pk}")
        checklist = _checklist(injury, prompt)
        context = {"injury": injury, **checklist, **_next_step(injury, checklist["checks"]), "oob": True}
        return render(request, "injuries/injury_detail.html#checklist_swap", context)
    if prompt:
        return _render_injury(request, injury, check_prompt=prompt)
    return redirect("injury_detail", pk=injury.pk)


def _checklist(injury, prompt=None) -> dict:
    """The checklist partial's context: each check with what the measured tests say about it
    (injuries/evidence.py: the providers the apps above registered)."""
    evidence = evidence_for(injury)
    checks = list(injury.checks.select_related("changed_by"))
    for check in checks:
        check.evidence = evidence.get(check.item)
    return {"checks": checks, "check_prompt": prompt}


@require_POST
@coach_required
def injury_details(request, pk):
    injury = _injury_for_user(request.user, pk)
    # Clearing the notes sends notes="" on purpose; a body without the field clears nothing.
    if len(request.POST.getlist("notes")) != 1:
        return HttpResponse("Send the notes field once.", status=400, content_type="text/plain")
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
    audit.record_shown(
        request.user, audit.Action.VIEW_INJURY_HISTORY, athlete_id=injury.athlete_id, record=f"injury:{injury.pk}"
    )
    return render(
        request,
        "injuries/injury_history.html",
        {"injury": injury, "athlete": injury.athlete, **selectors.injury_changes(injury=injury)},
    )


@require_POST
@coach_required
def injury_override(request, pk):
    injury = _injury_for_user(request.user, pk)
    form = OverrideForm(request.POST, injury=injury, auto_id="override_%s")
    if not form.is_valid():
        return _render_injury(request, injury, override_form=form)
    try:
        services.injury_override_classification(
            injury=injury,
            overridden_by=request.user,
            classification=form.cleaned_data["classification"],
            reason=form.cleaned_data["reason"],
        )
    except services.InjuryError as error:
        form.add_error(None, str(error))
        return _render_injury(request, injury, override_form=form)
    messages.success(request, "Classification changed. The original triage is kept below, as it ran.")
    return redirect("injury_detail", pk=injury.pk)


# --- Minor episodes (docs/clinical-rules.md#minor-episodes) -----------------------------------------


@coach_required
def episode_detail(request, pk):
    episode = _episode_for_user(request.user, pk)
    audit.record_shown(request.user, audit.Action.VIEW_INJURY, athlete_id=episode.athlete_id, record=f"episode:{episode.pk}")
    context = {
        "episode": episode,
        "athlete": episode.athlete,
        "result": describe(episode.complaint.triage_result),
        "athlete_report": _athlete_report(episode.complaint),
    }
    return render(request, "injuries/episode_detail.html", context)


@require_POST
@coach_required
def episode_end(request, pk):
    """A coach ends a minor episode early: the athlete may step up again."""
    episode = _episode_for_user(request.user, pk)
    if episode.is_open:
        services.episode_end(episode=episode, ending=Episode.Ending.COACH)
        messages.success(request, "Episode ended: the athlete's programme may step up again.")
    else:
        messages.info(request, "This episode had already ended.")
    return redirect("episode_detail", pk=episode.pk)


# --- Reports and the inbox ---------------------------------------------------------------------------


@coach_required
def inbox(request):
    audit.record_shown(request.user, audit.Action.VIEW_INBOX, record="inbox")
    return render(request, "injuries/inbox.html", selectors.inbox(user=request.user))


@coach_required
def complaint_confirm(request, pk):
    """A coach checks an athlete's report beside the athlete's own answers, then confirms it."""
    complaint = _complaint_for_user(request.user, pk)
    audit.record_shown(request.user, audit.Action.VIEW_COMPLAINT, athlete_id=complaint.athlete_id, record=f"complaint:{complaint.pk}")
    if complaint.status == Complaint.Status.CONFIRMED:
        return _already_confirmed(request, complaint, "This report was already confirmed.")
    said = complaint.athlete_answers or complaint.answers()
    form = ComplaintConfirmForm(request.POST if request.method == "POST" else None, initial=complaint.answers(), said=said)
    error = None
    if form.is_bound and form.is_valid():
        try:
            record = services.complaint_confirm(
                complaint=complaint, confirmed_by=request.user, answers=form.answers(),
                reason=form.cleaned_data["reason"],
            )
        except services.ComplaintAlreadyConfirmed:
            return _already_confirmed(request, complaint, "Another coach confirmed this report a moment ago.")
        except services.RedFlagRemovalNeedsReason as refusal:
            error = str(refusal)
            form.add_error("reason", error)
        else:
            _opened(request, record, "Report confirmed and triaged.")
            return redirect(record_url(record))
    # Before any change, the panel shows the provisional triage of the athlete's own answers.
    preview = _preview(form) if form.is_bound else describe(complaint.triage_result)
    context = {"form": form, "athlete": complaint.athlete, "complaint": complaint, "preview": preview, "error": error}
    return render(request, "injuries/complaint_form.html", context)


def _already_confirmed(request, complaint, message):
    messages.info(request, message)
    record = Complaint.objects.get(pk=complaint.pk).record
    return redirect(record_url(record)) if record else redirect("complaint_inbox")




@coach_required
def availability_board(request):
    board = selectors.availability_board(
        user=request.user, team=request.GET.get("team"), page=request.GET.get("page"), today=timezone.localdate()
    )
    team = board["team"]
    audit.record_shown(request.user, audit.Action.VIEW_BOARD, team_id=team.pk if team else None, record=f"board:{team.pk if team else 'all'}")
    template = "injuries/board.html"
    if request.htmx and not request.htmx.boosted:
        template += "#board"
    return render(request, template, {**board, "export_fields": _export_fields(ExportForm()) if team else []})


def _export_fields(form) -> list[dict]:
    """The board's export form as templates/_form.html prints it unbound (each label, input and
    help text, tied by aria-describedby), in plain values: the board prints them without a form
    renderer template per field and label (templates/injuries/board.html)."""
    fields = []
    for field in form.visible_fields():
        label, widget = str(field.label), field.field.widget
        if form.label_suffix and label and label[-1] not in ":?.!":  # as BoundField.label_tag
            label += form.label_suffix
        fields.append({
            "id": field.auto_id, "name": field.html_name, "label": label, "type": widget.input_type,
            "value": widget.format_value(field.value()), "help": field.help_text,
        })
    return fields


@coach_required
def team_export(request, pk):
    """A team's injuries that began in a date range (the last 12 months unless asked), as CSV;
    every export is logged. Opened without a range, it shows the form filled in."""
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
    audit.record_shown(request.user, audit.Action.EXPORT_INJURIES, team_id=team.pk, record=f"team:{team.pk}:{start}..{end}")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="injuries-team-{team.pk}-{start}-{end}.csv"'
    write_injuries_csv(response, injuries)
    return response
