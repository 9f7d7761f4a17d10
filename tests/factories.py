import functools

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from athletes.models import Athlete, Invitation, Team
from injuries import examples
from injuries.services import injury_open, triaged_answers

User = get_user_model()

PASSWORD = "correct-horse-battery"


@functools.cache
def _password_hash() -> str:
    """PASSWORD hashed once: every test user shares the hash (hashing each one, then saving it
    again, was a third of the queries of the suite's shared `world`)."""
    from django.contrib.auth.hashers import make_password

    return make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = User.Role.COACH
    password = factory.LazyFunction(_password_hash)


class CoachFactory(UserFactory):
    role = User.Role.COACH


class AdminFactory(UserFactory):
    role = User.Role.ADMIN
    is_staff = True
    is_superuser = True


class AthleteUserFactory(UserFactory):
    role = User.Role.ATHLETE


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Team {n}")
    sport = "Football"

    @factory.post_generation
    def coaches(self, create, extracted, **kwargs):
        if create and extracted:
            self.coaches.add(*extracted)


class AthleteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Athlete

    team = factory.SubFactory(TeamFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"athlete{n}@example.com")
    sport = "Football"
    position = "Winger"
    dominant_leg = Athlete.Leg.RIGHT


class InvitationFactory(factory.django.DjangoModelFactory):
    """Pass `token=` to know the raw token; the model keeps only its hash."""

    class Meta:
        model = Invitation
        exclude = ["token"]

    token = factory.Faker("pystr", min_chars=20, max_chars=20)
    kind = Invitation.Kind.ATHLETE
    team = factory.SubFactory(TeamFactory)
    athlete = factory.SubFactory(AthleteFactory, team=factory.SelfAttribute("..team"))
    email = factory.SelfAttribute("athlete.email")
    token_hash = factory.LazyAttribute(lambda o: Invitation.hash_token(o.token))
    expires_at = factory.LazyFunction(Invitation.default_expiry)


def complaint_answers(**overrides):
    """A complete, valid set of complaint answers (a grade 1 strain) as form data."""
    return examples.form_answers("grade_1", **overrides)


def typed_answers(**overrides):
    """The same answers as a valid form's cleaned data (what the services take)."""
    return examples.typed_answers("grade_1", **overrides)


class ComplaintFactory(factory.django.DjangoModelFactory):
    """A coach-confirmed complaint by default; `pending=True` for an athlete's unconfirmed report."""

    class Meta:
        model = "injuries.Complaint"

    class Params:
        pending = factory.Trait(
            source="athlete",
            status="pending",
            reported_by=factory.SelfAttribute("athlete.user"),
            confirmed_by=None,
            confirmed_at=None,
        )

    athlete = factory.SubFactory(AthleteFactory)
    source = "coach"
    status = "confirmed"
    reported_by = factory.SubFactory(CoachFactory)
    confirmed_by = factory.SelfAttribute("reported_by")
    confirmed_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, answers=None, **kwargs):
        kwargs.update(triaged_answers(typed_answers(**(answers or {}))))
        return super()._create(model_class, *args, **kwargs)


class InjuryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "injuries.Injury"

    complaint = factory.SubFactory(ComplaintFactory)

    @classmethod
    def _create(cls, model_class, *args, complaint, **kwargs):
        injury = injury_open(complaint=complaint)
        for name, value in kwargs.items():
            setattr(injury, name, value)
        if kwargs:
            injury.save()
        return injury


class ProgrammeTemplateFactory(factory.django.DjangoModelFactory):
    """A coach's own template with one session of a hinge and a curl."""

    class Meta:
        model = "programmes.ProgrammeTemplate"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Template {n}")
    kind = "prevention"
    owner = factory.SubFactory(CoachFactory)

    @factory.post_generation
    def with_session(self, create, extracted, **kwargs):
        from programmes.models import Exercise, TemplateEntry, TemplateSession

        if not create or extracted is False:
            return
        session = TemplateSession.objects.create(template=self, week=1, order=1, title="Strength")
        for order, key in enumerate(["rdl_dumbbell", "curl_slider"], start=1):
            TemplateEntry.objects.create(session=session, order=order, exercise=Exercise.objects.get(key=key))


