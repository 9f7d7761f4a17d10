"""The API's views: reads through api/selectors.py (scoped by the one access rule), each read of
health data written to the access log like the pages (docs/architecture.md#audit)."""

from decimal import Decimal

from django.utils import timezone
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from athletes.audit import Action, record_shown
from athletes.models import Athlete, Team
from injuries.models import Complaint as ComplaintRecord
from injuries.models import Injury
from programmes import services as programme_services
from programmes.models import Assignment, PrescribedExercise, ScheduledSession
from reminders.models import Notification
from injuries import services as injury_services
from injuries.triage import Complaint, TriageInputError, triage
from monitoring import imports as gps_imports
from testing import imports
from testing import services as testing_services
from testing.models import TestResult, TestType
from testing.services import TestResultError

from . import examples, idempotency, selectors
from .filters import AthleteFilter, ComplaintFilter, InjuryFilter, ProgrammeFilter, SessionFilter, TestResultFilter
from .pagination import Pages
from .permissions import CoachesOnly
from .serializers import (
    AthleteSerializer,
    BoardRowSerializer,
    ComplaintLogSerializer,
    ComplaintSerializer,
    GpsImportedSerializer,
    GpsImportSerializer,
    ImportedSerializer,
    ImportNameSerializer,
    InjuryHistorySerializer,
    InjurySerializer,
    NotificationSerializer,
    PhaseChangeSerializer,
    ProgrammeSerializer,
    ScreeningSerializer,
    SessionFinishSerializer,
    SessionSerializer,
    SetLogRequestSerializer,
    TeamSerializer,
    TestResultImportSerializer,
    TestResultRecordSerializer,
    TestResultSerializer,
    TriageComplaintSerializer,
)

ERROR = inline_serializer("Error", {"error": inline_serializer("ErrorBody", {
    "status": serializers.IntegerField(),
    "code": serializers.CharField(help_text="invalid, parse_error, not_authenticated, authentication_failed, "
                                            "permission_denied, not_found, method_not_allowed, throttled, …"),
    "message": serializers.CharField(help_text="In plain words."),
    "fields": serializers.DictField(help_text="Each field's problems; empty when none."),
})})
ERRORS = {400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 429: ERROR}


IMPORT_ERROR = inline_serializer("ImportError", {"error": inline_serializer("ImportErrorBody", {
    "status": serializers.IntegerField(),
    "code": serializers.CharField(help_text="import_refused: problems in the file (and maybe names to match); "
                                            "names_to_match: only names to match; idempotency_key_reused."),
    "message": serializers.CharField(help_text="In plain words."),
    "fields": serializers.DictField(help_text="`file`: each problem as “Line 3: …”."),
    "lines": inline_serializer("ImportProblem", {"line": serializers.IntegerField(), "message": serializers.CharField()},
                               many=True, required=False, help_text="Each problem with its line number."),
    "names": ImportNameSerializer(many=True, required=False,
                                  help_text="Names the file gives that match none (or several) of the team's athletes: "
                                            "send the request again with `matches`."),
})})


class ImportRefused(APIException):
    """A file imported not at all: its problems by line, and the names to match."""

    status_code = 422
    default_code = "import_refused"

    def __init__(self, problems, names=(), *, only_names=False):
        to_match = only_names and bool(names)  # the file is fine but for the names to match
        count = len(problems)
        message = (f"Nothing was imported: match {len(names)} name{'s' * (len(names) != 1)} to athletes (see names) and send it again."
                   if to_match else f"Nothing was imported: {count} problem{'s' * (count != 1)} in the file.")
        super().__init__({"__all__": [message], "file": [f"Line {p.line}: {p.message}" for p in problems]})
        if to_match:
            self.default_code = "names_to_match"
        self.extra = {"lines": [{"line": p.line, "message": p.message} for p in problems], "names": list(names)}


class Conflict(APIException):
    status_code = 409
    default_code = "conflict"
    default_detail = "The record changed since you read it."


