"""What the test pages show, ready to render: the athlete's test cards and the team's screening
table (docs/architecture.md#services-selectors-and-views). Views fetch the athlete or the team
through athletes/access.py first; these only read.
"""

import html

from django.utils.formats import date_format, localize
from django.utils.safestring import mark_safe

from athletes import links

from . import hooks
from . import measures as m
from .models import TestResult, TestType
from .services import clearance_evidence, reading_of


def result_summary(result: TestResult) -> str:
    """“left 310 N, right 285 N (asymmetry 8.1%)” or “1.12 s”."""
    unit = result.test_type.unit
    if result.value is not None:
        return f"{m.format_number(result.value)} {unit}"
    asymmetry = m.rounded_pct(m.asymmetry_pct(result.left, result.right))
    return (
        f"left {m.format_number(result.left)} {unit}, right {m.format_number(result.right)} {unit} "
        f"(asymmetry {asymmetry}%)"
    )


def _injury_markers(injuries, first, last) -> list[m.ChartMarker]:
    """Onsets and returns of the injuries that overlap the results' span."""
    markers = []
    for injury in injuries:
        if injury.onset_date <= last and (injury.cleared_on or last) >= first:
            onset, back = injury.onset_date, injury.cleared_on
            markers.append(m.ChartMarker(onset, f"Injury {date_format(onset, 'MONTH_DAY_FORMAT')}", "onset"))
            if back:
                markers.append(m.ChartMarker(back, f"Return {date_format(back, 'MONTH_DAY_FORMAT')}", "return"))
    return markers


def _test_card(test_type, results, injuries, reference):
    """One test on the athlete's page: latest result, asymmetry, baseline change, trend chart."""
    latest = results[-1]
    reading = reading_of(latest)
    asymmetry = m.rounded_pct(m.asymmetry_pct(latest.left, latest.right)) if test_type.bilateral else None
    baseline = changes = None
    if reference is not None:
        before = [result for result in results if result.tested_on < reference.onset_date]
        baseline = before[-1] if before else None
    if baseline is not None and latest.tested_on > reference.onset_date:
        changes = [
            (leg, m.change_pct(getattr(baseline, leg), getattr(latest, leg)))
            for leg in (["left", "right"] if test_type.bilateral else ["value"])
        ]
        changes = [(leg, m.rounded_pct(pct)) for leg, pct in changes if pct is not None]
    return {
        "test_type": test_type,
        "latest": latest,
        "asymmetry": asymmetry,
        "over": asymmetry is not None and asymmetry > test_type.asymmetry_threshold_pct,
        "weaker": m.weaker_leg(reading, test_type.higher_is_better),
        "baseline": baseline,
        "changes": changes,
        "rows": [
            (result, m.rounded_pct(m.asymmetry_pct(result.left, result.right)) if test_type.bilateral else None)
            for result in reversed(results)
        ],
        "chart": m.trend_chart(
            [m.DatedReading(result.tested_on, reading_of(result)) for result in results],
            _injury_markers(injuries, results[0].tested_on, latest.tested_on),
        ),
    }


def _measured_checks(injury) -> list:
    """The open injury's checklist items that the measured tests speak to, each with its evidence."""
    evidence = clearance_evidence(injury)
    checks = list(injury.checks.select_related("changed_by"))
    for check in checks:
        check.evidence = evidence.get(check.item)
    return [check for check in checks if check.evidence is not None]


def athlete_test_cards(*, athlete) -> dict:
    """Every test the athlete has done (latest values, asymmetry, baseline and a trend per test),
    and the measured criteria of their open injury. A fixed number of queries."""
    results = list(athlete.test_results.select_related("test_type", "recorded_by").order_by("tested_on", "id"))
    injuries = list(athlete.injuries.all())
    open_injury = next((injury for injury in injuries if injury.is_open), None)
    reference = open_injury or (injuries[0] if injuries else None)  # baselines are before its onset
    by_type = {}
    for result in results:
        by_type.setdefault(result.test_type, []).append(result)
    cards = [
        _test_card(test_type, type_results, injuries, reference)
        for test_type, type_results in sorted(by_type.items(), key=lambda pair: (pair[0].order, pair[0].name))
    ]
    return {
        "cards": cards,
        "reference": reference,
        "open_injury": open_injury,
        "measured_checks": _measured_checks(open_injury) if open_injury else [],
    }


def _screening_cell(result, test_type, dates: dict, percents: dict):
    """One cell of the screening table. Besides the values (the API reads those), the words the
    page prints, computed here so that the template only prints them (``dates`` and ``percents``
    memoise each test date's and each asymmetry's words: a team is tested on a few days, and
    asymmetries rounded to a tenth repeat)."""
    if result is None:
        return {"test_type": test_type, "result": None, "over": False, "label": test_type.name, "key": test_type.key}
    asymmetry = m.rounded_pct(m.asymmetry_pct(result.left, result.right))
    over = asymmetry > test_type.asymmetry_threshold_pct
    weaker = m.weaker_leg(reading_of(result), test_type.higher_is_better)
    tested_on = dates.get(result.tested_on) or dates.setdefault(result.tested_on, date_format(result.tested_on))
    percent = percents.get(asymmetry) or percents.setdefault(asymmetry, localize(asymmetry))
    return {
        "test_type": test_type,
        "result": result,
        "asymmetry": asymmetry,
        "over": over,
        "weaker": weaker,
        "label": test_type.name,
        "key": test_type.key,
        "css": "asymmetry asymmetry-over" if over else "asymmetry",
        "text": f"⚠ {percent}% over" if over else f"{percent}%",
        "tested_on": tested_on,
    }


