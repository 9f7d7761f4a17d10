"""The injury page's summary (status, phase, next step, what to do now, what clearing still
needs), its jump links and folded sections, and the timelines' labels, which never overlap nor
leave their card (injuries/timeline.py)."""

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from injuries import timeline
from tests.factories import InjuryFactory, move_on

TODAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 3, 10, 12)), tick=False):
        yield


def _page(client, injury) -> str:
    return client.get(reverse("injury_detail", args=[injury.pk])).content.decode()


def _next_step(body) -> str:
    start = body.index('<div id="next-step"')
    return re.sub(r"\s+", " ", body[start:body.index("</div>", start)])


def _summary(body) -> str:
    return body[body.index('id="summary-heading"'):body.index('<div class="injury-sections">')]


# --- What to do now ----------------------------------------------------------------------------------


def test_in_protect_the_summary_asks_for_the_missing_criteria_and_what_clearing_needs_after(coach_client, world):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    step = _next_step(_page(coach_client, injury))
    assert "Next step: rehab.</strong> Still missing: Walks normally without pain; Pain at rest is 2/10 or less." in step
    assert ("What to do now:</strong> Tick each criterion on the checklist once it holds (2 to go), then move the "
            'athlete on to rehab. <a href="#checklist">Go to the checklist</a>') in step
    later = re.search(r"Then, before the athlete can be cleared, still missing: (.*?)\.</p>", step).group(1).split("; ")
    assert "Walks and jogs without pain" in later and "The athlete feels confident" in later
    assert "Walks normally without pain" not in later  # said once, in the next step


def test_with_every_criterion_met_the_summary_says_move_on(coach_client, world):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    for item in ("walks_pain_free", "rest_pain_low"):
        coach_client.post(reverse("injury_check", args=[injury.pk, item]), {"done": "true"})
    step = _next_step(_page(coach_client, injury))
    assert "Every criterion is met." in step
    assert 'Every criterion is met: move the athlete on to rehab when you are ready. <a href="#phase-control">Change the phase</a>' in step


def test_an_urgent_case_asks_for_the_doctors_review_first_and_says_see_a_doctor_on_top(coach_client, world):
    injury = InjuryFactory(complaint__athlete=world.athlete, complaint__answers={"swelling": "severe"})
    body = _page(coach_client, injury)
    assert '<a href="#doctor-review">Record the doctor&#x27;s review</a>' in _next_step(body)
    banner = body[body.index('<div class="urgent" id="waiting-for-doctor" role="alert">'):]
    assert banner.index("See a doctor now") < banner.index("Waiting for a doctor's review")
    assert body.index('id="waiting-for-doctor"') < body.index('id="summary-heading"')
    review = body[body.index('id="doctor-review"'):body.index('id="phase-control"')]
    assert '<details class="fold" open>' in review  # the form the pathway waits for is open


def test_a_cleared_injury_says_nothing_to_change_and_until_when_to_watch(coach_client, world):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    for phase in ("rehab", "return_to_training", "cleared"):
        move_on(injury, phase, world.coach)
    body = _page(coach_client, injury)
    step = _next_step(body)
    assert "Next step" not in step
    assert "Nothing to change: the athlete is cleared. A re-injury is most likely until 9 May 2026" in step
    assert re.search(r"<dt>Status</dt>\s*<dd>Cleared on 10 Mar 2026</dd>", _summary(body))


