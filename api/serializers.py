"""What the API returns. Each choice is sent as its code (the machine contract) and, beside it,
`<name>_label`: the same words the pages show (docs/architecture.md#apps)."""

import json
from datetime import date

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from athletes.models import Athlete, Team
from injuries import triage as t
from injuries.models import ClearanceCheck, Complaint, Injury
from injuries.models.complaints import SIDE_CHOICES
from monitoring.imports import PRESETS as GPS_PRESETS
from programmes.models import Assignment, PrescribedExercise, ScheduledSession, SetLog
from reminders.models import Notification
from testing.imports import PRESET_CHOICES, SKIP
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

    def to_representation(self, athlete):
        """The row as one dict (the fields above are the schema's): a page of 50 went through
        DRF's eleven fields one attribute lookup at a time, a third of the request's CPU on the
        bench's data. Read-only, so nothing else reads the fields; tests/api/test_reads.py holds
        this to DRF's own answer (docs/architecture.md#services-selectors-and-views)."""
        return {
            "id": athlete.pk,
            "team": athlete.team_id,
            "team_name": athlete.team.name,
            "first_name": athlete.first_name,
            "last_name": athlete.last_name,
            "sport": athlete.sport,
            "position": athlete.position,
            "dominant_leg": athlete.dominant_leg,
            "dominant_leg_label": athlete.get_dominant_leg_display(),
            "archived": athlete.archived_at is not None,
            "has_login": athlete.user_id is not None,
        }


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
    injury = serializers.IntegerField(allow_null=True)
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


class TestResultImportSerializer(serializers.Serializer):
    """A team's results file, as the web's import takes it (testing/imports.py): all or nothing."""

    file = serializers.FileField(help_text="The CSV file as saved (UTF-8), at most 2 MB.")
    team = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="The id of the team the file is for.")
    preset = serializers.ChoiceField(
        choices=[key for key, _label in PRESET_CHOICES], required=False, default="coachapp",
        help_text="The file's format: " + "; ".join(f"{key}: {label}" for key, label in PRESET_CHOICES) + ".")
    matches = serializers.CharField(
        required=False, allow_blank=True, max_length=100_000,
        help_text='Who the unmatched names are, as a JSON object: each name as the file writes it -> an athlete\'s id, '
                  'or "skip" to leave its rows out, e.g. {"Jon Smyth": 12, "Guest player": "skip"}. '
                  "A refused import's `names` lists the names to match, with their candidates.")

    def validate_matches(self, text) -> dict:
        if not text.strip():
            return {}
        try:
            matches = json.loads(text)
        except ValueError:
            raise serializers.ValidationError("Send a JSON object, e.g. {\"Jon Smyth\": 12}.") from None
        if not isinstance(matches, dict) or len(matches) > 1000:
            raise serializers.ValidationError("Send a JSON object of at most 1000 names.")
        for name, chosen in matches.items():
            if len(name) > 200 or "\x00" in name:
                raise serializers.ValidationError("A name has at most 200 characters.")
            whole = isinstance(chosen, int) and not isinstance(chosen, bool)
            if not (whole and 1 <= chosen < 2**31 or chosen == SKIP):
                raise serializers.ValidationError(f"Match “{name[:60]}” to an athlete's id, or to \"skip\".")
        return matches


class ImportCandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ImportNameSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="As the file writes it: the key to send in `matches`.")
    lines = serializers.ListField(child=serializers.IntegerField())
    several = serializers.BooleanField(help_text="Several athletes have this name (else none has).")
    candidates = ImportCandidateSerializer(many=True, help_text="The team's athletes it may be, likeliest first.")


class ImportedSerializer(serializers.Serializer):
    imported = serializers.IntegerField(help_text="Results written.")
    athletes = serializers.IntegerField(help_text="Athletes with a new result.")
    not_kept = serializers.IntegerField(help_text="Weaker attempts on a day with a stronger one.")
    already = serializers.IntegerField(help_text="Results imported before (the same values on the same day).")
    skipped = serializers.IntegerField(help_text="Rows of names matched to \"skip\".")
    ignored = serializers.IntegerField(help_text="Rows of tests coachapp does not record.")
    results = serializers.ListField(child=serializers.IntegerField(), help_text="The new test results' ids.")


class GpsImportSerializer(serializers.Serializer):
    """A team's GPS export, as its import page takes it (monitoring/imports.py): all or nothing."""

    file = serializers.FileField(help_text="The CSV file as saved (UTF-8), at most 2 MB.")
    preset = serializers.ChoiceField(
        choices=list(GPS_PRESETS), required=False,
        help_text="A common export's columns: " + "; ".join(f"{key}: {p.label}" for key, p in GPS_PRESETS.items())
                  + ". Send this or `mapping`.")
    mapping = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, required=False,
        help_text="The id of a column mapping saved for the team on its GPS import page. Send this or `preset`.")

    def validate(self, data):
        if ("preset" in data) == ("mapping" in data):
            raise serializers.ValidationError({"preset": ["Send either a preset or a saved mapping's id (mapping)."]})
        return data


