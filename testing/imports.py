"""Importing a team's results from a CSV file: all of it, or none of it.

Three formats (presets): coachapp's own CSV (one row per athlete, test and date; the page at
teams/<id>/tests/import/ explains it) and the exports of VALD's hub for the NordBord and the
ForceFrame (one row per attempt, US dates and 12-hour times in UTC). A file is first read into a
plan: each row's athlete, test, day and values, or its line-numbered problems, and the names the
team does not know, which the coach resolves on the review page (or an API caller in ``choices``).
The file is then read again with those choices and written in one transaction, or not at all.

Several attempts on one day: a force-plate export has a row per attempt, and the app keeps one
result per athlete, test and day (the checklist compares one number per day), so the strongest
attempt of the day is imported (docs/clinical-rules.md#phases-and-criteria).
"""

import csv
import io
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from athletes.models import Athlete

from . import services
from .models import TestResult, TestType
from .services import TestResultError, test_result_values

IMPORT_COLUMNS = ("athlete", "test", "date", "left", "right", "value", "notes")
IMPORT_REQUIRED = ("athlete", "test", "date")
IMPORT_MAX_ROWS = 5000
IMPORT_MAX_BYTES = 2 * 1024 * 1024
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap])?\.?\s*m?\.?$", re.IGNORECASE)
SKIP = "skip"  # a choice for an unmatched name: leave its rows out


@dataclass(frozen=True)
class Preset:
    key: str
    label: str
    required: tuple[str, ...]
    columns: tuple[str, ...] | None = None  # the only columns allowed; None: others are ignored
    vald: bool = False  # VALD hub export: names reviewed, best attempt of the day, US dates


NORDBORD_COLUMNS = ("name", "date utc", "time utc", "test", "l max force (n)", "r max force (n)")
PRESETS = {
    "coachapp": Preset("coachapp", "coachapp CSV", IMPORT_REQUIRED, IMPORT_COLUMNS),
    "nordbord": Preset("nordbord", "VALD NordBord export", NORDBORD_COLUMNS, vald=True),
    "forceframe": Preset("forceframe", "VALD ForceFrame export", (*NORDBORD_COLUMNS, "direction", "position"), vald=True),
}
PRESET_CHOICES = [(preset.key, preset.label) for preset in PRESETS.values()]


@dataclass(frozen=True)
class ImportProblem:
    line: int
    message: str


@dataclass(frozen=True)
class ImportOutcome:
    imported: int = 0
    athletes: int = 0
    problems: tuple[ImportProblem, ...] = ()
    not_kept: int = 0  # weaker attempts on a day with a stronger one
    skipped: int = 0  # rows of names the coach chose to skip
    ignored: int = 0  # rows of tests coachapp does not record
    already: int = 0  # rows already imported (the same values on the same day)
    ids: tuple[int, ...] = ()  # the results written, for an API caller

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class PlanRow:
    """One row of the file, read: who, which test, which day, which values, and what happens to it."""

    line: int
    name: str  # whom the file names, as written
    key: str  # that name folded, for the review's choices
    athlete: Athlete | None
    test_type: TestType
    tested_on: date
    at: str = ""  # the time as written, for the review
    left: Decimal | None = None
    right: Decimal | None = None
    value: Decimal | None = None
    notes: str = ""
    attempts: int = 1  # attempts that day (the kept row counts them)
    status: str = ""  # "": imported; else why not ("not kept", "already imported")


@dataclass(frozen=True)
class Unmatched:
    """A name (with its external id) that matches none or several of the team's athletes."""

    key: str
    name: str
    lines: tuple[int, ...]
    several: bool  # matches several athletes, rather than none


