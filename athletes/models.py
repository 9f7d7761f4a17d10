import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True, role=User.Role.ADMIN)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in. The email address is the login."""

    class Role(models.TextChoices):
        COACH = "coach", "Coach"
        ATHLETE = "athlete", "Athlete"
        ADMIN = "admin", "Admin"

    username = None
    email = models.EmailField("email address", unique=True)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.COACH)
    time_zone = models.CharField(
        max_length=60, default="UTC", help_text="Reminders arrive in the morning of this time zone."
    )
    class LoadUnit(models.TextChoices):
        KG = "kg", "Kilograms (kg)"
        LB = "lb", "Pounds (lb)"

    # How this person types and reads a logged load; loads are stored in kilograms
    # (programmes/loads.py).
    load_unit = models.CharField("weights in", max_length=2, choices=LoadUnit.choices, default=LoadUnit.KG)
    # Raised when sign-in security changes (two-factor on or off, "sign out everywhere else"):
    # a session signed in under an older value is ended (accounts/middleware.py).
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def is_coach(self) -> bool:
        return self.role == self.Role.COACH

    @property
    def is_athlete(self) -> bool:
        return self.role == self.Role.ATHLETE

    @property
    def is_admin(self) -> bool:
        return self.is_staff or self.role == self.Role.ADMIN


class TeamQuerySet(models.QuerySet):
    def for_user(self, user):
        """The teams a user may work with: a coach's own, every team for an admin."""
        if not user.is_authenticated:
            return self.none()
        if user.is_admin:
            return self.all()
        if user.is_coach:
            return self.filter(coaches=user)
        return self.none()


class Team(models.Model):
    """A squad: several coaches look after many athletes."""

    name = models.CharField(max_length=100, unique=True)
    sport = models.CharField(max_length=60, blank=True)
    coaches = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="coached_teams",
        blank=True,
        limit_choices_to={"role": User.Role.COACH},
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class AthleteQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def for_user(self, user):
        """The one place that decides which athletes a user may see.

        A coach sees the athletes of their teams, an athlete only their own record, an
        admin everyone. Every view fetches athletes through this.
        """
        if not user.is_authenticated:
            return self.none()
        if user.is_admin:
            return self.all()
        if user.is_coach:
            return self.filter(team__coaches=user)
        if user.is_athlete:
            return self.filter(user=user)
        return self.none()

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        query = Q()
        for word in text.split():
            query &= (
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(position__icontains=word)
                | Q(sport__icontains=word)
            )
        return self.filter(query)


