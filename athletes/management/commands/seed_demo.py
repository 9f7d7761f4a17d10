from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from athletes.models import Athlete, Team

User = get_user_model()

DEMO_PASSWORD = "coachapp-demo"

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
            self._seed_later_apps()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in with any of these:"))
        for email in ["admin@example.com", "coach@example.com", "coach2@example.com", "athlete@example.com"]:
            self.stdout.write(f"  {email:<22} password: {DEMO_PASSWORD}")

    def _user(self, email, first, last, role, staff=False):
        user, _ = User.objects.get_or_create(email=email)
        user.first_name, user.last_name, user.role = first, last, role
        user.is_staff = user.is_superuser = staff
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        return user

    def _seed_later_apps(self):
        """The exercise library and programme templates hook in here as their apps land."""
