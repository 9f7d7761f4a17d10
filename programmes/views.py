from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from athletes import audit
from athletes.access import athlete_required, coach_required, get_athlete_for_user, get_team_for_user
from athletes.models import Athlete
from injuries.triage import RHABDOMYOLYSIS_WARNING

from . import ical, phone, selectors, services
from .forms import (
    AssignForm,
    EntryFormSet,
    FinishForm,
    MorningForm,
    MoveSessionForm,
    SetEditForm,
    TemplateForm,
    TemplateSessionForm,
)
from .models import PrescribedExercise, ProgrammeTemplate, ProgressionDecision, ScheduledSession, TemplateSession


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
        form.save()
        formset.save()
        messages.success(request, "Session saved.")
        return redirect("template_detail", pk=template.pk)
    return render(request, "programmes/session_form.html", {"template": template, "session": session, "form": form, "formset": formset})


@coach_required
def template_assign(request, pk):
    template = _template_for_user(request.user, pk)
    form = AssignForm(request.POST or None, user=request.user, initial={"start_date": timezone.localdate(), "weekdays": [0, 2, 4]})
    error = None
    if request.method == "POST" and form.is_valid():
        athletes = form.athletes()
        try:
            made = services.programme_assign(
                template=template, athletes=athletes, start_date=form.cleaned_data["start_date"],
                weekdays=form.cleaned_data["weekdays"], assigned_by=request.user,
            )
        except services.AssignmentError as problem:
            error = str(problem)
        else:
            messages.success(request, f"Scheduled {made} sessions for {len(athletes)} athlete{'s' if len(athletes) != 1 else ''}.")
            if len(athletes) == 1:
                return redirect("athlete_programme", pk=athletes[0].pk)
            return redirect("team_programme", pk=form.cleaned_data["team"].pk)
    return render(request, "programmes/assign.html", {"template": template, "form": form, "error": error})


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
    reps, flagged when below the maintenance dose (docs/clinical-rules.md#nordic-dose)."""
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
    if alert.resolved_at is None:
        alert.resolved_at = timezone.now()
        alert.resolved_by = request.user
        alert.save(update_fields=["resolved_at", "resolved_by"])
    return redirect(next_url)


# --- The athlete's phone -----------------------------------------------------------------------


def _own_session(user, pk) -> ScheduledSession:
    return get_object_or_404(ScheduledSession.objects.for_user(user), pk=pk)


@athlete_required
def session_detail(request, pk):
    """One session, set by set: each set a big button that saves with one tap."""
    session = get_object_or_404(phone.sessions_with_exercises(ScheduledSession.objects.for_user(request.user)), pk=pk)
    audit.record_shown(request.user, audit.Action.VIEW_PROGRAMME, athlete_id=session.athlete_id, record=f"session:{session.pk}")
    context = phone.session_page(session, timezone.localdate())
    return render(request, "programmes/phone/session.html", {**context, "finish_form": FinishForm()})


@require_POST
@athlete_required
def set_log(request, pk, number):
    """Save one set (as prescribed, or with the reps and load typed in); htmx swaps the set."""
    prescribed = get_object_or_404(
        PrescribedExercise.objects.filter(session__in=ScheduledSession.objects.for_user(request.user)).select_related("session", "exercise"),
        pk=pk,
    )
    form = SetEditForm(request.POST)
    problem = log = None
    if form.is_valid():
        try:
            log = services.set_log(
                prescribed=prescribed, set_number=number,
                reps=form.cleaned_data["reps"], load=form.cleaned_data["load"] or None,
            )
        except services.SessionLogError as error:
            problem = str(error)
    else:
        problem = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
    if not request.htmx:
        if problem:
            messages.error(request, problem)
        return redirect("session_detail", pk=prescribed.session_id)
    targets = prescribed.set_targets()
    if not 1 <= number <= len(targets):
        raise Http404("No such set.")
    if log is None:  # refused: show the set as it stands
        log = prescribed.set_logs.filter(set_number=number).first()
    row = phone.set_row(prescribed, number, targets[number - 1], log)
    return render(
        request, "programmes/phone/session.html#set",
        {"item": prescribed, "row": row, "session": prescribed.session, "problem": problem,
         "loggable": phone.loggable(prescribed.session, timezone.localdate())},
        status=200,
    )


@require_POST
@athlete_required
def session_finish(request, pk):
    session = _own_session(request.user, pk)
    form = FinishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose your worst pain (0 to 10) and whether any pain was sharp.")
        return redirect("session_detail", pk=session.pk)
    try:
        decisions = services.session_complete(
            session=session, worst_pain=form.cleaned_data["worst_pain"], sharp_pain=form.cleaned_data["sharp_pain"]
        )
    except services.SessionLogError as error:
        messages.error(request, str(error))
        return redirect("session_detail", pk=session.pk)
    if any(d.alert_coach for d in decisions):
        messages.warning(request, "Session saved. Your coach has been told about the pain and will adjust your programme.")
    else:
        messages.success(request, "Session saved. Well done.")
    return redirect("athlete_home")


@require_POST
@athlete_required
def session_morning(request, pk):
    session = _own_session(request.user, pk)
    form = MorningForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose how it feels and your pain right now.")
        return redirect("athlete_home")
    try:
        services.session_morning_report(session=session, feeling=form.cleaned_data["feeling"], pain=form.cleaned_data["pain"])
    except services.SessionLogError as error:
        messages.info(request, str(error))
    else:
        messages.success(request, "Thanks, noted.")
    return redirect("athlete_home")


@athlete_required
def athlete_history(request):
    athlete = getattr(request.user, "athlete", None)
    audit.record_shown(request.user, audit.Action.VIEW_PROGRAMME, athlete_id=athlete and athlete.pk, record="history")
    sessions = list(
        phone.sessions_with_exercises(
            ScheduledSession.objects.for_user(request.user).filter(completed_at__isnull=False)
        ).order_by("-completed_at")[: phone.SPARK_SESSIONS]
    )
    rows = [(s, phone.exercise_rows(s)) for s in sessions]
    return render(
        request,
        "programmes/phone/history.html",
        {"rows": rows, "spark": phone.sparkline(list(reversed(sessions)))},
    )


@athlete_required
def calendar_settings(request):
    athlete = get_object_or_404(Athlete.objects.for_user(request.user))
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_token_revoke(athlete=athlete)
            messages.success(request, "The calendar link is switched off. Calendars that used it stop updating.")
        else:
            services.calendar_token_regenerate(athlete=athlete)
            messages.success(request, "Here is your new calendar link. Any older link no longer works.")
        return redirect("calendar_settings")
    feed_url = request.build_absolute_uri(reverse("calendar_feed", args=[athlete.calendar_token])) if athlete.calendar_token else None
    return render(request, "programmes/phone/calendar.html", {"feed_url": feed_url})


def calendar_feed(request, token):
    """The athlete's sessions as iCalendar; the secret in the URL is the only key."""
    athlete = get_object_or_404(Athlete.objects.filter(calendar_token__isnull=False), calendar_token=token)
    audit.record_shown(None, audit.Action.CALENDAR_FEED, athlete_id=athlete.pk, record=f"calendar:{athlete.pk}")
    response = HttpResponse(ical.feed(athlete), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


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
