"""Session load, weekly load, HSR spikes, near-maximal exposure, dose against strength, tightness,
the recurrence watch and the risk profile (monitoring/measures.py). No database."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitoring import measures as m

checked = settings(max_examples=200, database=None, deadline=None)
MON = date(2026, 3, 30)  # a Monday
T = m.DEFAULTS


def monday(n: int) -> date:
    """The Monday ``n`` weeks before MON (0: MON)."""
    return MON - timedelta(weeks=n)


# --- Session and weekly load ------------------------------------------------------------------


@pytest.mark.parametrize(("rpe", "minutes", "load"), [(0, 60, 0), (5, 60, 300), (10, 90, 900), (7, 1, 7)])
def test_session_load_is_rpe_times_minutes(rpe, minutes, load):
    assert m.Session(MON, rpe, minutes).load == load == m.session_load(rpe, minutes)


@pytest.mark.parametrize(("rpe", "minutes"), [(-1, 60), (11, 60), (5, 0), (5, 601), (5.5, 60), (True, 60), ("5", 60)])
def test_a_session_outside_the_scales_is_refused_with_its_reason(rpe, minutes):
    with pytest.raises(m.MeasureError):
        m.Session(MON, rpe, minutes)


def test_weekly_load_sums_iso_weeks_and_shows_the_change():
    sessions = [
        m.Session(monday(1), 5, 60),  # Monday of last week
        m.Session(monday(1) + timedelta(days=6), 6, 50),  # its Sunday: the same ISO week
        m.Session(MON, 8, 90),
    ]
    weeks = m.weekly_loads(sessions, [monday(2), monday(1), MON])
    assert [(w.load, w.sessions, w.change) for w in weeks] == [(0, 0, None), (600, 2, 600), (720, 1, 120)]


def test_team_week_averages_over_athletes_who_trained_only():
    team = m.team_weekly_loads({1: [m.Session(MON, 5, 60)], 2: [m.Session(MON, 6, 45)], 3: []}, [monday(1), MON])
    assert team[0] == m.TeamWeek(monday(1), 0, 0, None)
    assert team[1] == m.TeamWeek(MON, 570, 2, 285)


@checked
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 10), st.integers(1, 600)), max_size=30))
def test_weekly_loads_add_up_to_every_session_shown(raw):
    sessions = [m.Session(MON - timedelta(days=d), rpe, minutes) for d, rpe, minutes in raw]
    weeks = [monday(n) for n in range(9, -1, -1)]
    assert sum(w.load for w in m.weekly_loads(sessions, weeks)) == sum(s.load for s in sessions)
    assert m.week_of(MON + timedelta(days=6)) == MON


# --- High-speed running -----------------------------------------------------------------------


def hsr(*distances):
    """Weekly HSR for the weeks before MON, oldest first, then MON's week."""
    n = len(distances) - 1
    return {monday(n - i): D(d) for i, d in enumerate(distances) if d is not None}


@pytest.mark.parametrize(("weeks", "spike", "ratio"), [
    ((400, 400, 400, 400, 600), False, D("1.5")),  # exactly 1.5x: not above
    ((400, 400, 400, 400, 601), True, D("1.5")),
    ((400, 400, 400, 400, 900), True, D("2.3")),
    ((100, 200, 300, 400, 200), False, D("0.8")),
    ((0, 0, 0, 0, 50), True, None),  # anything is above 1.5 x 0
    ((0, 0, 0, 0, 0), False, None),
])
def test_a_week_above_one_and_a_half_times_the_four_week_average_is_a_spike(weeks, spike, ratio):
    judged = m.hsr_week(hsr(*weeks), MON)
    assert (judged.spike, judged.ratio) == (spike, ratio)


@pytest.mark.parametrize("weeks", [(900,), (400, 2000), (400, 400, 400, 2000), (400, None, 400, 400, 2000)])
def test_fewer_than_four_prior_weeks_of_gps_flags_nothing_and_says_why(weeks):
    judged = m.hsr_week(hsr(*weeks), MON)
    assert not judged.spike and judged.baseline is None
    assert "Not enough history" in judged.reason


def test_a_week_without_gps_is_not_judged():
    judged = m.hsr_week(hsr(400, 400, 400, 400), MON + timedelta(weeks=1))
    assert not judged.spike and judged.distance is None


