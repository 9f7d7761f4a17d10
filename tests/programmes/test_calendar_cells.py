"""The athlete calendar's cells and days are built in programmes/selectors.py (not by a tag and a
filter per line in the template): what they print is what the template printed, escaping and the
gating note's truncation included (docs/architecture.md#services-selectors-and-views)."""

from datetime import timedelta

from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from programmes import selectors
from tests.factories import assigned_session

# The template's lines these cells replace, as they were.
CELL = Template(
    """<div class="session session-{{ status }}{% if session.is_recovery %} session-recovery{% endif %}" data-status="{{ status }}">
          <span class="session-status">{{ cell.status_words }}</span>
          {% if session.is_recovery %}<span class="cell-note">Recovery: gentle holds only (not counted)</span>{% endif %}
          {% if session.gating_note %}<span class="cell-note">Lighter: {{ session.gating_note|truncatewords:10 }}</span>{% endif %}
          <ul>{% for item in cell.exercises %}<li>{% if item.withheld %}<del>{{ item.name }}</del> (stopped){% else %}{{ item.name }}: {{ item.dose }}{% endif %}</li>{% endfor %}</ul>
          {% if session.worst_pain is not None %}<span class="muted">pain {{ session.worst_pain }}/10</span>{% endif %}"""
)
DAY = Template(
    """<td class="{{ day.css }}">
        <span class="day"><span class="day-long">{{ day.weekday }} </span>{{ day.day.day }}<span class="day-long"> {{ day.month_name }}</span>{% if day.is_today %}<span class="day-long"> (today)</span>{% endif %}</span>"""
)


def _calendar(session, today):
    return selectors.athlete_calendar(athlete=session.athlete, month=session.date.replace(day=1), today=today)


def _cells(calendar):
    return [cell for week in calendar["calendar"] for day in week for cell in day["cells"]]


def test_cells_and_days_print_what_the_template_printed(world):
    session = assigned_session(world.athlete, world.coach)
    session.gating_note = 'Pain <b>4</b> & "sharp" on Monday: one two three four five six seven eight nine ten'
    session.is_recovery, session.worst_pain, session.completed_at = True, 4, timezone.now()
    session.save()
    withheld = session.exercises.first()
    withheld.withheld_reason = "Pain <5>"
    withheld.save()
    today = timezone.localdate()
    calendar = _calendar(session, today + timedelta(days=1))
    cells = _cells(calendar)
    assert cells and any(cell["session"].pk == session.pk for cell in cells)
    for cell in cells:
        expected = CELL.render(Context({"cell": cell, "session": cell["session"], "status": cell["status"]}))
        assert cell["html"] == expected
    mine = next(cell for cell in cells if cell["session"].pk == session.pk)
    assert "&lt;b&gt;4&lt;/b&gt; &amp; &quot;sharp&quot;" in mine["html"] and " …" in mine["html"]
    assert "(stopped)" in mine["html"] and "pain 4/10" in mine["html"] and "session-recovery" in mine["html"]
    days = [day for week in calendar["calendar"] for day in week]
    assert sum("(today)" in day["head_html"] for day in days) == 1
    for day in days:
        assert day["head_html"] == DAY.render(Context({"day": day}))


def test_an_upcoming_cell_still_has_its_move_form(coach_client, world):
    session = assigned_session(world.athlete, world.coach, start=timezone.localdate() + timedelta(days=2))
    page = coach_client.get(
        reverse("athlete_programme", args=[world.athlete.pk]), {"month": session.date.strftime("%Y-%m")}
    ).content.decode()
    assert f'action="{reverse("session_move", args=[session.pk])}"' in page
    assert f'id="move-{session.pk}"' in page and 'data-status="upcoming"' in page
