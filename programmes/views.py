from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.urls import reverse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from athletes import audit
from athletes.access import coach_required, get_athlete_for_user, get_team_for_user
from athletes.models import Athlete
from injuries.triage import RHABDOMYOLYSIS_WARNING

from . import selectors, services
from .forms import (
    AssignForm,
    EntryFormSet,
    MoveSessionForm,
    OverlapChoiceForm,
    TemplateForm,
    TemplateSessionForm,
)
from .models import ProgrammeTemplate, ProgressionDecision, ScheduledSession, TemplateSession


def _template_for_user(user, pk, *, editable=False) -> ProgrammeTemplate:
    template = get_object_or_404(ProgrammeTemplate.objects.for_user(user), pk=pk)
    if editable and template.owner_id != user.pk:
        raise PermissionDenied("Library templates cannot be edited: make a copy and edit that.")
    return template


@coach_required
def exercise_library(request):
    family = request.GET.get("family")
    rows = selectors.exercise_rows(family=family)
    return render(request, "programmes/exercise_library.html", {"rows": rows, "family": family})


@coach_required
def template_list(request):
    templates = ProgrammeTemplate.objects.for_user(request.user).annotate(session_count=Count("sessions"))
    return render(request, "programmes/template_list.html", {"templates": templates})


@coach_required
def template_create(request):
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        template = form.save(commit=False)
        template.owner = request.user
        template.save()
        messages.success(request, "Template created. Add its sessions.")
        return redirect("template_detail", pk=template.pk)
    return render(request, "programmes/template_form.html", {"form": form})


@coach_required
def template_detail(request, pk):
    template = _template_for_user(request.user, pk)
    sessions = template.sessions.prefetch_related("entries__exercise")
    has_nordic = any(e.exercise.family == "nordic" for s in sessions for e in s.entries.all())
    return render(
        request,
        "programmes/template_detail.html",
        {"template": template, "sessions": sessions, "editable": template.owner_id == request.user.pk,
         "session_form": TemplateSessionForm(), "rhabdo_warning": RHABDOMYOLYSIS_WARNING if has_nordic else ""},
    )


@coach_required
def template_edit(request, pk):
    template = _template_for_user(request.user, pk, editable=True)
    form = TemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Saved.")
        return redirect("template_detail", pk=template.pk)
    return render(request, "programmes/template_form.html", {"form": form, "template": template})


@require_POST
@coach_required
def template_copy(request, pk):
    template = _template_for_user(request.user, pk)
    copy = services.template_copy(template=template, owner=request.user)
    messages.success(request, f"Copied. This is your own “{copy.name}”: edit it as you like.")
    return redirect("template_detail", pk=copy.pk)


@require_POST
@coach_required
def template_session_add(request, pk):
    template = _template_for_user(request.user, pk, editable=True)
    form = TemplateSessionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Could not add the session: " + "; ".join(e for errors in form.errors.values() for e in errors))
        return redirect("template_detail", pk=template.pk)
    session = form.save(commit=False)
    session.template = template
    session.save()
    return redirect("template_session_edit", pk=session.pk)


@coach_required
def template_session_edit(request, pk):
    session = get_object_or_404(TemplateSession.objects.select_related("template"), pk=pk)
    template = _template_for_user(request.user, session.template_id, editable=True)
    form = TemplateSessionForm(request.POST or None, instance=session, prefix="session")
    formset = EntryFormSet(request.POST or None, instance=session, prefix="entries")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        followed = services.template_session_save(form=form, entries=formset)
        messages.success(request, "Session saved." + (
            f" The upcoming sessions of {followed} athlete{pluralize(followed)} on this programme now follow it."
            if followed else ""
        ))
        return redirect("template_detail", pk=template.pk)
    return render(request, "programmes/session_form.html", {
        "template": template, "session": session, "form": form, "formset": formset,
        "followers": selectors.template_session_followers(session=session),
    })


@coach_required
def template_assign(request, pk):
    """Schedule a template for an athlete or a team. When some of them already have a programme
    on the new dates, the page lists those programmes and asks: replace, extend or cancel (the
    service refuses to double a day without an answer)."""
    template = _template_for_user(request.user, pk)
    form = AssignForm(request.POST or None, user=request.user, initial={"start_date": timezone.localdate(), "weekdays": [0, 2, 4]})
    choice = OverlapChoiceForm(request.POST or None)
    context = {"template": template, "form": form, "choice": choice}
    if request.method == "POST" and form.is_valid() and choice.is_valid():
        athletes, on_overlap = form.athletes(), choice.cleaned_data["overlap"] or None
        try:
            made = services.programme_assign(
                template=template, athletes=athletes, start_date=form.cleaned_data["start_date"],
                weekdays=form.cleaned_data["weekdays"], assigned_by=request.user,
                on_overlap=on_overlap, seen=choice.cleaned_data["seen"] if on_overlap else None,
            )
        except services.AssignmentOverlapError as overlap:
            context.update(selectors.assign_overlaps(
                overlap.overlaps, athletes=athletes, weekdays=form.cleaned_data["weekdays"], changed=overlap.changed,
            ))
        except services.AssignmentError as problem:
            context["error"] = str(problem)
        else:
            return _assigned(request, template, form, athletes, made, on_overlap)
    return render(request, "programmes/assign.html", context)


