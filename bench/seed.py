"""The bench's throwaway database and its datasets.

reset_database() drops and recreates the bench database (never anything else); grow() brings
the World to a dataset size by running each step of STEPS. A later issue whose page needs more
data (injuries, programmes) appends a step: `def step(world, size): ...`, bulk_create (or
bulk_copy for a table of millions at SCALE=10), no per-row saves. Steps must be additive: grow() runs them at the small size, then at the large.

Steps: the coach and teams, athletes, injuries (issue 4), programmes (issues 5 and 6: 100
scheduled sessions per athlete with their prescribed exercises and the recent Nordic set logs),
reminders (issue 7: pending reminders, a fixed number of them due), test results (issue 9:
10 per athlete over the seeded test types and dates, a few athletes over an asymmetry limit),
load and GPS (issue 20: 16 weeks of GPS rows, three a week, with their session RPE; maximal
velocities; a week of morning checks for some; the athletes back from a strain recorded).
"""

import calendar
import random
import time as _time  # datetime's time is the wall-clock type below
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

import environ
import psycopg
from psycopg import sql

# Databases the bench refuses to drop whatever DATABASE_URL says.
PROTECTED = {"coachapp", "test_coachapp", "postgres", "template0", "template1"}


@dataclass(frozen=True)
class Size:
    name: str
    teams: int
    athletes: int  # in total, spread evenly over the teams; every one coached by the bench coach
    injuries: int = 0  # in total over those athletes: all cleared in the past but open_injuries
    open_injuries: int = 0  # athletes whose latest injury is still open (one each)
    sessions_per_athlete: int = 0  # scheduled sessions of every athlete (one assignment each)
    reminders_pending: int = 0  # pending reminders in all, of which reminders_due are due now
    reminders_due: int = 0
    test_results_per_athlete: int = 0  # issue 9: the screening table's test results
    gps_weeks: int = 0  # issue 20: weeks of GPS rows (3 a week) and their session RPE per athlete


SMALL = Size(
    "small", teams=1, athletes=20, injuries=60, open_injuries=3,
    sessions_per_athlete=100, reminders_pending=2000, reminders_due=1000,
    test_results_per_athlete=10, gps_weeks=16,
)
LARGE = Size(
    "large", teams=20, athletes=2000, injuries=6000, open_injuries=300,
    sessions_per_athlete=100, reminders_pending=100_000, reminders_due=1000,
    test_results_per_athlete=10, gps_weeks=16,
)


def scaled(size: Size, scale: int) -> Size:
    """`make bench SCALE=n`: n times the teams (of the same size), athletes, injuries and pending
    reminders, the same number due and the same sessions, test results and GPS weeks per athlete. SCALE=10
    of LARGE: 20,000 athletes over 200 teams, 2 million scheduled sessions, 1 million pending
    reminders of which still 1,000 due."""
    if scale == 1:
        return size
    return replace(
        size, name=f"{size.name}x{scale}", teams=size.teams * scale, athletes=size.athletes * scale,
        injuries=size.injuries * scale, open_injuries=size.open_injuries * scale,
        reminders_pending=size.reminders_pending * scale,
    )


def reset_database(url: str) -> str:
    """Drop and create the database named in url; returns its name."""
    config = environ.Env.db_url_config(url)
    name = config["NAME"]
    if "postgresql" not in config["ENGINE"]:
        raise SystemExit(f"bench: DATABASE_URL must point at PostgreSQL, not {config['ENGINE']}")
    if name in PROTECTED or "bench" not in name:
        raise SystemExit(
            f"bench: refusing to drop database {name!r}: the bench only resets a throwaway "
            "database whose name contains 'bench' (default coachapp_bench)"
        )
    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    params = {k: v for k, v in params.items() if v}
    with psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=10, **params) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return name


@dataclass
class World:
    """What the bench seeded: the signed-in personas and what pages can be checked against."""

    users: dict = field(default_factory=dict)  # persona name ("coach", "athlete") -> User
    teams: list = field(default_factory=list)  # the bench coach's teams, in creation order
    athletes: int = 0  # active athletes the bench coach sees on the roster
    athletes_by_team: dict = field(default_factory=dict)  # team pk -> active athletes
    sample_athlete: object = None  # an athlete of the first team (complaint preview)
    injuries: int = 0  # the bench coach's athletes' injuries
    open_by_team: dict = field(default_factory=dict)  # team pk -> athletes with an open injury
    # Programmes (issues 5 and 6): see programmes().
    sessions: int = 0  # scheduled sessions of the bench coach's athletes
    programme: dict = field(default_factory=dict)  # facts the programme pages are checked against
    home_athlete: object = None  # the athlete persona's Athlete row (has a session today)
    # Reminders (issue 7): see reminders().
    reminders_pending: int = 0
    reminders_due: int = 0
    # Test results (issue 9): see test_results().
    test_results: int = 0
    screening_flagged_by_team: dict = field(default_factory=dict)  # team pk -> athletes over a limit
    # Load and GPS (issue 20): see monitoring().
    gps_rows: int = 0
    watch_by_team: dict = field(default_factory=dict)  # team pk -> [athlete pks back from a strain within 60 days]
    step_seconds: dict = field(default_factory=dict)  # seeding step -> seconds, at the last grow()
    size: Size | None = None

    @property
    def coach(self):
        return self.users["coach"]

    @property
    def open_injuries(self) -> int:
        return sum(self.open_by_team.values())

    def facts(self) -> dict:
        """Values a Page's `expect` strings may name, e.g. "{athletes} athletes"."""
        first = self.teams[0]
        return {
            "athletes": self.athletes,
            "teams": len(self.teams),
            "coach": self.coach.email,
            "coach_pk": self.coach.pk,
            "sample_athlete": self.sample_athlete,
            "first_team": first.name,
            "first_team_pk": first.pk,
            "first_team_athletes": self.athletes_by_team.get(first.pk, 0),
            "injuries": self.injuries,
            "open_injuries": self.open_injuries,
            "first_team_flagged": self.screening_flagged_by_team.get(first.pk, 0),
            "first_team_watch": len(self.watch_by_team.get(first.pk, ())),
            **self.programme,
        }


