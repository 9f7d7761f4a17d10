"""What an athlete sees on their phone: reads only, each in a fixed number of queries."""

from datetime import timedelta

from django.db.models import Prefetch, Q, prefetch_related_objects
from django.utils import timezone

from .models import PrescribedExercise, ScheduledSession, SetLog

SPARK_SESSIONS = 20


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
        .order_by("date", "id")
    )
    this_week = [s for s in rows if today <= s.date <= week_end]
    focus = next((s for s in this_week if s.completed_at is None), None)
    if focus is None:
        later = ScheduledSession.objects.filter(athlete=athlete, date__gt=week_end, completed_at__isnull=True)
        focus = later.order_by("date", "id").first()
    if focus is not None:
        prefetch_related_objects([focus], exercises_with_sets())
    # The morning after a session: its check-in, until the athlete answers or a day more passes.
    check_ins = [
        s for s in rows
        if s.completed_at and s.next_morning == "" and timezone.localdate(s.completed_at) == today - timedelta(days=1)
    ]
    return {
        "focus": focus,
        "this_week": [s for s in this_week if s is not focus],
        "check_in": max(check_ins, key=lambda s: s.completed_at, default=None),
    }


def set_rows(prescribed) -> list[dict]:
    """Each set of one prescribed exercise with its target and what was logged."""
    logs = {log.set_number: log for log in prescribed.set_logs.all()}
    return [set_row(n, target, logs.get(n)) for n, target in enumerate(prescribed.set_targets(), start=1)]


def set_row(number: int, target: int, log) -> dict:
    """One set: its number, its target reps, and its log (None until done)."""
    return {"number": number, "target": target, "log": log}


def sparkline(sessions, width=300, height=60) -> dict | None:
    """Worst pain per finished session, oldest first, as points for an SVG polyline."""
    pains = [s.worst_pain for s in sessions if s.worst_pain is not None]
    if len(pains) < 2:
        return None
    step = width / (len(pains) - 1)
    points = [(round(i * step, 1), round(height - pain * height / 10, 1)) for i, pain in enumerate(pains)]
    return {
        "points": " ".join(f"{x},{y}" for x, y in points),
        "last": points[-1],
        "pains": pains,
        "width": width,
        "height": height,
    }
