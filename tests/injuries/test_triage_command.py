"""`manage.py triage`: JSON in, JSON out, exit status 2 and an empty stdout on bad input.

A few tests run the real command in a subprocess (the only true check of exit status, stdout and
tracebacks); the rest go through call_command, which raises the CommandError instead. No
database: the command must not need one.
"""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from injuries.triage import STOP_AND_SEE_A_DOCTOR, Complaint, triage

PROJECT_DIR = Path(__file__).resolve().parents[2]

CRAMP = {
    "side": "left",
    "onset": "during_activity",
    "hours_since_onset": 1.5,
    "pain_score": 3,
    "pain_quality": "cramping",
    "popping_sensation": False,
    "sudden_sharp_pain": False,
    "eased_with_rest": True,
    "overuse_or_dehydration": True,
    "weakness": "none",
    "can_bear_weight": True,
    "cannot_move_leg": False,
    "swelling": "none",
    "bruising": "none",
    "walking_difficulty_ongoing": False,
    "numbness": False,
}
TEAR = {
    **CRAMP,
    "side": "right",
    "pain_quality": "sharp",
    "pain_score": 9,
    "popping_sensation": True,
    "can_bear_weight": False,
    "bruising": "heavy",
}
DOMS = {**CRAMP, "onset": "after_activity", "pain_quality": "dull_ache", "hours_since_onset": 30}


def expected(complaint: dict) -> dict:
    return triage(Complaint.from_dict(complaint)).to_dict()


def run_manage(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "coachapp.settings",
        "SECRET_KEY": "x",
        "DEBUG": "true",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "triage", *args],
        cwd=PROJECT_DIR,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def run_command(monkeypatch, *args: str, stdin: str | None = None) -> str:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command("triage", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def rejected(monkeypatch, *args: str, stdin: str | None = None) -> str:
    """Run the command expecting bad input: status 2, nothing on stdout; return the message."""
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("triage", *args, stdout=out, stderr=io.StringIO())
    assert caught.value.returncode == 2
    assert out.getvalue() == ""
    return str(caught.value)


# --- Through a real process -----------------------------------------------------------------------


def test_process_reads_an_object_from_stdin_and_prints_its_result():
    completed = run_manage(stdin=json.dumps(TEAR))
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout) == expected(TEAR)
    assert completed.stderr == ""


def test_process_reads_an_array_from_a_file_in_order(tmp_path):
    path = tmp_path / "complaints.json"
    path.write_text(json.dumps([DOMS, TEAR, CRAMP]))
    completed = run_manage(str(path))
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout) == [expected(DOMS), expected(TEAR), expected(CRAMP)]


def test_process_rejects_an_array_with_one_bad_item_with_status_2_and_no_stdout():
    completed = run_manage("-", stdin=json.dumps([CRAMP, CRAMP, {**CRAMP, "pain_score": 11}]))
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert "item 2: pain_score: must be an integer from 0 to 10, got 11" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_process_rejects_bad_json_without_a_traceback():
    completed = run_manage(stdin="{not json")
    assert (completed.returncode, completed.stdout) == (2, "")
    assert "not valid JSON" in completed.stderr
    assert "Traceback" not in completed.stderr


# --- Through call_command -------------------------------------------------------------------------


def test_object_in_object_out_from_stdin(monkeypatch):
    assert json.loads(run_command(monkeypatch, stdin=json.dumps(CRAMP))) == expected(CRAMP)


def test_dash_means_stdin(monkeypatch):
    assert json.loads(run_command(monkeypatch, "-", stdin=json.dumps(DOMS))) == expected(DOMS)


def test_object_from_a_file(monkeypatch, tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps(TEAR))
    assert json.loads(run_command(monkeypatch, str(path))) == expected(TEAR)


def test_array_in_array_out_in_the_same_order(monkeypatch):
    complaints = [TEAR, CRAMP, DOMS, TEAR]
    output = json.loads(run_command(monkeypatch, stdin=json.dumps(complaints)))
    assert [item["classification"] for item in output] == ["grade_3", "cramp", "doms", "grade_3"]
    assert output == [expected(c) for c in complaints]


