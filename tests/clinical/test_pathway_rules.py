"""The pathway's pure rules, without a database: injuries/pathway.py (criteria between phases, the
doctor's review and clearance, minor episodes, recurrence, stepping back) and programmes/gating.py
(what an athlete may train from everything known about them, and the Nordic block's weeks).

Every table row names the rule it pins (docs/clinical-rules.md).
"""

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from injuries import pathway as pw
from programmes import gating as g
from programmes import progression as p

DAY = date(2026, 3, 2)
NO_HYPOTHESIS_DB = settings(database=None, deadline=None)

# --- injuries/pathway.py ----------------------------------------------------------------------------

RTT_TO_CLEARED = (pw.WALK_JOG, pw.NO_PAIN_ON_TOUCH, pw.ISOMETRIC, pw.FLEXIBILITY, pw.STRENGTH, pw.SPRINT, pw.CONFIDENT)


def state(phase=pw.PROTECT, ticked=(), *, urgent=False, reviewed=False, worst="grade_1"):
    return pw.InjuryState(
        phase=phase, ticked=frozenset(ticked), ever_urgent=urgent, doctor_reviewed=reviewed, worst_classification=worst
    )


def keys(criteria):
    return [criterion.key for criterion in criteria]


@pytest.mark.parametrize(
    "from_phase, to_phase, worst, expected",
    [
        # protect -> rehab: walks normally without pain; pain at rest <= 2
        (pw.PROTECT, pw.REHAB, "grade_1", [pw.WALKS, pw.REST_PAIN]),
        # rehab -> return to training: pain-free jogging, strong isometric without pain, no pain on touch
        (pw.REHAB, pw.RETURN_TO_TRAINING, "grade_1", [pw.WALK_JOG, pw.ISOMETRIC, pw.NO_PAIN_ON_TOUCH]),
        # return to training -> cleared: the whole checklist; the doctor only after grade 2 or 3
        (pw.RETURN_TO_TRAINING, pw.CLEARED, "grade_1", list(RTT_TO_CLEARED)),
        (pw.RETURN_TO_TRAINING, pw.CLEARED, "cramp", list(RTT_TO_CLEARED)),
        (pw.RETURN_TO_TRAINING, pw.CLEARED, "doms", list(RTT_TO_CLEARED)),
        (pw.RETURN_TO_TRAINING, pw.CLEARED, "grade_2", [*RTT_TO_CLEARED, pw.DOCTOR]),
        (pw.RETURN_TO_TRAINING, pw.CLEARED, "grade_3", [*RTT_TO_CLEARED, pw.DOCTOR]),
        # a jump asks every step's criteria on the way, each once
        (pw.PROTECT, pw.RETURN_TO_TRAINING, "grade_1", [pw.WALKS, pw.REST_PAIN, pw.WALK_JOG, pw.ISOMETRIC, pw.NO_PAIN_ON_TOUCH]),
        (pw.PROTECT, pw.CLEARED, "grade_2", [pw.WALKS, pw.REST_PAIN, pw.WALK_JOG, pw.ISOMETRIC, pw.NO_PAIN_ON_TOUCH,
                                             pw.FLEXIBILITY, pw.STRENGTH, pw.SPRINT, pw.CONFIDENT, pw.DOCTOR]),
        (pw.REHAB, pw.CLEARED, "grade_1", [pw.WALK_JOG, pw.ISOMETRIC, pw.NO_PAIN_ON_TOUCH, pw.FLEXIBILITY, pw.STRENGTH,
                                           pw.SPRINT, pw.CONFIDENT]),
    ],
)
def test_each_move_forward_asks_its_criteria(from_phase, to_phase, worst, expected):
    criteria = pw.criteria_for(state(from_phase, worst=worst), to_phase)
    assert keys(criteria) == expected
    assert all(not c.met and c.waivable for c in criteria)
    assert all(c.label == pw.ITEM_LABELS[c.key] for c in criteria)
    ticked = pw.criteria_for(state(from_phase, expected, worst=worst), to_phase)
    assert pw.missing(ticked) == []


@pytest.mark.parametrize("from_phase, to_phase", [
    (a, b) for a, b in itertools.permutations(pw.PHASE_ORDER, 2) if pw.PHASE_ORDER.index(b) < pw.PHASE_ORDER.index(a)
])
@pytest.mark.parametrize("urgent, reviewed", [(False, False), (True, False), (True, True)])
def test_a_step_back_needs_no_criteria(from_phase, to_phase, urgent, reviewed):
    assert pw.is_step_back(from_phase, to_phase)
    assert not pw.is_step_back(to_phase, from_phase)
    assert pw.criteria_for(state(from_phase, urgent=urgent, reviewed=reviewed, worst="grade_3"), to_phase) == ()


