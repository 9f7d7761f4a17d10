"""Every page of the athlete's phone: the home page, a session set by set, finishing it, the
next-morning check-in, history, the calendar link, reporting a hamstring problem, and a team
session's effort and the daily wellness check (docs/load-and-risk.md).

Reads come from `phone/selectors.py`; writes go through the owning apps' services
(docs/architecture.md#services-selectors-and-views).
"""

from datetime import timedelta

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from athletes import audit
from athletes.access import athlete_required
from injuries import services as injury_services
from injuries.forms import AthleteComplaintForm
from monitoring import services as monitoring_services
from monitoring.services import MonitoringError
from programmes import ical
from programmes import services as programme_services

from . import selectors
from . import services as phone_services
from .forms import EffortForm, FinishForm, MorningForm, SetEditForm, WellnessForm

# The pages a phone keeps for when the signal goes: the athlete's own home and their sessions of
# today and the next 7 days. The service worker caches only responses that carry this header
# (docs/architecture.md#the-phone-offline), so a coach's page is never kept.
OFFLINE_HEADER = "X-Coachapp-Offline"
OFFLINE_DAYS = 7


def _offline_copy(response, user):
    response[OFFLINE_HEADER] = "athlete"
    response["X-Coachapp-User"] = str(user.pk)
    return response


def _wants_json(request) -> bool:
    """The phone's script sending a write (queued or not) asks for a short answer it can show."""
    return "application/json" in request.headers.get("Accept", "")


def _replayed(request) -> bool:
    """A write sent again from the phone's queue: its answer is shown by the script, not on a page."""
    return request.headers.get("X-Coachapp-Replay") == "1"


def _client_key(request) -> str:
    return phone_services.check_key(request.headers.get("Idempotency-Key") or request.POST.get("client_key", ""))


def _fingerprint(request, kind) -> str:
    return phone_services.fingerprint(kind, request.path, {name: request.POST.get(name) for name in request.POST})


def _answer_json(answer, *, next_url: str = "", status: int | None = None) -> JsonResponse:
    return JsonResponse(
        {"saved": answer.saved, "outcome": answer.outcome, "message": answer.message, "next": next_url},
        status=status or (200 if answer.saved else 409),
    )


@athlete_required
def athlete_home(request):
    """The athlete's phone: "see a doctor" when the rules say so, today's session, the rest of
    the week, a morning check-in, the injury and any lighter training."""
    athlete = selectors.home_athlete(request.user, monitoring_services.today_for(request.user))
    context = {"athlete": athlete}
    if athlete:
        audit.record_shown(request.user, audit.Action.VIEW_PROGRAMME, athlete_id=athlete.pk, record="home")
        today = timezone.localdate()
        context.update(selectors.home_for(athlete, today))
        context.update(selectors.care_for(athlete, today))
        context["today"] = today
        context["morning_form"] = MorningForm()
        context["wellness_done"] = athlete.wellness_done
        return _offline_copy(render(request, "phone/home.html", context), request.user)
    return render(request, "phone/home.html", context)


@athlete_required
def session_detail(request, pk):
    """One session, set by set: each set a big button that saves with one tap."""
    session = selectors.session_of(request.user, pk)
    audit.record_shown(request.user, audit.Action.VIEW_PROGRAMME, athlete_id=session.athlete_id, record=f"session:{session.pk}")
    today = timezone.localdate()
    context = selectors.session_page(session, today, unit=request.user.load_unit)
    context["version"] = phone_services.version_of(session, session.exercises.all())
    response = render(request, "phone/session.html", {**context, "finish_form": FinishForm()})
    if today <= session.date <= today + timedelta(days=OFFLINE_DAYS):
        _offline_copy(response, request.user)
    return response


@require_POST
@athlete_required
def set_log(request, pk, number):
    """Save one set (as prescribed, or with the reps and load typed in); htmx swaps the set. Sent
    with a key (from the phone's queue) it is saved once; sent with the version of the page, it is
    refused when the coach has changed the session since (phone/services.py)."""
    prescribed = selectors.own_prescription(request.user, pk)
    form = SetEditForm(request.POST, unit=request.user.load_unit)
    answer = None
    if form.is_valid():
        answer = phone_services.set_log_once(
            user=request.user, key=_client_key(request), prescribed=prescribed, set_number=number,
            version=request.POST.get("version", ""), changes=form.changes(), fingerprint_=_fingerprint(request, "set"),
        )
        problem = "" if answer.saved else answer.message
    else:
        problem = form.problems()
    if _wants_json(request):
        status = 200 if not problem else 409 if answer else 400
        return JsonResponse({"saved": not problem, "message": problem or "Saved"}, status=status)
    if not request.htmx:
        if problem:
            messages.error(request, problem)
        return redirect("session_detail", pk=prescribed.session_id)
    log = answer.result if answer and answer.saved else None
    context = selectors.set_partial(prescribed, number, log, timezone.localdate(), unit=request.user.load_unit)
    return render(request, "phone/session.html#set", {**context, "problem": problem})


def _say(request, level, text):
    """A message for the next page, unless the phone's queue sent this (its script shows it)."""
    if not _replayed(request):
        messages.add_message(request, level, text)


