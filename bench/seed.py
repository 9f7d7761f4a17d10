"""The bench's throwaway database and its datasets.

reset_database() drops and recreates the bench database (never anything else); grow() brings
the World to a dataset size by running each step of STEPS. A later issue whose page needs more
data (injuries, programmes) appends a step: `def step(world, size): ...`, bulk_create, no
per-row saves. Steps must be additive: grow() runs them at the small size, then at the large.
"""

import random
from dataclasses import dataclass, field
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


SMALL = Size("small", teams=1, athletes=20, injuries=60, open_injuries=3)
LARGE = Size("large", teams=20, athletes=2000, injuries=6000, open_injuries=300)


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

    users: dict = field(default_factory=dict)  # persona name -> User
    teams: list = field(default_factory=list)  # the bench coach's teams, in creation order
    athletes: int = 0  # active athletes the bench coach sees on the roster
    athletes_by_team: dict = field(default_factory=dict)  # team pk -> active athletes
    sample_athlete: object = None  # an athlete of the first team (complaint preview)
    injuries: int = 0  # the bench coach's athletes' injuries
    open_by_team: dict = field(default_factory=dict)  # team pk -> athletes with an open injury
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
            "first_team_athletes": self.athletes_by_team.get(first.pk, 0),
            "injuries": self.injuries,
            "open_injuries": self.open_injuries,
        }


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


# Complete complaint-form answers as a browser POSTs them (like tests/factories.py's
# complaint_answers()), one set per classification; injuries() checks that each triages so.
_GRADE_1 = {
    "side": "left",
    "onset": "during_activity",
    "hours_since_onset": "3",
    "pain_score": "3",
    "pain_quality": "tightness",
    "popping_sensation": "False",
    "sudden_sharp_pain": "False",
    "eased_with_rest": "False",
    "overuse_or_dehydration": "False",
    "weakness": "none",
    "can_bear_weight": "True",
    "cannot_move_leg": "False",
    "swelling": "mild",
    "bruising": "none",
    "walking_difficulty_ongoing": "False",
    "numbness": "False",
}
FORM_ANSWERS = {
    "grade_1": _GRADE_1,
    "grade_2": {**_GRADE_1, "hours_since_onset": "5", "pain_score": "6", "pain_quality": "sharp",
                "popping_sensation": "True", "sudden_sharp_pain": "True", "swelling": "moderate"},
    "grade_3": {**_GRADE_1, "hours_since_onset": "2", "pain_score": "9", "pain_quality": "sharp",
                "popping_sensation": "True", "sudden_sharp_pain": "True", "weakness": "complete",
                "can_bear_weight": "False", "swelling": "severe", "bruising": "heavy"},
    "cramp": {**_GRADE_1, "hours_since_onset": "1", "pain_score": "4", "pain_quality": "cramping",
              "eased_with_rest": "True", "overuse_or_dehydration": "True", "swelling": "none"},
    "doms": {**_GRADE_1, "onset": "after_activity", "hours_since_onset": "30", "pain_score": "3",
             "pain_quality": "dull_ache", "swelling": "none"},
}


def form_answers(classification: str = "grade_1", **overrides) -> dict:
    """A complete complaint form's POST data that triages as `classification`."""
    return {**FORM_ANSWERS[classification], **{k: str(v) for k, v in overrides.items()}}


def complaint_snapshots() -> dict:
    """(classification, side) -> a Complaint's answer and triage columns, as the app stores them.

    Typed by the complaint form itself and triaged once each: every seeded complaint reuses one.
    """
    from injuries.forms import ComplaintForm
    from injuries.services import triaged_answers

    snapshots = {}
    for classification in FORM_ANSWERS:
        for side in ("left", "right", "both"):
            form = ComplaintForm(form_answers(classification, side=side))
            if not form.is_valid():
                raise ValueError(f"bench answers for {classification}: {form.errors.as_json()}")
            columns = triaged_answers(form.answers())
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
    from injuries.models import RECURRENCE_WINDOW_DAYS, Complaint, Injury, Phase, RecoveryDefault

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
                    "referral": referral,
                    "doctor_status": (
                        ("seen" if cleared_on else "advised") if advised else Injury.DoctorStatus.NOT_NEEDED
                    ),
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


# Run in order by grow(); later issues append theirs.
STEPS = [coach_and_teams, athletes, injuries]


def grow(world: World, size: Size) -> World:
    from django.db import connection, transaction

    with transaction.atomic():
        for step in STEPS:
            step(world, size)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh tables: give the planner real statistics
    world.size = size
    return world