@dataclass
class ImportPlan:
    preset: Preset
    rows: list[PlanRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    ignored: Counter = field(default_factory=Counter)  # what a row was, in words -> rows
    resolved: set = field(default_factory=set)  # keys of the unmatched names with a choice
    skipped: int = 0  # rows of names the coach chose to skip

    @property
    def unresolved(self) -> list[Unmatched]:
        return [u for u in self.unmatched if u.key not in self.resolved]

    @property
    def kept(self) -> list[PlanRow]:
        return [row for row in self.rows if row.athlete is not None and not row.status]

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def fold(text: str) -> str:
    """A name as compared: case, accents and spacing ignored (“Zoë  MÜLLER” is “zoe muller”)."""
    text = unicodedata.normalize("NFKD", text)
    return _norm("".join(ch for ch in text if not unicodedata.combining(ch)))


def name_keys(text: str) -> list[str]:
    """“First Last” as written, and “Last, First” turned round."""
    keys = [fold(text)]
    if text.count(",") == 1:
        last, first = text.split(",")
        keys.append(fold(f"{first} {last}"))
    return [key for key in keys if key]


class _ImportLookups:
    """The team's athletes, the others the user may see, and the test types, loaded once."""

    def __init__(self, team, user=None):
        self.team = team
        self.athletes = defaultdict(list)  # coachapp CSV: number, email or full name
        self.by_email, self.by_name = defaultdict(list), defaultdict(list)
        for athlete in team.athletes.all():
            self.athletes[str(athlete.pk)].append(athlete)
            if athlete.email:
                self.athletes[athlete.email.casefold()].append(athlete)
                self.by_email[athlete.email.casefold()].append(athlete)
            self.athletes[_norm(athlete.full_name)].append(athlete)
            self.by_name[fold(athlete.full_name)].append(athlete)
        self.pks = {athlete.pk: athlete for athletes in self.by_name.values() for athlete in athletes}
        # Athletes of the user's other teams: a row naming one is refused, not matched.
        self.elsewhere = {}
        if user is not None:
            others = Athlete.objects.for_user(user).exclude(team=team).select_related("team")
            for athlete in others:
                for key in filter(None, (athlete.email.casefold(), fold(athlete.full_name))):
                    self.elsewhere.setdefault(key, athlete)
        self.test_types = {}
        for test_type in TestType.objects.all():
            self.test_types[test_type.key.casefold()] = test_type
            self.test_types[_norm(test_type.name)] = test_type
        self.test_keys = ", ".join(sorted({tt.key for tt in self.test_types.values()}))

    def _in_another_team(self, text: str, *keys: str):
        for key in keys:
            other = self.elsewhere.get(key)
            if other is not None:
                raise TestResultError(
                    f"“{text}” is {other.full_name}, in {other.team.name}, not {self.team.name}: "
                    f"remove the row, or import it from {other.team.name}'s page."
                )

    def athlete(self, text: str):
        if not text:
            raise TestResultError("The athlete is missing.")
        found = {a.pk: a for a in self.athletes.get(_norm(text), [])}
        if not found:
            self._in_another_team(text, text.casefold(), fold(text))
            raise TestResultError(
                f"No athlete “{text}” in {self.team.name}: use their email address, their number or their full name."
            )
        if len(found) > 1:
            raise TestResultError(f"{len(found)} athletes in {self.team.name} match “{text}”: use the email address or number.")
        return next(iter(found.values()))

    def match(self, name: str, external_id: str) -> list[Athlete]:
        """A VALD row's athletes: by its external id (the athlete's email), else by name."""
        if external_id and external_id.casefold() in self.by_email:
            return self.by_email[external_id.casefold()]
        found = {}
        for key in name_keys(name):
            found.update({a.pk: a for a in self.by_name.get(key, [])})
        if not found:
            self._in_another_team(name or external_id, external_id.casefold(), *name_keys(name))
        return list(found.values())

    def test_type(self, text: str) -> TestType:
        if not text:
            raise TestResultError("The test is missing.")
        try:
            return self.test_types[_norm(text)]
        except KeyError:
            raise TestResultError(f"Unknown test “{text}”: use one of {self.test_keys}.") from None

    def by_key(self, key: str) -> TestType | None:
        return self.test_types.get(key)


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


def _zone(user):
    try:
        return ZoneInfo(getattr(user, "time_zone", "") or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def _us_day(text: str) -> date:
    """A VALD export's date: MM/DD/YYYY (03/31/2026 or 3/31/2026); YYYY-MM-DD is read too."""
    try:
        if ISO_DATE.match(text):
            return date.fromisoformat(text)
        month, day, year = (int(part) for part in US_DATE.match(text).groups())
        return date(year, month, day)
    except (AttributeError, ValueError):
        raise TestResultError(
            f"The date “{text}” is not a date written as MM/DD/YYYY (month first, as VALD's hub exports it: 03/31/2026)."
        ) from None


def _clock(text: str) -> time:
    """A VALD export's time: 12-hour (2:35 PM, 2:35:07 PM); 24-hour (14:35) is read too."""
    found = CLOCK.match(text.strip())
    if found:
        hour, minute, second = int(found[1]), int(found[2]), int(found[3] or 0)
        half = (found[4] or "").lower()
        if half and 1 <= hour <= 12:
            hour = hour % 12 + (12 if half == "p" else 0)
        elif half:
            hour = 99
        if hour < 24 and minute < 60 and second < 60:
            return time(hour, minute, second)
    raise TestResultError(f"The time “{text}” is not a time written like 2:35 PM.")


def _vald_day(day_text: str, time_text: str, zone) -> date:
    """The day of a test in the importing user's time zone, from the export's UTC date and time."""
    day = _us_day(day_text)
    if day.year < 1900:
        raise TestResultError(f"The date {day_text} is before 1900.")
    if time_text.strip():
        moment = datetime.combine(day, _clock(time_text), tzinfo=UTC).astimezone(zone)
        day = moment.date()
    if day > timezone.now().astimezone(zone).date():
        raise TestResultError(f"The date {day_text} is in the future.")
    return day


# Which rows of a VALD export become which test; the import page says it in words
# (templates/testing/_import_vald.html).
_ANGLE = re.compile(r"(\d+)\s*°?")


def vald_test_key(preset: Preset, row: dict) -> tuple[str | None, str]:
    """(the test's key, or None and what the row was in words, for the count of ignored rows)."""
    test = row.get("test", "")
    if preset.key == "nordbord":
        return ("nordic", "") if "nordic" in test.casefold() else (None, test or "a row without a test")
    direction, position = row.get("direction", ""), row.get("position", "")
    described = " · ".join(filter(None, (test, direction, position))) or "a row without a test"
    words = f"{test} {position}".casefold()
    if direction.casefold() != "pull" or not ("ham" in words or "knee" in words):
        return None, described
    angles = {int(angle) for angle in _ANGLE.findall(position or test)}
    if angles & {90} and not angles & {30}:
        return "iso90", ""
    if angles & {30} and not angles & {90}:
        return "iso30", ""
    return None, described


def decode_upload(data) -> str:
    """The text of a CSV file (bytes, text or a file), saved as UTF-8 with or without Excel's BOM."""
    if hasattr(data, "read"):
        data = data.read()
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    if len(data) > IMPORT_MAX_BYTES:
        raise TestResultError("The file is larger than 2 MB: split it into smaller files.")
    if b"\x00" in data:
        raise TestResultError("This looks like a spreadsheet, not a CSV file: save it as CSV (UTF-8) first.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TestResultError(
            "The file is not UTF-8 text: in your spreadsheet choose “CSV UTF-8” when you save it."
        ) from None


def _header_problems(preset: Preset, header: list[str]) -> list[ImportProblem]:
    if not any(header):
        return [ImportProblem(1, "The file is empty: the first line must name the columns.")]
    problems = []
    if preset.columns is not None:
        unknown = [name for name in header if name not in preset.columns]
        if unknown:
            problems.append(ImportProblem(1, f"Unknown column(s) {', '.join(unknown)}: the columns are {', '.join(preset.columns)}."))
    missing = [name for name in preset.required if name not in header]
    if preset.key == "nordbord" and {"direction", "position"} <= set(header):
        problems.append(ImportProblem(1, f"This file looks like a {PRESETS['forceframe'].label}: choose that format and upload it again."))
    elif missing:
        fits = [other for other in PRESETS.values() if other != preset and set(other.required) <= set(header)]
        if fits:
            problems.append(ImportProblem(1, f"This file looks like a {fits[-1].label}: choose that format and upload it again."))
        else:
            problems.append(ImportProblem(1, f"Missing column(s): {', '.join(missing)}."))
    if len(set(header)) != len(header):
        problems.append(ImportProblem(1, "A column is named twice."))
    return problems


def _read_rows(text: str, preset: Preset = PRESETS["coachapp"]):
    """(line number, {column: cell}) for each non-blank row, or ImportProblems for the header."""
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    try:
        delimiter = csv.Sniffer().sniff(first_line, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    header = [_norm(cell) for cell in next(reader, [])]
    problems = _header_problems(preset, header)
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
    """One coachapp CSV row as an unsaved TestResult, or the list of its problems."""
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


def _coachapp_rows(plan: ImportPlan, rows, lookups: _ImportLookups) -> None:
    seen = {}
    for line, row in rows:
        result, row_problems = _import_row(row, lookups)
        plan.problems += [ImportProblem(line, message) for message in row_problems]
        if result is None:
            continue
        key = (result.athlete.pk, result.test_type.pk, result.tested_on)
        if key in seen:
            plan.problems.append(ImportProblem(line, f"Repeats line {seen[key]}: the same athlete, test and date."))
            continue
        seen[key] = line
        plan.rows.append(PlanRow(
            line=line, name=row.get("athlete", ""), key=fold(row.get("athlete", "")), athlete=result.athlete,
            test_type=result.test_type, tested_on=result.tested_on, left=result.left, right=result.right,
            value=result.value, notes=result.notes,
        ))


def _choice(plan: ImportPlan, choices: dict, key: str, name: str, lookups: _ImportLookups):
    """The athlete (or SKIP) chosen for an unmatched name; None if not chosen yet."""
    chosen = choices.get(key)
    if chosen in (None, ""):
        return None
    plan.resolved.add(key)
    if chosen == SKIP:
        return SKIP
    try:
        return lookups.pks[int(chosen)]
    except (KeyError, TypeError, ValueError):
        raise TestResultError(f"The athlete chosen for “{name}” is not in {lookups.team.name}.") from None


def _force_values(test_type: TestType, row: dict) -> dict:
    """L and R Max Force (N) as the test's left and right, with the export's column names in problems."""
    left, right = row.get("l max force (n)", ""), row.get("r max force (n)", "")
    if not left or not right:
        raise TestResultError("Both L Max Force (N) and R Max Force (N) are needed.")
    try:
        return test_result_values(test_type, left=left, right=right)
    except TestResultError as error:
        message = str(error)
        for word, column in (("Left", "L Max Force (N)"), ("Right", "R Max Force (N)")):
            message = message.replace(word, column, 1) if message.startswith(word) else message
        raise TestResultError(message) from None


def _vald_rows(plan: ImportPlan, rows, lookups: _ImportLookups, zone, choices: dict) -> None:
    unmatched = {}
    for line, row in rows:
        key_text, what = vald_test_key(plan.preset, row)
        test_type = lookups.by_key(key_text) if key_text else None
        if test_type is None:
            plan.ignored[what if key_text is None else f"{key_text} (no such test in coachapp)"] += 1
            continue
        name, external_id = row.get("name", ""), row.get("externalid", "")
        problems, athlete = [], None
        key = fold(name) or fold(external_id)
        try:
            if not key:
                raise TestResultError("The name is missing.")
            found = lookups.match(name, external_id)
            if len(found) == 1:
                athlete = found[0]
            else:
                unmatched.setdefault(key, [name or external_id, [], len(found) > 1])[1].append(line)
                chosen = _choice(plan, choices, key, name or external_id, lookups)
                if chosen == SKIP:
                    plan.skipped += 1
                    continue
                athlete = chosen
        except TestResultError as error:
            problems.append(str(error))
        tested_on, values = None, {}
        try:
            tested_on = _vald_day(row.get("date utc", ""), row.get("time utc", ""), zone)
        except TestResultError as error:
            problems.append(str(error))
        try:
            values = _force_values(test_type, row)
        except TestResultError as error:
            problems.append(str(error))
        if problems:
            plan.problems += [ImportProblem(line, message) for message in problems]
            continue
        plan.rows.append(PlanRow(
            line=line, name=name or external_id, key=key, athlete=athlete, test_type=test_type, tested_on=tested_on,
            at=row.get("time utc", ""), **values,
        ))
    plan.unmatched = [Unmatched(key, name, tuple(lines), several) for key, (name, lines, several) in unmatched.items()]
    _keep_the_best_of_each_day(plan)


def _strength(row: PlanRow) -> Decimal:
    total = row.left + row.right if row.test_type.bilateral else row.value
    return total if row.test_type.higher_is_better else -total


def _keep_the_best_of_each_day(plan: ImportPlan) -> None:
    """One result per athlete, test and day: the strongest attempt (left plus right), earliest on a tie."""
    days = defaultdict(list)
    for row in plan.rows:
        who = row.athlete.pk if row.athlete is not None else ("?", row.key)
        days[who, row.test_type.pk, row.tested_on].append(row)
    for attempts in days.values():
        best = max(attempts, key=lambda row: (_strength(row), -row.line))
        best.attempts = len(attempts)
        for row in attempts:
            if row is not best:
                row.status = "not kept"
        label = plan.preset.label.removesuffix(" export")
        best.notes = f"From a {label}" + (f": the best of {best.attempts} attempts that day" if best.attempts > 1 else "")


def _against_recorded(plan: ImportPlan, team) -> None:
    """Results already recorded: the same best again is left alone; anything else is a problem."""
    kept = plan.kept
    recorded = {
        (athlete_id, test_type_id, day): (left, right, value)
        for athlete_id, test_type_id, day, left, right, value in TestResult.objects.filter(
            athlete__team=team, tested_on__in={row.tested_on for row in kept}
        ).values_list("athlete_id", "test_type_id", "tested_on", "left", "right", "value")
    }
    for row in kept:
        values = recorded.get((row.athlete.pk, row.test_type.pk, row.tested_on))
        if values is None:
            continue
        if plan.preset.vald and values == (row.left, row.right, row.value):
            row.status = "already imported"
            continue
        plan.problems.append(ImportProblem(
            row.line,
            f"Already recorded: {row.athlete.full_name} has a {row.test_type.name} result on {row.tested_on}. "
            "Delete it on the athlete's tests page first to import this one.",
        ))


def import_plan(*, team, text: str, preset: str = "coachapp", user=None, choices: dict | None = None) -> ImportPlan:
    """Read a file without writing anything: every row's match and every problem, by line.

    ``choices`` resolves the names a VALD export gives that match none (or several) of the
    team's athletes: the folded name (``Unmatched.key``) -> an athlete's id, or ``SKIP``.
    """
    plan = ImportPlan(PRESETS[preset])
    rows, problems = _read_rows(text, plan.preset)
    if problems:
        plan.problems = problems
        return plan
    if not rows:
        plan.problems = [ImportProblem(1, "The file has no results below its header.")]
        return plan
    if len(rows) > IMPORT_MAX_ROWS:
        plan.problems = [ImportProblem(1, f"The file has {len(rows)} rows: import at most {IMPORT_MAX_ROWS} at a time.")]
        return plan
    lookups = _ImportLookups(team, user)
    if plan.preset.vald:
        _vald_rows(plan, rows, lookups, _zone(user), {fold(str(k)): v for k, v in (choices or {}).items()})
    else:
        _coachapp_rows(plan, rows, lookups)
    if plan.preset.vald and not plan.rows and not plan.problems and not plan.skipped:
        left_out = "; ".join(f"{what} ({count})" for what, count in sorted(plan.ignored.items()))
        plan.problems.append(ImportProblem(1, f"No row of this file is a test coachapp records. Left out: {left_out}."))
    _against_recorded(plan, team)
    plan.problems.sort(key=lambda problem: problem.line)
    return plan


def test_results_import(*, team, file, preset: str = "coachapp", recorded_by, choices: dict | None = None) -> ImportOutcome:
    """Import a team's results from a CSV file in one of the PRESETS: all of it, or none of it.

    ``file``: the file's bytes, text or a file object. Every row is checked first (athlete in
    this team, known test, date not in the future, the test's shape of values, nothing already
    recorded) and every problem is reported with its line number; a single problem, or a name
    that matches no athlete and has no entry in ``choices``, imports nothing. The rows are then
    written in one transaction, and the athletes' measured checklist items follow.
    """
    if preset not in PRESETS:
        return ImportOutcome(problems=(ImportProblem(1, f"Unknown format “{preset}”: use one of {', '.join(PRESETS)}."),))
    try:
        text = decode_upload(file)
    except TestResultError as error:
        return ImportOutcome(problems=(ImportProblem(1, str(error)),))
    plan = import_plan(team=team, text=text, preset=preset, user=recorded_by, choices=choices)
    problems = list(plan.problems) + [
        ImportProblem(u.lines[0], f"{'Several athletes' if u.several else 'No athlete'} in {team.name} match{'' if u.several else 'es'} “{u.name}” "
                      f"(line{'s' if len(u.lines) > 1 else ''} {', '.join(map(str, u.lines))}): choose who it is, or skip the rows.")
        for u in plan.unresolved
    ]
    if problems:
        return ImportOutcome(problems=tuple(sorted(problems, key=lambda problem: problem.line)))
    results = [
        TestResult(
            athlete=row.athlete, test_type=row.test_type, tested_on=row.tested_on, left=row.left, right=row.right,
            value=row.value, notes=row.notes, recorded_by=recorded_by,
        )
        for row in plan.kept
    ]
    athlete_ids = {result.athlete.pk for result in results}
    try:
        with transaction.atomic():
            TestResult.objects.bulk_create(results)
            if athlete_ids:
                services.clearance_apply_measures(athlete_ids=athlete_ids, changed_by=recorded_by)
    except IntegrityError:
        message = "Someone recorded some of these results while the file was being imported. Nothing was imported: try again."
        return ImportOutcome(problems=(ImportProblem(1, message),))
    return ImportOutcome(
        imported=len(results), athletes=len(athlete_ids), not_kept=plan.count("not kept"),
        skipped=plan.skipped, ignored=sum(plan.ignored.values()), already=plan.count("already imported"),
        ids=tuple(result.pk for result in results),
    )


def test_results_import_csv(*, team, text: str, recorded_by) -> ImportOutcome:
    """Import a file in coachapp's own CSV format (see ``test_results_import``)."""
    return test_results_import(team=team, file=text, preset="coachapp", recorded_by=recorded_by)


# Services whose names start with "test": not pytest tests, whatever their names.
test_results_import.__test__ = False
test_results_import_csv.__test__ = False


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
