"""The pathway as a state machine: any sequence of complaints, reports, confirmations, overrides,
phase changes, ticks, doctor's reviews, test results, finished sessions, morning check-ins and
passing days keeps the safety rules of docs/clinical-rules.md (#phase-gating, #urgent-pathway,
#pain-guided-progression) after every step.

The machine runs inside one test with the database (``run_state_machine_as_test``); each example
starts a savepoint with a fresh athlete on a daily Nordic + hinge + curl programme and rolls it back
at the end, and the clock is pinned to Monday 2 March 2026, 09:00 UTC (time_machine), moving only
when a day passes.
"""

from datetime import timedelta

import time_machine
from django.db import transaction
from django.db.models import Exists, OuterRef
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule, run_state_machine_as_test

from injuries import pathway
from injuries import services as injury_services
from injuries import triage as t
from injuries.models import ClearanceCheck, Complaint, Episode, Injury
from programmes import gating as g
from programmes import progression as p
from programmes import services as programme_services
from programmes.models import LadderPosition, PrescribedExercise, ProgressionDecision, ScheduledSession, SetLog
from testing import services as testing_services
from testing.models import TestType
from tests.clinical.support import START, START_DAY, answers, assign, at, move_on, set_rung, template
from tests.factories import AthleteFactory, AthleteUserFactory, CoachFactory, TeamFactory, session_totals_by_hand

CLASSIFICATIONS = st.sampled_from(["cramp", "doms", "grade_1", "grade_2", "grade_3"])
RED_FLAGS = st.sampled_from([{}, {}, {"numbness": True}, {"walking_difficulty_ongoing": True}])
SIDES = st.sampled_from(["left", "right", "both"])
PHASES = st.sampled_from(pathway.PHASE_ORDER)
REASON = "Discussed with the physio today."
PROGRAMME_DAYS = 28


def _red_flags(answers_: dict) -> set[str]:
    return {flag.value for flag in t.triage(t.Complaint.from_dict(answers_)).red_flags}


