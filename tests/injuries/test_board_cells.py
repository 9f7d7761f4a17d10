"""The availability board and the roster as their selectors now build them: one query gives each
row's open injury or episode (injuries/selectors.py ``with_board_status``, injuries/status.py
``annotate``), the cells are strings built once. The same rows, order and HTML as the page printed
before: the board's rows against the four subqueries and the query of the open injuries by id
they replaced (`_with_availability`, `_open_injuries`, kept here as the reference) and
``status_of``, each row's cells against the template they came from."""

import re

import pytest
from django.template import Context, Template
from django.db.models import F, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from athletes.models import Athlete
from injuries import examples, pathway, selectors, services
from injuries.display import CLASSIFICATION_LABELS
from injuries.forms import ExportForm
from injuries.models import Episode, Injury
from tests.factories import AthleteFactory, InjuryFactory, TeamFactory, move_on

# The cells as templates/injuries/board.html and templates/athletes/roster.html printed them.
BOARD_CELLS = Template(
    '<td><a href="{{ row.url }}">{{ row.name }}</a>{% if not team %} <span class="muted">{{ row.team_name }}</span>{% endif %}</td>'
    '<td><span class="status status-{{ row.status }}">{{ row.status_label }}</span>{% if row.recurrence_risk %} <span class="badge badge-warn">recurrence risk</span>{% endif %}</td>'
    '<td>{% if row.record_url %}<a href="{{ row.record_url }}">{{ row.record_label }}</a>{% else %}—{% endif %}</td>'
    "<td>{{ row.expected_back }}</td>"
)
ROSTER_CELLS = Template(
    '<td><a href="{{ row.url }}">{{ row.name }}</a>{% if row.archived %} <span class="badge">archived</span>{% endif %}</td>'
    '<td class="roster-status">{% if row.status_words %}<span class="status status-{{ row.status_kind }}">{{ row.status_words }}</span>{% endif %}</td>'
    "<td>{{ row.team_name }}</td><td>{{ row.sport }}</td><td>{{ row.position }}</td><td>{{ row.app }}</td>"
)


