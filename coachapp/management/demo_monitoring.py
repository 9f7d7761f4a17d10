"""The demo's load and risk data (docs/load-and-risk.md), for `manage.py seed_demo`.

A season of the demo team: sixteen weeks of GPS rows up to yesterday (three training days and a
Saturday match a week, imported week by week with the team's saved Catapult mapping), a session
RPE for each of those sessions, each athlete's maximal velocity (the best on GPS; one a coach
timed), three weeks of morning wellness checks for four of the squad, and one hamstring injury
from before an athlete joined.

The story's numbers are chosen, not left to chance: every athlete's weekly high-speed running
stays within 10% of their usual week, so nobody has a spike worth a look but Lea, whose last
complete week was about twice her usual. Lea is the demo's only athlete in the recurrence watch
(her strain is cleared by the story), so the watch shows her with two flags: that spike, and
the Nordic dose missed (the prevention programme starts today, so no Nordic reps were logged in
the two weeks before). Nobody's tightness rises two mornings running, so no alert is owed.

Rows are bulk-created (a few hundred of each); the values come from a seeded random generator, so
the same day of the week gives the same demo.
"""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import Case, DateTimeField, Value, When
from django.utils import timezone

from monitoring.imports import gps_mapping_save
from monitoring.models import GpsImport, GpsRow, LoggedBy, MaxVelocity, PriorInjury, SessionKind, SessionRpe, Wellness

SEASON_WEEKS = 16  # complete weeks before this one; this week's sessions so far come on top
WELLNESS_DAYS = 21
WELLNESS_ATHLETES = ("Alex", "Lea", "Priya", "Tom")
SPIKED = "Lea"  # the athlete back from a strain whose last complete week spiked
SPIKE = Decimal("2.0")  # her last week against her usual one: well over the 1.5 limit
TIMED_SPRINT = "Kofi"  # his maximal velocity is a coach's timed flying sprint, not GPS
PRIOR_INJURY = "Tom"  # a hamstring strain at his previous club

# By position: (match high-speed running m, match total distance m, maximal velocity m/s), the
# ranges of published match data for professional football.
PROFILES = {
    "Winger": (950, 10300, Decimal("9.35")),
    "Striker": (800, 10000, Decimal("9.20")),
    "Full-back": (900, 10600, Decimal("9.10")),
    "Midfielder": (720, 11300, Decimal("8.70")),
    "Centre-back": (480, 9800, Decimal("8.50")),
}
DEFAULT_PROFILE = (700, 10200, Decimal("8.80"))

# The week (weekday: Monday 0): (kind, minutes range, share of a match's high-speed running,
# metres per minute, share of maximal velocity reached, RPE range). Tuesday is the main session,
# Wednesday the longer and slower one, Thursday short and sharp (a few sprints before the match).
WEEK = {
    1: (SessionKind.TRAINING, (75, 90), Decimal("0.40"), 72, (0.86, 0.94), (6, 7)),
    2: (SessionKind.TRAINING, (60, 75), Decimal("0.25"), 66, (0.78, 0.88), (5, 7)),
    3: (SessionKind.TRAINING, (45, 60), Decimal("0.15"), 58, (0.88, 0.96), (3, 4)),
    5: (SessionKind.MATCH, (88, 96), Decimal("1.00"), 0, (0.91, 0.99), (7, 9)),
}
WEEKLY_BAND = (0.90, 1.10)  # each week's high-speed running against the athlete's usual week
OPPONENTS = [
    "Riverside", "Eastport", "Millbrook", "Castle Vale", "Westfield", "Kingsway", "Lakeside", "Old Town",
    "Redhill", "Stonebridge", "Northgate", "Fairview", "Ashford", "Brookside", "Hillcrest", "Seaview", "Oakham",
]


def _d(value, places="0.1") -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places))