def _assigned(request, template, form, athletes, made: int, on_overlap: str | None):
    """Where an assignment leads, with what it did in words."""
    if on_overlap == services.OnOverlap.CANCEL:
        messages.info(request, "Nothing was scheduled: every session stays as it was.")
        return redirect("template_detail", pk=template.pk)
    people = f"{len(athletes)} athlete{'s' if len(athletes) != 1 else ''}"
    done = {
        services.OnOverlap.REPLACE: " The earlier programme's upcoming sessions were replaced; done and logged ones stay.",
        services.OnOverlap.EXTEND: " Days that already had a session kept it.",
    }.get(on_overlap, "")
    messages.success(request, f"Scheduled {made} session{'s' if made != 1 else ''} for {people}.{done}")
    if len(athletes) == 1:
        return redirect("athlete_programme", pk=athletes[0].pk)
    return redirect("team_programme", pk=form.cleaned_data["team"].pk)


# The calendar shows whole weeks and links the months either side: these keep all of them dates.
FIRST_MONTH, LAST_MONTH = date(1, 2, 1), date(9999, 11, 1)


def _month(value: str | None, today: date) -> date:
    """The month asked for ("2026-03"); this month when the value is not a month the calendar can show."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        first = date(year, month, 1)
    except (ValueError, OverflowError):
        return today.replace(day=1)
    return first if FIRST_MONTH <= first <= LAST_MONTH else today.replace(day=1)


@coach_required
def athlete_programme(request, pk):
    """The athlete's programme as a month calendar: done, missed, upcoming; the gating; adherence."""
    athlete = get_athlete_for_user(request.user, pk)
    audit.record_shown(request.user, audit.Action.VIEW_PROGRAMME, athlete_id=athlete.pk, record=f"programme:{athlete.pk}")
    today = timezone.localdate()
    month = _month(request.GET.get("month"), today)
    programme = selectors.athlete_calendar(athlete=athlete, month=month, today=today)
    return render(request, "programmes/athlete_programme.html", {"athlete": athlete, "today": today, **programme})


@coach_required
def team_programme(request, pk):
    """Adherence per athlete (sets done of sets due) and the Nordic dose tracker: weekly Nordic
    reps and this week's so far, last week flagged when below the maintenance dose for an athlete
    who was on the programme all of it (docs/clinical-rules.md#nordic-dose)."""
    team = get_team_for_user(request.user, pk)
    audit.record_shown(request.user, audit.Action.VIEW_TEAM_PROGRAMME, team_id=team.pk, record=f"team-programme:{team.pk}")
    programme = selectors.team_programme(team=team, today=timezone.localdate())
    return render(request, "programmes/team_programme.html", {"team": team, **programme})


@require_POST
@coach_required
def alert_resolve(request, pk):
    alert = get_object_or_404(
        ProgressionDecision.objects.filter(athlete__in=Athlete.objects.for_user(request.user), alert_coach=True), pk=pk
    )
    # Read before writing: a body that cannot be read is refused with nothing changed. Only a path
    # on this site ("//elsewhere.example" starts with a slash too).
    next_url = request.POST.get("next", "")
    if not (next_url.startswith("/") and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()})):
        next_url = reverse("home")
    services.alert_resolve(decision=alert, resolved_by=request.user)
    return redirect(next_url)


def _own_session(user, pk) -> ScheduledSession:
    return get_object_or_404(ScheduledSession.objects.for_user(user), pk=pk)


@require_POST
@coach_required
def session_move(request, pk):
    """Move an athlete's upcoming session to another day; its reminder moves with it."""
    session = _own_session(request.user, pk)
    form = MoveSessionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("date", [])) or "Choose a valid date to move the session to.")
    else:
        try:
            services.session_move(session=session, to=form.cleaned_data["date"])
        except services.SessionMoveError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Moved to {form.cleaned_data['date']:%A %d %B}.")
    return redirect(f"{reverse('athlete_programme', args=[session.athlete_id])}?month={session.date:%Y-%m}")