@pytest.mark.parametrize("phase, expected", [
    (pw.PROTECT, pw.REHAB), (pw.REHAB, pw.RETURN_TO_TRAINING), (pw.RETURN_TO_TRAINING, pw.CLEARED), (pw.CLEARED, None),
])
def test_next_phase(phase, expected):
    assert pw.next_phase(phase) == expected


def test_the_checklist_holds_every_criterion_once_and_the_nordic_criteria_are_its_first_two_rehab_items():
    assert len(set(pw.CHECKLIST_ITEMS)) == len(pw.CHECKLIST_ITEMS)
    every = {key for criteria in pw.STEP_CRITERIA.values() for key in criteria}
    assert every == set(pw.CHECKLIST_ITEMS)
    assert set(pw.NORDIC_CRITERIA) == {pw.WALK_JOG, pw.ISOMETRIC}
    assert pw.DOCTOR_REVIEW not in pw.CHECKLIST_ITEMS


@pytest.mark.parametrize("to_phase", [pw.REHAB, pw.RETURN_TO_TRAINING, pw.CLEARED])
@pytest.mark.parametrize("worst", ["cramp", "doms", "grade_1", "grade_2", "grade_3"])
def test_an_urgent_case_cannot_leave_protect_without_the_doctors_review_and_no_reason_waives_it(to_phase, worst):
    everything = pw.CHECKLIST_ITEMS
    criteria = pw.criteria_for(state(pw.PROTECT, everything, urgent=True, worst=worst), to_phase)
    assert criteria[0].key == pw.DOCTOR_REVIEW
    assert (criteria[0].met, criteria[0].waivable) == (False, False)
    gaps = pw.missing(criteria)
    assert [c.key for c in gaps] == [pw.DOCTOR_REVIEW]  # everything else is ticked
    assert [c for c in gaps if not c.waivable] == gaps
    reviewed = pw.criteria_for(state(pw.PROTECT, everything, urgent=True, reviewed=True, worst=worst), to_phase)
    assert reviewed[0].key == pw.DOCTOR_REVIEW and reviewed[0].met
    assert pw.missing(reviewed) == []


@pytest.mark.parametrize("phase", [pw.REHAB, pw.RETURN_TO_TRAINING])
def test_only_leaving_protect_asks_the_review(phase):
    criteria = pw.criteria_for(state(phase, urgent=True, reviewed=False, worst="grade_3"), pw.CLEARED)
    assert pw.DOCTOR_REVIEW not in keys(criteria)
    assert pw.DOCTOR in keys(criteria)  # an urgent case still needs the doctor's clearance


def test_a_non_urgent_case_is_never_asked_for_a_review():
    for to_phase in (pw.REHAB, pw.RETURN_TO_TRAINING, pw.CLEARED):
        assert pw.DOCTOR_REVIEW not in keys(pw.criteria_for(state(pw.PROTECT, worst="grade_2"), to_phase))


@pytest.mark.parametrize(
    "worst, ever_urgent, needed",
    [
        ("cramp", False, False),
        ("doms", False, False),
        ("grade_1", False, False),
        ("grade_2", False, True),
        ("grade_3", False, True),
        # any urgent referral at any point: a cramp, DOMS or grade 1 with a red flag
        ("cramp", True, True),
        ("doms", True, True),
        ("grade_1", True, True),
        ("grade_2", True, True),
        ("grade_3", True, True),
    ],
)
def test_the_doctors_clearance_follows_the_most_severe_result_ever(worst, ever_urgent, needed):
    assert pw.needs_doctor_clearance(worst, ever_urgent) is needed
    st_ = state(pw.RETURN_TO_TRAINING, urgent=ever_urgent, reviewed=True, worst=worst)
    assert st_.needs_doctor_clearance is needed
    assert (pw.DOCTOR in keys(pw.criteria_for(st_, pw.CLEARED))) is needed


@pytest.mark.parametrize("urgent, reviewed, phase, waiting, must_be_in", [
    (False, False, pw.REHAB, False, pw.REHAB),
    (True, False, pw.PROTECT, True, pw.PROTECT),
    (True, False, pw.REHAB, True, pw.PROTECT),
    (True, False, pw.RETURN_TO_TRAINING, True, pw.PROTECT),
    (True, True, pw.REHAB, False, pw.REHAB),
    (True, False, pw.CLEARED, True, pw.CLEARED),  # a closed injury is not reopened
])
def test_an_urgent_case_waits_for_its_doctor_in_protect(urgent, reviewed, phase, waiting, must_be_in):
    st_ = state(phase, urgent=urgent, reviewed=reviewed)
    assert st_.waiting_for_doctor is waiting
    assert pw.phase_for_urgent(st_) == must_be_in


