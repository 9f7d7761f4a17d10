"""A demo-like world with something of everything, for the sweeps that look at every page
(tests/test_plain_words.py, tests/browser/test_every_page.py).

It starts from the demo data (`manage.py seed_demo`, two weeks before the day it is built for), then
adds what the demo lacks: an athlete account for an athlete in each phase, a cramp and a DOMS
episode (one ended), an urgent injury a doctor has reviewed and whose grade was overridden, an
athlete's pending reports, finished sessions with sets, a pain alert and next-morning check-ins,
missed sessions, range and sprint tests, and a notification of every kind for the coach and the
athlete.

`Demo` has the attributes of tests.conftest.World, so the access matrix's own `kwargs` functions
(tests/test_access_matrix.py) find their objects in it too.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from io import StringIO

import time_machine
from django.core.management import call_command
from django.utils import timezone

from coachapp.management.commands.seed_demo import DEMO_PASSWORD
from tests.conftest import World
from tests.factories import AthleteFactory, AthleteUserFactory

__all__ = ["DEMO_PASSWORD", "Demo", "build"]


@dataclass
class Demo(World):
    """The World attributes (tests/conftest.py), then everything else worth a page."""

    # athletes with an account, by name: the phone's pages are opened as each of them
    phone_athletes: dict = field(default_factory=dict)
    squad: list = field(default_factory=list)
    injuries: list = field(default_factory=list)
    episodes: list = field(default_factory=list)
    pending_reports: list = field(default_factory=list)
    own_template: object = None
    library_templates: list = field(default_factory=list)
    sessions: list = field(default_factory=list)  # the athlete's: a finished one, today's, a later one


def _at(day, hour=10):
    return datetime.combine(day, time(hour, 0), tzinfo=timezone.get_current_timezone())


def _give_account(athlete, email):
    user = AthleteUserFactory(email=email, first_name=athlete.first_name, last_name=athlete.last_name)
    athlete.user, athlete.email = user, email
    athlete.save(update_fields=["user", "email"])
    return user


def _train(athlete, days, *, painful_on=None):
    """Finish the athlete's sessions of these days, every set logged, and answer the next morning."""
    from programmes.services import session_complete, session_morning_report, set_log

    sessions = athlete.scheduled_sessions.filter(date__in=days, completed_at__isnull=True).order_by("date")
    for session in sessions:
        with time_machine.travel(_at(session.date, 17), tick=False):
            for prescribed in session.exercises.filter(withheld_reason=""):
                for number in range(1, prescribed.sets + 1):
                    set_log(prescribed=prescribed, set_number=number)
            pain = 8 if session.date == painful_on else 2
            session_complete(session=session, worst_pain=pain, sharp_pain=False)
        with time_machine.travel(_at(session.date + timedelta(days=1), 8), tick=False):
            session.refresh_from_db()
            if session.date != painful_on:
                session_morning_report(session=session, feeling="same", pain=1)


