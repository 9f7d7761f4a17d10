import csv
import re

COLUMNS = [
    "athlete",
    "team",
    "side",
    "onset_date",
    "classification",
    "triage_classification",
    "referral",
    "doctor_status",
    "phase",
    "expected_return_from",
    "expected_return_to",
    "cleared_on",
    "recurrence",
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
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for injury in injuries:
        writer.writerow(
            _cell(value)
            for value in [
                injury.athlete.full_name,
                injury.athlete.team.name,
                injury.side,
                injury.onset_date,
                injury.classification,
                injury.complaint.classification,
                injury.referral,
                injury.doctor_status,
                injury.phase,
                injury.expected_return_from,
                injury.expected_return_to,
                injury.cleared_on,
                "yes" if injury.is_recurrence else "no",
            ]
        )