@given(
    phase=st.sampled_from(pw.PHASE_ORDER),
    to_phase=st.sampled_from(pw.PHASE_ORDER),
    ticked=st.frozensets(st.sampled_from(pw.CHECKLIST_ITEMS)),
    urgent=st.booleans(),
    reviewed=st.booleans(),
    worst=st.sampled_from(["cramp", "doms", "grade_1", "grade_2", "grade_3"]),
)
@NO_HYPOTHESIS_DB
def test_criteria_properties(phase, to_phase, ticked, urgent, reviewed, worst):
    s = state(phase, ticked, urgent=urgent, reviewed=reviewed, worst=worst)
    criteria = pw.criteria_for(s, to_phase)
    assert len(keys(criteria)) == len(set(keys(criteria)))
    # met means ticked (or reviewed, for the review), and only the review is never waivable
    for c in criteria:
        if c.key == pw.DOCTOR_REVIEW:
            assert (c.met, c.waivable) == (reviewed, False)
        else:
            assert c.met == (c.key in ticked) and c.waivable
    forward = pw.PHASE_ORDER.index(to_phase) > pw.PHASE_ORDER.index(phase)
    if not forward:
        assert criteria == ()
    # leaving protect forward in an urgent case without a review is always blocked by an unwaivable gap
    blocked = [c for c in pw.missing(criteria) if not c.waivable]
    assert bool(blocked) == (forward and phase == pw.PROTECT and urgent and not reviewed)
    # the doctor's clearance is asked exactly when clearing and the worst result (or urgency) needs it
    clearing = forward and to_phase == pw.CLEARED
    assert (pw.DOCTOR in keys(criteria)) == (clearing and (urgent or worst in ("grade_2", "grade_3")))


# --- Minor episodes -----------------------------------------------------------------------------------


@pytest.mark.parametrize("classification, red_flags, minor", [
    ("cramp", False, True), ("doms", False, True),
    ("cramp", True, False), ("doms", True, False),  # a red flag: the urgent pathway, an injury
    ("grade_1", False, False), ("grade_2", False, False), ("grade_3", False, False), ("grade_1", True, False),
])
def test_what_is_a_minor_episode(classification, red_flags, minor):
    assert pw.is_minor_episode(classification, red_flags) is minor


@pytest.mark.parametrize("classification, days", [("cramp", 1), ("doms", 4)])
def test_an_episode_ends_after_its_window(classification, days):
    assert pw.episode_end(DAY, classification) == DAY + timedelta(days=days)


END = DAY + timedelta(days=4)


@pytest.mark.parametrize(
    "today, latest_pain, outcome",
    [
        (END - timedelta(days=3), None, pw.CONTINUES),
        (END - timedelta(days=1), None, pw.CONTINUES),
        (END - timedelta(days=1), 9, pw.CONTINUES),  # before the end, pain or not, it continues
        (END, None, pw.ENDS),  # no pain reported: it ends by itself
        (END, 0, pw.ENDS),
        (END, 2, pw.ENDS),
        (END, 3, pw.RETRIAGE),  # 3/10 or more at the end: pain persists, ask for a re-triage
        (END, 10, pw.RETRIAGE),
        (END + timedelta(days=5), 2, pw.ENDS),
        (END + timedelta(days=5), 4, pw.RETRIAGE),
    ],
)
def test_episode_outcome(today, latest_pain, outcome):
    assert pw.episode_outcome(END, today, latest_pain) == outcome


@given(
    offset=st.integers(-30, 30),
    pain=st.one_of(st.none(), st.integers(0, 10)),
)
@NO_HYPOTHESIS_DB
def test_episode_outcome_properties(offset, pain):
    outcome = pw.episode_outcome(END, END + timedelta(days=offset), pain)
    if offset < 0:
        assert outcome == pw.CONTINUES
    else:
        assert outcome == (pw.RETRIAGE if pain is not None and pain >= pw.PERSISTING_PAIN else pw.ENDS)


# --- Recurrence -------------------------------------------------------------------------------------

ONSET = date(2026, 6, 1)


def back(days, side="left"):
    return pw.Return(side, ONSET - timedelta(days=days))


