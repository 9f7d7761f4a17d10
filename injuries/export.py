"""A team's injuries as CSV: one row per injury, in words a coach reads, then the same values as
the codes a program reads (`classification_code`: grade_1), so a spreadsheet and a script can
both use the file. Dates are ISO (2026-12-03): every spreadsheet reads them as dates.

Every cell is neutralised against spreadsheet formulas (`_cell`).
"""

import csv
import re

from django.utils.text import capfirst

from .sides import side_words


def _day(day) -> str:
    return day.isoformat() if day else ""


# (header, the injury's value in words); the complaint's classification is the triage's own.
COLUMNS = [
    ("Athlete", lambda injury: injury.athlete.full_name),
    ("Team", lambda injury: injury.athlete.team.name),
    ("Side", lambda injury: capfirst(side_words(injury.side))),
    ("Began on", lambda injury: _day(injury.onset_date)),
    ("Classification", lambda injury: injury.get_classification_display()),
    ("Classification at triage", lambda injury: injury.complaint.get_classification_display()),
    ("Referral", lambda injury: injury.get_referral_display()),
    ("Doctor", lambda injury: injury.get_doctor_status_display()),
    ("Phase", lambda injury: injury.get_phase_display()),
    ("Expected back from", lambda injury: _day(injury.expected_return_from)),
    ("Expected back by", lambda injury: _day(injury.expected_return_to)),
    ("Cleared on", lambda injury: _day(injury.cleared_on)),
    ("Recurrence", lambda injury: "Yes" if injury.is_recurrence else "No"),
]
# The stored codes, for programs: they never change when a label is reworded.
CODE_COLUMNS = [
    ("side_code", lambda injury: injury.side),
    ("classification_code", lambda injury: injury.classification),
    ("triage_classification_code", lambda injury: injury.complaint.classification),
    ("referral_code", lambda injury: injury.referral),
    ("doctor_status_code", lambda injury: injury.doctor_status),
    ("phase_code", lambda injury: injury.phase),
]


# What makes a spreadsheet read a cell as a formula when it starts it (OWASP's CSV injection list,
# with the NUL of ASVS 1.2.10 and the full-width forms some spreadsheets accept as well).
FORMULA_STARTS = "=+-@\x00\uff1d\uff0b\uff0d\uff20"
# Where a spreadsheet may start a new cell inside our cell: a reader set to another separator
# (a semicolon in many locales, a tab, a pipe) splits the text there, and lines end at CR or LF.
SEPARATORS = ",;\t|\r\n"
# A formula character at the start of the text or of any such piece, after blanks or quotes.
_PIECE_STARTS_A_FORMULA = re.compile(rf"(?:^|[{re.escape(SEPARATORS)}])[\s\"]*(?=[{re.escape(FORMULA_STARTS)}])")


def _cell(value) -> str:
    """A cell no spreadsheet runs as a formula, however it splits it.

    A quote before the formula character makes the piece text (OWASP CSV injection guidance),
    wherever a piece may start: ';=cmd|' /C calc'!A0' becomes ';'=cmd|' /C calc'!A0'. A cell
    that starts with a tab or a line break (which some spreadsheets strip) gets one in front too.
    """
    text = "" if value is None else str(value)
    text = _PIECE_STARTS_A_FORMULA.sub(lambda match: match.group(0) + "'", text)
    return "'" + text if text[:1] in ("\t", "\r", "\n") else text


def write_injuries_csv(out, injuries) -> None:
    columns = COLUMNS + CODE_COLUMNS
    writer = csv.writer(out)
    writer.writerow(_cell(header) for header, _value in columns)
    for injury in injuries:
        writer.writerow(_cell(value(injury)) for _header, value in columns)
