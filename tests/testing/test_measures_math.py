"""Asymmetry, baseline change, the checklist verdict and chart geometry. No database."""

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from testing.measures import (
    BOTH_LEGS,
    CHART_HEIGHT,
    PLOT_BOTTOM,
    PLOT_LEFT,
    PLOT_RIGHT,
    PLOT_TOP,
    Assessment,
    ChartMarker,
    DatedReading,
    Leg,
    MeasureError,
    Reading,
    Rule,
    assess,
    asymmetry_pct,
    change_pct,
    checklist_verdict,
    format_number,
    nice_ticks,
    rounded_pct,
    trend_chart,
    weaker_leg,
)

checked = settings(max_examples=300, database=None, deadline=None)
amounts = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)
positive = st.decimals(min_value=D("0.01"), max_value=100000, places=2)

STRENGTH = Rule(bilateral=True)  # 10% asymmetry, within 10% of baseline
RANGE = Rule(bilateral=True, baseline_threshold_pct=None)
SPRINT = Rule(bilateral=False, higher_is_better=False)


@pytest.mark.parametrize(
    "left, right, expected",
    [
        ("100", "100", "0"),
        ("0", "0", "0"),  # both zero: no difference, not a division by zero
        ("100", "90", "10"),
        ("90", "100", "10"),
        ("100", "0", "100"),
        ("0", "42.5", "100"),
        ("310", "285", "8.1"),
        ("200", "180.2", "9.9"),
        ("200", "179.8", "10.1"),
        ("1.12", "1.20", "6.7"),  # times (lower is better) use the same formula
    ],
)
def test_asymmetry_is_the_difference_as_a_share_of_the_larger_side(left, right, expected):
    assert rounded_pct(asymmetry_pct(D(left), D(right))) == D(expected)


@pytest.mark.parametrize(
    "baseline, current, expected",
    [("100", "90", "-10"), ("100", "110", "10"), ("200", "200", "0"), ("320", "300", "-6.25"), ("0", "5", None)],
)
def test_change_against_the_baseline_in_percent(baseline, current, expected):
    change = change_pct(D(baseline), D(current))
    assert change == (None if expected is None else D(expected))


def test_numbers_that_cannot_be_results_are_refused():
    with pytest.raises(MeasureError):
        asymmetry_pct(D(-1), D(10))
    with pytest.raises(MeasureError):
        Reading(left=D(10))  # a bilateral result needs both legs
    with pytest.raises(MeasureError):
        Reading(left=D(10), right=D(10), value=D(1))
    with pytest.raises(MeasureError):
        Reading(value=D("-0.5"))
    with pytest.raises(MeasureError):
        Reading(value=D("NaN"))
    assert Reading(left=100, right=90.5).right == D("90.5")  # plain numbers become exact decimals


@checked
@given(amounts, amounts)
def test_asymmetry_is_symmetric_in_the_legs_and_between_0_and_100(left, right):
    assert asymmetry_pct(left, right) == asymmetry_pct(right, left)
    assert 0 <= asymmetry_pct(left, right) <= 100


@checked
@given(amounts)
def test_asymmetry_is_0_when_the_legs_are_equal(value):
    assert asymmetry_pct(value, value) == 0


@checked
@given(positive, positive)
def test_asymmetry_is_0_only_when_the_legs_are_equal(left, right):
    assert (asymmetry_pct(left, right) == 0) == (left == right)


@checked
@given(positive, positive, st.sampled_from([D(2), D(10), D("0.5")]))
def test_asymmetry_does_not_depend_on_the_unit(left, right, factor):
    assert rounded_pct(asymmetry_pct(left, right)) == rounded_pct(asymmetry_pct(left * factor, right * factor))


@checked
@given(positive, amounts)
def test_change_is_0_against_itself_and_its_sign_follows_the_direction(baseline, current):
    assert change_pct(baseline, baseline) == 0
    change = change_pct(baseline, current)
    assert (change > 0) == (current > baseline) and (change < 0) == (current < baseline)