@require_POST
@athlete_required
def session_finish(request, pk):
    session = selectors.own_session(request.user, pk)
    form = FinishForm(request.POST)
    back = reverse("session_detail", args=[session.pk])
    if not form.is_valid():
        text = "Choose your worst pain (0 to 10) and whether any pain was sharp."
        _say(request, messages.ERROR, text)
        return JsonResponse({"saved": False, "message": text, "next": back}, status=400) if _wants_json(request) else redirect(back)
    answer = phone_services.session_finish_once(
        user=request.user, key=_client_key(request), session=session, worst_pain=form.cleaned_data["worst_pain"],
        sharp_pain=form.cleaned_data["sharp_pain"], version=request.POST.get("version", ""),
        fingerprint_=_fingerprint(request, "finish"),
    )
    if not answer.saved:
        _say(request, messages.ERROR if answer.outcome == phone_services.Outcome.REFUSED else messages.WARNING, answer.message)
        return _answer_json(answer, next_url=back) if _wants_json(request) else redirect(back)
    text = answer.message or phone_services.FINISHED
    _say(request, messages.WARNING if text == phone_services.FINISHED_COACH_TOLD else messages.SUCCESS, text)
    home = reverse("athlete_home")
    return _answer_json(phone_services.Answer(answer.outcome, text), next_url=home) if _wants_json(request) else redirect(home)


@require_POST
@athlete_required
def session_morning(request, pk):
    session = selectors.own_session(request.user, pk)
    form = MorningForm(request.POST)
    home = reverse("athlete_home")
    if not form.is_valid():
        text = "Choose how it feels and your pain right now."
        _say(request, messages.ERROR, text)
        return JsonResponse({"saved": False, "message": text, "next": home}, status=400) if _wants_json(request) else redirect(home)
    answer = phone_services.session_morning_once(
        user=request.user, key=_client_key(request), session=session, feeling=form.cleaned_data["feeling"],
        pain=form.cleaned_data["pain"], fingerprint_=_fingerprint(request, "morning"),
    )
    text = answer.message if not answer.saved else "Thanks, noted."
    _say(request, messages.SUCCESS if answer.saved else messages.INFO, text)
    return _answer_json(phone_services.Answer(answer.outcome, text), next_url=home) if _wants_json(request) else redirect(home)


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


# --- Session effort and the daily wellness check (docs/load-and-risk.md) -------------------------
# Not kept for offline use (no OFFLINE_HEADER) and not queued by static/js/offline.js: a write
# without signal fails visibly, and the athlete logs it again later.


@athlete_required
def session_effort(request):
    """How hard a team training or match was and how long, about 30 minutes after it; logging the
    same day, kind and label again corrects it (docs/load-and-risk.md#session-load)."""
    athlete = selectors.own_athlete(request.user)
    today = monitoring_services.today_for(request.user)
    form = EffortForm(request.POST if request.method == "POST" else None, today=today)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        logged_before = selectors.effort_logged(athlete, data["day"], data["kind"], data["label"])
        try:
            row = monitoring_services.session_rpe_log(
                athlete=athlete, day=data["day"], kind=data["kind"], label=data["label"], rpe=data["rpe"],
                minutes=data["minutes"], hamstring_pain=data["hamstring_pain"], by=request.user,
            )
        except MonitoringError as error:
            form.add_error(None, str(error))
        else:
            return redirect(f"{reverse('session_effort')}?saved={row.pk}{'&updated=1' if logged_before else ''}")
    audit.record_shown(request.user, audit.Action.VIEW_ATHLETE_LOAD, athlete_id=athlete.pk, record="effort")
    saved = selectors.effort_saved(athlete, request.GET["saved"], today) if "saved" in request.GET else None
    return render(request, "phone/effort.html", {
        "form": form, "saved": saved, "updated": saved and request.GET.get("updated") == "1",
        "recent": selectors.recent_efforts(athlete),
    })


@athlete_required
def wellness_check(request):
    """The daily wellness check, five taps; done again the same day, it is corrected. The service
    alerts the coaches when tightness rises two mornings running (docs/load-and-risk.md#tightness)."""
    athlete = selectors.own_athlete(request.user)
    today = monitoring_services.today_for(request.user)
    done = selectors.wellness_of(athlete, today)
    if request.method == "POST":
        form = WellnessForm(request.POST)
        if form.is_valid():
            try:
                monitoring_services.wellness_record(athlete=athlete, day=today, by=request.user, **form.cleaned_data)
            except MonitoringError as error:
                form.add_error(None, str(error))
            else:
                return redirect(f"{reverse('wellness_check')}?saved={'updated' if done else 'new'}")
    else:
        form = WellnessForm(initial={name: getattr(done, name) for name in WellnessForm.base_fields} if done else None)
    audit.record_shown(request.user, audit.Action.VIEW_ATHLETE_LOAD, athlete_id=athlete.pk, record="wellness")
    saved = request.GET.get("saved") if done and request.method == "GET" else None
    return render(request, "phone/wellness.html", {"form": form, "done": done, "saved": saved, "today": today})
