"""Importing a team's GPS export from a CSV file: all of it, or none of it.

A team maps its export's columns to our fields once (``GpsMapping``: saved and reused), or starts
from a preset for a common export. Each row becomes one athlete's GPS session (date, minutes,
total distance, high-speed running, sprint distance, maximal velocity); every problem is reported
with its line number, and a single problem imports nothing (like the test import,
testing/imports.py, whose name matching and file decoding this reuses).

What could be shared with testing/imports.py later (not refactored here, as testing is not ours
to change in this piece of work): the CSV reading with its delimiter sniffing and line numbers
(``_read_rows``, tied there to its presets' header check), the athlete lookup by email or folded
name with the "in another team" refusal (``_ImportLookups``, tied there to test types), and the
problem and outcome shapes.
"""

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, transaction

from athletes.errors import AppError
from athletes.locks import lock_athletes
from athletes.models import Athlete, Team
from testing.imports import ImportProblem, decode_upload, fold, name_keys

from .models import GpsImport, GpsMapping, GpsRow, MaxVelocity
from .services import MonitoringError, tick_sprint_item, today_for

# Our fields, in the order a mapping form shows them, with their words.
FIELDS = {
    "athlete": "Athlete (name or email)",
    "date": "Date",
    "session": "Session or drill name",
    "minutes": "Duration",
    "total_distance": "Total distance (m)",
    "hsr": "High-speed running distance (m)",
    "sprint": "Sprint distance (m)",
    "max_velocity": "Maximal velocity",
}
REQUIRED = ("athlete", "date", "minutes", "total_distance", "hsr")
VELOCITY_UNITS = {"m/s": Decimal(1), "km/h": Decimal(1) / Decimal("3.6")}
DATE_ORDERS = {"dmy": "day first (31/03/2026)", "mdy": "month first (03/31/2026)"}
IMPORT_MAX_ROWS = 10000
LARGEST_DISTANCE = Decimal("99999")  # metres in one session: more is a typing slip or a unit mix-up
LARGEST_MINUTES = Decimal(600)


@dataclass(frozen=True)
class Preset:
    key: str
    label: str
    columns: dict  # our field -> the export's column, as the export names it
    velocity_unit: str = "m/s"
    date_order: str = "dmy"


# The column names as the exports' CSV files name them. Neither vendor publishes a fixed CSV
# layout (each team chooses the parameters it exports), so these are the common defaults as we
# understand them, not checked against every version: Catapult OpenField's activity export
# ("Player Name", "Date", "Activity Name", "Total Duration" as h:mm:ss, "Total Distance",
# "High Speed Distance" from the velocity bands the team set, "Sprint Distance", "Maximum
# Velocity" in m/s) and STATSports Apex's session export ("Player Name", "Session Date", "Drill
# Title", "Total Duration", "Total Distance", "High Speed Running", "Sprint Distance", "Max Speed"
# in m/s). Unsure: whether a team's export writes dates day first, and its speed unit; both are
# choices on the mapping, and a team's saved mapping overrides any column here.
PRESETS = {
    "catapult": Preset("catapult", "Catapult OpenField export", {
        "athlete": "Player Name", "date": "Date", "session": "Activity Name", "minutes": "Total Duration",
        "total_distance": "Total Distance", "hsr": "High Speed Distance", "sprint": "Sprint Distance",
        "max_velocity": "Maximum Velocity",
    }),
    "statsports": Preset("statsports", "STATSports Apex export", {
        "athlete": "Player Name", "date": "Session Date", "session": "Drill Title", "minutes": "Total Duration",
        "total_distance": "Total Distance", "hsr": "High Speed Running", "sprint": "Sprint Distance",
        "max_velocity": "Max Speed",
    }),
}


def _norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


@dataclass(frozen=True)
class Mapping:
    """A checked mapping: our field -> the export's column (folded), units and date order."""

    columns: dict
    velocity_unit: str = "m/s"
    date_order: str = "dmy"

    def as_json(self) -> dict:
        return {"fields": dict(self.columns), "velocity_unit": self.velocity_unit, "date_order": self.date_order}