class AuditedReads(viewsets.ReadOnlyModelViewSet):
    """A list and its records; both logged as `audit` unless it is None (no health data)."""

    audit: str | None = None
    record = ""

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        if self.audit:
            record_shown(request.user, self.audit, record=f"api:{self.record}:list")
        return response

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        if self.audit:
            record_shown(request.user, self.audit, athlete_id=self.athlete_id_of(obj), record=f"api:{self.record}:{obj.pk}")
        return Response(self.get_serializer(obj).data)

    def athlete_id_of(self, obj):
        return getattr(obj, "athlete_id", None)


class CoachesWrite:
    """Reads for everyone signed in (scoped); a create for coaches and admins, with a read-and-write token."""

    coaches_only = {"create"}

    def get_permissions(self):
        return [CoachesOnly()] if self.action in self.coaches_only else super().get_permissions()


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _athlete(user, pk):
    """The athlete through the one access rule, or a 400 naming the field (never a hint it exists)."""
    athlete = Athlete.objects.for_user(user).active().filter(pk=pk).first()
    if athlete is None:
        raise ValidationError({"athlete": ["No current athlete of yours has this id."]})
    return athlete


def _reads(summary, serializer, example):
    """The schema of a list and its records: a summary, the errors' one shape, an example."""
    return extend_schema_view(
        list=extend_schema(summary=f"List {summary}", responses={200: serializer(many=True), **ERRORS},
                           examples=[OpenApiExample("A page", value=example, response_only=True, status_codes=["200"])]),
        retrieve=extend_schema(summary=f"One of the {summary}", responses={200: serializer, **ERRORS},
                               examples=[OpenApiExample("One", value=example, response_only=True, status_codes=["200"])]),
    )


@_reads("the teams you coach (every team for an admin; none for an athlete)", TeamSerializer, {"id": 1, "name": "First team", "sport": "Football"})
class TeamViewSet(AuditedReads):
    """The teams you coach; no health data, so not logged."""

    queryset = Team.objects.none()  # the model, for the schema; get_queryset scopes
    serializer_class = TeamSerializer

    def get_queryset(self):
        return selectors.teams(self.request.user)

    def get_permissions(self):
        return [CoachesOnly()] if self.action in {"screening", "gps_import"} else super().get_permissions()

    @extend_schema(
        summary="The team's asymmetry screening (coaches): each athlete's latest left/right difference per test",
        parameters=[OpenApiParameter("flagged", str, enum=["true", "false"],
                                     description="true: only the athletes over a limit.")],
        responses={200: ScreeningSerializer, **ERRORS},
        examples=[OpenApiExample("A team", value=examples.SCREENING, response_only=True, status_codes=["200"])],
    )
    @action(detail=True, methods=["get"], url_path="screening", url_name="screening")
    def screening(self, request, pk=None):
        flagged = request.query_params.get("flagged", "false")
        if flagged not in ("true", "false"):
            raise ValidationError({"flagged": ["Send true or false."]})
        team = self.get_object()
        record_shown(request.user, Action.VIEW_SCREENING, team_id=team.pk, record=f"api:screening:{team.pk}")
        return Response(ScreeningSerializer(selectors.screening(team, flagged_only=flagged == "true")).data)

    @extend_schema(
        summary="Import the team's GPS export (coaches): a Catapult or STATSports export, or a saved column mapping",
        description="All or nothing, as on the team's GPS import page: every problem comes back with its line "
                    "number (422, `lines`), and nothing is written. A name must be an athlete of this team "
                    "(full name or email). Rows imported before with the same numbers are counted in `already`.",
        request={"multipart/form-data": GpsImportSerializer}, parameters=[idempotency.PARAMETER],
        responses={201: GpsImportedSerializer, **ERRORS, 422: IMPORT_ERROR},
        examples=[
            OpenApiExample("A Catapult export", value={"preset": "catapult", "file": "(the CSV file)"}, request_only=True),
            OpenApiExample("Imported", value=examples.GPS_IMPORTED, response_only=True, status_codes=["201"]),
            OpenApiExample("A bad row", value=examples.GPS_REFUSED, response_only=True, status_codes=["422"]),
        ],
    )
    @action(detail=True, methods=["post"], url_path="gps/import", url_name="gps-import", parser_classes=[MultiPartParser])
    def gps_import(self, request, pk=None):
        team = self.get_object()
        return idempotency.idempotent(request, lambda: self._gps_import(request, team))

    def _gps_import(self, request, team):
        data = _valid(GpsImportSerializer, request)
        mapping = data.get("preset")
        if "mapping" in data:
            mapping = team.gps_mappings.filter(pk=data["mapping"]).first()
            if mapping is None:
                raise ValidationError({"mapping": ["No column mapping of this team has this id."]})
        upload = data["file"]
        if upload.size > imports.IMPORT_MAX_BYTES:
            raise ImportRefused([imports.ImportProblem(1, "The file is larger than 2 MB: split it into smaller files.")])
        outcome = gps_imports.gps_import(team=team, file=upload.read(), mapping=mapping, by=request.user,
                                         file_name=upload.name or "")
        if not outcome.ok:
            raise ImportRefused(outcome.problems)
        if outcome.import_id is not None:
            record_shown(request.user, Action.IMPORT_GPS, team_id=team.pk, record=f"api:gps_import:{outcome.import_id}")
        return Response({
            "imported": outcome.imported, "athletes": outcome.athletes, "already": outcome.already,
            "new_max_velocities": outcome.new_max_velocities, "import_id": outcome.import_id,
        }, status=201)