@pytest.mark.parametrize(
    "side, returns, recurrence",
    [
        ("left", [], False),
        ("left", [back(0)], True),  # cleared the day it began again
        ("left", [back(30)], True),
        ("left", [back(60)], True),  # the last day of the two months
        ("left", [back(61)], False),
        ("left", [back(-1)], False),  # a return after the onset is not a return before it
        ("left", [back(30, "right")], False),
        ("left", [back(30, "both")], True),
        ("both", [back(30, "right")], True),
        ("right", [back(30, "both")], True),
        # every return in the window counts, not only the latest one:
        ("left", [back(70), back(30)], True),  # the earlier-listed one outside, another inside
        ("left", [back(30), back(70)], True),
        ("left", [back(50), back(5, "right")], True),  # the latest return is the other leg's
        ("left", [back(59), back(-3)], True),  # the latest return came after this onset
        ("left", [back(-3), back(59)], True),
        ("left", [back(61), back(-3), back(40, "right")], False),
    ],
)
def test_recurrence_looks_at_every_return_in_the_window(side, returns, recurrence):
    assert pw.is_recurrence(side, ONSET, returns) is recurrence


SIDES = st.sampled_from(["left", "right", "both"])
RETURNS = st.lists(st.builds(lambda s, d: back(d, s), SIDES, st.integers(-100, 100)), max_size=6)


@given(side=SIDES, returns=RETURNS, data=st.data())
@NO_HYPOTHESIS_DB
def test_recurrence_is_any_single_return_and_ignores_order(side, returns, data):
    verdict = pw.is_recurrence(side, ONSET, returns)
    assert verdict == any(pw.is_recurrence(side, ONSET, [r]) for r in returns)
    assert verdict == pw.is_recurrence(side, ONSET, data.draw(st.permutations(returns)))
    # adding a return never takes a recurrence away
    extra = data.draw(st.builds(lambda s, d: back(d, s), SIDES, st.integers(-100, 100)))
    assert pw.is_recurrence(side, ONSET, [*returns, extra]) >= verdict


@pytest.mark.parametrize("days_since_return, at_risk", [(0, True), (30, True), (60, True), (61, False), (-1, True)])
def test_the_recurrence_risk_badge_uses_the_same_window_as_a_recurrence(days_since_return, at_risk):
    cleared = ONSET - timedelta(days=days_since_return)
    assert pw.at_recurrence_risk(cleared, ONSET) is at_risk
    assert pw.recurrence_risk_until(cleared) == cleared + timedelta(days=pw.RECURRENCE_WINDOW_DAYS)
    if days_since_return >= 0:  # a new strain on the same side on this day would be a recurrence
        assert pw.is_recurrence("left", ONSET, [pw.Return("left", cleared)]) is at_risk


def test_no_return_no_recurrence_risk():
    assert pw.recurrence_risk_until(None) is None
    assert pw.at_recurrence_risk(None, ONSET) is False


# --- programmes/gating.py -----------------------------------------------------------------------------

P = p.TrainingPhase
FAMILIES = [f.value for f in p.Family]
# Running is not a strength ladder: return to training prescribes it, and after clearance (or in
# prevention) the athlete runs with the team; so "more restrictive" is about the strength families.
STRENGTH_FAMILIES = ["hip_hinge", "knee_flexion", "nordic"]
TOP = {f.value: len(p.LADDERS[f]) - 1 for f in p.Family}

# docs/clinical-rules.md#phase-gating, as the highest rung index of each family (None: not at all).
EXPECTED_CEILINGS = {
    (P.PROTECT, False): {"hip_hinge": 0, "knee_flexion": 0, "nordic": None, "running": None},
    (P.PROTECT, True): {"hip_hinge": 0, "knee_flexion": 0, "nordic": None, "running": None},
    (P.REHAB, False): {"hip_hinge": TOP["hip_hinge"], "knee_flexion": TOP["knee_flexion"], "nordic": None, "running": None},
    (P.REHAB, True): {"hip_hinge": TOP["hip_hinge"], "knee_flexion": TOP["knee_flexion"], "nordic": TOP["nordic"], "running": None},
    (P.RETURN_TO_TRAINING, True): {f: TOP[f] for f in FAMILIES},
    (P.CLEARED, True): {**{f: TOP[f] for f in FAMILIES}, "running": None},
    (P.PREVENTION, True): {**{f: TOP[f] for f in FAMILIES}, "running": None},
}


def facts(phase, *, waiting=False, nordic=False):
    return g.InjuryFacts(phase=phase, waiting_for_doctor=waiting, nordic_criteria_met=nordic)


def ceilings(gating):
    return {family: gating.ceiling(family) for family in FAMILIES}