def mapping_from(data) -> Mapping:
    """A mapping from a saved row's JSON, a preset's key, or a dict of the same shape as the JSON;
    refused, naming the problem, when a required field has no column or a column serves two."""
    if isinstance(data, GpsMapping):
        data = data.columns
    if isinstance(data, str):
        if data not in PRESETS:
            raise MonitoringError(f"Unknown export “{data}”: use one of {', '.join(PRESETS)}, or map the columns.")
        preset = PRESETS[data]
        data = {"fields": preset.columns, "velocity_unit": preset.velocity_unit, "date_order": preset.date_order}
    if not isinstance(data, dict) or not isinstance(data.get("fields"), dict):
        raise MonitoringError("The column mapping is not set up: choose a column for each field.")
    columns = {}
    for name, column in data["fields"].items():
        if name not in FIELDS:
            raise MonitoringError(f"“{name}” is not one of our fields: {', '.join(FIELDS)}.")
        column = " ".join(str(column or "").split())
        if column:
            columns[name] = column
    missing = [FIELDS[name] for name in REQUIRED if name not in columns]
    if missing:
        raise MonitoringError(f"Choose the export's column for: {', '.join(missing)}.")
    folded = [_norm(column) for column in columns.values()]
    twice = sorted({column for column in columns.values() if folded.count(_norm(column)) > 1})
    if twice:
        raise MonitoringError(f"The column “{twice[0]}” is chosen for two fields.")
    unit = data.get("velocity_unit", "m/s")
    if unit not in VELOCITY_UNITS:
        raise MonitoringError(f"The speed unit must be m/s or km/h, not “{unit}”.")
    order = data.get("date_order", "dmy")
    if order not in DATE_ORDERS:
        raise MonitoringError("The date order must be day first or month first.")
    return Mapping(columns, unit, order)


@transaction.atomic
def gps_mapping_save(*, team, name: str, columns, by, preset: str = "") -> GpsMapping:
    """Save (or replace) a team's named mapping, checked first."""
    name = " ".join((name or "").split())
    if not name or len(name) > 80:
        raise MonitoringError("Give the mapping a name of at most 80 characters.")
    if preset and preset not in PRESETS:
        raise MonitoringError(f"Unknown export “{preset}”.")
    mapping = mapping_from(columns)
    row, _ = GpsMapping.objects.update_or_create(
        team=team, name=name, defaults={"columns": mapping.as_json(), "preset": preset, "created_by": by}
    )
    return row


# --- Reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GpsOutcome:
    imported: int = 0
    athletes: int = 0
    already: int = 0  # rows already imported with the same numbers
    new_max_velocities: int = 0  # athletes whose maximal velocity a run of the file raised
    problems: tuple[ImportProblem, ...] = ()
    import_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Row:
    line: int
    athlete: Athlete
    date: date
    label: str
    minutes: Decimal
    total: Decimal
    hsr: Decimal
    sprint: Decimal | None
    velocity: Decimal | None


@dataclass
class _Plan:
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)


