from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from athletes.models import Athlete, Team
from coachapp.management.demo_monitoring import seed_monitoring
from injuries.examples import typed_answers
from injuries.models import Complaint, Phase
from injuries.services import (
    clearance_check_set,
    complaint_log,
    complaint_report,
    injury_change_phase,
    phase_criteria,
)
from programmes.library import PREVENTION_NAME
from programmes.models import ProgrammeTemplate
from programmes.services import programme_assign
from testing.models import TestType
from testing.services import test_result_record
from webhooks import facts as webhook_facts
from webhooks import services as webhook_services
from webhooks.models import Attempt, Delivery, Endpoint, EventType, WebhookEvent

User = get_user_model()

DEMO_PASSWORD = "coachapp-demo"

# The first team's webhook. Its host is under .example, a name reserved never to resolve (RFC 2606),
# and it is switched off: a demo machine sends nothing to anyone (the story's own events queue
# nothing), and even switched on its sends fail at the name lookup. Its log shows what deliveries
# look like: delivered, delivered at the second try, and one not sent because it was switched off.
DEMO_WEBHOOK_URL = "https://receiver.harbour-city.example/coachapp"
DEMO_WEBHOOK_OFF = "A demo address: nothing is sent from a demo machine."

# (team, sport, coach email, coach name, athletes: (first, last, position, leg))
DEMO_TEAMS = [
    (
        "Harbour City FC",
        "Football",
        "coach@example.com",
        ("Sam", "Okafor"),
        [
            ("Alex", "Morgan", "Winger", "right", "athlete@example.com"),
            ("Jordan", "Silva", "Striker", "right", ""),
            ("Priya", "Nair", "Full-back", "left", ""),
            ("Tom", "Becker", "Centre-back", "right", ""),
            ("Lea", "Fischer", "Midfielder", "left", ""),
            ("Kofi", "Mensah", "Winger", "right", ""),
        ],
    ),
    (
        "Northside Sprinters",
        "Athletics",
        "coach2@example.com",
        ("Ruth", "Lindqvist"),
        [
            ("Mia", "Kowalski", "100 m", "right", ""),
            ("Daniel", "Osei", "200 m", "left", ""),
            ("Hana", "Sato", "400 m", "right", ""),
            ("Luis", "Romero", "Long jump", "left", ""),
            ("Grace", "Adeyemi", "100 m hurdles", "right", ""),
        ],
    ),
]