@checked
@given(st.lists(st.decimals(0, 5000, places=1), min_size=4, max_size=4), st.decimals(0, 5000, places=1))
def test_a_spike_is_exactly_above_the_ratio_times_the_average(before, this):
    judged = m.hsr_week(hsr(*before, this), MON)
    assert judged.spike == (this > sum(before) / 4 * T.hsr_spike_ratio)


# --- Near-maximal speed -----------------------------------------------------------------------


def run(days_ago, velocity, hsr_m=0):
    return m.GpsRun(MON - timedelta(days=days_ago), D(hsr_m), D(velocity) if velocity is not None else None)


@pytest.mark.parametrize(("runs", "watch_days_ago", "days", "flagged"), [
    ([run(3, "9.0")], 30, 3, False),  # 9.0 of 10: 90%, counts
    ([run(12, "9.0")], 30, 12, True),
    ([run(10, "9.0")], 30, 10, True),  # exactly 10 days: flagged
    ([run(9, "9.0")], 30, 9, False),
    ([run(2, "8.99")], 12, 12, True),  # under 90% never counts
    ([], 3, 3, False),  # entered return to training 3 days ago: not yet
    ([], 10, 10, True),
    ([run(20, "9.5")], None, 20, False),  # not watched: never flagged
])
def test_ten_days_without_a_run_at_ninety_percent_is_flagged_while_watched(runs, watch_days_ago, days, flagged):
    watch_from = MON - timedelta(days=watch_days_ago) if watch_days_ago is not None else None
    seen = m.exposure(runs, D(10), MON, watch_from=watch_from)
    assert (seen.days_since, seen.flagged) == (days, flagged)


def test_no_maximal_velocity_flags_nothing_and_asks_for_one():
    seen = m.exposure([run(20, "9")], None, MON, watch_from=MON - timedelta(days=30))
    assert not seen.flagged and seen.days_since is None and "maximal velocity" in seen.reason


def test_the_best_velocity_is_the_best_of_the_entered_one_and_gps():
    assert m.best_velocity(D("9.1"), [run(1, "9.4"), run(2, None)]) == D("9.4")
    assert m.best_velocity(None, []) is None


@pytest.mark.parametrize(("velocity", "pain", "ticks"), [
    (D("9.5"), 0, True), (D("9.49"), 0, False), (D("9.5"), 1, False), (D("10"), None, False), (None, 0, False),
])
def test_a_gps_sprint_ticks_the_maximal_sprint_at_ninety_five_percent_with_pain_zero(velocity, pain, ticks):
    assert m.maximal_sprint_ticks(velocity, D(10), pain) is ticks


# --- Dose against strength --------------------------------------------------------------------


def dosed(*reps):
    """Nordic reps for the complete weeks before MON, oldest first."""
    return {monday(len(reps) - i): r for i, r in enumerate(reps)}


def test_the_protective_dose_is_the_nordic_maintenance_dose():
    from programmes.progression import MAINTENANCE_WEEKLY_REPS_MIN  # docs/clinical-rules.md#nordic-dose

    assert T.protective_weekly_nordic_reps == MAINTENANCE_WEEKLY_REPS_MIN == 30


@pytest.mark.parametrize(("reps", "under"), [((30,), False), ((29,), True), ((0,), True), ((90, 12), True)])
def test_under_the_protective_dose_is_the_last_complete_week(reps, under):
    assert m.dose_and_strength(dosed(*reps), [], MON).under_dose is under


def test_no_programme_no_dose_expected():
    assert not m.dose_and_strength({}, [], MON, on_programme=False).under_dose


def test_six_weeks_of_dose_without_a_stronger_test_is_flagged():
    before = m.ForceReading(monday(7), 300, 290)
    flat = [m.ForceReading(monday(3), 300, 285), m.ForceReading(monday(1), 298, 290)]
    judged = m.dose_and_strength(dosed(30, 30, 36, 30, 30, 30), [before, *flat], MON)
    assert judged.not_stronger and any("no Nordic test" in r for r in judged.reasons)


