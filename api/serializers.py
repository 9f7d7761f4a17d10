"""What the API returns. Each choice is sent as its code (the machine contract) and, beside it,
`<name>_label`: the same words the pages show (docs/architecture.md#apps)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from athletes.models import Athlete, Team
from injuries import triage as t
from injuries.models import ClearanceCheck, Complaint, Injury
from injuries.models.complaints import SIDE_CHOICES
from programmes.models import PrescribedExercise, ScheduledSession, SetLog
from reminders.models import Notification
from testing.models import TestResult


def label_of(field):
    """A read-only `<field>_label` with the choice's words."""
    return serializers.CharField(source=f"get_{field}_display", read_only=True)


class TeamSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name", "sport"]


class AthleteSerializer(serializers.ModelSerializer):
    team_name = serializers.CharField(source="team.name", read_only=True)
    dominant_leg_label = label_of("dominant_leg")
    archived = serializers.SerializerMethodField()
    has_login = serializers.SerializerMethodField()

    class Meta:
        model = Athlete
        fields = ["id", "team", "team_name", "first_name", "last_name", "sport", "position", "dominant_leg",
                  "dominant_leg_label", "archived", "has_login"]

    def get_archived(self, athlete) -> bool:
        return athlete.archived_at is not None

    def get_has_login(self, athlete) -> bool:
        return athlete.user_id is not None


