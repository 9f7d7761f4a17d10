"""Every page of the athlete's phone: the home page, a session set by set, finishing it, the
next-morning check-in, history, the calendar link, and reporting a hamstring problem.

Reads come from `phone/selectors.py`; writes go through the owning apps' services
(docs/architecture.md#services-selectors-and-views).
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from athletes import audit
from athletes.access import athlete_required
from injuries import services as injury_services
from injuries.forms import AthleteComplaintForm
from programmes import ical
from programmes import services as programme_services

from . import selectors
from .forms import FinishForm, MorningForm, SetEditForm


@athlete_required
def athlete_home(request):
    """The athlete's phone: "see a doctor" when the rules say so, today's session, the rest of
    the week, a morning check-in, the injury and any lighter training."""
    athlete = selectors.athlete_of(request.user)
    context = {"athlete": athlete}
    if athlete:
        audit.record_shown(request.user, audit.Action.VIEW_PROGRAMME, athlete_id=athlete.pk, record="home")
        today = timezone.localdate()
        context.update(selectors.home_for(athlete, today))
        context.update(selectors.care_for(athlete, today))
        context["today"] = today
        context["morning_form"] = MorningForm()
    return render(request, "phone/home.html", context)


@athlete_required
def session_detail(request, pk):
    """One session, set by set: each set a big button that saves with one tap."""
    session = selectors.session_of(request.user, pk)
    audit.record_shown(request.user, audit.Action.VIEW_PROGRAMME, athlete_id=session.athlete_id, record=f"session:{session.pk}")
    context = selectors.session_page(session, timezone.localdate(), unit=request.user.load_unit)
    return render(request, "phone/session.html", {**context, "finish_form": FinishForm()})


@require_POST
@athlete_required
def set_log(request, pk, number):
    """Save one set (as prescribed, or with the reps and load typed in); htmx swaps the set."""
    prescribed = selectors.own_prescription(request.user, pk)
    form = SetEditForm(request.POST, unit=request.user.load_unit)
    problem = log = None
    if form.is_valid():
        try:
            log = programme_services.set_log(prescribed=prescribed, set_number=number, **form.changes())
        except programme_services.SessionLogError as error:
            problem = str(error)
    else:
        problem = form.problems()
    if not request.htmx:
        if problem:
            messages.error(request, problem)
        return redirect("session_detail", pk=prescribed.session_id)
    context = selectors.set_partial(prescribed, number, log, timezone.localdate(), unit=request.user.load_unit)
    return render(request, "phone/session.html#set", {**context, "problem": problem})


@require_POST
@athlete_required
def session_finish(request, pk):
    session = selectors.own_session(request.user, pk)
    form = FinishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose your worst pain (0 to 10) and whether any pain was sharp.")
        return redirect("session_detail", pk=session.pk)
    try:
        decisions = programme_services.session_complete(
            session=session, worst_pain=form.cleaned_data["worst_pain"], sharp_pain=form.cleaned_data["sharp_pain"]
        )
    except programme_services.SessionLogError as error:
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
    session = selectors.own_session(request.user, pk)
    form = MorningForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose how it feels and your pain right now.")
        return redirect("athlete_home")
    try:
        programme_services.session_morning_report(
            session=session, feeling=form.cleaned_data["feeling"], pain=form.cleaned_data["pain"]
        )
    except programme_services.SessionLogError as error:
        messages.info(request, str(error))
    else:
        messages.success(request, "Thanks, noted.")
    return redirect("athlete_home")


@athlete_required
def athlete_history(request):
    athlete = getattr(request.user, "athlete", None)
    audit.record_shown(request.user, audit.Action.VIEW_PROGRAMME, athlete_id=athlete and athlete.pk, record="history")
    return render(request, "phone/history.html", selectors.history_for(request.user, timezone.localdate()))


@athlete_required
def calendar_settings(request):
    athlete = selectors.own_athlete(request.user)
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            programme_services.calendar_token_revoke(athlete=athlete)
            messages.success(request, "The calendar link is switched off. Calendars that used it stop updating.")
        else:
            programme_services.calendar_token_regenerate(athlete=athlete)
            messages.success(request, "Here is your new calendar link. Any older link no longer works.")
        return redirect("calendar_settings")
    feed_url = request.build_absolute_uri(reverse("calendar_feed", args=[athlete.calendar_token])) if athlete.calendar_token else None
    return render(request, "phone/calendar.html", {"feed_url": feed_url})


def calendar_feed(request, token):
    """The athlete's sessions as iCalendar; the secret in the URL is the only key."""
    athlete = selectors.feed_athlete(token)
    audit.record_shown(None, audit.Action.CALENDAR_FEED, athlete_id=athlete.pk, record=f"calendar:{athlete.pk}")
    response = HttpResponse(ical.feed(athlete), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@athlete_required
def report_create(request):
    athlete = selectors.own_athlete(request.user)
    form = AthleteComplaintForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        complaint = injury_services.complaint_report(athlete=athlete, reported_by=request.user, answers=form.answers())
        return redirect("report_sent", pk=complaint.pk)
    return render(request, "phone/report_form.html", {"form": form})


@athlete_required
def report_sent(request, pk):
    complaint = selectors.own_report(request.user, pk)
    audit.record_shown(request.user, audit.Action.VIEW_COMPLAINT, athlete_id=complaint.athlete_id, record=f"complaint:{complaint.pk}")
    return render(request, "phone/report_sent.html", {"complaint": complaint})