def seed_monitoring(team, coach, today) -> None:
    """The demo team's season of load data; only once per team (its GPS rows say it was done)."""
    if GpsRow.objects.filter(athlete__team=team).exists():
        return
    rng = random.Random(f"demo-monitoring-{team.name}")
    squad = list(team.athletes.select_related("user").order_by("pk"))
    by_name = {athlete.first_name: athlete for athlete in squad}
    this_monday = today - timedelta(days=today.weekday())
    mondays = [this_monday - timedelta(weeks=n) for n in range(SEASON_WEEKS, -1, -1)]
    spike_week = this_monday - timedelta(weeks=1)

    mapping = gps_mapping_save(team=team, name="Catapult export", columns="catapult", preset="catapult", by=coach)
    imports = GpsImport.objects.bulk_create([
        GpsImport(team=team, mapping=mapping, file_name=f"harbour-city-{monday:%Y}-week-{monday:%V}.csv", imported_by=coach)
        for monday in mondays
    ])
    rows, sessions = [], []
    for athlete in squad:
        match_hsr, match_distance, top = PROFILES.get(athlete.position, DEFAULT_PROFILE)
        top += _d(rng.uniform(-0.15, 0.15), "0.01")
        usual = match_hsr * sum(share for _, _, share, _, _, _ in WEEK.values())
        for n, monday in enumerate(mondays):
            factor = Decimal(str(rng.uniform(*WEEKLY_BAND)))
            if athlete.first_name == SPIKED and monday == spike_week:
                factor = SPIKE
            week = []
            for weekday, (kind, minutes, share, per_minute, reached, rpe) in WEEK.items():
                minutes = rng.randint(*minutes)
                if kind == SessionKind.MATCH and rng.random() < 0.15:
                    minutes = rng.randint(25, 70)  # subbed on or off
                weight = share * Decimal(str(rng.uniform(0.8, 1.2))) * (minutes / Decimal(90) if kind == SessionKind.MATCH else 1)
                week.append((monday + timedelta(days=weekday), kind, minutes, weight, per_minute, reached, rpe))
            # The week's high-speed running is shared out over its sessions, the whole week's
            # total held in the band: a week so far is never more than a whole one.
            total_weight = sum(weight for _, _, _, weight, _, _, _ in week)
            for day, kind, minutes, weight, per_minute, reached, rpe in week:
                if day >= today:
                    continue
                hsr = _d(usual * factor * weight / total_weight)
                if kind == SessionKind.MATCH:
                    distance = match_distance * minutes / 92 * rng.uniform(0.95, 1.05)
                    label = f"Match v {OPPONENTS[n % len(OPPONENTS)]}"
                else:
                    distance = per_minute * minutes * rng.uniform(0.92, 1.08)
                    label = "Training"
                rows.append(GpsRow(
                    athlete=athlete, date=day, session_label=label, minutes=_d(minutes + rng.choice((0, 0.5))),
                    total_distance_m=_d(Decimal(str(distance)) + hsr * (factor - 1)), hsr_m=hsr,
                    sprint_m=_d(hsr * Decimal(str(rng.uniform(0.22, 0.35)))),
                    max_velocity=_d(top * Decimal(str(rng.uniform(*reached))), "0.01"), source=imports[n],
                ))
                by_athlete = athlete.user_id is not None
                sessions.append(SessionRpe(
                    athlete=athlete, date=day, kind=kind, rpe=rng.randint(*rpe) + (1 if factor > WEEKLY_BAND[1] else 0),
                    minutes=minutes, logged_by=LoggedBy.ATHLETE if by_athlete else LoggedBy.COACH,
                    recorded_by=athlete.user if by_athlete else coach,
                ))
    GpsRow.objects.bulk_create(rows)
    SessionRpe.objects.bulk_create(sessions)
    _imported(imports, rows, today)
    _max_velocities(squad, rows, coach, today, timed=by_name.get(TIMED_SPRINT))
    _wellness([by_name[name] for name in WELLNESS_ATHLETES if name in by_name], coach, today, rng)
    if PRIOR_INJURY in by_name:
        PriorInjury.objects.create(
            athlete=by_name[PRIOR_INJURY], approx_date=today.replace(year=today.year - 2, day=1), side="right", grade="2",
            notes="At his previous club: about six weeks out.", entered_by=coach,
        )