class Athlete(models.Model):
    class Leg(models.TextChoices):
        LEFT = "left", "Left"
        RIGHT = "right", "Right"
        BOTH = "both", "Both / no preference"

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="athletes")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="athlete",
        help_text="The athlete's own login, once they accept an invitation.",
    )
    first_name = models.CharField(max_length=60)
    last_name = models.CharField(max_length=60)
    email = models.EmailField(blank=True)
    sport = models.CharField(max_length=60, blank=True)
    position = models.CharField(max_length=60, blank=True)
    dominant_leg = models.CharField(max_length=5, choices=Leg.choices, default=Leg.RIGHT)
    date_of_birth = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    calendar_token = models.CharField(
        max_length=64, unique=True, null=True, blank=True,
        help_text="Secret part of the athlete's private calendar feed URL; empty when revoked.",
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AthleteQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            # The roster lists a team's active athletes by name.
            models.Index(
                fields=["team", "last_name", "first_name"],
                condition=Q(archived_at__isnull=True),
                name="athlete_active_roster_idx",
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class InvitationQuerySet(models.QuerySet):
    def for_token(self, token: str):
        return self.filter(token_hash=Invitation.hash_token(token))


class Invitation(models.Model):
    """An emailed link that lets an athlete or a coach set a password and join a team.

    Only a hash of the token is stored: the link in the email is the only copy.
    """

    class Kind(models.TextChoices):
        ATHLETE = "athlete", "Athlete"
        COACH = "coach", "Coach"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    email = models.EmailField()
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    athlete = models.ForeignKey(
        Athlete, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="coach", athlete__isnull=True) | Q(kind="athlete", athlete__isnull=False),
                name="invitation_athlete_matches_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} invitation for {self.email}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def new_token(cls) -> tuple[str, str]:
        """A fresh token and its hash."""
        token = secrets.token_urlsafe(32)
        return token, cls.hash_token(token)

    @staticmethod
    def default_expiry():
        return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_used(self) -> bool:
        return self.accepted_at is not None


class AccessLog(models.Model):
    """Who opened which athlete's health record, and when.

    Only ids and the kind of access are stored: never the health content itself.
    """

    class Action(models.TextChoices):
        VIEW_ATHLETE = "view_athlete", "Opened an athlete's page"
        VIEW_COMPLAINT = "view_complaint", "Opened a complaint"
        VIEW_INBOX = "view_inbox", "Opened the triage inbox"
        VIEW_BOARD = "view_board", "Opened the availability board"
        VIEW_ROSTER = "view_roster", "Opened the roster, with each athlete's injury status"
        VIEW_PROGRAMME = "view_programme", "Opened an athlete's programme"
        VIEW_TEAM_PROGRAMME = "view_team_programme", "Opened a team's adherence and Nordic dose"
        VIEW_TESTS = "view_tests", "Opened an athlete's strength and range tests"
        VIEW_SCREENING = "view_screening", "Opened a team's screening table"
        VIEW_INJURY = "view_injury", "Opened an injury record"
        VIEW_INJURY_HISTORY = "view_injury_history", "Opened an injury's change history"
        EXPORT_INJURIES = "export_injuries", "Exported a team's injuries"
        EXPORT_ATHLETE = "export_athlete", "Downloaded everything held about an athlete"
        VIEW_ALERTS = "view_alerts", "Opened the coach home with pain alerts"
        VIEW_NOTIFICATIONS = "view_notifications", "Opened their notifications"
        CALENDAR_FEED = "calendar_feed", "An athlete's calendar link was read"
        ADMIN_VIEW = "admin_view", "Opened health records in the admin"
        VIEW_TEAM_LOAD = "view_team_load", "Opened a team's weekly training load"
        VIEW_WATCH = "view_watch", "Opened a team's recurrence watch"
        VIEW_ATHLETE_LOAD = "view_athlete_load", "Opened an athlete's load, exposure and risk"
        IMPORT_GPS = "import_gps", "Imported a team's GPS file"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=30, choices=Action.choices)
    athlete_id = models.BigIntegerField(null=True, blank=True)
    team_id = models.BigIntegerField(null=True, blank=True)
    record = models.CharField(max_length=60, blank=True, help_text="e.g. injury:42")
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["athlete_id", "-at"], name="accesslog_athlete_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.record}"



class Erasure(models.Model):
    """That an athlete's data was erased, by whom and when: ids and counts, nothing personal."""

    athlete_id = models.BigIntegerField()
    erased_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    erased_at = models.DateTimeField(auto_now_add=True)
    rows_deleted = models.JSONField(help_text="Rows deleted per model.")

    class Meta:
        ordering = ["-erased_at"]

    def __str__(self):
        return f"athlete {self.athlete_id} erased {self.erased_at:%Y-%m-%d}"


class PasswordResetRequest(models.Model):
    """One request for a password-reset email, for the throttles (athletes/services.py).

    `user` is set when an email went to that account; never the email typed. Rows older than a
    day are deleted as new ones come.
    """

    address = models.GenericIPAddressField(null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [
            # The per-address throttle counts an address's requests of the last hour.
            models.Index(fields=["address", "requested_at"], name="reset_request_address_idx"),
        ]

    def __str__(self):
        return f"password reset {self.requested_at:%Y-%m-%d %H:%M} {self.address}"