class PathwayMachine(RuleBasedStateMachine):
    coach = None  # set by the test: shared by every example (rolled back with the test)
    team = None
    programme = None

    def __init__(self):
        super().__init__()
        self.savepoint = transaction.savepoint()
        self.clock = time_machine.travel(START, tick=False)
        self.coordinates = self.clock.start()
        self.today = START_DAY
        user = AthleteUserFactory()
        self.athlete = AthleteFactory(team=self.team, user=user, email=user.email)
        self.injuries: list[int] = []
        self.pending: list[int] = []
        self.finished: list[int] = []

    def teardown(self):
        self.clock.stop()
        transaction.savepoint_rollback(self.savepoint)

    # --- helpers ---------------------------------------------------------------------------------

    def _injury(self, data) -> Injury:
        return Injury.objects.get(pk=data.draw(st.sampled_from(self.injuries), label="injury"))

    def _record(self, record):
        if isinstance(record, Injury):
            self.injuries.append(record.pk)

    # --- rules -----------------------------------------------------------------------------------

    @initialize(
        hinge=st.sampled_from([None, 4]),  # the single-leg RDL: 3 x 6-10, less volume than the barbell RDL below it
        knee=st.sampled_from([None, 4, 5]),  # the slow eccentric curl (3 x 6-8) or the single-leg curl
        nordic=st.sampled_from([None, 4]),  # the weighted Nordic: held back to the full Nordic until week 11
        injured_in=st.sampled_from([None, None, "rehab", "return_to_training"]),
        running=st.sampled_from([0, 4]),  # in return to training: the brisk walk, or sprints at 90%
    )
    def start_the_programme(self, hinge, knee, nordic, injured_in, running):
        """The athlete starts the programme at the template's rungs, or higher on some ladders, and
        maybe with a grade 1 strain already moved on to rehab or return to training."""
        for family, rung in (("hip_hinge", hinge), ("knee_flexion", knee), ("nordic", nordic)):
            if rung is not None:
                set_rung(self.athlete, family, rung)
        assign(self.athlete, self.coach, self.programme)
        if injured_in:
            injury = injury_services.complaint_log(athlete=self.athlete, logged_by=self.coach, answers=answers("grade_1"))
            for phase in ("rehab", "return_to_training")[: 1 if injured_in == "rehab" else 2]:
                injury = move_on(injury, phase, self.coach)
            self.injuries.append(injury.pk)
            if injured_in == "return_to_training" and running:
                set_rung(self.athlete, "running", running)
                programme_services.programme_regate(athlete=self.athlete)

    @rule(classification=CLASSIFICATIONS, flags=RED_FLAGS, side=SIDES)
    def log_complaint(self, classification, flags, side):
        record = injury_services.complaint_log(
            athlete=self.athlete, logged_by=self.coach, answers=answers(classification, side=side, **flags)
        )
        assert isinstance(record, Episode) == pathway.is_minor_episode(classification, bool(flags))
        if isinstance(record, Injury):
            assert record.phase == "protect"
            assert record.ever_urgent == (bool(flags) or classification == "grade_3")
        self._record(record)

    @rule(classification=CLASSIFICATIONS, flags=RED_FLAGS)
    def athlete_report(self, classification, flags):
        complaint = injury_services.complaint_report(
            athlete=self.athlete, reported_by=self.athlete.user, answers=answers(classification, **flags)
        )
        assert complaint.status == "pending"
        assert complaint.is_urgent == (bool(flags) or classification == "grade_3")
        self.pending.append(complaint.pk)

    @precondition(lambda self: self.pending)
    @rule(data=st.data(), classification=CLASSIFICATIONS, flags=RED_FLAGS, with_reason=st.booleans())
    def confirm_report(self, data, classification, flags, with_reason):
        pk = data.draw(st.sampled_from(self.pending), label="report")
        complaint = Complaint.objects.get(pk=pk)
        confirmed = answers(classification, **flags)
        removing = set(complaint.athlete_answers["triage_result"]["red_flags"]) - _red_flags(confirmed)
        try:
            record = injury_services.complaint_confirm(
                complaint=complaint, confirmed_by=self.coach, answers=confirmed, reason=REASON if with_reason else ""
            )
        except injury_services.RedFlagRemovalNeedsReason:
            assert removing and not with_reason
            complaint.refresh_from_db()
            assert complaint.status == "pending" and complaint.confirm_reason == ""
            return
        assert not (removing and not with_reason), "a reported red flag was dropped without a reason"
        complaint.refresh_from_db()
        assert complaint.status == "confirmed"
        assert set(complaint.athlete_answers["triage_result"]["red_flags"]) >= removing  # the athlete's answers kept
        self.pending.remove(pk)
        self._record(record)

    @precondition(lambda self: self.injuries)
    @rule(data=st.data(), classification=CLASSIFICATIONS)
    def override(self, data, classification):
        injury = self._injury(data)
        try:
            injury = injury_services.injury_override_classification(
                injury=injury, overridden_by=self.coach, classification=classification, reason=REASON
            )
        except injury_services.InjuryError:
            assert not injury.is_open
            return
        assert injury.worst_classification == t.most_severe([injury.worst_classification, classification]).value
        if injury.referral == "urgent":
            assert injury.ever_urgent

    @precondition(lambda self: self.injuries)
    @rule(data=st.data(), to_phase=PHASES, override=st.booleans())
    def change_phase(self, data, to_phase, override):
        injury = self._injury(data)
        ticked = set(injury.checks.filter(done=True).values_list("item", flat=True))
        gaps = pathway.missing(pathway.criteria_for(injury.pathway_state(ticked), to_phase)) if injury.is_open else []
        allowed = (
            injury.is_open
            and to_phase != injury.phase
            and all(c.waivable for c in gaps)
            and (not gaps or override)
        )
        try:
            moved = injury_services.injury_change_phase(
                injury=injury, to_phase=to_phase, changed_by=self.coach, override=override,
                reason=REASON if override else "", expected_phase=injury.phase,
            )
        except injury_services.PhaseChangeError:
            assert not allowed, f"refused {injury.phase} -> {to_phase}"
            return
        assert allowed, f"allowed {injury.phase} -> {to_phase} with gaps {[c.key for c in gaps]}"
        assert moved.phase == to_phase
        if to_phase == "rehab":
            # entering rehab restarts every ladder at its bottom rung
            assert set(LadderPosition.objects.filter(athlete=self.athlete).values_list("rung", flat=True)) <= {0}

    @precondition(lambda self: self.injuries)
    @rule(data=st.data(), item=st.sampled_from(pathway.CHECKLIST_ITEMS), done=st.booleans())
    def tick(self, data, item, done):
        injury = self._injury(data)
        check = injury_services.clearance_check_set(injury=injury, item=item, done=done, changed_by=self.coach, reason=REASON)
        assert check.done is done

    @precondition(lambda self: self.injuries)
    @rule(data=st.data())
    def doctor_review(self, data):
        injury = self._injury(data)
        try:
            injury = injury_services.doctor_review_record(
                injury=injury, reviewer="Dr Okafor", reviewed_on=self.today, note="Seen in clinic.", recorded_by=self.coach
            )
        except injury_services.InjuryError:
            assert not injury.is_open
            return
        assert not injury.waiting_for_doctor

    @rule(key=st.sampled_from(["nordic", "iso90", "aslr"]), left=st.integers(150, 400), right=st.integers(150, 400))
    def record_test(self, key, left, right):
        test_type = TestType.objects.get(key=key)
        try:
            testing_services.test_result_record(
                athlete=self.athlete, test_type=test_type, tested_on=self.today, recorded_by=self.coach, left=left, right=right
            )
        except testing_services.TestResultError:
            assert self.athlete.test_results.filter(test_type=test_type, tested_on=self.today).exists()

    @rule(pain=st.integers(0, 10), sharp=st.booleans(), sets=st.sampled_from(["none", "first", "every"]))
    def finish_today(self, pain, sharp, sets):
        """Finish today's session, with no set logged, one set of its first exercise, or one of each."""
        session = ScheduledSession.objects.filter(athlete=self.athlete, date=self.today, completed_at__isnull=True).first()
        if session is None:
            return
        rows = list(session.exercises.filter(withheld_reason="").order_by("order"))
        for row in {"none": [], "first": rows[:1], "every": rows}[sets]:
            programme_services.set_log(prescribed=row, set_number=1)
        programme_services.session_complete(session=session, worst_pain=pain, sharp_pain=sharp)
        self.finished.append(session.pk)

    @precondition(lambda self: self.finished)
    @rule(feeling=st.sampled_from(["better", "same", "worse"]), pain=st.integers(0, 10))
    def morning_check_in(self, feeling, pain):
        session = ScheduledSession.objects.get(pk=self.finished[-1])
        if session.next_morning:
            try:
                programme_services.session_morning_report(session=session, feeling=feeling, pain=pain)
            except programme_services.SessionLogError:
                return
            raise AssertionError("a second morning check-in was taken")
        programme_services.session_morning_report(session=session, feeling=feeling, pain=pain)

    @precondition(lambda self: self.today < START_DAY + timedelta(days=PROGRAMME_DAYS - 1))
    @rule()
    def a_day_passes(self):
        # What the app itself does every day: the episodes sweep (no extra regate).
        self.today += timedelta(days=1)
        self.coordinates.move_to(at(self.today))
        programme_services.episodes_sweep(self.today)

    @rule(data=st.data(), days_ahead=st.integers(0, PROGRAMME_DAYS))
    def coach_moves_a_session(self, data, days_ahead):
        upcoming = list(ScheduledSession.objects.filter(athlete=self.athlete, completed_at__isnull=True, date__gte=self.today)
                        .order_by("date", "id").values_list("pk", flat=True))
        if upcoming:
            pk = data.draw(st.sampled_from(upcoming), label="session")
            programme_services.session_move(session=ScheduledSession.objects.get(pk=pk), to=self.today + timedelta(days=days_ahead))

    # --- invariants --------------------------------------------------------------------------------

    def _upcoming(self):
        return (
            PrescribedExercise.objects.filter(
                session__athlete=self.athlete, session__completed_at__isnull=True, session__date__gte=self.today
            )
            .select_related("exercise", "session")
            .annotate(logged=Exists(SetLog.objects.filter(prescribed=OuterRef("pk"))))
            .order_by("session__date", "session_id", "order")
        )

    def _held_to_protect(self) -> bool:
        """Any open injury in protect or waiting for its doctor, or a report waiting that is urgent
        or points to a strain (from the rows, not from the gating code)."""
        open_injuries = Injury.objects.filter(athlete=self.athlete).exclude(phase="cleared")
        waiting = Complaint.objects.filter(athlete=self.athlete, status="pending")
        return (
            open_injuries.filter(phase="protect").exists()
            or open_injuries.filter(ever_urgent=True, doctor_reviewed_on__isnull=True).exists()
            or waiting.filter(referral="urgent").exists()
            or waiting.filter(classification__in=["grade_1", "grade_2", "grade_3"]).exists()
        )

    @invariant()
    def nothing_above_what_the_gate_allows(self):
        gating = programme_services.gate_for(self.athlete)
        protect = self._held_to_protect()
        assert (gating.phase is p.TrainingPhase.PROTECT) == protect
        for row in self._upcoming().filter(withheld_reason=""):
            ceiling = gating.ceiling(row.family)
            assert ceiling is not None and row.exercise.rung <= ceiling, (row.exercise.key, gating)
            if protect:
                assert row.family != "nordic" and row.exercise.isometric, (row.exercise.key, gating)

    @invariant()
    def each_sessions_totals_are_what_its_rows_add_up_to(self):
        """What the team pages read (programmes/services/totals.py), counted here from the rows."""
        for session in ScheduledSession.objects.filter(athlete=self.athlete).prefetch_related("exercises__set_logs"):
            totals = (session.sets_counted, session.sets_logged, session.nordic_reps)
            assert totals == session_totals_by_hand(session), session.date

    @invariant()
    def no_weighted_nordic_before_week_11(self):
        # The programme is four weeks long and the athlete's Nordic work began with it.
        assert not PrescribedExercise.objects.filter(session__athlete=self.athlete, exercise__key="nordic_weighted").exists()

    @invariant()
    def no_nordic_above_what_its_week_of_the_block_allows(self):
        """docs/clinical-rules.md#nordic-dose: the week of the block, counted from the Nordic work
        done (else the first Nordic session planned), caps the Nordic rung and dose, wherever a
        move has put the session. Counted here from the first Nordic session ever planned, the
        week is never less than the one the app counts (from the sessions still to log, which the
        nightly re-gating follows), and a later week never allows less: so this bound never
        fails a right prescription, and it fails a week-four dose moved into week one."""
        done = sorted(set(ScheduledSession.objects.filter(
            athlete=self.athlete, completed_at__isnull=False, exercises__family="nordic", exercises__set_logs__isnull=False,
        ).values_list("date", flat=True)))
        planned = ScheduledSession.objects.filter(
            athlete=self.athlete, template_session__entries__exercise__family="nordic",
        ).values_list("date", flat=True)
        first = min(planned, default=None)
        for row in self._upcoming().filter(family="nordic", withheld_reason="", logged=False):
            week = g.nordic_week(done, row.session.date, first)
            assert row.exercise.rung <= p.nordic_ceiling(week), (row.exercise.key, week)
            assert programme_services.dose_of(row).volume <= sum(r.max for r in p.nordic_dose(week).sets), (row.session.date, week)

    @invariant()
    def every_upcoming_session_holds_something(self):
        sessions = ScheduledSession.objects.filter(athlete=self.athlete, completed_at__isnull=True, date__gte=self.today)
        empty = sessions.exclude(Exists(PrescribedExercise.objects.filter(session=OuterRef("pk"), withheld_reason="")))
        assert not empty.exists(), list(empty.values_list("date", flat=True))

    @invariant()
    def an_urgent_case_stays_in_protect_until_the_doctors_review(self):
        waiting = Injury.objects.filter(athlete=self.athlete, ever_urgent=True, doctor_reviewed_on__isnull=True)
        assert not waiting.exclude(phase="protect").exists()

    @invariant()
    def a_regression_never_raises_the_volume(self):
        latest = {}
        for decision in ProgressionDecision.objects.filter(athlete=self.athlete).order_by("-created_at", "-id"):
            latest.setdefault(decision.family, decision)
        for family, decision in latest.items():
            if decision.decision != p.Decision.REGRESS:
                continue
            came_from = [programme_services.dose_of(r) for r in PrescribedExercise.objects.filter(session=decision.session, family=family)]
            following = self._upcoming().filter(family=family, withheld_reason="", logged=False).first()
            if not came_from or following is None:
                continue
            dose = programme_services.dose_of(following)
            for before in came_from:
                if before.kind is dose.kind:
                    assert dose.volume <= before.volume, (family, following.dose_label, before)

    @invariant()
    def a_minor_episode_has_no_checklist(self):
        assert not ClearanceCheck.objects.filter(injury__athlete=self.athlete, injury__complaint__episode__isnull=False).exists()
        assert Episode.objects.filter(athlete=self.athlete, complaint__injury__isnull=False).count() == 0


def test_the_pathway_keeps_its_safety_rules_whatever_happens(db):
    PathwayMachine.coach = CoachFactory()
    PathwayMachine.team = TeamFactory(coaches=[PathwayMachine.coach])
    with time_machine.travel(START, tick=False):
        PathwayMachine.programme = template(
            PathwayMachine.coach, ["nordic_full", "rdl_dumbbell", "curl_slider"], days=PROGRAMME_DAYS
        )
    run_state_machine_as_test(
        PathwayMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=15,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
