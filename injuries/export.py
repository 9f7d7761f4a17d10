import csv

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


def _cell(value) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: never let a name do that."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


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
