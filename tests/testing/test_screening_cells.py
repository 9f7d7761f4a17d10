"""The screening page's cells, filled in testing/selectors.py rather than by the template: each
word escaped, every kind of cell (over the limit, under it, not tested; a column's cell flagged,
plain, with a note, or missing) printed as the template printed it."""

import html
from datetime import date

from django.urls import reverse

from testing import hooks
from testing.models import TestType
from tests.factories import TestResultFactory


def _column(cells):
    def provider(*, user, team, athletes, today):
        return hooks.ScreeningColumn('Says <b> & "more"', cells, "")
    return provider


def _row(body: str, athlete) -> str:
    row = body[body.index(f'<tr data-athlete="{athlete.pk}"'):]
    return row[:row.index("</tr>")]


def test_each_kind_of_cell_reads_as_before_and_every_word_is_escaped(coach_client, world, monkeypatch):
    TestType.objects.filter(key="nordic").update(name="Nordic <eccentric> & co")
    nordic = TestType.objects.get(key="nordic")
    TestResultFactory(athlete=world.athlete, test_type=nordic, left=300, right=240, tested_on=date(2026, 11, 23))  # 20%
    TestResultFactory(athlete=world.other_athlete, test_type=nordic, left=300, right=300, tested_on=date(2026, 11, 23))
    cells = {
        world.athlete.pk: hooks.ScreeningCell("⚠ Age <40> & \"so\"", True, "1 <not> recorded"),
        # world.other_athlete: no cell, a dash
    }
    monkeypatch.setattr(hooks, "screening_columns", [_column(cells)])
    body = coach_client.get(reverse("team_screening", args=[world.team.pk])).content.decode()
    assert '<th scope="col">Says &lt;b&gt; &amp; &quot;more&quot;</th>' in body
    mine, theirs = _row(body, world.athlete), _row(body, world.other_athlete)
    name = "Nordic &lt;eccentric&gt; &amp; co"
    assert (f'<td data-label="{name}" data-test="nordic"><span class="asymmetry asymmetry-over">⚠ 20.0% over</span>'
            ' <span class="muted">right weaker</span> <span class="muted">23 Nov 2026</span></td>') in mine
    assert f'<td data-label="{name}" data-test="nordic"><span class="asymmetry">0.0%</span> <span class="muted">23 Nov 2026</span></td>' in theirs
    assert '<td data-label="Active straight-leg raise" data-test="aslr"><span class="muted">not tested</span></td>' in mine
    heading = "Says &lt;b&gt; &amp; &quot;more&quot;"
    assert (f'<td data-label="{heading}" class="screening-extra"><strong class="flag">⚠ Age &lt;40&gt; &amp; &quot;so&quot;</strong>'
            ' <span class="muted">(1 &lt;not&gt; recorded)</span></td>') in mine
    assert f'<td data-label="{heading}" class="screening-extra"><span class="muted">—</span></td>' in theirs
    assert mine.startswith(f'<tr data-athlete="{world.athlete.pk}" class="row-warn">')
    assert theirs.startswith(f'<tr data-athlete="{world.other_athlete.pk}">')


def test_a_plain_cell_without_a_note_is_its_words(coach_client, world, monkeypatch):
    monkeypatch.setattr(hooks, "screening_columns", [_column({world.athlete.pk: hooks.ScreeningCell("Nothing <flagged>")})])
    body = coach_client.get(reverse("team_screening", args=[world.team.pk])).content.decode()
    cell = '<td data-label="Says &lt;b&gt; &amp; &quot;more&quot;" class="screening-extra">Nothing &lt;flagged&gt;</td>'
    assert cell in _row(body, world.athlete)
    assert html.unescape(cell).count("<flagged>") == 1