def _reader(text: str):
    first_line = text.split("\n", 1)[0]
    try:
        delimiter = csv.Sniffer().sniff(first_line, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def file_columns(text: str) -> list[str]:
    """The columns a file's first line names, as it writes them (blank and repeated ones left
    out): what a mapping of this file chooses from."""
    try:
        header = next(_reader(text.lstrip("\ufeff")), [])
    except csv.Error:
        return []
    columns, seen = [], set()
    for cell in header:
        column = " ".join(cell.split())
        if column and _norm(column) not in seen:
            seen.add(_norm(column))
            columns.append(column)
    return columns


def guess_columns(columns: list[str], start: Mapping | None = None) -> dict:
    """Our field -> the file's column, as a mapping form starts: the chosen mapping's columns the
    file has, else a preset's, else a column named like the field ("date", "athlete")."""
    by_norm = {_norm(column): column for column in columns}
    guesses = [start.columns] if start else []
    guesses += [preset.columns for preset in PRESETS.values()]
    chosen = {}
    for name, label in FIELDS.items():
        candidates = [guess.get(name, "") for guess in guesses] + [name, label, name.replace("_", " ")]
        found = next((by_norm[_norm(c)] for c in candidates if c and _norm(c) in by_norm), "")
        if found and found not in chosen.values():
            chosen[name] = found
    return chosen


def _read(text: str, mapping: Mapping):
    reader = _reader(text)
    header = [_norm(cell) for cell in next(reader, [])]
    if not any(header):
        return [], [ImportProblem(1, "The file is empty: the first line must name the columns.")]
    wanted = {name: _norm(column) for name, column in mapping.columns.items()}
    missing = [mapping.columns[name] for name, column in wanted.items() if column not in header and name in REQUIRED]
    wanted = {name: column for name, column in wanted.items() if column in header}  # optional ones may be absent
    if missing:
        fits = [p.label for p in PRESETS.values() if all(_norm(c) in header for n, c in p.columns.items() if n in REQUIRED)]
        hint = f" This file looks like a {fits[0]}: choose that mapping." if fits else ""
        return [], [ImportProblem(1, f"Missing column(s): {', '.join(missing)}.{hint}")]
    rows, problems = [], []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            cells = [cell.strip() for cell in cells] + [""] * (len(header) - len(cells))
            row = dict(zip(header, cells))
            rows.append((reader.line_num, {name: row.get(column, "") for name, column in wanted.items()}))
    except csv.Error as error:
        problems.append(ImportProblem(reader.line_num + 1, f"This line cannot be read as CSV ({error})."))
    return rows, problems


SLASHED = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$")
CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})(?:\.\d+)?$")


def _date(text: str, order: str, today: date) -> date:
    try:
        if found := ISO.match(text):
            day = date(*(int(part) for part in found.groups()))
        elif found := SLASHED.match(text.split(" ")[0]):
            first, second, year = (int(part) for part in found.groups())
            day = date(year, second, first) if order == "dmy" else date(year, first, second)
        else:
            raise ValueError
    except ValueError:
        example = "31/03/2026" if order == "dmy" else "03/31/2026"
        raise MonitoringError(f"The date “{text}” is not a date written as {example} or 2026-03-31.") from None
    if day > today:
        raise MonitoringError(f"The date {text} is in the future.")
    if day.year < 1990:
        raise MonitoringError(f"The date {text} is before 1990.")
    return day


def _number(text: str, what: str, largest: Decimal, places: str = "0.1") -> Decimal:
    try:
        number = Decimal(text.replace(" ", ""))
    except InvalidOperation:
        hint = " (write decimals with a point: 412.5)" if "," in text else ""
        raise MonitoringError(f"{what} “{text}” is not a number{hint}.") from None
    if not number.is_finite() or number < 0:
        raise MonitoringError(f"{what} must be a number of 0 or more, not {text}.")
    if number > largest:
        raise MonitoringError(f"{what} {text} is too large: check the column and its unit.")
    return number.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _minutes(text: str) -> Decimal:
    """Minutes as a number (74.5), or a duration h:mm:ss or mm:ss (1:14:30)."""
    if found := CLOCK.match(text):
        hours, minutes, seconds = int(found[1] or 0), int(found[2]), int(found[3])
        if seconds >= 60 or (found[1] and minutes >= 60):
            raise MonitoringError(f"The duration “{text}” is not a time written as h:mm:ss.")
        total = Decimal(hours * 60 + minutes) + Decimal(seconds) / 60
        if total > LARGEST_MINUTES:
            raise MonitoringError(f"The duration {text} is longer than 10 hours.")
        return total.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return _number(text, "The duration", LARGEST_MINUTES)