@checked
@given(amounts, amounts)
def test_the_verdict_does_not_depend_on_which_leg_is_which(left, right):
    swapped = assess(Reading(left=right, right=left), None, STRENGTH)
    assert assess(Reading(left=left, right=right), None, STRENGTH).met == swapped.met


@pytest.mark.parametrize(
    "left, right, met",
    [
        ("200", "180.2", True),  # 9.9%
        ("200", "180", True),  # exactly 10%
        ("200", "180.08", True),  # 9.96% shows as 10.0%: decided as shown
        ("200", "179.9", False),  # 10.05% shows as 10.1%
        ("200", "179.8", False),  # 10.1%
    ],
)
def test_strength_asymmetry_threshold_is_inclusive_and_decided_as_shown(left, right, met):
    assessment = assess(Reading(left=D(left), right=D(right)), None, STRENGTH)
    assert assessment.asymmetry_ok is met and assessment.met is met
    assert assessment.baseline_ok is None  # no baseline: only the asymmetry decides
    assert "No result before the injury" in " ".join(assessment.reasons)


@pytest.mark.parametrize(
    "now_left, met",
    [("270", True), ("300", True), ("330", True), ("269.7", False)],  # -10%, ..., +10%, -10.1%
)
def test_the_injured_leg_must_be_within_10pct_of_its_baseline(now_left, met):
    baseline = Reading(left=D(300), right=D(300))
    latest = Reading(left=D(now_left), right=D(now_left))  # symmetric: only the baseline decides
    assessment = assess(latest, baseline, STRENGTH, frozenset({Leg.LEFT}))
    assert assessment.baseline_ok is met and assessment.met is met
    assert [change.leg for change in assessment.baseline_changes] == [Leg.LEFT]


def test_only_the_injured_leg_is_held_to_its_baseline():
    baseline = Reading(left=D(300), right=D(400))
    latest = Reading(left=D(295), right=D(300))  # right lost 25%, left 1.7%; asymmetry 1.7%
    assert assess(latest, baseline, STRENGTH, frozenset({Leg.LEFT})).met is True
    assert assess(latest, baseline, STRENGTH, frozenset({Leg.RIGHT})).met is False
    assert assess(latest, baseline, STRENGTH, BOTH_LEGS).met is False


def test_both_checks_must_pass():
    baseline = Reading(left=D(300), right=D(300))
    lopsided = assess(Reading(left=D(300), right=D(250)), baseline, STRENGTH)
    assert (lopsided.asymmetry_ok, lopsided.met) == (False, False)
    weak = assess(Reading(left=D(200), right=D(200)), baseline, STRENGTH)
    assert (weak.asymmetry_ok, weak.baseline_ok, weak.met) == (True, False, False)


def test_range_is_judged_on_asymmetry_only():
    assessment = assess(Reading(left=D(80), right=D(75)), Reading(left=D(100), right=D(100)), RANGE)
    assert assessment.met is True and assessment.baseline_changes == ()


def test_lower_is_better_tests_fail_when_slower_than_baseline():
    baseline = Reading(value=D("1.10"))
    assert assess(Reading(value=D("1.21")), baseline, SPRINT).met is True  # +10.0%
    assert assess(Reading(value=D("1.2112")), baseline, SPRINT).met is False  # +10.1%
    assert assess(Reading(value=D("0.95")), baseline, SPRINT).met is True  # faster
    assert assess(Reading(value=D("1.05")), None, SPRINT).met is None  # nothing to compare with


def test_lower_is_better_bilateral_tests_use_the_same_asymmetry():
    hop = Rule(bilateral=True, higher_is_better=False)
    assert assess(Reading(left=D("2.0"), right=D("2.3")), None, hop).asymmetry_pct == D("13.0")
    assert weaker_leg(Reading(left=D("2.0"), right=D("2.3")), higher_is_better=False) is Leg.RIGHT