@_reads("athletes (a coach's teams; an athlete's own record)", AthleteSerializer, {
    "id": 7, "team": 1, "team_name": "First team", "first_name": "Sam", "last_name": "Okafor", "sport": "Football",
    "position": "Winger", "dominant_leg": "right", "dominant_leg_label": "Right", "archived": False, "has_login": True})
class AthleteViewSet(AuditedReads):
    """Athletes, filtered like the roster; logged as the roster, or as the athlete's page for one."""

    queryset = Athlete.objects.none()  # the model, for the schema; get_queryset scopes
    serializer_class = AthleteSerializer
    filterset_class = AthleteFilter
    audit, record = Action.VIEW_ROSTER, "athletes"

    def retrieve(self, request, *args, **kwargs):
        self.audit = Action.VIEW_ATHLETE
        return super().retrieve(request, *args, **kwargs)

    def athlete_id_of(self, obj):
        return obj.pk

    def get_queryset(self):
        return selectors.athletes(self.request.user)


@_reads("complaints, each with its triage result", ComplaintSerializer, examples.COMPLAINT)
@extend_schema_view(create=extend_schema(
    summary="Log a complaint (coaches): triaged on the server, its result in the answer",
    request=ComplaintLogSerializer, responses={201: ComplaintSerializer, **ERRORS, 422: ERROR},
    parameters=[idempotency.PARAMETER],
    examples=[OpenApiExample("A complaint", value={"athlete": 7, "answers": examples.TRIAGE}, request_only=True),
              OpenApiExample("Logged", value=examples.COMPLAINT, response_only=True, status_codes=["201"])],
))
class ComplaintViewSet(CoachesWrite, AuditedReads):
    """Complaints with their answers and triage result; each read is logged."""

    queryset = ComplaintRecord.objects.none()  # the model, for the schema; get_queryset scopes
    serializer_class = ComplaintSerializer
    filterset_class = ComplaintFilter
    audit, record = Action.VIEW_COMPLAINT, "complaint"

    def get_queryset(self):
        return selectors.complaints(self.request.user)

    def create(self, request):
        return idempotency.idempotent(request, lambda: self._create(request))

    def _create(self, request):
        data = _valid(ComplaintLogSerializer, request)
        athlete = _athlete(request.user, data["athlete"])
        answers = request.data["answers"]  # the JSON as sent: the triage checks it by its own rules
        try:
            answers = Complaint.from_dict(answers).to_dict()
        except TriageInputError as error:
            raise ValidationError({"answers": {field: [problem] for field, problem in error.errors.items()}}) from None
        answers["hours_since_onset"] = Decimal(str(answers["hours_since_onset"])).quantize(Decimal("0.1"))
        record = injury_services.complaint_log(athlete=athlete, logged_by=request.user, answers=answers)
        complaint = selectors.complaints(request.user).get(pk=record.complaint_id)
        record_shown(request.user, Action.VIEW_COMPLAINT, athlete_id=athlete.pk, record=f"api:complaint:{complaint.pk}")
        return Response(ComplaintSerializer(complaint).data, status=201)