class GpsImportedSerializer(serializers.Serializer):
    imported = serializers.IntegerField(help_text="GPS rows written.")
    athletes = serializers.IntegerField(help_text="Athletes with a new row.")
    already = serializers.IntegerField(help_text="Rows imported before (the same numbers for the same session).")
    new_max_velocities = serializers.IntegerField(help_text="Athletes whose maximal velocity a run of the file raised.")
    import_id = serializers.IntegerField(allow_null=True, help_text="The import's id; null when nothing was new.")


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The field, in words.")
    old = serializers.CharField(help_text="Its value before, in words.")
    new = serializers.CharField(help_text="Its value after, in words.")


class InjuryVersionSerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    who = serializers.CharField(help_text="Who made the change (“the system” for an automatic one).")
    action = serializers.ChoiceField(choices=["opened", "changed", "deleted"])
    reason = serializers.CharField(allow_blank=True)
    changes = ChangeSerializer(many=True, help_text="What changed; empty for the first version.")


class CheckChangeSerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    who = serializers.CharField()
    item = serializers.CharField(help_text="The checklist item, in words.")
    done = serializers.ChoiceField(choices=["ticked", "unticked"])
    source = serializers.CharField(allow_blank=True, help_text="Empty when set by a coach.")
    reason = serializers.CharField(allow_blank=True)


class InjuryHistorySerializer(serializers.Serializer):
    injury = serializers.IntegerField()
    versions = InjuryVersionSerializer(many=True, help_text="Every recorded version, newest first.")
    checks = CheckChangeSerializer(many=True, help_text="Every change to its return checklist.")


class ScreeningTestSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    limit_pct = serializers.DecimalField(max_digits=4, decimal_places=1, help_text="Largest difference still met.")


class ScreeningCellSerializer(serializers.Serializer):
    test = serializers.CharField(help_text="The test's short name.")
    tested_on = serializers.DateField(allow_null=True, help_text="Null: not tested.")
    left = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    right = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    asymmetry_pct = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True,
                                             help_text="The legs' difference as a % of the stronger side.")
    over = serializers.BooleanField(help_text="Over the test's limit.")
    weaker = serializers.ChoiceField(choices=["", "left", "right"], allow_blank=True)


class ScreeningRowSerializer(serializers.Serializer):
    athlete = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    flagged = serializers.BooleanField(help_text="Over a limit in at least one test.")
    cells = ScreeningCellSerializer(many=True, help_text="One per test, in the order of `tests`.")


class ScreeningSerializer(serializers.Serializer):
    team = serializers.IntegerField()
    athlete_count = serializers.IntegerField()
    flagged_count = serializers.IntegerField()
    tests = ScreeningTestSerializer(many=True, help_text="The tests done on both legs.")
    rows = ScreeningRowSerializer(many=True)


WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class ProgrammeSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScheduledSession
        fields = ["id", "date", "week", "title", "completed_at", "is_recovery"]


class ProgrammeSerializer(serializers.ModelSerializer):
    template_name = serializers.CharField(source="template.name", read_only=True)
    template_kind = serializers.CharField(source="template.kind", read_only=True)
    template_kind_label = serializers.CharField(source="template.get_kind_display", read_only=True)
    phase_label = label_of("phase")
    end_date = serializers.SerializerMethodField(help_text="The last session's date.")
    weekdays = serializers.ListField(child=serializers.IntegerField(), read_only=True, help_text="0 = Monday.")
    weekday_labels = serializers.SerializerMethodField()
    assigned_at = serializers.DateTimeField(source="created_at", read_only=True)
    sessions = ProgrammeSessionSerializer(many=True, read_only=True,
                                          help_text="Its sessions by date; each in full at /api/v1/sessions/{id}/.")

    class Meta:
        model = Assignment
        fields = ["id", "athlete", "template", "template_name", "template_kind", "template_kind_label", "start_date",
                  "end_date", "weekdays", "weekday_labels", "phase", "phase_label", "assigned_at", "sessions"]

    def get_end_date(self, assignment) -> date | None:
        sessions = assignment.sessions.all()  # prefetched, by date
        return sessions[len(sessions) - 1].date if sessions else None

    def get_weekday_labels(self, assignment) -> list[str]:
        return [WEEKDAY_NAMES[day] for day in sorted(set(assignment.weekdays)) if 0 <= day <= 6]