def test_results_carry_advice_consistent_with_the_referral_and_the_warnings(monkeypatch):
    urgent_doms = {**DOMS, "numbness": True}
    output = json.loads(run_command(monkeypatch, stdin=json.dumps([DOMS, urgent_doms, TEAR])))
    assert [(item["classification"], item["referral"]) for item in output] == [
        ("doms", "none"),
        ("doms", "urgent"),
        ("grade_3", "urgent"),
    ]
    assert "lighter" in output[0]["advice"]
    for item in output[1:]:
        assert item["advice"].startswith(STOP_AND_SEE_A_DOCTOR)
        assert "keep moving" not in item["advice"].lower()
    for item in output:
        assert {w["code"] for w in item["warnings"]} == {
            "avulsion",
            "clot",
            "saddle_numbness",
            "rhabdomyolysis",
        }
        assert all(set(w) == {"code", "title", "text", "urgency"} for w in item["warnings"])
        assert all("DOMAIN" not in reason["source"] for reason in item["reasons"])
    assert [item["warnings"][0]["code"] for item in output] == [
        "rhabdomyolysis",
        "rhabdomyolysis",
        "avulsion",
    ]


def test_help_describes_the_output_without_naming_the_spec_file():
    completed = run_manage("--help")
    assert completed.returncode == 0, completed.stderr
    assert "advice" in completed.stdout and "warnings" in completed.stdout
    assert "DOMAIN" not in completed.stdout


def test_empty_array_gives_empty_array(monkeypatch):
    assert json.loads(run_command(monkeypatch, stdin="[]")) == []


def test_command_uses_no_database(monkeypatch):
    # pytest-django blocks database access in tests without the db fixture: any query would fail.
    run_command(monkeypatch, stdin=json.dumps(CRAMP))


def changed(**fields) -> str:
    return json.dumps({**CRAMP, **fields})


def without(field: str) -> dict:
    data = dict(CRAMP)
    del data[field]
    return data


@pytest.mark.parametrize(
    "stdin, message",
    [
        ("{not json", "standard input is not valid JSON"),
        ("", "standard input is not valid JSON"),
        (json.dumps("a string"), "expected a JSON object or an array of objects, got a string"),
        ("42", "expected a JSON object or an array of objects, got a number"),
        ("null", "expected a JSON object or an array of objects, got null"),
        (json.dumps(without("swelling")), "swelling: is required"),
        (changed(mood="grumpy"), "mood: is not a complaint field"),
        (changed(side="middle"), 'side: must be one of left, right, both, got "middle"'),
        (changed(numbness="no"), 'numbness: must be true or false, got "no"'),
        (changed(eased_with_rest=1), "eased_with_rest: must be true or false, got 1"),
        (changed(pain_score=11), "pain_score: must be an integer from 0 to 10, got 11"),
        (changed(pain_score="3"), 'pain_score: must be an integer from 0 to 10, got "3"'),
        (
            changed(hours_since_onset=-2),
            "hours_since_onset: must be a finite number of hours, 0 or more, got -2",
        ),
        (
            changed(hours_since_onset=float("nan")),
            "hours_since_onset: must be a finite number of hours, 0 or more, got NaN",
        ),
        (json.dumps([CRAMP, "x"]), 'item 1: a complaint must be a JSON object, got "x"'),
        (
            json.dumps([CRAMP, CRAMP, CRAMP, {**CRAMP, "pain_score": -1}]),
            "item 3: pain_score: must be an integer from 0 to 10, got -1",
        ),
        ('{"pain_score": 3, "pain_score": 4}', "pain_score: is given more than once"),
        ("[" * 100_000, "nested too deeply"),
    ],
)
def test_bad_input_exits_2_with_nothing_on_stdout_naming_the_problem(monkeypatch, stdin, message):
    assert message in rejected(monkeypatch, stdin=stdin)


def test_every_bad_field_of_every_item_is_listed(monkeypatch):
    bad = [{**CRAMP, "pain_score": 11, "side": "up"}, CRAMP, without("numbness")]
    lines = rejected(monkeypatch, stdin=json.dumps(bad)).splitlines()
    assert lines == [
        'item 0: side: must be one of left, right, both, got "up"',
        "item 0: pain_score: must be an integer from 0 to 10, got 11",
        "item 2: numbness: is required",
    ]


def test_a_long_error_list_is_cut_short(monkeypatch):
    lines = rejected(monkeypatch, stdin=json.dumps([{}] * 10)).splitlines()
    assert len(lines) == 21
    assert lines[-1] == f"... and {10 * 16 - 20} more"


def test_unreadable_file_exits_2(monkeypatch, tmp_path):
    message = rejected(monkeypatch, str(tmp_path / "missing.json"))
    assert "cannot read" in message and "missing.json" in message


def test_file_that_is_not_utf8_exits_2(monkeypatch, tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"side": "\xe9"}')
    assert "is not UTF-8 text" in rejected(monkeypatch, str(path))
