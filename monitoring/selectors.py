"""What the monitoring pages show: a team's weekly load, an athlete's exposure, the team's
recurrence watch and an athlete's risk profile (docs/load-and-risk.md).

Every read starts from ``Athlete.objects.for_user`` (the one access rule) and loads what it needs
for all the athletes at once (``_Facts``), so each selector runs in a fixed number of queries
whatever the team's size; the judging is monitoring/measures.py.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, TruncWeek

from athletes.models import Athlete
from injuries.models import Injury, Phase
from injuries.triage import STRAIN_GRADES
from programmes.models import ScheduledSession
from testing.measures import asymmetry_pct, rounded_pct
from testing.models import TestResult

from . import measures as m
from .models import GpsRow, MaxVelocity, PriorInjury, SessionRpe, Wellness

NORDIC_TEST = "nordic"  # testing's seeded Nordic test (its key)
LOAD_WEEKS = 6
HSR_WEEKS = 6
STRAINS = [grade.value for grade in STRAIN_GRADES]


def _athletes(user, team=None, athlete_id=None, today: date | None = None):
    athletes = Athlete.objects.for_user(user).active().select_related("team")
    if team is not None:
        athletes = athletes.filter(team=team)
    if athlete_id is not None:
        athletes = athletes.filter(pk=athlete_id)
    if today is not None:
        athletes = _with_columns(athletes, today)
    return list(athletes.order_by("last_name", "first_name", "id"))


def _last_near_max(athlete, velocity, today: date):
    """The day of an athlete's last run at 90% of their maximal velocity or more, however long
    ago: the newest such GPS row (read backwards on the athlete's rows by date), not every row."""
    return GpsRow.objects.filter(
        athlete_id=athlete, date__lte=today, max_velocity__gte=velocity * m.DEFAULTS.near_max_share,
    ).order_by("-date").values("date")[:1]


def _with_columns(athletes, today: date):
    """The athletes with what monitoring knows of each in one value, as columns of the same query
    (each a query fewer): the maximal velocity, the last near-maximal run, and how many hamstring
    injuries from before were entered. ``_Facts.of`` takes them from there."""
    prior = PriorInjury.objects.filter(athlete_id=OuterRef("pk")).order_by().values("athlete_id").annotate(n=Count("id")).values("n")
    return athletes.annotate(
        monitoring_velocity=F("max_velocity__velocity"),
        monitoring_last_near_max=Subquery(_last_near_max(OuterRef("pk"), OuterRef("max_velocity__velocity"), today)),
        monitoring_prior=Coalesce(Subquery(prior), 0),
    )


def _as_date(value):
    return value.date() if hasattr(value, "date") else value


@dataclass
class _Facts:
    """Everything judged about a set of athletes, each kind loaded in one query."""

    today: date
    ids: list
    runs: dict = field(default_factory=lambda: defaultdict(list))
    velocity: dict = field(default_factory=dict)
    last_near_max: dict = field(default_factory=dict)  # athlete -> the last run at >= 90% of it
    returned: dict = field(default_factory=dict)  # athlete -> last strain return within the window
    rtt_since: dict = field(default_factory=dict)  # athlete -> entered return to training on
    cleared_strains: dict = field(default_factory=lambda: defaultdict(int))  # athlete -> strains cleared, ever
    nordic_reps: dict = field(default_factory=lambda: defaultdict(dict))
    on_programme: set = field(default_factory=set)
    nordic: dict = field(default_factory=lambda: defaultdict(list))  # athlete -> [ForceReading]
    asymmetry_limit: object = None  # testing's, for the Nordic test; None when nobody has a result
    mornings: dict = field(default_factory=lambda: defaultdict(list))
    prior_injuries: dict = field(default_factory=dict)  # athlete -> hamstring injuries entered from before
    columns: bool = False  # velocity, last near-maximal run and prior injuries came with the athletes

    @classmethod
    def of(cls, athletes, today: date) -> "_Facts":
        """The facts of these athletes, starting from the columns ``_with_columns`` gave them."""
        facts = cls(today, [a.pk for a in athletes])
        if athletes and all(hasattr(a, "monitoring_prior") for a in athletes):
            facts.columns = True
            for a in athletes:
                facts.prior_injuries[a.pk] = a.monitoring_prior
                if a.monitoring_velocity is not None:
                    facts.velocity[a.pk] = a.monitoring_velocity
                    if a.monitoring_last_near_max is not None:
                        facts.last_near_max[a.pk] = a.monitoring_last_near_max
        return facts

    @property
    def this_monday(self) -> date:
        return m.week_of(self.today)

    def load(self, *, gps_weeks: int, nordic_weeks: int, mornings: int = 0, returned: dict | None = None):
        """Each kind of row in one query. ``gps_weeks=0``: no GPS runs (the risk checklist needs
        only the last near-maximal one); ``returned`` (athlete -> last return, as below): already
        known, so no strain is loaded (the recurrence watch found them so)."""
        if gps_weeks:
            since = self.this_monday - timedelta(weeks=gps_weeks)
            for athlete_id, day, hsr, velocity in GpsRow.objects.filter(
                athlete_id__in=self.ids, date__gte=since, date__lte=self.today,
            ).order_by().values_list("athlete_id", "date", "hsr_m", "max_velocity"):
                self.runs[athlete_id].append(m.GpsRun(day, hsr, velocity))
        if not self.columns:  # else they came with the athletes (_with_columns)
            # Each maximal velocity with the last near-maximal run however long ago, in one query.
            for athlete_id, velocity, last in MaxVelocity.objects.filter(athlete_id__in=self.ids).annotate(
                last=Subquery(_last_near_max(OuterRef("athlete_id"), OuterRef("velocity"), self.today)),
            ).values_list("athlete_id", "velocity", "last"):
                self.velocity[athlete_id] = velocity
                if last is not None:
                    self.last_near_max[athlete_id] = last
        if returned is None:
            self._strains()
        else:
            self.returned = returned
        # Each athlete's sessions per week, with the Nordic reps logged in them, in one query:
        # the reps per week, and who was on a programme last week (a session scheduled then).
        last_monday = self.this_monday - timedelta(weeks=1)
        first = min(self.this_monday - timedelta(weeks=nordic_weeks), last_monday)
        for athlete_id, week, reps in (
            ScheduledSession.objects.filter(athlete_id__in=self.ids, date__gte=first, date__lt=self.this_monday)
            .annotate(monday=TruncWeek("date")).order_by().values("athlete_id", "monday")
            .annotate(reps=Sum("nordic_reps"))  # each session's own total (programmes/services/totals.py)
            .values_list("athlete_id", "monday", "reps")
        ):
            week = _as_date(week)
            if week == last_monday:
                self.on_programme.add(athlete_id)
            if reps is not None and week >= self.this_monday - timedelta(weeks=nordic_weeks):
                self.nordic_reps[athlete_id][week] = reps
        # Each with testing's asymmetry limit for the Nordic test (admins tune it there): it is
        # judged only beside a result, so it comes with them (None without one).
        for athlete_id, day, left, right, limit in TestResult.objects.filter(
            athlete_id__in=self.ids, test_type__key=NORDIC_TEST, left__isnull=False, right__isnull=False,
        ).order_by("tested_on").values_list("athlete_id", "tested_on", "left", "right", "test_type__asymmetry_threshold_pct"):
            self.nordic[athlete_id].append(m.ForceReading(day, left, right))
            self.asymmetry_limit = limit
        if mornings:
            for athlete_id, day, left, right in Wellness.objects.filter(
                athlete_id__in=self.ids, date__gte=self.today - timedelta(days=mornings), date__lte=self.today
            ).values_list("athlete_id", "date", "tightness_left", "tightness_right"):
                self.mornings[athlete_id].append(m.Morning(day, left, right))
        return self

    def _strains(self):
        """Who is in return to training since when, who returned within the watch window, and
        how many strains each has had cleared, from the strains' phases in one query."""
        window = self.today - timedelta(days=m.DEFAULTS.watch_days)
        for athlete_id, phase, started, cleared in Injury.objects.filter(
            athlete_id__in=self.ids, classification__in=STRAINS, phase__in=[Phase.RETURN_TO_TRAINING, Phase.CLEARED],
        ).values_list("athlete_id", "phase", "phase_started_on", "cleared_on"):
            if phase == Phase.RETURN_TO_TRAINING:
                self.rtt_since[athlete_id] = min(started, self.rtt_since.get(athlete_id, started))
                continue
            # An open strain is not yet a previous one: only cleared strains count.
            self.cleared_strains[athlete_id] += 1
            if cleared and window <= cleared <= self.today:
                self.returned[athlete_id] = max(cleared, self.returned.get(athlete_id, cleared))

    def watch_from(self, athlete_id):
        """When the exposure watch began: entering return to training, else the return."""
        return self.rtt_since.get(athlete_id) or self.returned.get(athlete_id)

    def near_max_runs(self, athlete_id) -> tuple:
        """The last near-maximal run, as the one run ``measures.exposure`` needs to see."""
        last, velocity = self.last_near_max.get(athlete_id), self.velocity.get(athlete_id)
        return (m.GpsRun(last, 0, velocity),) if last and velocity else ()

    def exposure(self, athlete_id) -> m.Exposure:
        return m.exposure(self.near_max_runs(athlete_id), self.velocity.get(athlete_id), self.today,
                          watch_from=self.watch_from(athlete_id))

    def asymmetries(self, athlete_id) -> tuple:
        return tuple(m.AsymmetryReading(r.day, rounded_pct(asymmetry_pct(r.left, r.right))) for r in self.nordic.get(athlete_id, ()))


# --- A team's weekly load ---------------------------------------------------------------------


def team_weekly_load(*, user, team, today: date, weeks: int = LOAD_WEEKS) -> dict:
    """Each athlete's session load for the last ``weeks`` weeks (this week last, so far), and the
    team's total and mean per week; two queries whatever the team's size."""
    # Only the names are shown: no team joined, no other column loaded.
    athletes = list(Athlete.objects.for_user(user).active().filter(team=team).only("id", "first_name", "last_name", "team_id")
                    .order_by("last_name", "first_name", "id"))
    this_monday = m.week_of(today)
    shown = [this_monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    sessions = defaultdict(list)
    for athlete_id, day, rpe, minutes in SessionRpe.objects.filter(
        athlete__in=[a.pk for a in athletes], date__gte=shown[0], date__lte=today
    ).order_by().values_list("athlete_id", "date", "rpe", "minutes"):
        sessions[athlete_id].append(m.Session(day, rpe, minutes))
    rows = [{"athlete": athlete, "weeks": m.weekly_loads(sessions.get(athlete.pk, ()), shown)} for athlete in athletes]
    return {"weeks": shown, "rows": rows, "team": m.team_weeks([row["weeks"] for row in rows], shown)}


def team_session_logged(*, user, team, day: date, kind: str, label: str) -> dict:
    """One team session already logged (a day, a kind, a label), as the entry form's cells, so a
    coach corrects it rather than typing it again; one query."""
    return {
        f"{what}_{athlete_id}": value
        for athlete_id, rpe, minutes, pain in SessionRpe.objects.filter(
            athlete__in=Athlete.objects.for_user(user).active().filter(team=team), date=day, kind=kind, label=label,
        ).values_list("athlete_id", "rpe", "minutes", "hamstring_pain")
        for what, value in (("rpe", rpe), ("minutes", minutes), ("pain", pain))
    }


# --- An athlete's exposure --------------------------------------------------------------------


def athlete_exposure(*, user, athlete_id: int, today: date) -> dict | None:
    """An athlete's weekly high-speed running against the 4-week average, their maximal velocity,
    days since a near-maximal run, and their Nordic dose beside their strength; None when the
    user may not see them."""
    athletes = _athletes(user, athlete_id=athlete_id, today=today)
    if not athletes:
        return None
    t = m.DEFAULTS
    facts = _Facts.of(athletes, today).load(gps_weeks=HSR_WEEKS + t.hsr_baseline_weeks, nordic_weeks=t.dose_no_gain_weeks)
    return _exposure_of(athletes[0], facts)


def _exposure_of(athlete, facts: _Facts) -> dict:
    t = m.DEFAULTS
    weekly = m.weekly_hsr(facts.runs.get(athlete.pk, ()))
    this_monday = facts.this_monday
    hsr = [m.hsr_week(weekly, this_monday - timedelta(weeks=n)) for n in range(HSR_WEEKS - 1, -1, -1)]
    max_velocity = MaxVelocity.objects.filter(athlete=athlete).select_related("entered_by").first()
    dose = m.dose_and_strength(facts.nordic_reps.get(athlete.pk, {}), facts.nordic.get(athlete.pk, ()), this_monday, t,
                               on_programme=athlete.pk in facts.on_programme)
    return {
        "athlete": athlete,
        "hsr": hsr,
        "max_velocity": max_velocity,
        "exposure": facts.exposure(athlete.pk),
        "watched": facts.watch_from(athlete.pk) is not None,
        "dose": dose,
    }


WELLNESS_DAYS = 14


def athlete_load_and_mornings(athlete, today: date, *, weeks: int = LOAD_WEEKS) -> dict:
    """One athlete's session load per week (this week last, so far) and their wellness answers of
    the last two weeks, newest first (the coach's view of what the athlete logged on the phone;
    docs/load-and-risk.md#session-load); two queries. The caller has checked access."""
    this_monday = m.week_of(today)
    shown = [this_monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    sessions = [m.Session(day, rpe, minutes) for day, rpe, minutes in SessionRpe.objects.filter(
        athlete=athlete, date__gte=shown[0], date__lte=today).values_list("date", "rpe", "minutes")]
    mornings = list(Wellness.objects.filter(athlete=athlete, date__gt=today - timedelta(days=WELLNESS_DAYS), date__lte=today)
                    .order_by("-date"))
    weeks_shown = [{"week": week.week, "sessions": week.sessions, "load": week.load, "change": signed(week.change)}
                   for week in m.weekly_loads(sessions, shown)]
    return {"load_weeks": weeks_shown, "mornings": mornings}


def signed(change) -> str:
    """A change from the week before as a plain signed number: "+120", "−40", "0"; "" for none
    (docs/load-and-risk.md#session-load)."""
    if change is None:
        return ""
    return f"+{change}" if change > 0 else (f"−{-change}" if change < 0 else "0")


def athlete_overview(*, user, athlete_id: int, today: date, exposure: bool = True) -> dict | None:
    """Everything monitoring says about one athlete, each kind of row loaded once for all of it:
    ``exposure`` (as ``athlete_exposure``; skipped with ``exposure=False``), ``watch`` (their
    recurrence-watch row, or None outside the window) and ``risk`` (the checklist). None when the
    user may not see them or they are archived."""
    athletes = _athletes(user, athlete_id=athlete_id, today=today)
    if not athletes:
        return None
    athlete = athletes[0]
    t = m.DEFAULTS
    # The widest window of the three reads: ten weeks of GPS (six shown, four before them), six
    # complete weeks of Nordic reps, the mornings of the tightness rule.
    facts = _Facts.of(athletes, today).load(
        gps_weeks=HSR_WEEKS + t.hsr_baseline_weeks, nordic_weeks=max(t.dose_no_gain_weeks, t.nordic_missed_weeks),
        mornings=t.tightness_rising_mornings + 1,
    )
    return {
        "athlete": athlete,
        "exposure": _exposure_of(athlete, facts) if exposure else None,
        "watch": next(iter(_watch_of([athlete], facts)), None),
        "risk": _risk_of([athlete], facts)[0],
    }


# --- The recurrence watch ---------------------------------------------------------------------


def _watch_inputs(facts: _Facts, athlete_id: int) -> m.WatchInputs:
    return m.WatchInputs(
        today=facts.today, returned_on=facts.returned[athlete_id],
        asymmetry=facts.asymmetries(athlete_id), asymmetry_limit_pct=facts.asymmetry_limit,
        weekly_nordic_reps=facts.nordic_reps.get(athlete_id, {}),
        runs=(*facts.runs.get(athlete_id, ()), *facts.near_max_runs(athlete_id)), max_velocity=facts.velocity.get(athlete_id),
        mornings=tuple(facts.mornings.get(athlete_id, ())),
    )


def _back_from_strain(today: date):
    """The strains cleared within the watch window: whom the recurrence watch looks at, the same
    rule as _Facts' ``returned``."""
    since = today - timedelta(days=m.DEFAULTS.watch_days)
    return Injury.objects.filter(classification__in=STRAINS, phase=Phase.CLEARED, cleared_on__gte=since, cleared_on__lte=today)


def team_recurrence_watch(*, user, team, today: date) -> list[dict]:
    """The team's athletes within two months of a return, each with their flags (an empty tuple
    when nothing is flagged), the most flagged first; a fixed number of queries."""
    # Only those back from a strain are loaded (on a team of 100, some 15), each with their last
    # return, in the same query.
    last_return = _back_from_strain(today).filter(athlete=OuterRef("pk")).order_by("-cleared_on").values("cleared_on")[:1]
    athletes = Athlete.objects.for_user(user).active().filter(team=team).annotate(returned_on=Subquery(last_return))
    athletes = list(_with_columns(athletes.filter(returned_on__isnull=False), today).only("id", "first_name", "last_name", "team_id")
                    .order_by("last_name", "first_name", "id"))
    return _watched(athletes, {a.pk: a.returned_on for a in athletes}, today)


def watch_rows(athletes, today: date) -> list[dict]:
    """The recurrence watch of these athletes (already scoped by the caller)."""
    returned = {}
    for athlete_id, cleared in _back_from_strain(today).filter(athlete_id__in=[a.pk for a in athletes]).values_list("athlete_id", "cleared_on"):
        returned[athlete_id] = max(cleared, returned.get(athlete_id, cleared))
    return _watched([a for a in athletes if a.pk in returned], returned, today)


def _watched(watched, returned: dict, today: date) -> list[dict]:
    """The watch of athletes back from a strain (``returned``: each one's last return): their
    rows alone are loaded."""
    if not watched:
        return []
    t = m.DEFAULTS
    facts = _Facts.of(watched, today).load(
        # The GPS weeks of this and last week's spikes: last week and the four before it, and this one.
        gps_weeks=t.hsr_baseline_weeks + 1, nordic_weeks=t.nordic_missed_weeks, mornings=t.tightness_rising_mornings + 1,
        returned=returned,
    )
    return _watch_of(watched, facts)


def _watch_of(athletes, facts: _Facts) -> list[dict]:
    t = m.DEFAULTS
    rows = []
    for athlete in athletes:
        if athlete.pk not in facts.returned:
            continue
        returned = facts.returned[athlete.pk]
        rows.append({
            "athlete": athlete,
            "returned_on": returned,
            "watch_ends": returned + timedelta(days=t.watch_days),
            "flags": m.recurrence_watch(_watch_inputs(facts, athlete.pk)),
        })
    rows.sort(key=lambda row: -len(row["flags"]))
    return rows


def returned_athletes(today: date) -> list:
    """Every active athlete with a strain cleared within the window: whom the daily reminder run
    looks at (monitoring/services.py, ``recurrence_watch_remind``)."""
    since = today - timedelta(days=m.DEFAULTS.watch_days)
    return list(Athlete.objects.active().filter(
        injuries__classification__in=STRAINS, injuries__cleared_on__gte=since, injuries__cleared_on__lte=today,
    ).select_related("team").distinct().order_by("pk"))


# --- An athlete's risk profile ----------------------------------------------------------------


def athlete_risk_profile(*, user, athlete_id: int, today: date) -> dict | None:
    """The risk checklist of one athlete, each item with its source; never a score."""
    athletes = _athletes(user, athlete_id=athlete_id, today=today)
    if not athletes:
        return None
    return _risk_rows(athletes, today)[0]


def with_risk_columns(athletes, *, today: date):
    """The athletes' query with what the risk checklist reads of each as columns of the same query
    (the screening table's athletes: testing/hooks.py); ``risk_profiles_of`` reads them."""
    return _with_columns(athletes, today)


def risk_profiles_of(athletes, *, today: date) -> list[dict]:
    """The risk checklists of athletes read with ``with_risk_columns`` (and their date of birth),
    already scoped by the caller: the same checklist as ``team_risk_profiles``, no athlete read again."""
    return _risk_rows(list(athletes), today)


def team_risk_profiles(*, user, team, today: date) -> list[dict]:
    """The screening column: every athlete's risk checklist, in a fixed number of queries."""
    # The checklist reads the date of birth alone: no team joined, no other column loaded.
    athletes = _with_columns(Athlete.objects.for_user(user).active().filter(team=team), today)
    return _risk_rows(list(athletes.only("id", "first_name", "last_name", "date_of_birth", "team_id").order_by("last_name", "first_name", "id")), today)


def _risk_rows(athletes, today: date) -> list[dict]:
    # No GPS runs: the checklist's sprint exposure needs only the last near-maximal run (a column
    # of the athletes' query, or one query with the maximal velocities), and last week's Nordic reps.
    return _risk_of(athletes, _Facts.of(athletes, today).load(gps_weeks=0, nordic_weeks=1))


def _risk_of(athletes, facts: _Facts) -> list[dict]:
    ids, today = facts.ids, facts.today
    strains = facts.cleared_strains  # loaded with the strains' phases
    prior = facts.prior_injuries if facts.columns else dict(  # else athletes not from _with_columns
        PriorInjury.objects.filter(athlete_id__in=ids).values("athlete_id").annotate(n=Count("id")).values_list("athlete_id", "n"))
    rows = []
    for athlete in athletes:
        readings = facts.nordic.get(athlete.pk, ())
        latest = readings[-1] if readings else None
        items = m.risk_profile(m.RiskInputs(
            today=today,
            previous_injuries=strains.get(athlete.pk, 0) + prior.get(athlete.pk, 0),
            date_of_birth=athlete.date_of_birth,
            latest_nordic=latest,
            asymmetry_pct=rounded_pct(asymmetry_pct(latest.left, latest.right)) if latest else None,
            asymmetry_limit_pct=facts.asymmetry_limit,
            weekly_nordic_reps=facts.nordic_reps.get(athlete.pk, {}) if athlete.pk in facts.on_programme else None,
            exposure=facts.exposure(athlete.pk),
        ))
        rows.append({"athlete": athlete, "items": items})
    return rows