def _imported(imports, rows, today) -> None:
    """Each week's file: its row count, and imported the morning after its last session."""
    counts, last = {}, {}
    for row in rows:
        counts[row.source.pk] = counts.get(row.source.pk, 0) + 1
        last[row.source.pk] = max(row.date, last.get(row.source.pk, row.date))
    zone, now = timezone.get_current_timezone(), timezone.now()
    empty = [source.pk for source in imports if source.pk not in counts]  # this week on a Monday: nothing yet
    GpsImport.objects.filter(pk__in=empty).delete()
    at = {pk: min(datetime.combine(day + timedelta(days=1), time(9, 0), tzinfo=zone), now) for pk, day in last.items()}
    GpsImport.objects.filter(pk__in=counts).update(
        rows=Case(*(When(pk=pk, then=Value(n)) for pk, n in counts.items())),
        created_at=Case(*(When(pk=pk, then=Value(moment)) for pk, moment in at.items()), output_field=DateTimeField()),
    )


def _max_velocities(squad, rows, coach, today, *, timed) -> None:
    """The best GPS run of each athlete, as the GPS import keeps it; the timed athlete's coach
    entered a flying sprint a little faster than anything on GPS, five weeks ago."""
    best = {}
    for row in rows:
        if row.athlete.pk not in best or row.max_velocity > best[row.athlete.pk].max_velocity:
            best[row.athlete.pk] = row
    velocities = []
    for athlete in squad:
        if athlete.pk not in best:
            continue
        row = best[athlete.pk]
        if athlete == timed:
            velocities.append(MaxVelocity(athlete=athlete, velocity=row.max_velocity + Decimal("0.15"),
                                          measured_on=today - timedelta(weeks=5), source=MaxVelocity.Source.COACH, entered_by=coach))
        else:
            velocities.append(MaxVelocity(athlete=athlete, velocity=row.max_velocity, measured_on=row.date,
                                          source=MaxVelocity.Source.GPS))
    MaxVelocity.objects.bulk_create(velocities)


def _wellness(athletes, coach, today, rng) -> None:
    """Three weeks of mornings up to yesterday (a few missed), today's left for the athlete to
    answer. Soreness peaks the morning after a match; an athlete back from a strain feels that
    side a little. Tightness never rises two mornings running (docs/load-and-risk.md#tightness):
    the alert it would raise was never sent."""
    checks = []
    for athlete in athletes:
        sore_side = "left" if athlete.first_name in ("Lea", "Priya") else ""
        seen = {}  # day -> (left, right)
        for back in range(WELLNESS_DAYS, 0, -1):
            day = today - timedelta(days=back)
            if rng.random() < 0.12:
                continue  # a morning missed
            tight = {side: rng.randint(2, 4) if side == sore_side else rng.randint(0, 2) for side in ("left", "right")}
            one, two = seen.get(day - timedelta(days=1)), seen.get(day - timedelta(days=2))
            for index, side in enumerate(("left", "right")):
                if one and two and two[index] < one[index] < tight[side]:
                    tight[side] = one[index]
            seen[day] = (tight["left"], tight["right"])
            after_match = day.weekday() == 6
            checks.append(Wellness(
                athlete=athlete, date=day, sleep=rng.choice((3, 4, 4, 5)) - (1 if after_match else 0),
                soreness=rng.randint(1, 3) + (3 if after_match else 0), tightness_left=tight["left"],
                tightness_right=tight["right"], mood=rng.choice((3, 4, 4, 5)),
                recorded_by=athlete.user if athlete.user_id else coach,
            ))
    Wellness.objects.bulk_create(checks)