# Fields whose attribute value psycopg writes as Django would save it: read straight off the
# object. Any other field (auto_now, JSON, ...) goes through the field's own get_db_prep_save.
PLAIN_FIELDS = {
    "AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField", "SmallIntegerField",
    "PositiveIntegerField", "PositiveSmallIntegerField", "PositiveBigIntegerField", "FloatField",
    "DecimalField", "CharField", "TextField", "EmailField", "SlugField", "URLField", "BooleanField",
    "DateField", "ForeignKey", "OneToOneField",
}


def bulk_copy(model, objs: list) -> list:
    """bulk_create's effect (the rows written, each object given its id) through COPY, for the
    millions of rows of SCALE=10: a block of ids is taken from the table's sequence first (so
    later rows can refer to these), then every concrete field is written as Django saves it."""
    from django.db import connections

    if not objs:
        return objs
    connection = connections[model.objects.db]  # the connection itself, not the per-thread proxy
    table, pk = model._meta.db_table, model._meta.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(seq, nextval(seq) + %s) FROM pg_get_serial_sequence(%s, %s) AS seq",
            [len(objs) - 1, table, pk.column],
        )
        first = cursor.fetchone()[0] - len(objs) + 1
    for number, obj in enumerate(objs, start=first):
        obj.pk = number
    fields = model._meta.concrete_fields
    plain = [
        f.get_internal_type() in PLAIN_FIELDS and not getattr(f, "auto_now", False) and not getattr(f, "auto_now_add", False)
        for f in fields
    ]
    columns = [(f.attname, None if is_plain else f) for f, is_plain in zip(fields, plain)]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(f.column) for f in fields)
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for obj in objs:
            copy.write_row([
                getattr(obj, attname) if field is None else field.get_db_prep_save(field.pre_save(obj, True), connection)
                for attname, field in columns
            ])
    return objs


# --- seeding steps ---------------------------------------------------------------------------

FIRST_NAMES = (
    "Alex Amara Ben Chloe Daniel Ella Femi Grace Hana Isaac Jade Kofi Lea Luis Maya Mia Noah "
    "Olu Priya Ravi Ruth Sam Sara Tariq Tom Uma Viktor Wen Yara Zoe"
).split()
LAST_NAMES = (
    "Adeyemi Becker Castillo Dubois Eriksen Fischer Garcia Hughes Ito Jensen Kowalski Lindqvist "
    "Mensah Morgan Nair Novak Okafor Osei Petrov Quinn Romero Sato Silva Tanaka Ueda Varga "
    "Walsh Xu Yilmaz Zielinski"
).split()
SPORTS = {
    "Football": ["Goalkeeper", "Centre-back", "Full-back", "Midfielder", "Winger", "Striker"],
    "Rugby": ["Prop", "Hooker", "Lock", "Flanker", "Scrum-half", "Fly-half", "Centre", "Wing"],
    "Athletics": ["100 m", "200 m", "400 m", "100 m hurdles", "Long jump", "Triple jump"],
    "Hockey": ["Goalkeeper", "Defender", "Midfielder", "Forward"],
}
LEGS = ["right", "right", "right", "left", "both"]


def coach_and_teams(world: World, size: Size) -> None:
    """The bench coach, on every one of the size's teams."""
    from athletes.models import Team, User

    if "coach" not in world.users:
        world.users["coach"] = User.objects.create_user(
            "bench-coach@bench.example", first_name="Bench", last_name="Coach", role=User.Role.COACH
        )
    if "admin" not in world.users:
        # Issue 19's peer rows: the Django admin's changelists, as a superuser sees them.
        world.users["admin"] = User.objects.create_superuser(
            "bench-admin@bench.example", first_name="Bench", last_name="Admin"
        )
    sports = list(SPORTS)
    new = [
        Team(name=f"Bench Team {i + 1:02d}", sport=sports[i % len(sports)])
        for i in range(len(world.teams), size.teams)
    ]
    new = Team.objects.bulk_create(new)
    Team.coaches.through.objects.bulk_create(
        [Team.coaches.through(team_id=team.pk, user_id=world.coach.pk) for team in new]
    )
    world.teams.extend(new)