class Command(BaseCommand):
    help = "Create the demo admin, coaches, teams and athletes (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even with DEBUG off (the demo password is public: never on a real site).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to seed demo accounts with DEBUG off; pass --force to insist.")
        with transaction.atomic():
            self._user("admin@example.com", "Ada", "Admin", User.Role.ADMIN, staff=True)
            for team_name, sport, coach_email, (coach_first, coach_last), athletes in DEMO_TEAMS:
                coach = self._user(coach_email, coach_first, coach_last, User.Role.COACH)
                team, _ = Team.objects.get_or_create(name=team_name, defaults={"sport": sport})
                team.coaches.add(coach)
                for first, last, position, leg, email in athletes:
                    user = self._user(email, first, last, User.Role.ATHLETE) if email else None
                    Athlete.objects.update_or_create(
                        team=team,
                        first_name=first,
                        last_name=last,
                        defaults={
                            "sport": sport,
                            "position": position,
                            "dominant_leg": leg,
                            "email": email,
                            "user": user,
                        },
                    )
            first_team, first_coach = Team.objects.get(name=DEMO_TEAMS[0][0]), User.objects.get(email=DEMO_TEAMS[0][2])
            self._seed_story(first_team, first_coach)
            # A season of load and GPS data, after the story: its strain cleared today puts one
            # athlete in the recurrence watch (coachapp/management/demo_monitoring.py).
            seed_monitoring(first_team, first_coach, timezone.localdate())
            self._seed_webhook(first_team, first_coach)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in with any of these:"))
        for email in ["admin@example.com", "coach@example.com", "coach2@example.com", "athlete@example.com"]:
            self.stdout.write(f"  {email:<22} password: {DEMO_PASSWORD}")

    @staticmethod
    def _move_on(injury, phases, coach):
        """Tick each move's criteria, as a coach who has seen them hold, and move on."""
        for phase in phases:
            for criterion in phase_criteria(injury, phase):
                if not criterion.met:
                    clearance_check_set(injury=injury, item=criterion.key, done=True, changed_by=coach,
                                        reason="Checked in person.")
            injury = injury_change_phase(injury=injury, to_phase=phase, changed_by=coach)

    def _user(self, email, first, last, role, staff=False):
        user, _ = User.objects.get_or_create(email=email)
        user.first_name, user.last_name, user.role = first, last, role
        user.is_staff = user.is_superuser = staff
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        return user

    def _seed_story(self, team, coach):
        """Something to look at: the pathway end to end (one athlete in each phase and an urgent
        case waiting for a doctor), a report waiting in the inbox, the Nordic prevention
        programme from today for the whole squad (each athlete's sessions follow their injury;
        the demo athlete has a session today), and three rounds of Nordic strength tests with
        one athlete lopsided. Only once per team."""
        if Complaint.objects.filter(athlete__team=team).exists():
            return
        today = timezone.localdate()
        squad = {athlete.first_name: athlete for athlete in team.athletes.select_related("user")}
        programme_assign(
            template=ProgrammeTemplate.objects.get(name=PREVENTION_NAME, owner=None),
            athletes=list(squad.values()),
            start_date=today,
            weekdays=[today.weekday(), (today.weekday() + 2) % 7, (today.weekday() + 4) % 7],
            assigned_by=coach,
        )
        # Urgent: a complete tear, in protect until a doctor's review is recorded.
        complaint_log(athlete=squad["Kofi"], logged_by=coach, answers=typed_answers("grade_3", side="right"))
        jordan = complaint_log(athlete=squad["Jordan"], logged_by=coach, answers=typed_answers("grade_2", side="right"))
        self._move_on(jordan, [Phase.REHAB], coach)
        priya = complaint_log(athlete=squad["Priya"], logged_by=coach, answers=typed_answers("grade_1", side="left"))
        self._move_on(priya, [Phase.REHAB, Phase.RETURN_TO_TRAINING], coach)
        lea = complaint_log(athlete=squad["Lea"], logged_by=coach, answers=typed_answers("grade_1", side="left"))
        self._move_on(lea, [Phase.REHAB, Phase.RETURN_TO_TRAINING, Phase.CLEARED], coach)
        complaint_report(athlete=squad["Alex"], reported_by=squad["Alex"].user, answers=typed_answers("doms", side="both"))
        nordic = TestType.objects.get(key="nordic")
        for round_number, weeks_ago in enumerate((8, 4, 0)):
            for n, athlete in enumerate(squad.values()):
                stronger = 300 + 10 * n + 8 * round_number
                weaker = round(stronger * (0.78 if athlete.first_name == "Tom" else 0.95))
                test_result_record(
                    athlete=athlete, test_type=nordic, tested_on=today - timedelta(weeks=weeks_ago, days=1),
                    recorded_by=coach, left=weaker, right=stronger,
                )

    @staticmethod
    def _seed_webhook(team, coach):
        """The team's webhook, switched off, with a log of the story's updates. Only once per team."""
        if Endpoint.objects.filter(team=team).exists():
            return
        endpoint, _ = webhook_services.endpoint_create(
            team=team, url=DEMO_WEBHOOK_URL, events=EventType.values, created_by=coach
        )
        Endpoint.objects.filter(pk=endpoint.pk).update(active=False, switched_off_reason=DEMO_WEBHOOK_OFF)
        squad = {athlete.first_name: athlete for athlete in team.athletes.all()}
        story = [
            ("Kofi", webhook_facts.injury_opened),
            ("Jordan", webhook_facts.phase_changed),
            ("Priya", webhook_facts.phase_changed),
            ("Lea", webhook_facts.phase_changed),  # moved to cleared: a phase change and a clearance
        ]
        found = [(squad[name], fact) for name, read in story if name in squad for fact in read(squad[name])]
        # (the answers of each attempt): 200 delivered; 503 then 200 delivered at the second try;
        # none: still waiting when the webhook was switched off, so never sent.
        outcomes = [(200,), (200,), (503, 200), (200,), ()]
        now = timezone.now()
        for index, ((athlete, fact), answers) in enumerate(zip(found, outcomes)):
            at = now - timedelta(minutes=9 * (len(found) - index))
            # An event outlives a deleted webhook (its key keeps the fact from being announced again).
            event = WebhookEvent.objects.filter(key=fact.key).first()
            if event is None:
                event = webhook_services.event_build(fact=fact, athlete=athlete, now=at)
                event.save(force_insert=True)
            delivery = Delivery.objects.create(event=event, endpoint=endpoint, attempts=len(answers))
            for n, code in enumerate(answers):
                Attempt.objects.create(
                    delivery=delivery, at=at + timedelta(minutes=n), status_code=code, duration_ms=140 + 35 * index,
                    error="" if code == 200 else f"answered {code}",
                )
            settled = {"status": Delivery.Status.CANCELLED}
            if answers:
                settled = {"status": Delivery.Status.DELIVERED, "claimed_at": at + timedelta(minutes=len(answers) - 1),
                           "delivered_at": at + timedelta(minutes=len(answers) - 1), "last_status_code": answers[-1]}
            Delivery.objects.filter(pk=delivery.pk).update(created_at=at, **settled)