def team_screening_table(*, team, flagged_only: bool = False, columns_for_day=None) -> dict:
    """The latest asymmetry of every active athlete in every bilateral test; over-threshold flagged.

    A fixed number of queries whatever the squad: the athletes, the test types, and each
    athlete's latest result per test in one windowed query. Each row carries its link and name,
    each cell its words: the page's template loops over them without a tag or filter per cell.
    ``columns_for_day``: the page's day, for which the athletes' query also brings what the
    extra columns read (``hooks.annotate``; ``screening_columns`` then adds them); the API's
    screening gives none and reads the table alone.
    """
    test_types = list(TestType.objects.filter(bilateral=True))
    # Plain rows, not models: the cells read these six values alone (a team of 100 in 4 tests is
    # 400 results, and building a model each was a tenth of the page's CPU on the bench's data).
    latest = TestResult.objects.filter(
        athlete__team=team, athlete__archived_at__isnull=True, test_type__bilateral=True
    ).latest_per_athlete_and_test().values_list("athlete_id", "test_type_id", "tested_on", "left", "right", "value", named=True)
    found = {(result.athlete_id, result.test_type_id): result for result in latest}
    tests_url = links.by_pk("athlete_tests")
    dates, percents = {}, {}
    rows = []
    # The date of birth too: the extra columns may judge the age (monitoring's risk checklist).
    athletes = team.athletes.active().only("first_name", "last_name", "date_of_birth", "team_id")
    if columns_for_day is not None:
        athletes = hooks.annotate(athletes, today=columns_for_day)
    for athlete in athletes:
        cells = [_screening_cell(found.get((athlete.pk, test_type.pk)), test_type, dates, percents) for test_type in test_types]
        rows.append({
            "athlete": athlete,
            "name": f"{athlete.last_name}, {athlete.first_name}",
            "url": tests_url(athlete.pk),
            "cells": cells,
            "flagged": any(cell["over"] for cell in cells),
        })
    return {
        "test_types": test_types,
        "rows": [row for row in rows if row["flagged"]] if flagged_only else rows,
        "flagged_count": sum(row["flagged"] for row in rows),
        "athlete_count": len(rows),
        "flagged_only": flagged_only,
    }


def screening_columns(table: dict, *, user, team, today) -> dict:
    """The columns apps above testing add to the screening page (testing/hooks.py), for the rows
    the table shows: each row gets its cells in the columns' order. The page's only; the API
    reads ``team_screening_table`` alone."""
    columns = hooks.columns_for(user=user, team=team, athletes=[row["athlete"] for row in table["rows"]], today=today)
    escaped = {}
    for row in table["rows"]:
        row["extra_cells"] = [(column.heading, column.cells.get(row["athlete"].pk)) for column in columns]
        row["cells_html"] = mark_safe("\n      ".join(
            [_test_cell_html(cell, escaped) for cell in row["cells"]]
            + [_extra_cell_html(heading, cell, escaped) for heading, cell in row["extra_cells"]]
        ))
    return {**table, "extra_columns": columns}


# The screening page's cells are filled here, each word escaped (once per distinct word: the
# tests' names, the dates and the percentages repeat down the table), rather than by eight
# template lookups and tags per cell: a team of 100 in 4 tests and a column is 500 cells, and the
# template's loops over them were most of the page's rendering, about 10 ms of CPU a request on
# the bench's data (docs/architecture.md#services-selectors-and-views). The template prints them.
def _escape(text, escaped: dict) -> str:
    text = str(text)
    found = escaped.get(text)
    if found is None:
        found = escaped[text] = html.escape(text)  # what the template's autoescape writes
    return found


def _test_cell_html(cell: dict, escaped: dict) -> str:
    td = f'<td data-label="{_escape(cell["label"], escaped)}" data-test="{_escape(cell["key"], escaped)}">'
    if not cell["result"]:
        return f'{td}<span class="muted">not tested</span></td>'
    weaker = f' <span class="muted">{_escape(cell["weaker"], escaped)} weaker</span>' if cell["weaker"] else ""
    return (f'{td}<span class="{cell["css"]}">{_escape(cell["text"], escaped)}</span>{weaker}'
            f' <span class="muted">{_escape(cell["tested_on"], escaped)}</span></td>')


def _extra_cell_html(heading: str, cell: hooks.ScreeningCell | None, escaped: dict) -> str:
    td = f'<td data-label="{_escape(heading, escaped)}" class="screening-extra">'
    if not cell:
        return f'{td}<span class="muted">—</span></td>'
    text = _escape(cell.text, escaped)
    if cell.flagged:
        text = f'<strong class="flag">{text}</strong>'
    note = f' <span class="muted">({_escape(cell.note, escaped)})</span>' if cell.note else ""
    return f"{td}{text}{note}</td>"