@_reads("injuries, with phase, expected return window and return checklist", InjurySerializer, examples.INJURY)
class InjuryViewSet(AuditedReads):
    """Injuries: phase, expected return window, checklist; each read is logged."""

    queryset = Injury.objects.none()  # the model, for the schema; get_queryset scopes
    serializer_class = InjurySerializer
    filterset_class = InjuryFilter
    audit, record = Action.VIEW_INJURY, "injury"

    def get_queryset(self):
        return selectors.injuries(self.request.user)

    def get_permissions(self):
        return [CoachesOnly()] if self.action in ("phase", "history") else super().get_permissions()

    @extend_schema(
        summary="Every change to an injury and its return checklist (coaches), newest first, in words",
        responses={200: InjuryHistorySerializer, **ERRORS},
        examples=[OpenApiExample("Its history", value=examples.INJURY_HISTORY, response_only=True, status_codes=["200"])],
    )
    @action(detail=True, methods=["get"], url_path="history", url_name="history")
    def history(self, request, pk=None):
        injury = self.get_object()
        record_shown(request.user, Action.VIEW_INJURY_HISTORY, athlete_id=injury.athlete_id,
                     record=f"api:injury_history:{injury.pk}")
        return Response(InjuryHistorySerializer(selectors.injury_history(injury)).data)

    @extend_schema(
        summary="Move an injury to another phase (coaches), by the same criteria as its page",
        request=PhaseChangeSerializer, parameters=[idempotency.PARAMETER],
        responses={200: InjurySerializer, **ERRORS, 409: ERROR, 422: ERROR},
        examples=[OpenApiExample("Next phase", value=examples.PHASE_CHANGE, request_only=True),
                  OpenApiExample("The injury", value=examples.INJURY, response_only=True, status_codes=["200"])],
    )
    @action(detail=True, methods=["post"], url_path="phase", url_name="phase")
    def phase(self, request, pk=None):
        injury = self.get_object()

        def write():
            data = _valid(PhaseChangeSerializer, request)
            try:
                injury_services.injury_change_phase(injury=injury, changed_by=request.user, **data)
            except injury_services.PhaseChangedMeanwhile as error:
                raise Conflict(str(error)) from None
            fresh = selectors.injuries(request.user).get(pk=injury.pk)
            record_shown(request.user, Action.VIEW_INJURY, athlete_id=fresh.athlete_id, record=f"api:injury:{fresh.pk}")
            return Response(InjurySerializer(fresh).data)

        return idempotency.idempotent(request, write)