def test_no_injury_is_prevention_with_everything_but_running():
    gating = g.gate(g.Situation())
    assert (gating.phase, gating.nordic_criteria_met, gating.hold, gating.reasons) == (P.PREVENTION, True, False, ())
    assert ceilings(gating) == EXPECTED_CEILINGS[(P.PREVENTION, True)]


def test_an_urgent_report_waiting_for_its_coach_is_protect():
    gating = g.gate(g.Situation(urgent_report_waiting=True))
    assert gating.phase is P.PROTECT and gating.isometrics_only
    assert ceilings(gating) == EXPECTED_CEILINGS[(P.PROTECT, False)]
    assert g.REASON_URGENT_REPORT in gating.reasons


@pytest.mark.parametrize("classification", ["grade_1", "grade_2", "grade_3"])
def test_a_report_pointing_to_a_strain_waiting_for_its_coach_is_protect(classification):
    gating = g.gate(g.Situation(reports_waiting=(classification,)))
    assert gating.phase is P.PROTECT and gating.isometrics_only
    assert ceilings(gating) == EXPECTED_CEILINGS[(P.PROTECT, False)]
    assert gating.reasons == (g.REASON_REPORT_STRAIN,)


@pytest.mark.parametrize("reports", [("cramp",), ("doms",), ("cramp", "doms")])
def test_a_report_pointing_to_a_cramp_or_soreness_holds_progression_like_an_episode(reports):
    gating = g.gate(g.Situation(reports_waiting=reports))
    assert gating.hold and gating.phase is P.PREVENTION
    assert ceilings(gating) == EXPECTED_CEILINGS[(P.PREVENTION, True)]
    assert gating.reasons == (g.REASON_REPORT_MINOR,)


def test_a_classification_gating_does_not_know_counts_as_a_strain():
    assert g.gate(g.Situation(reports_waiting=("something_new",))).phase is P.PROTECT


@pytest.mark.parametrize("phase", ["protect", "rehab", "return_to_training", "cleared"])
@pytest.mark.parametrize("nordic", [False, True])
def test_an_urgent_injury_without_a_review_is_protect_whatever_its_phase(phase, nordic):
    gating = g.gate(g.Situation(injuries=(facts(phase, waiting=True, nordic=nordic),)))
    assert gating.phase is P.PROTECT
    assert ceilings(gating) == EXPECTED_CEILINGS[(P.PROTECT, False)]
    assert g.REASON_WAITING_FOR_DOCTOR in gating.reasons


@pytest.mark.parametrize("a, b", list(itertools.product(["protect", "rehab", "return_to_training", "cleared"], repeat=2)))
def test_the_most_restrictive_injury_wins(a, b):
    order = ["protect", "rehab", "return_to_training", "cleared"]
    expected = P(min(a, b, key=order.index))
    for injuries in ((facts(a, nordic=True), facts(b, nordic=True)), (facts(b, nordic=True), facts(a, nordic=True))):
        assert g.gate(g.Situation(injuries=injuries)).phase is expected


@pytest.mark.parametrize(
    "injuries, nordic_allowed",
    [
        ((facts("rehab"),), False),
        ((facts("rehab", nordic=True),), True),
        ((facts("rehab", nordic=True), facts("rehab")), False),  # each injury in rehab must meet them
        ((facts("rehab"), facts("rehab", nordic=True)), False),
        ((facts("rehab", nordic=True), facts("return_to_training")), True),
        ((facts("rehab"), facts("return_to_training", nordic=True)), False),
        ((facts("rehab", nordic=True), facts("cleared")), True),
        ((facts("return_to_training"),), True),  # the criteria only gate rehab
    ],
)
def test_rehab_gets_no_nordic_until_the_nordic_criteria_are_met(injuries, nordic_allowed):
    gating = g.gate(g.Situation(injuries=injuries))
    assert (gating.ceiling("nordic") is not None) is nordic_allowed
    if gating.phase is P.REHAB and not nordic_allowed:
        assert g.REASON_NO_NORDIC in gating.reasons


@pytest.mark.parametrize("episodes", [("cramp",), ("doms",), ("cramp", "doms"), ("doms", "doms")])
def test_an_open_episode_holds_progression_without_restricting_the_phase(episodes):
    gating = g.gate(g.Situation(episodes=episodes))
    assert gating.hold and gating.phase is P.PREVENTION
    assert ceilings(gating) == EXPECTED_CEILINGS[(P.PREVENTION, True)]
    for classification in set(episodes):
        assert gating.reasons.count(g.REASON_EPISODE[classification]) == 1