def build(today=None) -> Demo:
    """Build the world as it stands at 10:00 on `today` (the current date by default); the clock
    is left where it was."""
    from athletes.models import Team
    from injuries import examples
    from injuries import services as injury_services
    from injuries.models import Complaint, Episode, Injury, Phase
    from programmes.models import ProgrammeTemplate
    from programmes.reminders import detect_missed_sessions
    from programmes.services import calendar_token_regenerate
    from reminders import services as engine
    from reminders.models import Kind, Notification, Reminder
    from testing.models import TestType
    from testing.services import test_result_record
    from tests.factories import ProgrammeTemplateFactory, move_on

    today = today or timezone.localdate()
    start = today - timedelta(days=15)

    # The demo, two weeks ago: the programme starts then, the injuries were logged then.
    with time_machine.travel(_at(start), tick=False):
        call_command("seed_demo", force=True, stdout=StringIO())
    team = Team.objects.get(name="Harbour City FC")
    other_team = Team.objects.get(name="Northside Sprinters")
    coach = team.coaches.get()
    squad = {a.first_name: a for a in team.athletes.select_related("user")}
    alex = squad["Alex"]
    phone = {"Alex": alex.user}
    for name in ("Kofi", "Jordan", "Priya", "Lea"):
        phone[name] = _give_account(squad[name], f"{name.lower()}@example.com")

    with time_machine.travel(_at(start + timedelta(days=1)), tick=False):
        # Two more of the squad: Nina (an account; a cramp later) and Omar (a DOMS, since ended).
        nina = AthleteFactory(team=team, first_name="Nina", last_name="Berg", position="Goalkeeper")
        omar = AthleteFactory(team=team, first_name="Omar", last_name="Haddad", position="Midfielder")
        phone["Nina"] = _give_account(nina, "nina@example.com")
        doms = injury_services.complaint_log(athlete=omar, logged_by=coach, answers=examples.typed_answers("doms"))
        # Tom: an urgent grade 2 (numb), seen by a doctor, its grade then overridden.
        tom_injury = injury_services.complaint_log(
            athlete=squad["Tom"], logged_by=coach, answers=examples.typed_answers("grade_2", numbness=True)
        )
    with time_machine.travel(_at(start + timedelta(days=3)), tick=False):
        injury_services.doctor_review_record(
            injury=tom_injury, reviewer="Dr Okafor", reviewed_on=start + timedelta(days=3),
            note="Partial tear on ultrasound; rehab may start.", recorded_by=coach,
        )
        injury_services.injury_override_classification(
            injury=Injury.objects.get(pk=tom_injury.pk), overridden_by=coach, classification="grade_1",
            reason="The scan shows a small tear only.",
        )
        injury_services.episode_end(episode=Episode.objects.get(pk=doms.pk), ending=Episode.Ending.COACH)
    with time_machine.travel(_at(start + timedelta(days=5)), tick=False):
        jordan_injury = Injury.objects.get(complaint__athlete=squad["Jordan"])
        jordan_injury.notes = "Physio twice a week; scan booked."
        jordan_injury.expected_return_from += timedelta(days=3)
        jordan_injury.save()
        move_on(Injury.objects.get(pk=tom_injury.pk), Phase.REHAB, coach)

    # A fortnight of training: Alex and Jordan train (Alex once with pain 8), Tom and Kofi miss.
    _train(alex, [start + timedelta(days=n) for n in range(0, 13)], painful_on=start + timedelta(days=7))
    _train(squad["Jordan"], [start + timedelta(days=n) for n in range(0, 10)])

    with time_machine.travel(_at(today - timedelta(days=1)), tick=False):
        # A cramp the coach logged, a cramp and an urgent report the athletes sent (not confirmed).
        injury_services.complaint_log(athlete=squad["Priya"], logged_by=coach,
                                      answers=examples.typed_answers("cramp", side="right"))
        injury_services.complaint_report(athlete=nina, reported_by=nina.user,
                                         answers=examples.typed_answers("cramp", side="left"))
        injury_services.complaint_report(athlete=squad["Lea"], reported_by=squad["Lea"].user,
                                         answers=examples.typed_answers("grade_1", side="right", numbness=True))

    with time_machine.travel(_at(today, 9), tick=False):
        aslr, sprint = TestType.objects.get(key="aslr"), TestType.objects.get(key="sprint10")
        for n, athlete in enumerate([squad["Jordan"], squad["Priya"], squad["Lea"], alex]):
            for weeks in (2, 0):
                test_result_record(athlete=athlete, test_type=aslr, tested_on=today - timedelta(weeks=weeks, days=1),
                                   recorded_by=coach, left=80 - 3 * n, right=84, notes="Measured on the plinth.")
                test_result_record(athlete=athlete, test_type=sprint, tested_on=today - timedelta(weeks=weeks, days=2),
                                   recorded_by=coach, value=f"1.{20 + n}")
        engine.preferences_save(user=coach, time_zone="Europe/London", email_choices={})
        calendar_token_regenerate(athlete=alex)
        detect_missed_sessions(today)
        own = ProgrammeTemplateFactory(owner=coach, name="Pre-season hamstrings")

        # A notification of every kind for the coach and for the athlete: first what is due,
        # then one reminder of each kind still missing, delivered now.
        for reminder in Reminder.objects.filter(status="pending", due_at__lte=timezone.now()):
            engine.deliver(reminder.pk)
        next_session = alex.scheduled_sessions.filter(date__gte=today).order_by("date").first()
        finished = alex.scheduled_sessions.filter(completed_at__isnull=False).order_by("-date").first()
        priya_injury = Injury.objects.get(complaint__athlete=squad["Priya"])
        lea_injury = Injury.objects.get(complaint__athlete=squad["Lea"])
        wanted = [
            (coach, Kind.RETURN_NEAR, squad["Priya"], {"injury": priya_injury}),
            (coach, Kind.RETURN_OVERDUE, squad["Priya"], {"injury": priya_injury}),
            (coach, Kind.RECURRENCE_CHECK_IN, squad["Lea"], {"injury": lea_injury}),
            (coach, Kind.MISSED_SESSIONS, alex, {"session": next_session}),
            (coach, Kind.PAIN_ALERT, alex, {"session": finished}),
            (coach, Kind.PAIN_ALERT, squad["Lea"], {}),
            (alex.user, Kind.SESSION_TODAY, alex, {"session": next_session}),
            (alex.user, Kind.MORNING_CHECK_IN, alex, {"session": finished}),
            (phone["Priya"], Kind.RETURN_NEAR, squad["Priya"], {"injury": priya_injury}),
        ]
        for n, (user, kind, athlete, about) in enumerate(wanted):
            if Notification.objects.filter(user=user, kind=kind).exists() and kind != Kind.PAIN_ALERT:
                continue
            engine.schedule(kind, user, f"sweep:{n}", athlete, timezone.now(), **about)
            engine.deliver(Reminder.objects.get(recipient=user, kind=kind, occurrence=f"sweep:{n}").pk)
        first = Notification.objects.filter(user=coach).order_by("id").first()
        engine.notification_read(notification=first)

    sessions = list(alex.scheduled_sessions.order_by("date"))
    shown = [
        next(s for s in sessions if s.completed_at),
        next((s for s in sessions if s.date == today), None) or next(s for s in sessions if s.date >= today),
        next(s for s in sessions if s.date > today),
    ]
    return Demo(
        team=team,
        other_team=other_team,
        coach=coach,
        other_coach=other_team.coaches.get(),
        athlete_user=alex.user,
        athlete=alex,
        other_athlete_user=phone["Jordan"],
        other_athlete=squad["Jordan"],
        admin=type(coach).objects.get(email="admin@example.com"),
        phone_athletes=phone,
        squad=list(team.athletes.order_by("last_name")),
        injuries=list(Injury.objects.filter(complaint__athlete__team=team).order_by("pk")),
        episodes=list(Episode.objects.filter(athlete__team=team).order_by("pk")),
        pending_reports=list(Complaint.objects.filter(athlete__team=team, status="pending").order_by("pk")),
        own_template=own,
        library_templates=list(ProgrammeTemplate.objects.filter(owner=None).order_by("pk")),
        sessions=shown,
    )