@_reads("scheduled sessions with their exercises and logged sets", SessionSerializer, examples.SESSION)
class SessionViewSet(AuditedReads):
    """Scheduled sessions with what was prescribed and each logged set; each read is logged.
    The athlete (or their coach) logs a set and finishes a session through the phone's services,
    so the same gating refuses the same things (a withheld exercise, a session of a later day…)."""

    queryset = ScheduledSession.objects.none()  # the model, for the schema; get_queryset scopes
    serializer_class = SessionSerializer
    filterset_class = SessionFilter
    audit, record = Action.VIEW_PROGRAMME, "session"

    def get_queryset(self):
        return selectors.sessions(self.request.user)

    def _answer(self, session_pk, status):
        session = selectors.sessions(self.request.user).get(pk=session_pk)  # afresh, with its sets
        record_shown(self.request.user, Action.VIEW_PROGRAMME, athlete_id=session.athlete_id,
                     record=f"api:session:{session.pk}")
        return Response(SessionSerializer(session).data, status=status)

    @extend_schema(
        summary="Log a set (the athlete or their coach): as prescribed, or with the reps and load done",
        request=SetLogRequestSerializer, parameters=[idempotency.PARAMETER],
        responses={201: SessionSerializer, **ERRORS, 422: ERROR},
        examples=[OpenApiExample("A set", value=examples.SET_LOG, request_only=True),
                  OpenApiExample("The session", value=examples.SESSION, response_only=True, status_codes=["201"])],
    )
    @action(detail=True, methods=["post"], url_path="sets", url_name="sets")
    def sets(self, request, pk=None):
        session = self.get_object()

        def write():
            data = _valid(SetLogRequestSerializer, request)
            prescribed = PrescribedExercise.objects.select_related("session").filter(
                session=session, pk=data["exercise"]).first()
            if prescribed is None:
                raise ValidationError({"exercise": ["This session has no exercise with this id."]})
            changes = {"reps": data.get("reps")}
            if "load_kg" in data:  # absent: the load the set had, or the one before it
                changes["load_kg"] = data["load_kg"]
            if "note" in data:
                changes["note"] = data["note"].strip()
            programme_services.set_log(prescribed=prescribed, set_number=data["set_number"], **changes)
            return self._answer(session.pk, 201)

        return idempotency.idempotent(request, write)

    @extend_schema(
        summary="Finish a session with its worst pain (the athlete or their coach); progression follows",
        request=SessionFinishSerializer, parameters=[idempotency.PARAMETER],
        responses={200: SessionSerializer, **ERRORS, 422: ERROR},
        examples=[OpenApiExample("Finished", value=examples.SESSION_FINISH, request_only=True),
                  OpenApiExample("The session", value=examples.SESSION, response_only=True, status_codes=["200"])],
    )
    @action(detail=True, methods=["post"], url_path="finish", url_name="finish")
    def finish(self, request, pk=None):
        session = self.get_object()

        def write():
            data = _valid(SessionFinishSerializer, request)
            programme_services.session_complete(session=session, worst_pain=data["worst_pain"],
                                                sharp_pain=data["sharp_pain"])
            return self._answer(session.pk, 200)

        return idempotency.idempotent(request, write)


@_reads("programmes: a template assigned to an athlete from a day, with its sessions", ProgrammeSerializer,
        examples.PROGRAMME)
class ProgrammeViewSet(AuditedReads):
    """Athletes' programmes with their template, dates, phase and sessions; each read is logged."""

    queryset = Assignment.objects.none()  # the model, for the schema; get_queryset scopes
    serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilter
    audit, record = Action.VIEW_PROGRAMME, "programme"

    def get_queryset(self):
        return selectors.programmes(self.request.user)