def athletes(world: World, size: Size) -> None:
    """size.athletes active athletes spread evenly over the teams; one in ten has signed up."""
    from django.contrib.auth.hashers import make_password
    from django.db.models import Count

    from athletes.models import Athlete, User

    rng = random.Random(f"athletes-{size.name}")
    have = dict(
        Athlete.objects.filter(team__in=world.teams)
        .values_list("team")
        .annotate(n=Count("id"))
        .values_list("team", "n")
    )
    per_team, extra = divmod(size.athletes, len(world.teams))
    unusable = make_password(None)
    serial = sum(have.values())
    rows, accounts = [], []
    for index, team in enumerate(world.teams):
        want = per_team + (1 if index < extra else 0)
        for _ in range(want - have.get(team.pk, 0)):
            serial += 1
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            email = f"{first}.{last}.{serial}@bench.example".lower()
            athlete = Athlete(
                team=team,
                first_name=first,
                last_name=last,
                email=email,
                sport=team.sport,
                position=rng.choice(SPORTS[team.sport]),
                dominant_leg=rng.choice(LEGS),
                date_of_birth=date(1990, 1, 1) + timedelta(days=rng.randrange(16 * 365)),
                notes="Previous right hamstring strain." if serial % 7 == 0 else "",
            )
            if serial % 10 == 0:
                user = User(email=email, first_name=first, last_name=last, role=User.Role.ATHLETE)
                user.password = unusable
                accounts.append((athlete, user))
            rows.append(athlete)
    User.objects.bulk_create([user for _, user in accounts])
    for athlete, user in accounts:
        athlete.user = user
    Athlete.objects.bulk_create(rows, batch_size=1000)
    world.athletes = Athlete.objects.for_user(world.coach).active().count()
    world.athletes_by_team = dict(
        Athlete.objects.filter(team__in=world.teams).active().values_list("team").annotate(n=Count("id"))
    )
    if world.sample_athlete is None:
        world.sample_athlete = Athlete.objects.filter(team=world.teams[0]).active().order_by("pk").first()


def complaint_snapshots() -> dict:
    """(classification, side) -> a Complaint's answer and triage columns, as the app stores them.

    Typed by the complaint form itself and triaged once each: every seeded complaint reuses one.
    """
    from injuries.examples import FORM_ANSWERS, typed_answers
    from injuries.services import triaged_answers

    snapshots = {}
    for classification in FORM_ANSWERS:
        for side in ("left", "right", "both"):
            columns = triaged_answers(typed_answers(classification, side=side))
            if columns["classification"] != classification:
                raise ValueError(f"bench answers for {classification} triage as {columns['classification']}")
            snapshots[(classification, side)] = columns
    return snapshots


# Injuries over a career: mostly mild, so (like the complaints) mostly grade 1.
CLEARED_MIX = ["grade_1"] * 9 + ["grade_2"] * 4 + ["doms"] * 4 + ["cramp"] * 2 + ["grade_3"]
OPEN_MIX = ["grade_1"] * 6 + ["grade_2"] * 3 + ["grade_3"] + ["doms"]
OPEN_PHASES = ["protect", "rehab", "rehab", "return_to_training"]
SIDES = ["right", "right", "left", "left", "both"]