def _expected_gating(situation):
    """The rule written out from docs/clinical-rules.md#phase-gating, independently of gate()."""
    order = [P.PROTECT, P.REHAB, P.RETURN_TO_TRAINING, P.CLEARED, P.PREVENTION]
    effective = [(P.PROTECT if i.waiting_for_doctor else P(i.phase), i) for i in situation.injuries]
    candidates = [P.PREVENTION] + [phase for phase, _ in effective]
    if situation.urgent_report_waiting or any(c not in ("cramp", "doms") for c in situation.reports_waiting):
        candidates.append(P.PROTECT)
    phase = min(candidates, key=order.index)
    nordic = all(i.nordic_criteria_met for ph, i in effective if ph is P.REHAB)
    return phase, nordic, bool(situation.episodes) or any(c in ("cramp", "doms") for c in situation.reports_waiting)


INJURY_FACTS = [
    facts(phase, waiting=waiting, nordic=nordic)
    for phase in ("protect", "rehab", "return_to_training", "cleared")
    for waiting in (False, True)
    for nordic in (False, True)
]
EPISODES = [(), ("cramp",), ("doms",), ("cramp", "doms")]
REPORTS = [(), ("doms",), ("grade_1",), ("cramp", "grade_2")]


@pytest.mark.parametrize("urgent_report", [False, True])
@pytest.mark.parametrize("episodes", EPISODES)
@pytest.mark.parametrize("reports", REPORTS)
def test_gate_for_every_combination_of_up_to_two_injuries(urgent_report, episodes, reports):
    combos = [()] + [(a,) for a in INJURY_FACTS] + list(itertools.combinations_with_replacement(INJURY_FACTS, 2))
    for injuries in combos:
        situation = g.Situation(injuries=injuries, episodes=episodes, urgent_report_waiting=urgent_report,
                                reports_waiting=reports)
        gating = g.gate(situation)
        phase, nordic, hold = _expected_gating(situation)
        assert (gating.phase, gating.hold) == (phase, hold), situation
        expected = EXPECTED_CEILINGS[(phase, nordic if phase is P.REHAB else phase is not P.PROTECT)]
        assert ceilings(gating) == expected, situation
        if phase is P.PROTECT:
            assert gating.isometrics_only and gating.reasons, situation
            assert gating.ceiling("nordic") is None and gating.ceiling("running") is None
        if urgent_report:
            assert g.REASON_URGENT_REPORT in gating.reasons
        if any(c.startswith("grade") for c in reports):
            assert g.REASON_REPORT_STRAIN in gating.reasons
        if any(i.waiting_for_doctor for i in injuries):
            assert g.REASON_WAITING_FOR_DOCTOR in gating.reasons


INJURY = st.builds(
    g.InjuryFacts,
    phase=st.sampled_from(["protect", "rehab", "return_to_training", "cleared"]),
    waiting_for_doctor=st.booleans(),
    nordic_criteria_met=st.booleans(),
)
SITUATION = st.builds(
    g.Situation,
    injuries=st.lists(INJURY, max_size=4).map(tuple),
    episodes=st.lists(st.sampled_from(["cramp", "doms"]), max_size=3).map(tuple),
    urgent_report_waiting=st.booleans(),
    reports_waiting=st.lists(st.sampled_from(["cramp", "doms", "grade_1", "grade_2", "grade_3"]), max_size=3).map(tuple),
)


def _singles(situation):
    """One situation per single thing known about the athlete."""
    yield g.Situation()
    for injury in situation.injuries:
        yield g.Situation(injuries=(injury,))
    for episode in situation.episodes:
        yield g.Situation(episodes=(episode,))
    if situation.urgent_report_waiting:
        yield g.Situation(urgent_report_waiting=True)
    for report in situation.reports_waiting:
        yield g.Situation(reports_waiting=(report,))


def _level(gating, family):
    ceiling = gating.ceiling(family)
    return -1 if ceiling is None else ceiling


@given(situation=SITUATION)
@NO_HYPOTHESIS_DB
def test_gate_never_allows_more_than_any_single_input_would(situation):
    gating = g.gate(situation)
    for single in _singles(situation):
        alone = g.gate(single)
        for family in STRENGTH_FAMILIES:
            assert _level(gating, family) <= _level(alone, family), (family, single)
        assert gating.hold >= alone.hold


@given(situation=SITUATION, extra=INJURY, urgent=st.booleans(), episode=st.sampled_from([(), ("cramp",), ("doms",)]),
       report=st.sampled_from([(), ("doms",), ("grade_1",)]))
