"""`manage.py triage [FILE]`: run the triage rules on complaints given as JSON.

Reads one complaint object, or an array of them, from FILE or standard input ("-" or no
argument) and prints the result (an object for an object, an array in the same order for an
array). Each result is ``TriageResult.to_dict()``, the same dict the pages store and show:
classification, referral, red flags, reasons with their published sources, recovery days, the
first-days advice (stop training and see a doctor whenever the referral is urgent), the "see a
doctor" warnings to watch for, and the note that this is guidance, not a diagnosis. The rules are
explained in docs/clinical-rules.md. Bad input exits with status 2, prints nothing on stdout, and names the item, field and
problem on stderr, so scripts can rely on stdout being either a complete answer or empty.
"""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from injuries.triage import Complaint, TriageInputError, triage

INVALID_INPUT = 2  # the usual exit status for bad usage or input, as argparse uses
MAX_ERROR_LINES = 20  # enough to fix a file; a wholly wrong 10,000-item file stays readable


class _JSONObject(dict):
    """A parsed JSON object that remembers keys given more than once (json keeps the last)."""

    duplicate_keys: tuple[str, ...] = ()


def _object_from_pairs(pairs: list[tuple[str, Any]]) -> _JSONObject:
    obj = _JSONObject(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        obj.duplicate_keys = tuple(key for key, _ in pairs if key in seen or seen.add(key))
    return obj


def _invalid(lines: list[str]) -> CommandError:
    if len(lines) > MAX_ERROR_LINES:
        hidden = len(lines) - MAX_ERROR_LINES
        lines = lines[:MAX_ERROR_LINES] + [f"... and {hidden} more"]
    return CommandError("\n".join(lines), returncode=INVALID_INPUT)


class Command(BaseCommand):
    help = (
        "Triage hamstring complaints: reads one JSON complaint object or an array of them from "
        "FILE or standard input and prints the results as JSON (classification, referral, red "
        "flags, reasons, recovery days, first-days advice and the see-a-doctor warnings). Exit "
        "status 2 on invalid input; errors in an array name the item, counted from 0."
    )
    # Pure computation: no database, no system checks, so it runs before migrations or anywhere.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            default="-",
            help='JSON file with a complaint object or an array of them; "-" or none for stdin',
        )

    def handle(self, *args, file: str, **options) -> None:
        data = self._load(file)
        if isinstance(data, dict):
            errors: list[str] = []
            output: Any = self._triage_one(data, "", errors)
        elif isinstance(data, list):
            errors = []
            output = [self._triage_one(item, f"item {i}: ", errors) for i, item in enumerate(data)]
        else:
            raise _invalid(
                [f"expected a JSON object or an array of objects, got {_json_type(data)}"]
            )
        if errors:
            raise _invalid(errors)
        self.stdout.write(json.dumps(output, indent=2))

    def _load(self, file: str) -> Any:
        where = "standard input" if file == "-" else file
        try:
            if file == "-":
                raw = getattr(sys.stdin, "buffer", sys.stdin).read()
            else:
                raw = Path(file).read_bytes()
        except OSError as error:
            raise _invalid([f"cannot read {where}: {error.strerror or error}"]) from None
        try:
            return json.loads(raw, object_pairs_hook=_object_from_pairs)
        except UnicodeDecodeError:
            raise _invalid([f"{where} is not UTF-8 text"]) from None
        except json.JSONDecodeError as error:
            raise _invalid([f"{where} is not valid JSON: {error}"]) from None
        except RecursionError:
            raise _invalid([f"{where} is not usable JSON: nested too deeply"]) from None

    @staticmethod
    def _triage_one(item: Any, prefix: str, errors: list[str]) -> dict[str, Any] | None:
        if isinstance(item, _JSONObject) and item.duplicate_keys:
            errors.extend(f"{prefix}{key}: is given more than once" for key in item.duplicate_keys)
            return None
        try:
            return triage(Complaint.from_dict(item)).to_dict()
        except TriageInputError as error:
            errors.extend(
                f"{prefix}{problem}" if field == "__all__" else f"{prefix}{field}: {problem}"
                for field, problem in error.errors.items()
            )
            return None


def _json_type(value: Any) -> str:
    names = {str: "a string", bool: "a boolean", int: "a number", float: "a number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)