@_reads("strength, range and speed test results", TestResultSerializer, examples.TEST_RESULT)
@extend_schema_view(create=extend_schema(
    summary="Record a test result (coaches): it ticks or unticks the measured checklist items",
    request=TestResultRecordSerializer, responses={201: TestResultSerializer, **ERRORS, 422: ERROR},
    parameters=[idempotency.PARAMETER],
    examples=[OpenApiExample("A result", value={"athlete": 7, "test": "nordic", "tested_on": "2026-03-09",
                                                "left": "312.00", "right": "341.00"}, request_only=True),
              OpenApiExample("Recorded", value=examples.TEST_RESULT, response_only=True, status_codes=["201"])],
))
class TestResultViewSet(CoachesWrite, AuditedReads):
    """Test results with the test's name and unit; each read is logged."""

    # A team's file goes through testing's own import (testing/imports.py), as on the web.
    coaches_only = {"create", "import_file"}

    queryset = TestResult.objects.none()  # the model, for the schema; get_queryset scopes
    serializer_class = TestResultSerializer
    filterset_class = TestResultFilter
    audit, record = Action.VIEW_TESTS, "test_result"

    def get_queryset(self):
        return selectors.test_results(self.request.user)

    def create(self, request):
        return idempotency.idempotent(request, lambda: self._create(request))

    def _create(self, request):
        data = _valid(TestResultRecordSerializer, request)
        athlete = _athlete(request.user, data["athlete"])
        test_type = TestType.objects.filter(key=data["test"]).first()
        if test_type is None:
            raise ValidationError({"test": [f"No test has the short name “{data['test'][:30]}”."]})
        try:
            result = testing_services.test_result_record(
                athlete=athlete, test_type=test_type, tested_on=data["tested_on"], recorded_by=request.user,
                left=data.get("left"), right=data.get("right"), value=data.get("value"), notes=data["notes"],
            )
        except TestResultError as error:
            raise ValidationError({"__all__": [str(error)]}) from None
        record_shown(request.user, Action.VIEW_TESTS, athlete_id=athlete.pk, record=f"api:test_result:{result.pk}")
        return Response(TestResultSerializer(result).data, status=201)

    @extend_schema(
        summary="Import a team's results file (coaches): coachapp CSV, or a VALD NordBord or ForceFrame export",
        description="All or nothing, as on the team's import page: every problem comes back with its line "
                    "number (422, `lines`), and a name the team does not know (or that several athletes share) "
                    "comes back in `names` with the athletes it may be; send the same file again with `matches`. "
                    "A force-plate export's strongest attempt of each athlete, test and day is kept.",
        request={"multipart/form-data": TestResultImportSerializer}, parameters=[idempotency.PARAMETER],
        responses={201: ImportedSerializer, **ERRORS, 422: IMPORT_ERROR},
        examples=[
            OpenApiExample("A NordBord export", value={"team": 1, "preset": "nordbord", "file": "(the CSV file)",
                                                       "matches": '{"Jon Smyth": 12}'}, request_only=True),
            OpenApiExample("Imported", value=examples.IMPORTED, response_only=True, status_codes=["201"]),
            OpenApiExample("A name to match", value=examples.IMPORT_NAMES, response_only=True, status_codes=["422"]),
        ],
    )
    @action(detail=False, methods=["post"], url_path="import", url_name="import", parser_classes=[MultiPartParser])
    def import_file(self, request):
        return idempotency.idempotent(request, lambda: self._import(request))

    def _import(self, request):
        data = _valid(TestResultImportSerializer, request)
        team = selectors.teams(request.user).filter(pk=data["team"]).first()
        if team is None:
            raise ValidationError({"team": ["No team of yours has this id."]})
        try:
            if data["file"].size > imports.IMPORT_MAX_BYTES:
                raise TestResultError("The file is larger than 2 MB: split it into smaller files.")
            text = imports.decode_upload(data["file"].read())
        except TestResultError as error:
            raise ImportRefused([imports.ImportProblem(1, str(error))]) from None
        choices = data.get("matches") or {}
        outcome = imports.test_results_import(team=team, file=text, preset=data["preset"], recorded_by=request.user,
                                              choices=choices)
        if not outcome.ok:  # read again (nothing was written) for the names and their candidates
            plan = imports.import_plan(team=team, text=text, preset=data["preset"], user=request.user, choices=choices)
            raise ImportRefused(outcome.problems, selectors.import_names(team, plan.unresolved),
                                only_names=not plan.problems)
        return Response({
            "imported": outcome.imported, "athletes": outcome.athletes, "not_kept": outcome.not_kept,
            "already": outcome.already, "skipped": outcome.skipped, "ignored": outcome.ignored,
            "results": list(outcome.ids),
        }, status=201)