@NO_HYPOTHESIS_DB
def test_knowing_more_never_allows_more(situation, extra, urgent, episode, report):
    before = g.gate(situation)
    more = g.Situation(
        injuries=(*situation.injuries, extra),
        episodes=(*situation.episodes, *episode),
        urgent_report_waiting=situation.urgent_report_waiting or urgent,
        reports_waiting=(*situation.reports_waiting, *report),
    )
    after = g.gate(more)
    for family in STRENGTH_FAMILIES:
        assert _level(after, family) <= _level(before, family)
    assert after.hold >= before.hold


@given(situation=SITUATION, data=st.data())
@NO_HYPOTHESIS_DB
def test_gate_ignores_the_order_of_what_is_known(situation, data):
    shuffled = g.Situation(
        injuries=tuple(data.draw(st.permutations(situation.injuries))),
        episodes=tuple(data.draw(st.permutations(situation.episodes))),
        urgent_report_waiting=situation.urgent_report_waiting,
        reports_waiting=tuple(data.draw(st.permutations(situation.reports_waiting))),
    )
    a, b = g.gate(situation), g.gate(shuffled)
    assert (a.phase, a.nordic_criteria_met, a.hold, set(a.reasons)) == (b.phase, b.nordic_criteria_met, b.hold, set(b.reasons))


@given(situation=SITUATION)
@NO_HYPOTHESIS_DB
def test_what_gate_allows_is_a_run_from_the_bottom_and_always_says_why_it_holds_back(situation):
    gating = g.gate(situation)
    for family in FAMILIES:
        ceiling = gating.ceiling(family)
        for rung in range(TOP[family] + 1):
            assert gating.allows(family, rung) == (ceiling is not None and rung <= ceiling)
        if ceiling is not None:
            assert all(
                p.allowed(p.LADDERS[p.Family(family)][rung], gating.phase, gating.nordic_criteria_met)
                for rung in range(ceiling + 1)
            )
    # graded running only in return to training
    assert (gating.ceiling("running") is not None) == (gating.phase is p.TrainingPhase.RETURN_TO_TRAINING)
    restricted = gating.phase is p.TrainingPhase.PROTECT or gating.ceiling("nordic") is None or gating.hold
    assert bool(gating.reasons) == restricted
    if gating.phase is p.TrainingPhase.PROTECT:
        assert all(p.LADDERS[f][gating.ceiling(f)].isometric for f in gating.families)
        assert set(gating.families) == {p.Family.HIP_HINGE, p.Family.KNEE_FLEXION}


# --- Nordic blocks ----------------------------------------------------------------------------------


def days_ago(*offsets, day=DAY):
    return [day - timedelta(days=n) for n in offsets]


@pytest.mark.parametrize(
    "done, start",
    [
        ([], None),
        (days_ago(0), None),  # the day itself is not "before" it
        (days_ago(-3), None),  # nor a later day
        (days_ago(1), DAY - timedelta(days=1)),
        (days_ago(7), DAY - timedelta(days=7)),
        (days_ago(27), DAY - timedelta(days=27)),
        (days_ago(29), None),  # more than four weeks without Nordic work: a new block
        (days_ago(60), None),
        (days_ago(3, 10, 17), DAY - timedelta(days=17)),  # a chain without a break
        (days_ago(3, 10, 17, 17, 10), DAY - timedelta(days=17)),  # repeats change nothing
        (days_ago(3, 30, 40), DAY - timedelta(days=40)),  # gaps of 27 and 10 days: one block
        (days_ago(3, 35, 40), DAY - timedelta(days=3)),  # a gap of 32 days: the block starts after it
        (days_ago(20, 45, 70, 100), DAY - timedelta(days=70)),
    ],
)
def test_nordic_block_start(done, start):
    assert g.nordic_block_start(done, DAY) == start


@pytest.mark.parametrize(
    "done, first_planned, week",
    [
        ([], None, 1),
        ([], DAY, 1),
        ([], DAY - timedelta(days=6), 1),
        ([], DAY - timedelta(days=7), 2),
        ([], DAY - timedelta(days=70), 11),
        ([], DAY + timedelta(days=7), 1),  # a plan that starts later: this day starts the block
        (days_ago(7), None, 2),
        (days_ago(13), None, 2),
        (days_ago(14), None, 3),
        (days_ago(7, 14, 21, 28, 35, 42, 49, 56, 63, 70), None, 11),  # the eleventh week of the block
        (days_ago(29), DAY - timedelta(days=70), 11),  # no recent work: the plan decides
        (days_ago(29), None, 1),
    ],
)
def test_nordic_week(done, first_planned, week):
    assert g.nordic_week(done, DAY, first_planned) == week