def injuries(world: World, size: Size) -> None:
    """size.injuries injuries over the athletes that have none yet, each with its complaint.

    Every athlete's injuries follow one another back in time from today; size.open_injuries
    athletes have their latest one still open (some phase before cleared), every other injury
    was cleared in the past (some recently: recurrence risk). Complaints and injuries are
    bulk-created with the triage snapshot of the answers they carry; no phase changes or
    checklists (the board reads neither).
    """
    from django.db.models import Count, Exists, F, OuterRef
    from django.utils import timezone

    from athletes.models import Athlete
    from injuries.models import Complaint, Injury, Phase, RecoveryDefault
    from injuries.pathway import RECURRENCE_WINDOW_DAYS

    mine = Injury.objects.filter(athlete__team__in=world.teams)
    want = size.injuries - mine.count()
    want_open = size.open_injuries - mine.open().count()
    fresh = list(
        Athlete.objects.filter(team__in=world.teams)
        .active()
        .filter(~Exists(Injury.objects.filter(athlete=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if want > 0 and fresh:
        rng = random.Random(f"injuries-{size.name}")
        per_athlete = dict.fromkeys(fresh, 0)
        for _ in range(want):
            per_athlete[rng.choice(fresh)] += 1
        injured = [pk for pk, n in per_athlete.items() if n]
        still_open = set(rng.sample(injured, min(max(want_open, 0), len(injured))))
        snapshots = complaint_snapshots()
        defaults = {row.classification: row for row in RecoveryDefault.objects.all()}
        today, now = timezone.localdate(), timezone.now()
        coach = world.coach
        complaints, plans = [], []  # plans: the Injury's own columns, in step with complaints

        def add(athlete_pk, classification, side, onset, phase, phase_started_on, cleared_on, recurrence):
            columns = snapshots[(classification, side)]
            began = datetime.combine(onset, time(9, 30), tzinfo=UTC)
            complaints.append(
                Complaint(
                    athlete_id=athlete_pk,
                    reported_by=coach,
                    source=Complaint.Source.COACH,
                    status=Complaint.Status.CONFIRMED,
                    confirmed_by=coach,
                    confirmed_at=min(began + timedelta(hours=float(columns["hours_since_onset"])), now),
                    **columns,
                )
            )
            days = defaults[classification]
            referral = columns["referral"]
            advised = referral in ("urgent", "recommended")
            plans.append(
                {
                    "athlete_id": athlete_pk,
                    "side": columns["side"],
                    "onset_date": onset,
                    "classification": classification,
                    "worst_classification": classification,
                    "referral": referral,
                    "ever_urgent": referral == "urgent",
                    "doctor_status": (
                        ("seen" if cleared_on else "advised") if advised else Injury.DoctorStatus.NOT_NEEDED
                    ),
                    # Urgent cases out of protect have had their doctor's review (the pathway's rule).
                    "doctor_reviewed_on": onset if referral == "urgent" and phase != Phase.PROTECT else None,
                    "phase": phase,
                    "phase_started_on": phase_started_on,
                    "protect_until": onset + timedelta(days=days.protect_max_days),
                    "expected_return_from": onset + timedelta(days=days.return_min_days),
                    "expected_return_to": onset + timedelta(days=days.return_max_days),
                    "is_recurrence": recurrence,
                    "cleared_on": cleared_on,
                }
            )

        for athlete_pk, count in per_athlete.items():
            if not count:
                continue
            timeline = []  # newest first: (classification, onset, phase, phase_started_on, cleared_on)
            end = today
            if athlete_pk in still_open:
                classification = rng.choice(OPEN_MIX)
                onset = today - timedelta(days=rng.randint(0, 4 if classification == "doms" else 40))
                phase = Phase.RETURN_TO_TRAINING if classification == "doms" else rng.choice(OPEN_PHASES)
                started = onset + timedelta(days=rng.randint(0, (today - onset).days))
                timeline.append((classification, onset, phase, started, None))
                end = onset - timedelta(days=1)
                count -= 1
            for i in range(count):
                classification = rng.choice(CLEARED_MIX)
                # The newest cleared injury ended recently for some: recurrence risk on the board.
                cleared_on = end - timedelta(days=rng.randint(0, 240 if i == 0 else 400))
                days = defaults[classification]
                onset = cleared_on - timedelta(days=rng.randint(days.return_min_days, days.return_max_days))
                timeline.append((classification, onset, Phase.CLEARED, cleared_on, cleared_on))
                end = onset - timedelta(days=rng.randint(7, 60))
            timeline.reverse()  # oldest first
            last_return = last_side = None
            for classification, onset, phase, started, cleared_on in timeline:
                side = rng.choice(SIDES)
                # As services._is_recurrence: the same side within two months of the last return.
                recurrence = (
                    last_return is not None
                    and (onset - last_return).days <= RECURRENCE_WINDOW_DAYS
                    and (side == last_side or "both" in (side, last_side))
                )
                add(athlete_pk, classification, side, onset, phase, started, cleared_on, recurrence)
                if cleared_on:
                    last_return, last_side = cleared_on, side

        Complaint.objects.bulk_create(complaints, batch_size=1000)
        # created_at is auto_now_add: put it back at the time each complaint was confirmed.
        Complaint.objects.filter(athlete_id__in=injured).update(created_at=F("confirmed_at"))
        Injury.objects.bulk_create(
            [Injury(complaint_id=complaint.pk, **plan) for complaint, plan in zip(complaints, plans)],
            batch_size=1000,
        )

    world.injuries = mine.count()
    world.open_by_team = dict(mine.open().values_list("athlete__team").annotate(n=Count("id")))


# --- programmes (issues 5 and 6) ----------------------------------------------------------------

PAST_SHARE = 0.6  # of each athlete's sessions, before today; the rest from today on
DOSE_WEEKS = 6  # the dose tracker's complete weeks (programmes.selectors.DOSE_WEEKS): their set logs
ADHERENCE = [0.95, 0.9, 0.9, 0.85, 0.8, 0.8, 0.7, 0.6, 0.4, 0.2]  # an athlete's share of sessions done


def session_dates(today: date, count: int) -> list[date]:
    """`count` session days three times a week (today's weekday, two and four days on), most of
    them in the past: every athlete has a session today, not yet done."""
    weekdays = {today.weekday(), (today.weekday() + 2) % 7, (today.weekday() + 4) % 7}
    past_count = round(count * PAST_SHARE)
    past, day = [], today
    while len(past) < past_count:
        day -= timedelta(days=1)
        if day.weekday() in weekdays:
            past.append(day)
    future, day = [], today
    while len(future) < count - past_count:
        if day.weekday() in weekdays:
            future.append(day)
        day += timedelta(days=1)
    return past[::-1] + future


def _nordic_dose(week: int) -> dict:
    """The Nordic entry's dose in that week of the block, as the library template writes it."""
    from programmes import progression as p

    sets = p.nordic_dose(week).sets
    uniform = len({(r.min, r.max) for r in sets}) == 1
    return {
        "sets": len(sets),
        "reps_min": min(r.min for r in sets),
        "reps_max": max(r.max for r in sets),
        "reps_by_set": "" if uniform else ",".join(str(r.min) for r in sets),
        "load": "Partner holds the ankles",
    }


def programmes(world: World, size: Size) -> None:
    """size.sessions_per_athlete sessions for every athlete without an assignment yet.

    One Assignment each (of the library's "Nordic prevention, 10 weeks", the FK needs it), the
    sessions three times a week around today (60% in the past), each with two or three
    PrescribedExercises (Nordic and slider curl; the week's first session also RDLs). Past
    sessions are done at the athlete's own adherence (20% to 95%); the Nordic sets of the done
    sessions of the last DOSE_WEEKS weeks (and this one) are logged, a few short of the target,
    so that the dose tracker has weeks above and below the maintenance dose. Bulk inserts per
    chunk of athletes (their ids come back for the next table's foreign keys).
    """
    from django.db.models import Exists, OuterRef, Sum
    from django.utils import timezone

    from athletes.models import Athlete
    from programmes import progression as p
    from programmes.library import PREVENTION_NAME
    from programmes.models import (
        Assignment, Exercise, PrescribedExercise, ProgrammeTemplate, ScheduledSession, SetLog,
    )
    from programmes.services.totals import totals

    if not size.sessions_per_athlete:
        return
    template = ProgrammeTemplate.objects.get(name=PREVENTION_NAME, owner__isnull=True)
    exercises = {e.key: e for e in Exercise.objects.filter(key__in=["nordic_full", "rdl_dumbbell", "curl_slider"])}
    nordic, rdl, curl = exercises["nordic_full"], exercises["rdl_dumbbell"], exercises["curl_slider"]
    today = timezone.localdate()
    this_monday = today - timedelta(days=today.weekday())
    logs_from = this_monday - timedelta(weeks=DOSE_WEEKS)
    dates = session_dates(today, size.sessions_per_athlete)
    first_monday = dates[0] - timedelta(days=dates[0].weekday())
    plan = []  # per session: (date, week, title, first of its week)
    seen_weeks = set()
    for day in dates:
        week = (day - first_monday).days // 7 + 1
        plan.append((day, week, "Maintenance" if week > 10 else f"Nordic block, week {week}", week not in seen_weeks))
        seen_weeks.add(week)
    doses = {week: _nordic_dose(week) for _, week, _, _ in plan}
    rdl_dose = {"sets": 3, "reps_min": 8, "reps_max": 12, "load": "Moderate dumbbells", "rom_target": "Mid-shin"}
    curl_dose = {"sets": 3, "reps_min": 8, "reps_max": 12}

    fresh = list(
        Athlete.objects.filter(team__in=world.teams)
        .filter(~Exists(Assignment.objects.filter(athlete=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rng = random.Random(f"programmes-{size.name}")
    chunk = 200  # athletes per round of COPYs: 20,000 sessions, ~47,000 exercises
    for start in range(0, len(fresh), chunk):
        ids = fresh[start : start + chunk]
        assignments = Assignment.objects.bulk_create(
            [
                Assignment(athlete_id=pk, template=template, start_date=dates[0], weekdays=sorted({d.weekday() for d in dates[:3]}),
                           phase=p.TrainingPhase.PREVENTION.value, assigned_by=world.coach)
                for pk in ids
            ]
        )
        sessions = []
        for assignment in assignments:
            adherence = rng.choice(ADHERENCE)
            for day, week, title, first in plan:
                done = day < today and rng.random() < adherence
                sessions.append(
                    ScheduledSession(
                        assignment_id=assignment.pk, athlete_id=assignment.athlete_id, date=day, week=week, title=title,
                        completed_at=datetime.combine(day, time(18, 0), tzinfo=UTC) if done else None,
                        worst_pain=rng.choice((0, 0, 1, 1, 2, 3)) if done else None,
                        sharp_pain=False if done else None,
                        next_morning=rng.choice(("better", "same", "same")) if done else "",
                        next_morning_pain=rng.choice((0, 0, 1, 2)) if done else None,
                    )
                )
        bulk_copy(ScheduledSession, sessions)
        prescribed, logged = [], []  # logged: the Nordic rows whose sets get logs
        for session, (_, _, _, first) in zip(sessions, plan * len(assignments)):
            nordic_row = PrescribedExercise(session_id=session.pk, order=1, exercise=nordic, family=nordic.family, **doses[session.week])
            prescribed.append(nordic_row)
            if first:  # the week's first session: RDLs too
                prescribed.append(PrescribedExercise(session_id=session.pk, order=2, exercise=rdl, family=rdl.family, **rdl_dose))
            prescribed.append(PrescribedExercise(session_id=session.pk, order=3, exercise=curl, family=curl.family, **curl_dose))
            if session.completed_at and session.date >= logs_from:
                logged.append(nordic_row)
        bulk_copy(PrescribedExercise, prescribed)
        logs = [
            SetLog(prescribed_id=row.pk, set_number=number, reps=max(target - rng.choice((0, 0, 0, 1, 2)), 0))
            for row in logged
            for number, target in enumerate(row.set_targets(), start=1)
        ]
        bulk_copy(SetLog, logs)
        # Each session's totals from the rows just copied, as the services keep them
        # (programmes/services/totals.py); one UPDATE for the step's sessions.
        ScheduledSession.objects.filter(assignment_id__in=[a.pk for a in assignments]).update(**totals())

    mine = ScheduledSession.objects.filter(athlete__team__in=world.teams)
    world.sessions = mine.count()
    if world.home_athlete is None:
        # The athlete persona: the first team's first athlete with an account (one in ten has).
        world.home_athlete = (
            Athlete.objects.filter(team=world.teams[0], user__isnull=False).active().select_related("user").order_by("pk").first()
        )
        world.users["athlete"] = world.home_athlete.user

    def adherence(athletes):
        """Sets logged of sets prescribed in the sessions due so far, recovery sessions and
        withheld exercises left out (docs/clinical-rules.md#pain-guided-progression)."""
        counted = {"session__date__lte": today, "session__is_recovery": False, "withheld_reason": ""}
        prescribed = PrescribedExercise.objects.filter(session__athlete__in=athletes, **counted)
        sets = prescribed.aggregate(n=Sum("sets"))["n"] or 0
        logged = SetLog.objects.filter(prescribed__in=prescribed).count()
        return round(100 * logged / sets) if sets else None

    # The dose tracker of the first team: its rows, its adherence, the athletes below the
    # maintenance dose in the last complete week.
    first_team = world.teams[0]
    last_week = dict(
        SetLog.objects.filter(
            prescribed__family=p.Family.NORDIC.value, prescribed__session__athlete__team=first_team,
            prescribed__session__date__gte=this_monday - timedelta(weeks=1), prescribed__session__date__lt=this_monday,
        )
        .values_list("prescribed__session__athlete_id")
        .annotate(reps=Sum("reps"))
    )
    team_athletes = list(Athlete.objects.filter(team=first_team).active().values_list("pk", flat=True))
    below = sum(1 for pk in team_athletes if last_week.get(pk, 0) < p.MAINTENANCE_WEEKLY_REPS_MIN)
    # The calendar: the sample athlete's current month (its whole weeks, as the page shows them).
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(today.year, today.month)
    month = ScheduledSession.objects.filter(athlete=world.sample_athlete, date__range=(weeks[0][0], weeks[-1][-1]))
    # The athlete's home and set logging: today's session, not done, its Nordic set 1.
    today_session = ScheduledSession.objects.get(athlete=world.home_athlete, date=today)
    if today_session.completed_at:
        raise ValueError("the athlete persona's session today is already done: set logging would be refused")
    today_exercises = list(today_session.exercises.order_by("order"))
    world.programme = {
        "first_team_adherence": adherence(team_athletes),
        "first_team_below": below,
        "sample_month": today.strftime("%Y-%m"),
        "sample_month_title": today.strftime("%B %Y"),
        "sample_month_sessions": month.count(),
        # Done means finished with a set logged (older done sessions have no logs: missed).
        "sample_month_done": month.filter(completed_at__isnull=False, exercises__set_logs__isnull=False).distinct().count(),
        "sample_adherence": adherence([world.sample_athlete.pk]),
        "home_first_name": world.home_athlete.first_name,
        "today_session_pk": today_session.pk,
        "today_session_title": today_session.title,
        "today_exercises": len(today_exercises),
        "set_prescribed_pk": today_exercises[0].pk,  # the Nordic (order 1)
    }


# --- reminders (issue 7) -------------------------------------------------------------------------


def reminders(world: World, size: Size) -> None:
    """Pending reminders up to size.reminders_pending, of which size.reminders_due are due now
    (a backlog of the last hour); the others are due from an hour to 60 days ahead.

    Missed-session notes to the bench coach about the athletes in turn (a kind deliverable
    without an injury or session), each its own occurrence. The bench never delivers them: the
    sweep only enqueues their ids, and the bench empties the queue afterwards. Written with COPY
    (a million rows at SCALE=10 in seconds, never all in memory at once).
    """
    from django.db import connection
    from django.utils import timezone

    from athletes.models import Athlete
    from reminders.models import Kind, Reminder

    if not size.reminders_pending:
        return
    now = timezone.now()
    pending = Reminder.objects.filter(status=Reminder.Status.PENDING)
    have_due = pending.filter(due_at__lte=now).count()
    have_later = pending.count() - have_due
    want_due = max(size.reminders_due - have_due, 0)
    want_later = max(size.reminders_pending - size.reminders_due - have_later, 0)
    rng = random.Random(f"reminders-{size.name}")
    athlete_ids = list(Athlete.objects.filter(team__in=world.teams).order_by("pk").values_list("pk", flat=True))
    serial = Reminder.objects.count()
    fields = {f.name: f.column for f in Reminder._meta.concrete_fields}
    names = ["kind", "recipient", "occurrence", "athlete", "due_at", "status", "claim_token", "attempts",
             "email_attempts", "last_error", "created_at"]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(Reminder._meta.db_table), sql.SQL(", ").join(sql.Identifier(fields[n]) for n in names)
    )
    coach = world.coach.pk
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for n in range(want_due + want_later):
            serial += 1
            if n < want_due:
                due_at = now - timedelta(seconds=rng.randrange(1, 3600))
            else:
                due_at = now + timedelta(seconds=rng.randrange(3600, 60 * 86400))
            copy.write_row((
                Kind.MISSED_SESSIONS.value, coach, f"bench-sweep:{serial}", athlete_ids[serial % len(athlete_ids)],
                due_at, Reminder.Status.PENDING.value, "", 0, 0, "", now,
            ))
    world.reminders_pending = pending.count()
    world.reminders_due = pending.filter(due_at__lte=timezone.now()).count()


# --- test results (issue 9) ----------------------------------------------------------------------

# Typical values (the stronger leg, or the single value) of each seeded test, by key.
TEST_VALUES = {"nordic": (280, 450), "iso90": (180, 320), "iso30": (150, 280), "aslr": (70, 95),
               "sprint10": (1.0, 1.3), "sprint30": (3.3, 4.2)}
SCREENING_DAYS_AGO = (200, 100, 10)  # screening sessions: the latest one is 10 days ago
FLAGGED_EVERY = 20  # one athlete in 20 is over a limit in one bilateral test, latest session


def test_results(world: World, size: Size) -> None:
    """size.test_results_per_athlete results for every active athlete that has none yet.

    Per athlete: each bilateral test (nordic, iso90, iso30, aslr: the migration's) at the last two
    screening sessions, the sprints at the latest one and a few bilateral tests at the first one
    to make up the count. Latest asymmetries stay under 8% except for one athlete in
    FLAGGED_EVERY, 15 to 25% in one test (well clear of the 10% limits, whatever the rounding);
    older results are sometimes over (the table must read the latest).
    """
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from athletes.models import Athlete
    from testing.models import TestResult, TestType

    per_athlete = size.test_results_per_athlete
    if not per_athlete:
        return
    types = list(TestType.objects.filter(key__in=TEST_VALUES).order_by("order"))
    bilateral = [t for t in types if t.bilateral]
    single = [t for t in types if not t.bilateral]
    if any(t.asymmetry_threshold_pct >= 15 for t in bilateral):
        raise ValueError("bench: a seeded test's asymmetry limit is 15% or more; the flagged athletes would not be")
    today = timezone.localdate()
    old, middle, latest = (today - timedelta(days=d) for d in SCREENING_DAYS_AGO)
    # (test type, date) slots: the latest session complete, then the middle one, then the oldest.
    slots = [(t, latest) for t in bilateral] + [(t, latest) for t in single]
    slots += [(t, middle) for t in bilateral] + [(t, old) for t in bilateral] + [(t, middle) for t in single]
    if per_athlete > len(slots):
        raise ValueError(f"bench: at most {len(slots)} test results per athlete")
    slots = slots[:per_athlete]
    fresh = list(
        Athlete.objects.filter(team__in=world.teams)
        .active()
        .filter(~Exists(TestResult.objects.filter(athlete=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", "team_id")
    )
    rng = random.Random(f"test-results-{size.name}")
    serial = Athlete.objects.filter(team__in=world.teams, test_results__isnull=False).distinct().count()
    rows = []
    for athlete_pk, team_pk in fresh:
        serial += 1
        flagged_test = rng.choice(bilateral) if serial % FLAGGED_EVERY == 3 else None
        if flagged_test:
            world.screening_flagged_by_team[team_pk] = world.screening_flagged_by_team.get(team_pk, 0) + 1
        for test_type, tested_on in slots:
            low, high = TEST_VALUES[test_type.key]
            places = 2 if high < 10 else 1
            strong = round(rng.uniform(low, high), places)
            if not test_type.bilateral:
                rows.append(TestResult(athlete_id=athlete_pk, test_type=test_type, tested_on=tested_on,
                                       value=strong, recorded_by=world.coach))
                continue
            if tested_on == latest:
                pct = rng.uniform(15, 25) if test_type is flagged_test else rng.uniform(0, 8)
            else:
                pct = rng.uniform(12, 30) if serial % 7 == 0 else rng.uniform(0, 8)
            weak = round(strong * (1 - pct / 100), places)
            if not test_type.higher_is_better:
                strong, weak = weak, strong
            left, right = (strong, weak) if rng.random() < 0.5 else (weak, strong)
            rows.append(TestResult(athlete_id=athlete_pk, test_type=test_type, tested_on=tested_on,
                                   left=left, right=right, recorded_by=world.coach))
    bulk_copy(TestResult, rows)
    world.test_results = TestResult.objects.filter(athlete__team__in=world.teams).count()


# --- load and GPS (issue 20) ---------------------------------------------------------------------

# The week's GPS sessions (weekday, Monday 0): (label, kind, minutes, share of the week's
# high-speed running, share of maximal velocity reached). The match has most of both.
GPS_WEEK = [
    (1, "Training", "training", (70, 90), 0.30, (0.80, 0.93), (5, 7)),
    (3, "Training", "training", (45, 65), 0.20, (0.86, 0.96), (3, 5)),
    (5, "Match", "match", (60, 95), 0.50, (0.88, 0.99), (7, 9)),
]
SPIKE_EVERY = 25  # one athlete in 25 ran twice their usual high-speed metres last week
NO_MAX_VELOCITY_EVERY = 4  # one athlete in 4 has no maximal velocity recorded
WELLNESS_EVERY = 5  # one athlete in 5 answered the morning check each day of the last week


def monitoring(world: World, size: Size) -> None:
    """size.gps_weeks weeks of GPS rows for every active athlete without any yet: three sessions
    a week up to yesterday (48 an athlete at 16 weeks, 96,000 at the large size), each with its
    session RPE, one import per team and week; a maximal velocity (their best on GPS) for three
    athletes in four; the last week's morning checks for one in five. A week's high-speed running
    is within 25% of the athlete's usual (a few spikes by chance) and one athlete in SPIKE_EVERY
    ran twice their usual last week. Written with COPY, 200 athletes at a time.

    The recurrence watch needs athletes back from a strain within 60 days: the injuries step
    clears each injured athlete's newest injury 0 to 240 days ago, so about one in six (strains
    only) is in the watch. world.watch_by_team holds them, found as the daily reminder finds them.
    """
    from django.db.models import Count, Exists, OuterRef, Subquery
    from django.db.models.functions import Coalesce
    from django.utils import timezone

    from athletes.models import Athlete
    from monitoring.models import GpsImport, GpsRow, LoggedBy, MaxVelocity, SessionRpe, Wellness
    from monitoring.selectors import returned_athletes

    today = timezone.localdate()
    mine = GpsRow.objects.filter(athlete__team__in=world.teams)
    fresh = list(
        Athlete.objects.filter(team__in=world.teams)
        .active()
        .filter(~Exists(GpsRow.objects.filter(athlete=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", "team_id", "user_id")
    ) if size.gps_weeks else []
    if fresh:
        this_monday = today - timedelta(days=today.weekday())
        last_monday = this_monday - timedelta(weeks=1)
        mondays = [this_monday - timedelta(weeks=n) for n in range(size.gps_weeks, -1, -1)]
        # One file a week per team (this week's so far included); kept from a smaller size.
        imports = {
            (source.team_id, source.file_name): source.pk
            for source in GpsImport.objects.filter(team__in=world.teams)
        }
        wanted = [
            GpsImport(team_id=team, file_name=f"gps-{monday:%G-W%V}.csv", imported_by=world.coach)
            for team in sorted({team for _, team, _ in fresh})
            for monday in mondays
            if (team, f"gps-{monday:%G-W%V}.csv") not in imports
        ]
        for source in GpsImport.objects.bulk_create(wanted):
            imports[(source.team_id, source.file_name)] = source.pk
        rng = random.Random(f"monitoring-{size.name}")
        serial = Athlete.objects.filter(team__in=world.teams, gps_rows__isnull=False).distinct().count()
        coach = world.coach.pk
        chunk = 200  # athletes per round of COPYs: about 10,000 GPS rows and as many efforts
        for start in range(0, len(fresh), chunk):
            rows, efforts, velocities, mornings = [], [], [], []
            for athlete_pk, team_pk, user_pk in fresh[start : start + chunk]:
                serial += 1
                usual, top, pace = rng.uniform(500, 1600), rng.uniform(8.2, 9.6), rng.uniform(65, 115)
                best = None
                for monday in mondays:
                    factor = 2.0 if serial % SPIKE_EVERY == 0 and monday == last_monday else rng.uniform(0.8, 1.25)
                    source = imports[(team_pk, f"gps-{monday:%G-W%V}.csv")]
                    for weekday, label, kind, minutes, share, reached, rpe in GPS_WEEK:
                        day = monday + timedelta(days=weekday)
                        if day >= today:
                            continue
                        minutes = rng.randint(*minutes)
                        hsr = round(usual * factor * share * rng.uniform(0.85, 1.15), 1)
                        row = GpsRow(
                            athlete_id=athlete_pk, date=day, session_label=label, minutes=minutes,
                            total_distance_m=round(minutes * pace * rng.uniform(0.9, 1.1) + hsr, 1), hsr_m=hsr,
                            sprint_m=round(hsr * rng.uniform(0.2, 0.35), 1),
                            max_velocity=round(top * rng.uniform(*reached), 2), source_id=source,
                        )
                        rows.append(row)
                        if best is None or row.max_velocity > best.max_velocity:
                            best = row
                        efforts.append(SessionRpe(
                            athlete_id=athlete_pk, date=day, kind=kind, label="", rpe=rng.randint(*rpe), minutes=minutes,
                            logged_by=LoggedBy.ATHLETE if user_pk else LoggedBy.COACH, recorded_by_id=user_pk or coach,
                        ))
                if best is not None and serial % NO_MAX_VELOCITY_EVERY:
                    velocities.append(MaxVelocity(athlete_id=athlete_pk, velocity=best.max_velocity, measured_on=best.date,
                                                  source=MaxVelocity.Source.GPS))
                if serial % WELLNESS_EVERY == 0:
                    mornings.extend(
                        Wellness(athlete_id=athlete_pk, date=today - timedelta(days=back), sleep=rng.randint(2, 5),
                                 soreness=rng.randint(0, 5), tightness_left=rng.randint(0, 3), tightness_right=rng.randint(0, 3),
                                 mood=rng.randint(2, 5), recorded_by_id=user_pk or coach)
                        for back in range(7, 0, -1)
                    )
            bulk_copy(GpsRow, rows)
            bulk_copy(SessionRpe, efforts)
            bulk_copy(MaxVelocity, velocities)
            bulk_copy(Wellness, mornings)
        counted = GpsRow.objects.filter(source=OuterRef("pk")).values("source").annotate(n=Count("id")).values("n")
        # A week with no row yet (this week, on a Monday) is an import of 0 rows, not of unknown.
        GpsImport.objects.filter(team__in=world.teams).update(rows=Coalesce(Subquery(counted), 0))
    world.gps_rows = mine.count()
    teams, world.watch_by_team = {team.pk for team in world.teams}, {}
    for athlete in returned_athletes(today):
        if athlete.team_id in teams:
            world.watch_by_team.setdefault(athlete.team_id, []).append(athlete.pk)


# Run in order by grow(); later issues append theirs.
STEPS = [coach_and_teams, athletes, injuries, programmes, reminders, test_results, monitoring]


def grow(world: World, size: Size) -> World:
    from django.db import connection, transaction

    with transaction.atomic():
        for step in STEPS:
            t0 = _time.perf_counter()
            step(world, size)
            world.step_seconds[step.__name__] = _time.perf_counter() - t0
    with connection.cursor() as cursor:
        # Fresh tables: give the planner real statistics, and vacuum them as autovacuum would on a
        # production server by now. A server with autovacuum off (this machine's is) never sets
        # the visibility map, so PostgreSQL could use no index-only scan and the bench would time
        # a state production does not stay in. A test's transaction cannot vacuum: there, ANALYZE.
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    world.size = size
    return world