class _Athletes:
    """The team's athletes by email and folded name; the user's other teams' athletes, refused."""

    def __init__(self, team, user):
        self.team = team
        self.keys = defaultdict(dict)
        for athlete in Athlete.objects.filter(team=team).active():
            for key in filter(None, (athlete.email.casefold(), fold(athlete.full_name))):
                self.keys[key][athlete.pk] = athlete
        self.elsewhere = {}
        for athlete in Athlete.objects.for_user(user).exclude(team=team).select_related("team"):
            for key in filter(None, (athlete.email.casefold(), fold(athlete.full_name))):
                self.elsewhere.setdefault(key, athlete)

    def find(self, text: str) -> Athlete:
        if not text:
            raise MonitoringError("The athlete is missing.")
        keys = [text.casefold(), *name_keys(text)]
        found = {}
        for key in keys:
            found.update(self.keys.get(key, {}))
        if len(found) == 1:
            return next(iter(found.values()))
        if len(found) > 1:
            raise MonitoringError(f"{len(found)} athletes in {self.team.name} match “{text}”: use the email address in the export.")
        for key in keys:
            if other := self.elsewhere.get(key):
                raise MonitoringError(f"“{text}” is {other.full_name}, in {other.team.name}, not {self.team.name}: import it from {other.team.name}'s page.")
        raise MonitoringError(f"No athlete “{text}” in {self.team.name}: use their full name or email address as coachapp has it.")


def _plan(text: str, mapping: Mapping, team, user) -> _Plan:
    plan = _Plan()
    rows, problems = _read(text, mapping)
    plan.problems += problems
    if problems:
        return plan
    if not rows:
        plan.problems.append(ImportProblem(1, "The file has no rows below its header."))
        return plan
    if len(rows) > IMPORT_MAX_ROWS:
        plan.problems.append(ImportProblem(1, f"The file has {len(rows)} rows: import at most {IMPORT_MAX_ROWS} at a time."))
        return plan
    athletes, today = _Athletes(team, user), today_for(user)
    unit = VELOCITY_UNITS[mapping.velocity_unit]
    seen = {}
    for line, row in rows:
        parsed, errors = {}, []
        readers = (
            ("athlete", athletes.find),
            ("date", lambda text: _date(text, mapping.date_order, today)),
            ("minutes", _minutes),
            ("total", lambda text: _number(text, "The total distance", LARGEST_DISTANCE)),
            ("hsr", lambda text: _number(text, "The high-speed running distance", LARGEST_DISTANCE)),
        )
        for name, read in readers:
            column = {"total": "total_distance"}.get(name, name)
            try:
                if not row.get(column) and name != "athlete":
                    raise MonitoringError(f"{FIELDS[column]} is missing.")
                parsed[name] = read(row.get(column, ""))
            except MonitoringError as error:
                errors.append(str(error))
        parsed["sprint"] = parsed["velocity"] = None
        try:
            if row.get("sprint"):
                parsed["sprint"] = _number(row["sprint"], "The sprint distance", LARGEST_DISTANCE)
            if row.get("max_velocity"):
                velocity = _number(row["max_velocity"], "The maximal velocity", Decimal(60), "0.001") * unit
                if velocity > 15:
                    raise MonitoringError(f"The maximal velocity {row['max_velocity']} {mapping.velocity_unit} is faster than anyone runs: check the speed unit.")
                parsed["velocity"] = velocity.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        except MonitoringError as error:
            errors.append(str(error))
        label = row.get("session", "")[:80]
        if not errors and "total" in parsed and parsed["hsr"] > parsed["total"]:
            errors.append("The high-speed running distance is more than the total distance.")
        if errors:
            plan.problems += [ImportProblem(line, message) for message in errors]
            continue
        key = (parsed["athlete"].pk, parsed["date"], _norm(label))
        if key in seen:
            plan.problems.append(ImportProblem(line, f"Repeats line {seen[key]}: the same athlete, date and session."))
            continue
        seen[key] = line
        plan.rows.append(_Row(line, parsed["athlete"], parsed["date"], label, parsed["minutes"], parsed["total"],
                              parsed["hsr"], parsed["sprint"], parsed["velocity"]))
    return plan


def _values(row) -> tuple:
    if isinstance(row, _Row):
        return (row.minutes, row.total, row.hsr, row.sprint, row.velocity)
    return tuple(row[1:])