@pytest.mark.parametrize(("reps", "readings"), [
    ((30, 30, 30, 30, 30, 30), [m.ForceReading(monday(7), 300, 290), m.ForceReading(monday(2), 300, 291)]),  # one leg gained
    ((30, 30, 30, 30, 29, 30), [m.ForceReading(monday(7), 300, 290), m.ForceReading(monday(2), 280, 280)]),  # a week short
    ((30, 30, 30, 30, 30, 30), [m.ForceReading(monday(2), 280, 280)]),  # no test before: not judged
    ((30, 30, 30, 30, 30, 30), [m.ForceReading(monday(7), 300, 290)]),  # no test within: not judged
])
def test_dose_and_strength_is_not_flagged_without_the_dose_or_with_a_gain_or_without_tests(reps, readings):
    assert not m.dose_and_strength(dosed(*reps), readings, MON).not_stronger


@pytest.mark.parametrize(("reps", "missed"), [((10, 10), True), ((30, 10), False), ((10, 30), False), ((), True)])
def test_the_nordic_dose_is_missed_after_two_weeks_under_it(reps, missed):
    assert m.nordic_missed(dosed(*reps), MON) is missed


# --- Tightness --------------------------------------------------------------------------------


def mornings(*values):
    """(left, right) on consecutive days ending at MON."""
    n = len(values) - 1
    return [m.Morning(MON - timedelta(days=n - i), left, right) for i, (left, right) in enumerate(values)]


@pytest.mark.parametrize(("values", "sides"), [
    (((1, 0), (2, 0), (3, 0)), (m.Side.LEFT,)),
    (((1, 1), (2, 3), (4, 5)), (m.Side.LEFT, m.Side.RIGHT)),
    (((1, 0), (2, 0), (2, 0)), ()),  # the same: not worse
    (((3, 0), (2, 0), (3, 0)), ()),
    (((1, 0), (2, 0)), ()),  # one worse morning only
    (((0, 0), (0, 0), (0, 1), (0, 2), (0, 4)), (m.Side.RIGHT,)),
])
def test_tightness_worsening_two_mornings_running_names_the_side(values, sides):
    assert m.tightness_rising(mornings(*values)) == sides


def test_a_missed_morning_breaks_the_run():
    gap = [m.Morning(MON - timedelta(days=3), 1, 0), m.Morning(MON - timedelta(days=1), 2, 0), m.Morning(MON, 3, 0)]
    assert m.tightness_rising(gap) == ()


def test_a_tightness_out_of_range_is_refused():
    with pytest.raises(m.MeasureError):
        m.Morning(MON, 11, 0)


@checked
@given(st.lists(st.tuples(st.integers(0, 10), st.integers(0, 10)), min_size=3, max_size=8))
def test_rising_tightness_means_the_last_three_mornings_strictly_rise(values):
    series = mornings(*values)
    for side in m.tightness_rising(series):
        last = [morning.side(side) for morning in series[-3:]]
        assert last[0] < last[1] < last[2]


# --- The recurrence watch ---------------------------------------------------------------------


def watch(**changes):
    inputs = dict(today=MON, returned_on=MON - timedelta(days=20), max_velocity=D(10),
                  runs=(run(2, "9.5"),), weekly_nordic_reps=dosed(30, 30))
    inputs.update(changes)
    return {flag.key for flag in m.recurrence_watch(m.WatchInputs(**inputs))}


def test_a_quiet_return_raises_no_flag():
    assert watch() == set()


def test_no_flag_outside_the_two_months_after_a_return():
    assert watch(returned_on=MON - timedelta(days=61), weekly_nordic_reps=dosed(0, 0)) == set()
    assert watch(returned_on=MON - timedelta(days=60), weekly_nordic_reps=dosed(0, 0)) == {"nordic_missed"}


@pytest.mark.parametrize(("changes", "key"), [
    ({"asymmetry": (m.AsymmetryReading(monday(2), D("8.0")), m.AsymmetryReading(monday(1), D("12.5")))}, "asymmetry"),
    ({"asymmetry": (m.AsymmetryReading(monday(1), D("7.0")),), "asymmetry_limit_pct": D(5)}, "asymmetry"),
    ({"weekly_nordic_reps": dosed(12, 0)}, "nordic_missed"),
    ({"runs": (run(15, "9.5"),)}, "sprint_missing"),
    ({"runs": (run(2, "9.5", 900), *(run(7 * w + 1, "8", 300) for w in range(1, 5)))}, "sprint_spike"),
    ({"mornings": tuple(mornings((0, 1), (0, 2), (0, 3)))}, "tightness"),
])
def test_each_watch_flag_is_raised_by_its_own_rule(changes, key):
    assert watch(**changes) == {key}


