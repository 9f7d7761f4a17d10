"""Importing a team's results from a CSV file: all of it, or none of it.

The format (one row per athlete, test and date; the page at teams/<id>/tests/import/ explains it),
the checks of every row, the write, and the example file the page offers for download.
"""

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import services
from .models import TestResult, TestType
from .services import TestResultError, test_result_values

IMPORT_COLUMNS = ("athlete", "test", "date", "left", "right", "value", "notes")
IMPORT_REQUIRED = ("athlete", "test", "date")
IMPORT_MAX_ROWS = 5000
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class ImportProblem:
    line: int
    message: str


@dataclass(frozen=True)
class ImportOutcome:
    imported: int = 0
    athletes: int = 0
    problems: tuple[ImportProblem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


class _ImportLookups:
    """The team's athletes and the test types, loaded once for the whole file."""

    def __init__(self, team):
        self.team = team
        self.athletes = defaultdict(list)
        for athlete in team.athletes.all():
            self.athletes[str(athlete.pk)].append(athlete)
            if athlete.email:
                self.athletes[athlete.email.casefold()].append(athlete)
            self.athletes[_norm(athlete.full_name)].append(athlete)
        self.test_types = {}
        for test_type in TestType.objects.all():
            self.test_types[test_type.key.casefold()] = test_type
            self.test_types[_norm(test_type.name)] = test_type
        self.test_keys = ", ".join(sorted({tt.key for tt in self.test_types.values()}))

    def athlete(self, text: str):
        if not text:
            raise TestResultError("The athlete is missing.")
        found = {a.pk: a for a in self.athletes.get(_norm(text), [])}
        if not found:
            raise TestResultError(
                f"No athlete “{text}” in {self.team.name}: use their email address, their number or their full name."
            )
        if len(found) > 1:
            raise TestResultError(f"{len(found)} athletes in {self.team.name} match “{text}”: use the email address or number.")
        return next(iter(found.values()))

    def test_type(self, text: str) -> TestType:
        if not text:
            raise TestResultError("The test is missing.")
        try:
            return self.test_types[_norm(text)]
        except KeyError:
            raise TestResultError(f"Unknown test “{text}”: use one of {self.test_keys}.") from None


def _import_date(text: str) -> date:
    try:
        if not ISO_DATE.match(text):
            raise ValueError
        day = date.fromisoformat(text)
    except ValueError:
        raise TestResultError(f"The date “{text}” is not a date written as YYYY-MM-DD, e.g. 2026-03-31.") from None
    if day > timezone.localdate():
        raise TestResultError(f"The date {text} is in the future.")
    return day


def _read_rows(text: str):
    """(line number, {column: cell}) for each non-blank row, or ImportProblems for the header."""
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    try:
        delimiter = csv.Sniffer().sniff(first_line, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    header = [_norm(cell) for cell in next(reader, [])]
    problems = []
    unknown = [name for name in header if name not in IMPORT_COLUMNS]
    missing = [name for name in IMPORT_REQUIRED if name not in header]
    if not any(header):
        problems.append(ImportProblem(1, "The file is empty: the first line must name the columns."))
    else:
        if unknown:
            problems.append(ImportProblem(1, f"Unknown column(s) {', '.join(unknown)}: the columns are {', '.join(IMPORT_COLUMNS)}."))
        if missing:
            problems.append(ImportProblem(1, f"Missing column(s): {', '.join(missing)}."))
        if len(set(header)) != len(header):
            problems.append(ImportProblem(1, "A column is named twice."))
    if problems:
        return [], problems
    rows = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                problems.append(ImportProblem(reader.line_num, "This row has more cells than the header has columns."))
                continue
            cells = [cell.strip() for cell in cells] + [""] * (len(header) - len(cells))
            rows.append((reader.line_num, dict(zip(header, cells))))
    except csv.Error as error:
        problems.append(ImportProblem(reader.line_num + 1, f"This line cannot be read as CSV ({error})."))
    return rows, problems


def _import_row(row: dict, lookups: _ImportLookups):
    """One row as an unsaved TestResult, or the list of its problems."""
    problems, parsed = [], {}
    for name, read in (("athlete", lookups.athlete), ("test_type", lookups.test_type), ("tested_on", _import_date)):
        column = {"test_type": "test", "tested_on": "date"}.get(name, name)
        try:
            parsed[name] = read(row.get(column, ""))
        except TestResultError as error:
            problems.append(str(error))
    if "test_type" in parsed:
        try:
            parsed.update(test_result_values(parsed["test_type"], **{k: row.get(k) for k in ("left", "right", "value")}))
        except TestResultError as error:
            problems.append(str(error))
    notes = row.get("notes", "")
    if len(notes) > 2000:
        problems.append("The notes are longer than 2000 characters.")
    if problems:
        return None, problems
    return TestResult(notes=notes, **parsed), []


def _parse_import(team, text: str):
    rows, problems = _read_rows(text)
    if problems:
        return [], problems
    if not rows:
        return [], [ImportProblem(1, "The file has no results below its header.")]
    if len(rows) > IMPORT_MAX_ROWS:
        return [], [ImportProblem(1, f"The file has {len(rows)} rows: import at most {IMPORT_MAX_ROWS} at a time.")]
    lookups = _ImportLookups(team)
    results, seen = [], {}
    for line, row in rows:
        result, row_problems = _import_row(row, lookups)
        problems += [ImportProblem(line, message) for message in row_problems]
        if result is None:
            continue
        key = (result.athlete.pk, result.test_type.pk, result.tested_on)
        if key in seen:
            problems.append(ImportProblem(line, f"Repeats line {seen[key]}: the same athlete, test and date."))
            continue
        seen[key] = line
        results.append((line, result))
    recorded = set(
        TestResult.objects.filter(
            athlete__team=team, tested_on__in={result.tested_on for _, result in results}
        ).values_list("athlete_id", "test_type_id", "tested_on")
    )
    for line, result in results:
        if (result.athlete.pk, result.test_type.pk, result.tested_on) in recorded:
            problems.append(ImportProblem(
                line,
                f"Already recorded: {result.athlete.full_name} has a {result.test_type.name} result on {result.tested_on}.",
            ))
    problems.sort(key=lambda problem: problem.line)
    return [result for _, result in results], problems


def test_results_import_csv(*, team, text: str, recorded_by) -> ImportOutcome:
    """Import a team's results from CSV text: all of it, or none of it.

    Every row is checked first (athlete in this team, known test, ISO date not in the future,
    the test's shape of values, no repeats, nothing already recorded) and every problem is
    reported with its line number; a single problem imports nothing. The rows are then written
    in one transaction, and the athletes' measured checklist items follow.
    """
    results, problems = _parse_import(team, text)
    if problems:
        return ImportOutcome(problems=tuple(problems))
    for result in results:
        result.recorded_by = recorded_by
    try:
        with transaction.atomic():
            TestResult.objects.bulk_create(results)
            athlete_ids = {result.athlete.pk for result in results}
            services.clearance_apply_measures(athlete_ids=athlete_ids, changed_by=recorded_by)
    except IntegrityError:
        message = "Someone recorded some of these results while the file was being imported. Nothing was imported: try again."
        return ImportOutcome(problems=(ImportProblem(1, message),))
    return ImportOutcome(imported=len(results), athletes=len(athlete_ids))


test_results_import_csv.__test__ = False  # a service, not a pytest test, whatever its name


# Example values for the seeded tests; tests added later get a generic row.
EXAMPLE_VALUES = {
    "nordic": ("312.5", "298", ""),
    "iso90": ("265", "251.4", ""),
    "iso30": ("198", "204", ""),
    "aslr": ("84", "79", ""),
    "sprint10": ("", "", "1.12"),
    "sprint30": ("", "", "3.41"),
}
EXAMPLE_ATHLETES = ["alex.morgan@example.com", "Sam Taylor"]


def example_rows(test_types, today: date) -> list[list[str]]:
    """A file in the import format, header first, one row per test, with made-up athletes."""
    rows = [list(IMPORT_COLUMNS)]
    for n, test_type in enumerate(test_types):
        generic = ("100", "95", "") if test_type.bilateral else ("", "", "1.5")
        left, right, value = EXAMPLE_VALUES.get(test_type.key, generic)
        notes = "Best of three" if n == 0 else ""
        rows.append([EXAMPLE_ATHLETES[n % 2], test_type.key, today.isoformat(), left, right, value, notes])
    return rows
