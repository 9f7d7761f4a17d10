"""What an athlete sees on their phone: reads only, each in a fixed number of queries."""

from datetime import timedelta

from django.db.models import Prefetch

from .models import PrescribedExercise, ScheduledSession, SetLog

SPARK_SESSIONS = 20


def sessions_with_exercises(queryset):
    return queryset.prefetch_related(
        Prefetch(
            "exercises",
            queryset=PrescribedExercise.objects.select_related("exercise").prefetch_related(
                Prefetch("set_logs", queryset=SetLog.objects.order_by("set_number"))
            ),
        )
    )


def home_for(athlete, today) -> dict:
    """Today's session (or the next one), the rest of this week, and a check-in due this morning."""
    upcoming = ScheduledSession.objects.filter(athlete=athlete, date__gte=today).order_by("date", "id")
    focus = sessions_with_exercises(upcoming.filter(completed_at__isnull=True))[:1]
    focus = focus[0] if focus else None
    week_end = today + timedelta(days=6 - today.weekday())
    this_week = list(upcoming.filter(date__lte=week_end).exclude(pk=getattr(focus, "pk", None)))
    # The morning after a session: its check-in, until the athlete answers or a day more passes.
    check_in = (
        ScheduledSession.objects.filter(
            athlete=athlete, completed_at__isnull=False, next_morning="",
            completed_at__date__gte=today - timedelta(days=1), completed_at__date__lt=today,
        )
        .order_by("-completed_at")
        .first()
    )
    return {"focus": focus, "this_week": this_week, "check_in": check_in}


def set_rows(prescribed) -> list[dict]:
    """Each set of one prescribed exercise with its target and what was logged."""
    logs = {log.set_number: log for log in prescribed.set_logs.all()}
    return [
        {"number": n, "target": target, "log": logs.get(n)}
        for n, target in enumerate(prescribed.set_targets(), start=1)
    ]


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