def _against_recorded(plan: _Plan, team) -> list[_Row]:
    """Rows already imported with the same numbers are left alone; other numbers are a problem."""
    recorded = {
        (athlete_id, day, _norm(label)): (minutes, total, hsr, sprint, velocity)
        for athlete_id, day, label, minutes, total, hsr, sprint, velocity in GpsRow.objects.filter(
            athlete__team=team, date__in={row.date for row in plan.rows}
        ).values_list("athlete_id", "date", "session_label", "minutes", "total_distance_m", "hsr_m", "sprint_m", "max_velocity")
    }
    new = []
    for row in plan.rows:
        values = recorded.get((row.athlete.pk, row.date, _norm(row.label)))
        if values is None:
            new.append(row)
        elif values != _values(row):
            session = f" “{row.label}”" if row.label else ""
            plan.problems.append(ImportProblem(
                row.line, f"Already imported with other numbers: {row.athlete.full_name}'s session{session} on {row.date:%-d %b %Y}."
            ))
    return new


def gps_import(*, team, file, mapping, by, file_name: str = "") -> GpsOutcome:
    """Import a team's GPS export: every row checked first (athlete in this team, a date not in
    the future, numbers in range, nothing imported before with other numbers), every problem
    reported by line, and a single problem imports nothing. ``mapping``: the team's saved
    ``GpsMapping``, a preset's key, or a mapping dict.

    Then, in one transaction: the rows, each athlete's maximal velocity when a run beats it, and
    the return checklist's sprint item where a run at maximal speed has a pain-0 session RPE."""
    if not Team.objects.for_user(by).filter(pk=team.pk).exists():
        return GpsOutcome(problems=(ImportProblem(1, "You cannot import GPS data for this team."),))
    try:
        checked = mapping_from(mapping)
        text = decode_upload(file)
    except AppError as error:
        return GpsOutcome(problems=(ImportProblem(1, str(error)),))
    plan = _plan(text.lstrip("\ufeff"), checked, team, by)
    new = _against_recorded(plan, team) if not plan.problems else []
    if plan.problems:
        return GpsOutcome(problems=tuple(sorted(plan.problems, key=lambda problem: problem.line)))
    if not new:
        return GpsOutcome(already=len(plan.rows))  # the same file again: nothing to write
    athlete_ids = {row.athlete.pk for row in new}
    try:
        with transaction.atomic():
            lock_athletes(*athlete_ids)
            source = GpsImport.objects.create(
                team=team, mapping=mapping if isinstance(mapping, GpsMapping) else None,
                file_name=file_name[:200], rows=len(new), imported_by=by,
            )
            GpsRow.objects.bulk_create([
                GpsRow(athlete=row.athlete, date=row.date, session_label=row.label, minutes=row.minutes,
                       total_distance_m=row.total, hsr_m=row.hsr, sprint_m=row.sprint, max_velocity=row.velocity, source=source)
                for row in new
            ])
            raised = _raise_max_velocities(new)
            for athlete_id, day in sorted({(row.athlete.pk, row.date) for row in new if row.velocity is not None}):
                tick_sprint_item(athlete_id, day)
    except IntegrityError:
        message = "Someone imported some of these rows while the file was being imported. Nothing was imported: try again."
        return GpsOutcome(problems=(ImportProblem(1, message),))
    return GpsOutcome(imported=len(new), athletes=len(athlete_ids), already=len(plan.rows) - len(new),
                      new_max_velocities=raised, import_id=source.pk)


def _raise_max_velocities(rows: list[_Row]) -> int:
    """An athlete's maximal velocity follows their fastest GPS run when it beats the one kept;
    how many athletes' it raised."""
    best = {}
    for row in rows:
        if row.velocity is not None and (row.athlete.pk not in best or row.velocity > best[row.athlete.pk][0]):
            best[row.athlete.pk] = (row.velocity, row.date)
    kept = dict(MaxVelocity.objects.filter(athlete_id__in=best).values_list("athlete_id", "velocity"))
    raised = 0
    for athlete_id, (velocity, day) in best.items():
        if athlete_id not in kept or velocity > kept[athlete_id]:
            MaxVelocity.objects.update_or_create(
                athlete_id=athlete_id,
                defaults={"velocity": velocity, "measured_on": day, "source": MaxVelocity.Source.GPS, "entered_by": None},
            )
            raised += 1
    return raised