def _squeeze(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", str(html))).strip()


@pytest.fixture
def mixed(world):
    """Every kind of board row in a team whose names need escaping, and a second team."""
    team = TeamFactory(name="Rovers & <Co>", coaches=[world.coach])
    rehab = AthleteFactory(team=team, last_name="O'Brien", first_name="<Sé>", sport="Rugby & League")
    move_on(InjuryFactory(complaint__athlete=rehab, complaint__answers={"pain_score": 6}), "rehab", world.coach)
    back = AthleteFactory(team=team, last_name="Back")
    move_on(move_on(InjuryFactory(complaint__athlete=back), "rehab", world.coach), "return_to_training", world.coach)
    InjuryFactory(complaint__athlete=AthleteFactory(team=team, last_name="Waiting"), complaint__answers={"swelling": "severe"})
    services.complaint_log(athlete=AthleteFactory(team=team, last_name="Lighter"), logged_by=world.coach, answers=examples.typed_answers("doms"))
    both = AthleteFactory(team=team, last_name="Both")  # an open injury and an open episode: the injury decides
    InjuryFactory(complaint__athlete=both)
    services.complaint_log(athlete=both, logged_by=world.coach, answers=examples.typed_answers("doms"))
    returned = AthleteFactory(team=team, last_name="Returned")  # cleared today: at risk of recurrence
    injury = InjuryFactory(complaint__athlete=returned)
    for phase in ("rehab", "return_to_training", "cleared"):
        move_on(injury, phase, world.coach)
    AthleteFactory(team=team, last_name="Archived", archived_at=timezone.now())
    AthleteFactory.create_batch(3, team=team)
    return team


def _with_availability(athletes):
    """The board's annotations before ``with_board_status``: four correlated subqueries."""
    open_injury = Injury.objects.filter(athlete=OuterRef("pk")).open().order_by("-onset_date", "-id")
    open_episode = Episode.objects.filter(athlete=OuterRef("pk")).open().order_by("-started_on", "-id")
    last_return = Injury.objects.filter(athlete=OuterRef("pk"), cleared_on__isnull=False).order_by("-cleared_on")
    return athletes.annotate(
        injury_id=Subquery(open_injury.values("pk")[:1]),
        expected_return=Subquery(open_injury.values("expected_return_from")[:1]),
        episode_id=Subquery(open_episode.values("pk")[:1]),
        last_return=Subquery(last_return.values("cleared_on")[:1]),
    ).order_by(F("expected_return").asc(nulls_last=True), "last_name", "first_name", "pk")


def _open_injuries(athletes) -> dict:
    ids = [athlete.injury_id for athlete in athletes if athlete.injury_id]
    return Injury.objects.in_bulk(ids) if ids else {}


def _before(user, shown, today):
    """The board's rows as the selector read them before: annotations, then the open injuries by id."""
    athletes = Athlete.objects.for_user(user).active().select_related("team")
    if shown:
        athletes = athletes.filter(team=shown)
    page = list(_with_availability(athletes)[: selectors.BOARD_PAGE_SIZE])
    injuries = _open_injuries(page)
    rows = []
    for athlete in page:
        injury = injuries.get(athlete.injury_id)
        status, label = selectors.status_of(injury, in_episode=athlete.episode_id is not None)
        if injury:
            record = (reverse("injury_detail", args=[injury.pk]), CLASSIFICATION_LABELS[injury.classification])
        elif athlete.episode_id:
            record = (reverse("episode_detail", args=[athlete.episode_id]), "Minor episode")
        else:
            record = ("", "")
        back = date_format(athlete.expected_return) if athlete.expected_return else "—"
        rows.append((athlete.pk, status, label, *record, back, pathway.at_recurrence_risk(athlete.last_return, today)))
    return rows


@pytest.mark.parametrize("which", ["team", "all"])
def test_the_board_reads_and_prints_the_rows_it_did(coach_client, world, mixed, which):
    response = coach_client.get(reverse("availability_board"), {"team": mixed.pk if which == "team" else "all"})
    shown = response.context["team"]
    rows = response.context["rows"]
    assert [
        (row["pk"], row["status"], row["status_label"], row["record_url"], row["record_label"], row["expected_back"], row["recurrence_risk"])
        for row in rows
    ] == _before(world.coach, shown, timezone.localdate())
    assert {row["status"] for row in rows} == {"available", "modified", "unavailable"}
    assert any(row["recurrence_risk"] for row in rows) and any(row["record_label"] == "Minor episode" for row in rows)
    body = response.content.decode()
    for row in rows:
        assert _squeeze(row["cells_html"]) == _squeeze(BOARD_CELLS.render(Context({"row": row, "team": shown})))
        assert _squeeze(row["cells_html"]) in _squeeze(body)
    assert "O&#x27;Brien, &lt;Sé&gt;" in body and "<Sé>" not in body
    assert ("Rovers &amp; &lt;Co&gt;</span>" in body) is (which == "all")


def test_the_export_form_prints_as_the_shared_form_template(coach_client, world):
    body = coach_client.get(reverse("availability_board"), {"team": world.team.pk}).content.decode()
    shown = re.search(r'novalidate>(.*?)<p class="actions">', body, re.S).group(1)
    expected = Template('{% include "_form.html" with form=form %}').render(Context({"form": ExportForm()}))
    assert _squeeze(shown) == _squeeze(expected)
    assert 'aria-describedby="id_start_helptext"' in shown and 'id="id_start_helptext"' in shown
    # every team: no export form
    assert 'action="/teams/' not in coach_client.get(reverse("availability_board"), {"team": "all"}).content.decode()


def test_the_roster_prints_the_cells_it_did(coach_client, world, mixed):
    for query in ({}, {"status": "archived"}):
        response = coach_client.get(reverse("roster"), query)
        page = response.context["page"]
        assert page.rows
        body = _squeeze(response.content.decode())
        for row in page.rows:
            assert _squeeze(row["cells_html"]) == _squeeze(ROSTER_CELLS.render(Context({"row": row})))
            assert _squeeze(row["cells_html"]) in body
    body = coach_client.get(reverse("roster")).content.decode()
    assert "O&#x27;Brien, &lt;Sé&gt;" in body and "Rugby &amp; League" in body and "signed up" in body
    assert "Grade 2 strain — rehab" in body and "Delayed-onset muscle soreness — training lighter" in body
    assert '<span class="badge">archived</span>' in coach_client.get(reverse("roster"), {"status": "archived"}).content.decode()