@pytest.mark.parametrize(
    "done, first",
    [
        ([], True),
        (days_ago(1), False),
        (days_ago(27), False),
        (days_ago(29), True),
        (days_ago(35, 60), True),
        (days_ago(0), True),  # only earlier days count
        (days_ago(-1), True),
    ],
)
def test_first_nordic_after_a_break(done, first):
    assert g.first_nordic_after_a_break(done, DAY) is first


DONE = st.lists(st.integers(-40, 120).map(lambda n: DAY - timedelta(days=n)), max_size=12)


@given(done=DONE, planned=st.one_of(st.none(), st.integers(-120, 40).map(lambda n: DAY - timedelta(days=n))))
@NO_HYPOTHESIS_DB
def test_nordic_block_properties(done, planned):
    start = g.nordic_block_start(done, DAY)
    # the warning for a first block and the start of a new block always agree
    assert g.first_nordic_after_a_break(done, DAY) == (start is None)
    week = g.nordic_week(done, DAY, planned)
    assert week >= 1
    if start is not None:
        assert start < DAY and start in done
        assert week == (DAY - start).days // 7 + 1
        # inside the block no gap is longer than four weeks
        inside = sorted({d for d in done if start <= d < DAY}) + [DAY]
        assert all((b - a).days <= g.NORDIC_GAP_DAYS for a, b in zip(inside, inside[1:]))
    # the weighted Nordic only from week 11 of the block
    assert p.nordic_ceiling(week) == (4 if week >= 11 else 3)


# --- Doses that the pathway relies on (programmes/progression.py) -----------------------------------


@pytest.mark.parametrize("week", range(1, 14))
def test_weighted_nordic_waits_for_week_11(week):
    full, weighted = 3, 4
    assert p.LADDERS[p.Family.NORDIC][full].key == "nordic_full"
    assert p.LADDERS[p.Family.NORDIC][weighted].key == "nordic_weighted"
    assert p.nordic_ceiling(week) == (weighted if week >= 11 else full)


NORDIC_KEYS = [rung.key for rung in p.LADDERS[p.Family.NORDIC]]


@pytest.mark.parametrize("rung_key", NORDIC_KEYS)
@pytest.mark.parametrize("week", [1, 2, 3, 4, 5, 10, 11, 30])
def test_every_nordic_rung_keeps_the_weeks_nordic_dose_whatever_the_slot_says(rung_key, week):
    coach = p.Dose((p.RepRange(12, 12),) * 3)
    for slot_key in (None, "nordic_full", rung_key):
        dose = p.dose_for(rung_key, week=week, slot_dose=coach if slot_key else None, slot_rung_key=slot_key)
        assert dose.sets == p.nordic_dose(week).sets


STRENGTH_KEYS = [r.key for f in (p.Family.HIP_HINGE, p.Family.KNEE_FLEXION, p.Family.NORDIC) for r in p.LADDERS[f]]


@given(
    rung_key=st.sampled_from(STRENGTH_KEYS),
    week=st.integers(1, 20),
    cap_key=st.sampled_from(STRENGTH_KEYS),
    cap_week=st.integers(1, 20),
)
@NO_HYPOTHESIS_DB
def test_a_cap_never_lets_the_volume_rise(rung_key, week, cap_key, cap_week):
    cap = p.dose_for(cap_key, week=cap_week)
    dose = p.dose_for(rung_key, week=week, cap=cap)
    if dose.kind is cap.kind:
        assert dose.volume <= cap.volume


@given(
    family=st.sampled_from([p.Family.HIP_HINGE, p.Family.KNEE_FLEXION, p.Family.NORDIC]),
    data=st.data(),
    week=st.integers(1, 20),
    pain=st.integers(6, 10),
)
@NO_HYPOTHESIS_DB
def test_a_regression_never_raises_the_volume(family, data, week, pain):
    ceiling = p.highest_allowed_index(family, p.TrainingPhase.PREVENTION, True)
    rung = data.draw(st.integers(0, min(ceiling, p.nordic_ceiling(week)) if family is p.Family.NORDIC else ceiling))
    result = p.next_prescription(p.ProgressionInput(
        family=family, rung_index=rung, phase=p.TrainingPhase.PREVENTION, nordic_criteria_met=True, week=week,
        recent=(p.SessionResult(pain, False),),
    ))
    assert result.decision is p.Decision.REGRESS and result.alert_coach and result.offer_retriage
    came_from = p.dose_for(p.LADDERS[family][rung].key, week=week)
    dose = result.prescription.dose
    if dose.kind is came_from.kind:
        assert dose.volume <= came_from.volume
