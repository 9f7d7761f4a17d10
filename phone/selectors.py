"""What an athlete sees on their phone: reads only, each in a fixed number of queries
(docs/architecture.md#services-selectors-and-views).

Each lookup by id goes through the scoping rule (`for_user`), so anything outside the athlete's
own records is a 404 (docs/architecture.md#apps).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import DecimalField, Exists, ExpressionWrapper, F, Max, OuterRef, Prefetch, Q, Subquery, Sum, prefetch_related_objects
from django.db.models.functions import TruncWeek
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from athletes import links
from athletes.models import Athlete
from injuries.models import Complaint, Episode, Injury
from injuries.triage import RHABDOMYOLYSIS_WARNING, Referral, advice_for
from monitoring import measures as m
from monitoring import reminders as monitoring_reminders
from monitoring.models import SessionRpe, Wellness
from programmes import gating, loads
from programmes import progression as p
from programmes.display import RUN_METRES, dose_text, is_running
from programmes.models import PrescribedExercise, ScheduledSession, SetLog
from programmes.services import LOG_WINDOW_DAYS
from reminders.models import Kind as ReminderKind
from reminders.models import Reminder

SPARK_SESSIONS = 20
RECENT_REPORTS = 3


# --- The athlete, and the records they own ---------------------------------------------------------


def home_athlete(user, wellness_day: date) -> Athlete | None:
    """The signed-in athlete's record with their team, or None for an account without one; with
    two facts of the home page folded in, one value each, rather than a query each:
    ``open_episode_ends_on``, the latest end of an open episode (lighter training, see
    ``care_for``), and ``wellness_done``, whether the wellness check of ``wellness_day`` is done
    (the home page's card) (docs/architecture.md#services-selectors-and-views)."""
    episodes = Episode.objects.filter(athlete=OuterRef("pk")).open().order_by("-ends_on").values("ends_on")[:1]
    return (
        Athlete.objects.for_user(user).select_related("team")
        .annotate(
            open_episode_ends_on=Subquery(episodes),
            wellness_done=Exists(Wellness.objects.filter(athlete=OuterRef("pk"), date=wellness_day)),
        )
        .first()
    )


def own_athlete(user) -> Athlete:
    """The signed-in athlete's record; 404 for an account without one."""
    return get_object_or_404(Athlete.objects.for_user(user))


def feed_athlete(token: str) -> Athlete:
    """The athlete whose calendar link this is; the secret in the URL is the only key."""
    return get_object_or_404(Athlete.objects.filter(calendar_token__isnull=False), calendar_token=token)


def own_session(user, pk) -> ScheduledSession:
    return get_object_or_404(ScheduledSession.objects.for_user(user), pk=pk)


def own_prescription(user, pk) -> PrescribedExercise:
    """One prescribed exercise of the athlete's own sessions, with its session and exercise; one
    row by its id, so without the model's ordering (a sort of the joined row, for nothing)."""
    return get_object_or_404(
        PrescribedExercise.objects.filter(session__in=ScheduledSession.objects.for_user(user))
        .select_related("session", "exercise").order_by(),
        pk=pk,
    )


def own_report(user, pk) -> Complaint:
    return get_object_or_404(Complaint.objects.for_user(user).select_related("athlete__team"), pk=pk)


# --- The home page ------------------------------------------------------------------------------


def exercises_with_sets() -> Prefetch:
    return Prefetch(
        "exercises",
        queryset=PrescribedExercise.objects.select_related("exercise").prefetch_related(
            Prefetch("set_logs", queryset=SetLog.objects.order_by("set_number"))
        ),
    )


def sessions_with_exercises(queryset):
    return queryset.prefetch_related(exercises_with_sets())


def home_for(athlete, today) -> dict:
    """Today's session (or the next one), the rest of this week, and a check-in due this morning.

    One query reads this week's sessions and yesterday's finished ones together; a second looks
    further ahead only when nothing is left to do this week.
    """
    week_end = today + timedelta(days=6 - today.weekday())
    yesterday_done = Q(completed_at__isnull=False, completed_at__date__gte=today - timedelta(days=1),
                       completed_at__date__lt=today)
    rows = list(
        ScheduledSession.objects.filter(athlete=athlete)
        .filter(Q(date__gte=today, date__lte=week_end) | yesterday_done)
        # a session finished with no set logged is not done (docs/clinical-rules.md#pain-guided-progression)
        .annotate(has_sets=Exists(SetLog.objects.filter(prescribed__session=OuterRef("pk"))))
        .order_by("date", "id")
    )
    this_week = [s for s in rows if today <= s.date <= week_end]
    focus = next((s for s in this_week if s.completed_at is None), None)
    if focus is None:
        later = ScheduledSession.objects.filter(athlete=athlete, date__gt=week_end, completed_at__isnull=True)
        focus = later.order_by("date", "id").first()
    if focus is not None:
        # The home page lists the exercises, not their sets: no set logs to read. One session's
        # exercises in their order, without the model's ordering by the session (a join).
        exercises = PrescribedExercise.objects.select_related("exercise").order_by("order", "pk")
        prefetch_related_objects([focus], Prefetch("exercises", queryset=exercises))
    # The morning after a session: its check-in, until the athlete answers or a day more passes.
    check_ins = [
        s for s in rows
        if s.completed_at and s.next_morning == "" and timezone.localdate(s.completed_at) == today - timedelta(days=1)
    ]
    # Each session's link reversed once for the page, not by a {% url %} per session
    # (docs/architecture.md#services-selectors-and-views).
    session_url = links.by_pk("session_detail")
    for session in [focus, *this_week] if focus is not None else this_week:
        session.url = session_url(session.pk)
    return {
        "focus": focus,
        "focus_rows": home_rows(focus) if focus else [],
        "this_week": [s for s in this_week if s is not focus],
        "check_in": max(check_ins, key=lambda s: s.completed_at, default=None),
    }


# --- "See a doctor" and lighter training (docs/clinical-rules.md#urgent-pathway) -----------------


@dataclass(frozen=True, slots=True)
class DoctorNote:
    """One reason the athlete should see a doctor, with the first-days advice that agrees with it."""

    reason: str
    advice: str


REASON_URGENT_REPORT = "What you reported needs a doctor: see one today."
REASON_WAITING_FOR_DOCTOR = "Your injury needs a doctor's review before loading starts again."
REASON_REFERRAL = {
    Referral.URGENT: "Your injury needs a doctor now: see one today.",
    Referral.RECOMMENDED: "A doctor should assess your injury: book an appointment soon, and tell your coach "
    "when you have been seen.",
}


def _doctor_note_for_injury(injury: Injury) -> DoctorNote | None:
    if injury.waiting_for_doctor:
        # Once urgent, urgent for the rest of the injury's life: the advice is the urgent one even
        # when a later override lowered the referral (docs/clinical-rules.md#urgent-pathway).
        return DoctorNote(REASON_WAITING_FOR_DOCTOR, advice_for(injury.classification, Referral.URGENT))
    if injury.referral in REASON_REFERRAL and injury.doctor_status != Injury.DoctorStatus.SEEN:
        return DoctorNote(REASON_REFERRAL[Referral(injury.referral)], advice_for(injury.classification, injury.referral))
    return None


def care_for(athlete, today: date) -> dict:
    """What the athlete must know about their hamstring, in three queries: their open injuries,
    their reports (the latest few, and every urgent one still waiting for a coach), and how long
    an open minor episode keeps training lighter (two when the athlete came from ``home_athlete``,
    with the episodes' end)."""
    injuries = list(Injury.objects.filter(athlete=athlete).open().order_by("-onset_date", "-id"))
    own = Complaint.objects.filter(athlete=athlete, source=Complaint.Source.ATHLETE)
    latest = own.order_by("-created_at").values("pk")[:RECENT_REPORTS]
    reports = list(
        own.filter(Q(pk__in=latest) | Q(status=Complaint.Status.PENDING, referral=Referral.URGENT))
        .order_by("-created_at")
    )
    notes = []
    if any(r.status == Complaint.Status.PENDING and r.is_urgent for r in reports):
        waiting = next(r for r in reports if r.status == Complaint.Status.PENDING and r.is_urgent)
        notes.append(DoctorNote(REASON_URGENT_REPORT, advice_for(waiting.classification, Referral.URGENT)))
    for injury in injuries:
        note = _doctor_note_for_injury(injury)
        if note is not None and note not in notes:
            notes.append(note)
    if hasattr(athlete, "open_episode_ends_on"):
        lighter_until = athlete.open_episode_ends_on
    else:
        lighter_until = Episode.objects.filter(athlete=athlete).open().aggregate(until=Max("ends_on"))["until"]
    report_url = links.by_pk("report_sent")
    for report in reports:
        report.url = report_url(report.pk)
    return {
        "see_a_doctor": notes,
        "injury": injuries[0] if injuries else None,
        "reports": reports[:RECENT_REPORTS],
        "lighter": lighter_until is not None,
        # An episode past its window stays open while pain persists, until a coach re-triages it.
        "lighter_until": lighter_until if lighter_until is not None and lighter_until >= today else None,
    }


# --- One session, exercise by exercise ------------------------------------------------------------


def exercise_rows(session, unit: str = loads.KG) -> list[dict]:
    """Each prescription of a session (prefetched with its exercise and sets), ready to show,
    logged loads in the athlete's unit."""
    return [
        {
            "item": item,
            "dose": dose_text(item),
            "running": is_running(item),
            "withheld": item.withheld_reason,
            "sets": set_rows(item, unit),
        }
        for item in session.exercises.all()
    ]


def home_rows(session) -> list[dict]:
    """Each prescription of the home page's session (prefetched with its exercise), without its
    sets: the home page prints the exercise and its dose only."""
    return [
        {"item": item, "dose": dose_text(item), "running": is_running(item), "withheld": item.withheld_reason}
        for item in session.exercises.all()
    ]


def set_rows(prescribed, unit: str = loads.KG) -> list[dict]:
    """Each set of one prescribed exercise with its target and what was logged."""
    logs = {log.set_number: log for log in prescribed.set_logs.all()}
    carried = carried_load(prescribed, logs.values())
    return [
        set_row(prescribed, n, target, logs.get(n), unit, carried=carried)
        for n, target in enumerate(prescribed.set_targets(), start=1)
    ]


def carried_load(prescribed, logs):
    """The load a tap on a set not yet logged would log (programmes.services.set_log): that of the
    last set logged, else the prescription's when it is written as a load ("20 kg")."""
    last = max(logs, key=lambda log: (log.logged_at, log.set_number), default=None)
    return last.load_kg if last else loads.parse_kg(prescribed.load, default_unit=None)


def set_row(prescribed, number: int, target: int, log, unit: str = loads.KG, *, carried=None) -> dict:
    """One set: its number, its target, its log (None until done), each in words, and what the
    "Change" boxes start with (the load in the athlete's unit)."""
    if is_running(prescribed):
        metres = RUN_METRES.get(prescribed.exercise.key)
        todo = f"{prescribed.minutes} min" if prescribed.minutes else f"{metres} m" if metres else "1 run"
        label, done = f"Run {number}", f"✓ {todo}"
    elif prescribed.hold_seconds:
        todo = f"{prescribed.hold_seconds} s hold"
        label, done = f"Set {number}", f"✓ {log.reps if log else target} × {prescribed.hold_seconds} s"
    else:
        todo = f"{target} reps"
        label, done = f"Set {number}", f"✓ {log.reps if log else target} reps"
    short = ""
    if log is not None:
        load = loads.load_text(log.load_kg, unit)
        short = f"{log.reps} × {load}" if load else str(log.reps)
        if load:
            done += f" · {load}"
        if log.note and log.note != prescribed.load:
            done += f" · {log.note}"
            short += f" ({log.note})"
    return {
        "number": number, "target": target, "log": log, "label": label, "todo": todo, "done": done,
        "short": short,
        "load_value": loads.amount_text(log.load_kg if log else carried, unit),
        "note_value": log.note if log else "",
    }


def nordic_days(athlete_id: int) -> list[date]:
    """The days of the athlete's finished sessions with Nordic sets logged."""
    return list(
        ScheduledSession.objects.filter(
            athlete_id=athlete_id, completed_at__isnull=False,
            exercises__family=p.Family.NORDIC.value, exercises__set_logs__isnull=False,
        ).values_list("date", flat=True).distinct()
    )


def nordic_warning(session) -> str:
    """The rhabdomyolysis warning, on the athlete's first Nordic session after four weeks or more
    without one, whatever the programme week (docs/clinical-rules.md#nordic-dose); one query,
    and only for a session with Nordic work to do."""
    if not any(item.family == p.Family.NORDIC and not item.withheld_reason for item in session.exercises.all()):
        return ""
    return RHABDOMYOLYSIS_WARNING if gating.first_nordic_after_a_break(nordic_days(session.athlete_id), session.date) else ""


def loggable(session, today: date) -> bool:
    """Whether sets can be logged and the session finished today: not before its day, not more
    than a week after it, not once finished (programmes/services.py refuses the rest)."""
    return session.completed_at is None and today - timedelta(days=LOG_WINDOW_DAYS) <= session.date <= today


def session_of(user, pk) -> ScheduledSession:
    """One of the athlete's own sessions, with its exercises and their sets."""
    return get_object_or_404(sessions_with_exercises(ScheduledSession.objects.for_user(user)), pk=pk)


def unit_context(unit: str) -> dict:
    """The athlete's unit for the load boxes: its symbol, its name, the heaviest load it takes."""
    return {"unit": unit, "unit_words": loads.UNIT_WORDS[unit], "load_max": loads.number_text(loads.MAX_IN[unit])}


def session_page(session, today: date, unit: str = loads.KG) -> dict:
    """The session page: its exercises, why it is lighter, the Nordic warning, and whether it can
    be logged and finished today (a session of a later day cannot yet)."""
    exercises = exercise_rows(session, unit)
    for exercise in exercises:
        _with_urls(exercise["item"], exercise["sets"])
    return {
        "session": session,
        "exercises": exercises,
        "rhabdo_warning": nordic_warning(session),
        "loggable": loggable(session, today),
        "later": session.completed_at is None and session.date > today,
        "too_old": session.completed_at is None and session.date < today - timedelta(days=LOG_WINDOW_DAYS),
        **unit_context(unit),
    }


def _with_urls(prescribed, rows: list[dict]) -> list[dict]:
    """Each set's address, reversed once here rather than by the four {% url %} of its forms
    (docs/architecture.md#services-selectors-and-views)."""
    for row in rows:
        row["url"] = reverse("set_log", args=[prescribed.pk, row["number"]])
    return rows


def set_partial(prescribed, number: int, log, today: date, unit: str = loads.KG) -> dict:
    """One set as it stands, for the htmx swap after a tap: the saved log, or (when the tap was
    refused) whatever was logged before; 404 for a set the prescription does not have."""
    targets = prescribed.set_targets()
    if not 1 <= number <= len(targets):
        raise Http404("No such set.")
    carried = None
    if log is None:
        logs = list(prescribed.set_logs.all())
        log = next((row for row in logs if row.set_number == number), None)
        carried = carried_load(prescribed, logs)
    return {
        "item": prescribed,
        "row": _with_urls(prescribed, [set_row(prescribed, number, targets[number - 1], log, unit, carried=carried)])[0],
        "session": prescribed.session,
        "loggable": loggable(prescribed.session, today),
        **unit_context(unit),
    }


# --- History ------------------------------------------------------------------------------------


def history_for(user, today: date) -> dict:
    """The athlete's latest finished sessions, newest first, their worst pain as a sparkline, and
    the work of each recent week; loads in the athlete's unit. Three queries and the prefetches."""
    unit = user.load_unit
    own = ScheduledSession.objects.for_user(user)
    sessions = list(
        sessions_with_exercises(own.filter(completed_at__isnull=False)).order_by("-completed_at")[:SPARK_SESSIONS]
    )
    return {
        "rows": [(s, exercise_rows(s, unit)) for s in sessions],
        "spark": sparkline(list(reversed(sessions))),
        "volume": weekly_volume(own, today, unit),
        "unit": unit,
    }


def sparkline(sessions, width=300, height=60) -> dict | None:
    """Worst pain per finished session, oldest first, as points for an SVG polyline on a fixed
    0 to 10 scale, with the first and last days for its axis and each point for a table."""
    rows = [(s.date, s.worst_pain) for s in sessions if s.worst_pain is not None]
    if len(rows) < 2:
        return None
    step = width / (len(rows) - 1)
    points = [(round(i * step, 1), round(height - pain * height / 10, 1)) for i, (_, pain) in enumerate(rows)]
    return {
        "points": " ".join(f"{x},{y}" for x, y in points),
        "last": tuple(str(n) for n in points[-1]),  # as text: an SVG number is never localised
        "pains": [pain for _, pain in rows],
        "rows": rows,
        "first_day": rows[0][0],
        "last_day": rows[-1][0],
        "width": width,
        "height": height,
    }


VOLUME_WEEKS = 8
# The weekly bars' geometry, in SVG units: a row per week, its date on the left, the bar, then its
# number (drawn by attributes: the Content Security Policy allows no inline style).
CHART_WIDTH, BAR_ROW, BAR_X, BAR_MAX = 320, 24, 60, 170


def weekly_volume(sessions, today: date, unit: str) -> dict | None:
    """The work of each of the last VOLUME_WEEKS weeks (Monday to Sunday) since the first with a
    set logged: reps × load in the athlete's unit, and reps. Bars follow the volume when any set
    carried a load, else the reps (bodyweight work). Runs are not sets of reps: they do not count.
    One query; None when nothing was logged."""
    this_monday = today - timedelta(days=today.weekday())
    first_monday = this_monday - timedelta(weeks=VOLUME_WEEKS - 1)
    found = {
        (row["week"].date() if hasattr(row["week"], "date") else row["week"]): row
        for row in SetLog.objects.filter(
            prescribed__session__in=sessions, prescribed__session__date__gte=first_monday,
            prescribed__session__date__lte=today,
        )
        .exclude(prescribed__family=p.Family.RUNNING.value)
        .annotate(week=TruncWeek("prescribed__session__date"))
        .values("week")
        .annotate(
            total_reps=Sum("reps"),
            volume_kg=Sum(ExpressionWrapper(F("reps") * F("load_kg"), output_field=DecimalField(max_digits=12, decimal_places=3))),
        )
        .order_by("week")
    }
    if not found:
        return None
    start = min(found)
    mondays = [start + timedelta(weeks=n) for n in range((this_monday - start).days // 7 + 1)]
    weeks = []
    for monday in mondays:
        row = found.get(monday, {})
        volume_kg = row.get("volume_kg") or Decimal(0)
        weeks.append({
            "monday": monday,
            "reps": row.get("total_reps") or 0,
            "volume_kg": volume_kg,
            "volume_text": loads.volume_text(volume_kg, unit) if volume_kg else "none",
        })
    by_load = any(week["volume_kg"] for week in weeks)
    measure = "volume_kg" if by_load else "reps"
    most = max(week[measure] for week in weeks) or 1
    for row, week in enumerate(weeks):
        bar = round(BAR_MAX * float(week[measure]) / float(most), 1)
        # SVG numbers as text, never localised ("12,5" is not a length).
        week["y"], week["bar"], week["value_x"] = str(row * BAR_ROW), str(bar), str(round(BAR_X + bar + 6, 1))
        week["value_text"] = week["volume_text"] if by_load else f"{week['reps']} reps"
    return {
        "weeks": weeks, "by_load": by_load, "unit": unit,
        "width": CHART_WIDTH, "height": len(weeks) * BAR_ROW + 4, "bar_x": BAR_X, "label_x": BAR_X - 8,
    }


# --- Session effort and the daily wellness check (docs/load-and-risk.md) -------------------------

RECENT_EFFORTS = 5


def effort_row(row: SessionRpe) -> dict:
    """One logged session in words: its day, training or match (and label), effort, minutes, load."""
    kind = row.get_kind_display()
    return {
        "row": row, "date": row.date, "kind": f"{kind} {row.label}".strip(), "rpe": row.rpe, "minutes": row.minutes,
        "load": m.session_load(row.rpe, row.minutes), "pain": row.hamstring_pain,
    }


def recent_efforts(athlete) -> list[dict]:
    """The athlete's latest logged sessions, newest first: one query."""
    rows = SessionRpe.objects.filter(athlete=athlete).order_by("-date", "-id")[:RECENT_EFFORTS]
    return [effort_row(row) for row in rows]


def effort_logged(athlete, day: date, kind: str, label: str) -> bool:
    """Whether this session is logged already (logging it again corrects it): one query."""
    return SessionRpe.objects.filter(athlete=athlete, date=day, kind=kind, label=label.strip()).exists()


def effort_saved(athlete, pk, today: date) -> dict | None:
    """The session just logged and its week's load so far (Monday to the session's day, or to
    today for this week; docs/load-and-risk.md#session-load): two queries. None when the id is not
    one of the athlete's own sessions."""
    pk = str(pk)
    # An id from the query string: plain digits that fit the column, or no confirmation.
    row = SessionRpe.objects.filter(athlete=athlete, pk=int(pk)).first() if pk.isascii() and pk.isdigit() and len(pk) < 18 else None
    if row is None:
        return None
    monday = m.week_of(row.date)
    this_week = monday == m.week_of(today)
    week = SessionRpe.objects.filter(athlete=athlete, date__gte=monday, date__lte=today if this_week else monday + timedelta(days=6))
    total = sum(m.session_load(rpe, minutes) for rpe, minutes in week.values_list("rpe", "minutes"))
    # Whether the pain was one the coaches were alerted to (docs/load-and-risk.md#pain-in-training).
    told = bool(row.hamstring_pain) and Reminder.objects.filter(
        athlete=athlete, kind=ReminderKind.PAIN_ALERT, occurrence=monitoring_reminders.training_pain_occurrence(row),
    ).exists()
    return {**effort_row(row), "monday": monday, "this_week": this_week, "week_total": total, "coach_told": told}


def wellness_of(athlete, day: date) -> Wellness | None:
    """The athlete's wellness check of that day, if done: one query."""
    return Wellness.objects.filter(athlete=athlete, date=day).first()