def test_ticking_an_item_updates_what_to_do_now_out_of_band(coach_client, world):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    response = coach_client.post(
        reverse("injury_check", args=[injury.pk, "walks_pain_free"]), {"done": "true"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card" id="checklist"')
    assert '<div id="next-step" hx-swap-oob="true">' in body and '<div id="criteria" hx-swap-oob="true">' in body
    assert "(1 to go)" in _next_step(body)


def test_the_summary_shows_status_phase_and_classification_in_words(coach_client, world):
    injury = InjuryFactory(complaint__athlete=world.athlete, complaint__answers={"pain_score": 6})
    move_on(injury, "rehab", world.coach)
    summary = re.sub(r"<[^>]+>", " ", _summary(_page(coach_client, injury)))
    summary = re.sub(r"\s+", " ", summary)
    assert "Status Open Phase Rehab since 10 Mar 2026 Classification Grade 2 strain (moderate, partial tear)" in summary
    assert not re.search(r"\b(grade_2|return_to_training|if_not_improving|recommended|advised)\b", summary)


# --- Sections, jump links, folds --------------------------------------------------------------------


def test_every_jump_link_lands_on_a_section_of_the_page(coach_client, world):
    injury = InjuryFactory(complaint__athlete=world.athlete, complaint__answers={"pain_score": 6})  # a doctor's review shown
    body = _page(coach_client, injury)
    start = body.index('<nav class="jump-links"')
    nav = body[start:body.index("</nav>", start)]
    targets = re.findall(r'href="#([a-z-]+)"', nav)
    assert targets == ["timeline", "doctor-review", "phase-control", "checklist", "watch-for", "triage", "notes",
                       "classification"]
    for target in targets:
        assert re.search(rf'<section class="card[^"]*" id="{target}"', body), target
    for name in ("athlete_programme", "athlete_tests"):
        assert f'href="{reverse(name, args=[world.athlete.pk])}"' in nav
    assert f'href="{reverse("injury_history", args=[injury.pk])}"' in nav


def test_long_sections_are_folded_and_a_refused_form_opens_its_own(coach_client, world):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    body = _page(coach_client, injury)
    for section in ("watch-for", "triage", "notes"):
        part = body[body.index(f'id="{section}"'):]
        assert part.index('<details class="fold">') < part.index("</section>"), section
    refused = coach_client.post(reverse("injury_details", args=[injury.pk]), {"notes": "a\x00b"}).content.decode()
    notes = refused[refused.index('id="notes"'):]
    assert notes.index('<details class="fold" open>') < notes.index("</section>")


def test_the_page_loads_its_section_script_from_the_site(coach_client, world):
    body = _page(coach_client, InjuryFactory(complaint__athlete=world.athlete))
    assert '<script src="/static/js/sections.js" defer></script>' in body
    assert "style=" not in body and "onclick" not in body


# --- Timeline labels (pure) ------------------------------------------------------------------------


def _extents(ticks, width_px, minor=True):
    return sorted(timeline._extent(tick, width_px) for tick in ticks if minor or not tick.minor)


def _never_overlap_nor_leave(ticks):
    for width_px, minor in ((timeline.NARROW_PX, False), (timeline.WIDE_PX, True), (1200, True)):
        extents = _extents(ticks, width_px, minor)
        assert all(left >= 0 and right <= width_px for left, right in extents), (width_px, extents)
        assert all(b[0] - a[1] >= timeline.GAP_PX for a, b in zip(extents, extents[1:])), (width_px, extents)


@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    days=st.integers(min_value=1, max_value=2500),
    kind=st.sampled_from(["days", "months"]),
)
def test_axis_labels_never_overlap_nor_leave_the_card_at_any_width(start, days, kind):
    ticks = timeline.Axis(start, start + timedelta(days=days)).ticks(kind)
    _never_overlap_nor_leave(ticks)
    assert [tick.x for tick in ticks] == sorted(tick.x for tick in ticks)
    assert len({tick.day for tick in ticks}) == len(ticks)


@pytest.mark.parametrize("days, kind", [(20, "days"), (60, "days"), (150, "days"), (240, "months"), (900, "months")])
def test_a_phone_shows_a_few_labels_and_a_wide_card_more(days, kind):
    ticks = timeline.Axis(date(2026, 1, 5), date(2026, 1, 5) + timedelta(days=days)).ticks(kind)
    major = [tick for tick in ticks if not tick.minor]
    assert 2 <= len(major) <= 5
    assert len(ticks) >= len(major)


def test_the_labels_at_the_edges_are_anchored_inside_and_positions_are_not_localised():
    ticks = timeline.Axis(date(2026, 3, 2), date(2026, 3, 30)).ticks("days")
    assert ticks[0].day == date(2026, 3, 2) and ticks[0].anchor == "start" and ticks[0].x_pct == "0.00%"
    assert ticks[-1].day == date(2026, 3, 30) and ticks[-1].anchor == "end" and ticks[-1].x_pct == "100.00%"
    assert [tick.label for tick in ticks if not tick.minor] == ["2 Mar", "16 Mar", "30 Mar"]


def test_the_history_strip_labels_months_and_keeps_a_one_day_bar_visible():
    injuries = [
        SimpleNamespace(onset_date=date(2025, 4, 1), cleared_on=date(2025, 4, 1), classification="grade_1",
                        get_classification_display=lambda: "Grade 1 strain", side="left"),
    ]
    strip = timeline.history_strip(injuries, TODAY)
    (bar, _), = strip["bars"]
    assert bar.width >= timeline.MIN_SPAN and bar.width_pct == f"{bar.width / 10:.2f}%"
    assert all(re.fullmatch(r"[A-Z][a-z]{2} \d{4}", tick.label) for tick in strip["ticks"])
    _never_overlap_nor_leave(strip["ticks"])