class ComplaintSerializer(serializers.ModelSerializer):
    source_label = label_of("source")
    status_label = label_of("status")
    side_label = label_of("side")
    classification_label = label_of("classification")
    referral_label = label_of("referral")
    answers = serializers.SerializerMethodField()
    triage_result = serializers.JSONField(read_only=True, help_text="The triage's result, as `POST /api/v1/triage` returns it.")

    class Meta:
        model = Complaint
        fields = ["id", "athlete", "created_at", "source", "source_label", "status", "status_label", "side",
                  "side_label", "classification", "classification_label", "referral", "referral_label",
                  "answers", "triage_result"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_answers(self, complaint) -> dict:
        """The answers as codes and numbers, the same fields `POST /api/v1/triage` takes."""
        return {name: (float(value) if name == "hours_since_onset" else value)
                for name, value in complaint.answers().items()}


class CheckSerializer(serializers.ModelSerializer):
    item_label = label_of("item")
    source_label = label_of("source")

    class Meta:
        model = ClearanceCheck
        fields = ["item", "item_label", "done", "source", "source_label", "changed_at"]


class InjurySerializer(serializers.ModelSerializer):
    side_label = label_of("side")
    classification_label = label_of("classification")
    referral_label = label_of("referral")
    phase_label = label_of("phase")
    doctor_status_label = label_of("doctor_status")
    is_open = serializers.BooleanField(read_only=True)
    checklist = CheckSerializer(source="checks", many=True, read_only=True)

    class Meta:
        model = Injury
        fields = ["id", "athlete", "complaint", "side", "side_label", "onset_date", "classification",
                  "classification_label", "referral", "referral_label", "phase", "phase_label", "phase_started_on",
                  "protect_until", "expected_return_from", "expected_return_to", "doctor_status",
                  "doctor_status_label", "doctor_reviewed_on", "is_recurrence", "cleared_on", "is_open",
                  "checklist"]


class BoardRowSerializer(serializers.Serializer):
    athlete = serializers.IntegerField(source="athlete.pk")
    first_name = serializers.CharField(source="athlete.first_name")
    last_name = serializers.CharField(source="athlete.last_name")
    team = serializers.IntegerField(source="athlete.team_id")
    status = serializers.ChoiceField(choices=["available", "modified", "unavailable"])
    status_label = serializers.CharField()
    injury = serializers.IntegerField(allow_null=True, source="athlete.injury_id")
    classification_label = serializers.CharField(help_text="Empty without an open injury.")
    expected_return = serializers.DateField(allow_null=True, source="athlete.expected_return")
    recurrence_risk = serializers.BooleanField(help_text="Within the weeks after a return.")


class SetLogSerializer(serializers.ModelSerializer):
    class Meta:
        model = SetLog
        fields = ["set_number", "reps", "load_kg", "note", "logged_at"]


class PrescribedSerializer(serializers.ModelSerializer):
    exercise_name = serializers.CharField(source="exercise.name", read_only=True)
    family_label = label_of("family")
    dose_label = serializers.CharField(read_only=True)
    sets_logged = SetLogSerializer(source="set_logs", many=True, read_only=True)

    class Meta:
        model = PrescribedExercise
        fields = ["id", "order", "exercise", "exercise_name", "family", "family_label", "sets", "reps_min",
                  "reps_max", "reps_by_set", "hold_seconds", "minutes", "load", "rest_seconds", "dose_label",
                  "withheld_reason", "sets_logged"]


class SessionSerializer(serializers.ModelSerializer):
    exercises = PrescribedSerializer(many=True, read_only=True)
    programme = serializers.IntegerField(source="assignment_id", read_only=True)
    programme_name = serializers.CharField(source="assignment.template.name", read_only=True)
    next_morning_label = label_of("next_morning")

    class Meta:
        model = ScheduledSession
        fields = ["id", "athlete", "programme", "programme_name", "date", "week", "title", "completed_at",
                  "worst_pain", "sharp_pain", "next_morning", "next_morning_label", "next_morning_pain",
                  "is_recovery", "gating_note", "exercises"]


class TestResultSerializer(serializers.ModelSerializer):
    test_name = serializers.CharField(source="test_type.name", read_only=True)
    test_key = serializers.CharField(source="test_type.key", read_only=True)
    unit = serializers.CharField(source="test_type.unit", read_only=True)

    class Meta:
        model = TestResult
        fields = ["id", "athlete", "test_type", "test_key", "test_name", "unit", "tested_on", "left", "right",
                  "value", "notes", "created_at"]


class NotificationSerializer(serializers.ModelSerializer):
    kind_label = label_of("kind")

    class Meta:
        model = Notification
        fields = ["id", "kind", "kind_label", "title", "body", "url", "created_at", "read_at"]


def _codes(choices):
    return serializers.ChoiceField(choices=[member.value for member in choices])


class TriageComplaintSerializer(serializers.Serializer):
    """A complaint as `POST /api/v1/triage` and `manage.py triage` take it: every field, no other
    (the view checks it with the triage's own rules, injuries/triage.py, not with this)."""

    side = serializers.ChoiceField(choices=SIDE_CHOICES)  # the same enum as a complaint's side
    onset = _codes(t.Onset)
    hours_since_onset = serializers.FloatField(min_value=0, max_value=99999)
    pain_score = serializers.IntegerField(min_value=0, max_value=10)
    pain_quality = _codes(t.PainQuality)
    popping_sensation = serializers.BooleanField()
    sudden_sharp_pain = serializers.BooleanField()
    eased_with_rest = serializers.BooleanField()
    overuse_or_dehydration = serializers.BooleanField()
    weakness = _codes(t.Weakness)
    can_bear_weight = serializers.BooleanField()
    cannot_move_leg = serializers.BooleanField()
    swelling = _codes(t.Swelling)
    bruising = _codes(t.Bruising)
    walking_difficulty_ongoing = serializers.BooleanField()
    numbness = serializers.BooleanField()


class ComplaintLogSerializer(serializers.Serializer):
    """A coach logs a complaint: the athlete and the answers; the triage runs on the server."""

    athlete = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    answers = TriageComplaintSerializer()


class TestResultRecordSerializer(serializers.Serializer):
    """A coach records a result: both legs for a bilateral test, one value otherwise."""

    athlete = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    test = serializers.CharField(max_length=30, help_text="The test's short name, e.g. nordic.")
    tested_on = serializers.DateField()
    left = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=0, required=False, allow_null=True)
    right = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=0, required=False, allow_null=True)
    value = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=0, required=False, allow_null=True)
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class SetLogRequestSerializer(serializers.Serializer):
    """One set: without reps, done as prescribed; `load_kg` null for no load (bodyweight), left
    out to keep the load the set had (or the set before it)."""

    exercise = serializers.IntegerField(min_value=1, max_value=2**31 - 1,
                                        help_text="The prescribed exercise's id (a session's `exercises[].id`).")
    set_number = serializers.IntegerField(min_value=1, max_value=100)
    reps = serializers.IntegerField(min_value=0, max_value=200, required=False, allow_null=True)
    load_kg = serializers.DecimalField(max_digits=7, decimal_places=3, min_value=0, max_value=500,
                                       required=False, allow_null=True)
    note = serializers.CharField(max_length=120, required=False, allow_blank=True, help_text="A run's note.")


class SessionFinishSerializer(serializers.Serializer):
    worst_pain = serializers.IntegerField(min_value=0, max_value=10, help_text="0 none, 10 worst.")
    sharp_pain = serializers.BooleanField(help_text="Was any of the pain sharp?")


class PhaseChangeSerializer(serializers.Serializer):
    """Move an injury to another phase by its criteria, as on the injury's page."""

    to_phase = serializers.ChoiceField(choices=Injury.Phase.choices)
    override = serializers.BooleanField(default=False, help_text="Move on without the criteria not met yet (needs a reason).")
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    expected_phase = serializers.ChoiceField(
        choices=Injury.Phase.choices, required=False, allow_blank=True, default="",
        help_text="The phase you last saw: if someone moved the injury since, the answer is a 409.")