def test_a_zero_baseline_is_not_compared():
    assessment = assess(Reading(left=D(100), right=D(95)), Reading(left=D(0), right=D(0)), STRENGTH)
    assert assessment.baseline_changes == () and assessment.met is True


def test_nothing_is_decided_without_a_result_since_the_injury():
    assessment = assess(None, Reading(left=D(300), right=D(300)), STRENGTH)
    assert assessment.met is None and assessment.reasons == ("Not measured since the injury.",)


def test_a_result_of_the_wrong_shape_is_an_error():
    with pytest.raises(MeasureError):
        assess(Reading(value=D(1)), None, STRENGTH)


@pytest.mark.parametrize(
    "verdicts, expected",
    [([], None), ([None], None), ([True], True), ([True, None], True), ([True, False], False), ([None, False], False)],
)
def test_an_item_is_met_when_every_deciding_test_passes(verdicts, expected):
    assert checklist_verdict([Assessment(met=verdict) for verdict in verdicts]) is expected


def test_weaker_leg():
    assert weaker_leg(Reading(left=D(280), right=D(300))) is Leg.LEFT
    assert weaker_leg(Reading(left=D(300), right=D(300))) is None
    assert weaker_leg(Reading(value=D(1))) is None


@pytest.mark.parametrize("number, text", [(D("310.00"), "310"), (D("1.20"), "1.2"), (D("0"), "0"), (D("100"), "100")])
def test_numbers_are_written_as_a_coach_would(number, text):
    assert format_number(number) == text


@pytest.mark.parametrize(
    "low, high, expected",
    [(0, 100, [0, 25, 50, 75, 100]), (265, 312, [260, 280, 300, 320]), (1.1, 1.25, [1.1, 1.15, 1.2, 1.25])],
)
def test_nice_ticks(low, high, expected):
    assert nice_ticks(low, high) == pytest.approx(expected)


@checked
@given(st.floats(min_value=0, max_value=1e5), st.floats(min_value=0, max_value=1e5))
def test_nice_ticks_cover_the_range(a, b):
    low, high = min(a, b), max(a, b)
    ticks = nice_ticks(low, high)
    assert ticks[0] <= low and ticks[-1] >= high and len(ticks) >= 2


def _nordic(day, left, right):
    return DatedReading(day, Reading(left=D(left), right=D(right)))


def test_trend_chart_draws_both_legs_inside_the_plot_with_the_injury_marked():
    readings = [_nordic(date(2026, 1, 5), 300, 310), _nordic(date(2026, 3, 20), 240, 305), _nordic(date(2026, 4, 20), 295, 300)]
    markers = [ChartMarker(date(2026, 3, 1), "Injury 1 Mar", "onset"), ChartMarker(date(2026, 5, 1), "Return 1 May", "return")]
    chart = trend_chart(readings, markers)
    assert [series.key for series in chart.series] == ["left", "right"]
    points = [point for series in chart.series for point in series.points]
    assert all(PLOT_LEFT <= p.x <= PLOT_RIGHT and PLOT_TOP <= p.y <= PLOT_BOTTOM for p in points)
    left = chart.series[0].points
    assert left[0].x == PLOT_LEFT and left[1].y > left[0].y  # a drop is drawn lower down
    assert chart.markers[-1].x == PLOT_RIGHT  # the axis reaches the return
    assert [m.kind for m in chart.markers] == ["onset", "return"]
    assert PLOT_LEFT < chart.markers[0].x < left[1].x
    assert chart.series[0].polyline.count(",") == 3
    assert chart.height == CHART_HEIGHT


def test_trend_chart_of_one_result_and_of_a_single_value_test():
    assert trend_chart([]) is None
    chart = trend_chart([DatedReading(date(2026, 4, 1), Reading(value=D("1.12")))])
    assert [series.key for series in chart.series] == ["value"]
    point = chart.series[0].points[0]
    assert PLOT_LEFT < point.x < PLOT_RIGHT and PLOT_TOP <= point.y <= PLOT_BOTTOM
    assert len(chart.y_ticks) >= 2 and len(chart.x_ticks) >= 2