def test_the_asymmetry_limit_is_testings_when_given():
    readings = (m.AsymmetryReading(monday(1), D("12.0")),)
    assert watch(asymmetry=readings, asymmetry_limit_pct=D(15)) == set()


def test_every_flag_carries_a_reason_and_a_source():
    flags = m.recurrence_watch(m.WatchInputs(today=MON, returned_on=MON - timedelta(days=20), weekly_nordic_reps={}))
    assert flags and all(flag.reason and flag.source for flag in flags)


# --- The risk profile -------------------------------------------------------------------------


def profile(**changes):
    inputs = dict(today=MON, previous_injuries=0)
    inputs.update(changes)
    return {item.key: item for item in m.risk_profile(m.RiskInputs(**inputs))}


def test_the_risk_profile_is_a_checklist_of_six_items_each_with_a_source_never_a_number():
    items = m.risk_profile(m.RiskInputs(today=MON, previous_injuries=1))
    assert [i.key for i in items] == ["previous_injury", "age", "eccentric_strength", "asymmetry", "nordic_dose", "sprint_exposure"]
    assert all(item.source for item in items)
    assert all(item.status in set(m.Status) for item in items)
    assert not any("probab" in (item.detail + item.label).lower() for item in items)


def test_what_is_not_recorded_is_unknown_not_clear():
    items = profile()
    assert {k for k, item in items.items() if item.status == m.Status.UNKNOWN} == {
        "age", "eccentric_strength", "asymmetry", "nordic_dose", "sprint_exposure"
    }
    assert items["previous_injury"].status == m.Status.CLEAR


@pytest.mark.parametrize(("left", "right", "status"), [(256, 300, m.Status.CLEAR), (255, 300, m.Status.FLAG), (200, 250, m.Status.FLAG)])
def test_eccentric_strength_under_256_newtons_on_a_leg_is_flagged(left, right, status):
    item = profile(latest_nordic=m.ForceReading(monday(1), left, right))["eccentric_strength"]
    assert item.status == status and "Opar 2015" in item.source


def test_a_previous_injury_and_age_are_flagged_with_their_sources():
    items = profile(previous_injuries=2, date_of_birth=date(2002, 3, 31))  # 23 today
    assert items["previous_injury"].status == m.Status.FLAG and "Green 2020" in items["previous_injury"].source
    assert items["age"].status == m.Status.CLEAR and items["age"].detail == "23 years."
    older = profile(date_of_birth=date(2002, 3, 30))["age"]  # 24 today
    assert older.status == m.Status.FLAG and "own default" in older.detail and "Opar 2015" in older.source


def test_asymmetry_and_dose_items_follow_their_limits():
    items = profile(asymmetry_pct=D("10.0"), weekly_nordic_reps=dosed(29))
    assert items["asymmetry"].status == m.Status.CLEAR
    assert items["nordic_dose"].status == m.Status.FLAG
    assert profile(asymmetry_pct=D("10.1"))["asymmetry"].status == m.Status.FLAG


def test_age_is_counted_from_the_birthday():
    assert m.age_on(date(2000, 3, 31), MON) == 25
    assert m.age_on(date(2000, 3, 30), MON) == 26


def test_the_watch_is_the_recurrence_window_of_the_pathway():
    from injuries.pathway import RECURRENCE_WINDOW_DAYS  # docs/clinical-rules.md#recurrence

    assert T.watch_days == RECURRENCE_WINDOW_DAYS


@pytest.mark.parametrize(("pain", "injury_open", "alerts"), [
    (None, True, False), (0, True, False), (2, True, False), (3, True, True),
    (5, False, False), (6, False, True),
])
def test_pain_in_a_team_session_alerts_above_the_ladders_limits(pain, injury_open, alerts):
    assert m.training_pain_alerts(pain, injury_open=injury_open) is alerts


def test_the_training_pain_limits_are_the_programmes_own():
    from programmes import progression as p

    assert m.DEFAULTS.training_pain_alert_above == p.HOLD_MAX_PAIN
    assert m.DEFAULTS.injured_pain_alert_above == p.RUNNING_PAIN_RULES.hold_max_pain