def library_template(name="Nordic prevention, 10 weeks"):
    from programmes.models import ProgrammeTemplate

    return ProgrammeTemplate.objects.get(name=name, owner=None)


def session_totals_by_hand(session) -> tuple[int, int, int]:
    """What a session's stored totals must be (programmes/services/totals.py), counted from its
    rows one by one: sets of the exercises not stopped, sets logged in those, Nordic reps logged.
    A session read with prefetch_related("exercises__set_logs") is counted from those rows."""
    prefetched = "exercises" in getattr(session, "_prefetched_objects_cache", {})
    exercises = list(session.exercises.all() if prefetched else session.exercises.prefetch_related("set_logs"))
    counted = [row for row in exercises if not row.withheld_reason]
    return (
        sum(row.sets for row in counted),
        sum(len(row.set_logs.all()) for row in counted),
        sum(log.reps for row in exercises if row.family == "nordic" for log in row.set_logs.all()),
    )


def assigned_session(athlete, coach, *, template=None, start=None):
    """Assign a template and return the first session of that new assignment."""
    from programmes.services import programme_assign

    programme_assign(
        template=template or ProgrammeTemplateFactory(owner=coach),
        athletes=[athlete],
        start_date=start or timezone.localdate(),
        weekdays=[0, 1, 2, 3, 4, 5, 6],
        assigned_by=coach,
    )
    return athlete.assignments.order_by("-id").first().sessions.order_by("date", "id").first()


def progression_alert(athlete, coach):
    """A regress with a coach alert: a session finished at pain 8."""
    from programmes.services import session_complete

    session = assigned_session(athlete, coach)
    return next(d for d in session_complete(session=session, worst_pain=8, sharp_pain=False) if d.alert_coach)


def seed_reference_data():
    """The exercise library, its templates and the test types, put back after a transactional
    test emptied the database (migrations' seed data included). Idempotent."""
    from django.apps import apps

    from programmes.library import seed

    seed(apps)
    seed_test_types()


def seed_test_types():
    """The seeded strength and range tests, put back after a live_server test emptied the database.

    The seeding migrations ran while the models lived in injuries: they run again on the models as
    they were then (the migration state after them), which use the same tables.
    """
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    apps = MigrationLoader(connection).project_state(("injuries", "0006_pathway_data")).apps
    importlib.import_module("injuries.migrations.0004_seed_test_types").seed(apps, None)
    importlib.import_module("injuries.migrations.0006_pathway_data").forwards(apps, None)


class TestTypeFactory(factory.django.DjangoModelFactory):
    """A seeded test by its key (``TestTypeFactory(key="aslr")``), or a new one with these values."""

    __test__ = False

    class Meta:
        model = "testing.TestType"
        django_get_or_create = ["key"]

    key = "nordic"
    name = factory.LazyAttribute(lambda o: f"Test {o.key}")
    unit = "N"
    bilateral = True
    higher_is_better = True
    checklist_item = "strength_within_10pct"


class TestResultFactory(factory.django.DjangoModelFactory):
    """A Nordic result of 300 N on each leg, today."""

    __test__ = False

    class Meta:
        model = "testing.TestResult"

    athlete = factory.SubFactory(AthleteFactory)
    test_type = factory.SubFactory(TestTypeFactory)
    tested_on = factory.LazyFunction(timezone.localdate)
    left = 300
    right = 300
    recorded_by = None


def move_on(injury, to_phase, by):
    """Move an injury forward the way a coach does when the criteria hold: record the doctor's
    review of an urgent case, tick every criterion of the move, then change the phase."""
    from injuries import services
    from injuries.models import ChecklistItem

    if injury.ever_urgent and injury.doctor_reviewed_on is None:
        services.doctor_review_record(
            injury=injury, reviewer="Dr Example", reviewed_on=timezone.localdate(), note="Seen; rehab may start.",
            recorded_by=by,
        )
    for criterion in services.phase_criteria(injury, to_phase):
        if not criterion.met and criterion.key in ChecklistItem.values:
            services.clearance_check_set(injury=injury, item=criterion.key, done=True, changed_by=by, reason="Seen in person.")
    injury.refresh_from_db()
    return services.injury_change_phase(injury=injury, to_phase=to_phase, changed_by=by)