@_reads("your own notifications, newest first", NotificationSerializer, examples.NOTIFICATION)
class NotificationViewSet(AuditedReads):
    """Your own in-app notifications; each read is logged."""

    queryset = Notification.objects.none()  # the model, for the schema; get_queryset scopes
    serializer_class = NotificationSerializer
    audit, record = Action.VIEW_NOTIFICATIONS, "notification"

    def athlete_id_of(self, obj):
        return None

    def get_queryset(self):
        return selectors.notifications(self.request.user)


class BoardView(APIView):
    """The availability board: each current athlete's status, soonest return first."""

    permission_classes = [CoachesOnly]
    serializer_class = BoardRowSerializer

    @extend_schema(
        summary="The availability board (coaches)",
        parameters=[OpenApiParameter("team", {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}, description="A team's id; absent for all your teams."),
                    OpenApiParameter("page", int)],
        responses={200: inline_serializer("PaginatedBoardRowList", {
            "count": serializers.IntegerField(), "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True), "results": BoardRowSerializer(many=True),
        }), **ERRORS},
        examples=[OpenApiExample("A page", value={"count": 1, "next": None, "previous": None, "results": [examples.BOARD_ROW]},
                                 response_only=True, status_codes=["200"])],
    )
    def get(self, request):
        team = request.query_params.get("team")
        team_id = None
        if team is not None:
            if not team.isascii() or not team.isdigit() or not 1 <= int(team[:12]) < 2**31 or len(team) > 10:
                raise ValidationError({"team": ["A team's id: a whole number."]})
            team_id = int(team)
        paginator = Pages()
        page = paginator.paginate_queryset(selectors.board(request.user, team_id), request, view=self)
        rows = selectors.board_rows(page, timezone.localdate())
        record_shown(request.user, Action.VIEW_BOARD, team_id=team_id, record="api:board")
        return paginator.get_paginated_response(BoardRowSerializer(rows, many=True).data)




class TriageView(APIView):
    """Run the triage rules on a complaint without saving anything: the same JSON as
    `manage.py triage` (one complaint object, or an array of them)."""

    permission_classes = [CoachesOnly]
    saves_nothing = True  # a read-only token may call it

    @extend_schema(
        summary="Triage a complaint (nothing is saved)",
        request=TriageComplaintSerializer,
        description="One complaint object as below, or an array of them (the answer is then an array in the same order).",
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
        examples=[
            OpenApiExample("A complaint", value=examples.TRIAGE, request_only=True),
            OpenApiExample("Its result", value=examples.TRIAGE_RESULT, response_only=True, status_codes=["200"]),
        ],
    )
    def post(self, request):
        data = request.data
        if isinstance(data, list):
            if len(data) > 1000:
                raise ValidationError({"__all__": ["At most 1000 complaints at a time."]})
            errors: dict = {}
            results = [self._one(item, f"item {i}: ", errors) for i, item in enumerate(data)]
        else:
            errors = {}
            results = self._one(data, "", errors)
        if errors:
            raise ValidationError(errors)
        return Response(results)

    @staticmethod
    def _one(item, prefix, errors):
        try:
            return triage(Complaint.from_dict(item)).to_dict()
        except TriageInputError as error:
            for field, problem in error.errors.items():
                errors[f"{prefix}{field}"] = [problem]
            return None


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, JSON: public (it holds no data)."""

    permission_classes = []
    authentication_classes = []
    throttle_classes = []
    renderer_classes = [OpenApiJsonRenderer]


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from the installed sidecar package; its start-up script is a separate file, so
    the Content Security Policy keeps `script-src 'self'`; its page has no inline style either."""

    template_name = "api/docs.html"  # templates/api/
    permission_classes = []
    authentication_classes = []
    throttle_classes = []


@extend_schema(exclude=True)
class NotFoundView(APIView):
    """Any other address under /api/v1/ (an id that is not a number, a mistyped route): the JSON
    404 in the API's one error shape, never the site's HTML page."""

    permission_classes = []
    authentication_classes = []

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise NotFound("There is nothing at this address in the API.")

    get = post = put = patch = delete = head = options = http_method_not_allowed
