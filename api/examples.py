"""The schema's examples (docs/architecture.md#apps): what a client sends and gets back."""

from injuries.triage import Complaint, triage

TRIAGE = {
    "side": "left", "onset": "during_activity", "hours_since_onset": 3, "pain_score": 3,
    "pain_quality": "tightness", "popping_sensation": False, "sudden_sharp_pain": False, "eased_with_rest": False,
    "overuse_or_dehydration": False, "weakness": "none", "can_bear_weight": True, "cannot_move_leg": False,
    "swelling": "mild", "bruising": "none", "walking_difficulty_ongoing": False, "numbness": False,
}
TRIAGE_RESULT = triage(Complaint.from_dict(TRIAGE)).to_dict()

COMPLAINT = {
    "id": 12, "athlete": 7, "created_at": "2026-03-02T09:15:00Z", "source": "coach", "source_label": "Coach",
    "status": "confirmed", "status_label": "Confirmed", "side": "left", "side_label": "Left",
    "classification": TRIAGE_RESULT["classification"], "classification_label": "Grade 1 strain",
    "referral": TRIAGE_RESULT["referral"], "referral_label": "Monitor",
    "answers": TRIAGE, "triage_result": TRIAGE_RESULT,
}
INJURY = {
    "id": 4, "athlete": 7, "complaint": 12, "side": "left", "side_label": "Left", "onset_date": "2026-03-02",
    "classification": "grade_1", "classification_label": "Grade 1 strain", "referral": "monitor",
    "referral_label": "Monitor", "phase": "rehab", "phase_label": "Rehab", "phase_started_on": "2026-03-05",
    "protect_until": "2026-03-05", "expected_return_from": "2026-03-12", "expected_return_to": "2026-03-23",
    "doctor_status": "not_needed", "doctor_status_label": "Not needed", "doctor_reviewed_on": None,
    "is_recurrence": False, "cleared_on": None, "is_open": True,
    "checklist": [{"item": "walks_without_pain", "item_label": "Walks without pain", "done": True,
                   "source": "manual", "source_label": "Set by a coach", "changed_at": "2026-03-04T16:00:00Z"}],
}
SESSION = {
    "id": 31, "athlete": 7, "programme": 3, "programme_name": "Nordic block", "date": "2026-03-09", "week": 2,
    "title": "Strength A", "completed_at": "2026-03-09T18:40:00Z", "worst_pain": 1, "sharp_pain": False,
    "next_morning": "", "next_morning_label": "", "next_morning_pain": None, "is_recovery": False, "gating_note": "",
    "exercises": [{"id": 88, "order": 1, "exercise": 5, "exercise_name": "Nordic curl (assisted)",
                   "family": "nordic", "family_label": "Nordic", "sets": 3, "reps_min": 5, "reps_max": 5,
                   "reps_by_set": "", "hold_seconds": None, "minutes": None, "load": "", "rest_seconds": 90,
                   "dose_label": "3 × 5", "withheld_reason": "",
                   "sets_logged": [{"set_number": 1, "reps": 5, "load_kg": None, "note": "",
                                    "logged_at": "2026-03-09T18:20:00Z"}]}],
}
TEST_RESULT = {
    "id": 55, "athlete": 7, "test_type": 1, "test_key": "nordic", "test_name": "Nordic strength", "unit": "N",
    "tested_on": "2026-03-09", "left": "312.00", "right": "341.00", "value": None, "notes": "",
    "created_at": "2026-03-09T10:00:00Z",
}
NOTIFICATION = {
    "id": 9, "kind": "pain_alert", "kind_label": "Pain alert", "title": "Sam Okafor reported pain",
    "body": "Pain 6 of 10 after Strength A.", "url": "/athletes/7/", "created_at": "2026-03-09T19:00:00Z",
    "read_at": None,
}
BOARD_ROW = {
    "athlete": 7, "first_name": "Sam", "last_name": "Okafor", "team": 1, "status": "modified",
    "status_label": "Modified training", "injury": 4, "classification_label": "Grade 1 strain (mild)",
    "expected_return": "2026-03-12", "recurrence_risk": False,
}
SET_LOG = {"exercise": 88, "set_number": 1, "reps": 5, "load_kg": None}
SESSION_FINISH = {"worst_pain": 1, "sharp_pain": False}
PHASE_CHANGE = {"to_phase": "return_to_training", "override": False, "reason": "", "expected_phase": "rehab"}
IMPORTED = {"imported": 4, "athletes": 4, "not_kept": 2, "already": 0, "skipped": 0, "ignored": 1,
            "results": [101, 102, 103, 104]}
IMPORT_NAMES = {"error": {
    "status": 422, "code": "names_to_match",
    "message": "Nothing was imported: match 1 name to athletes (see names) and send it again.",
    "fields": {"__all__": ["Nothing was imported: match 1 name to athletes (see names) and send it again."],
               "file": ["Line 7: No athlete in First team matches “Jon Smyth” (line 7): choose who it is, or skip the rows."]},
    "lines": [{"line": 7, "message": "No athlete in First team matches “Jon Smyth” (line 7): choose who it is, or skip the rows."}],
    "names": [{"name": "Jon Smyth", "lines": [7], "several": False,
               "candidates": [{"id": 12, "name": "Jonathan Smith"}, {"id": 7, "name": "Sam Okafor"}]}],
}}
INJURY_HISTORY = {"injury": 4, "versions": [
    {"when": "2026-03-05T08:30:00Z", "who": "Jo Coach", "action": "changed", "reason": "Walking well",
     "changes": [{"field": "Phase", "old": "Protect", "new": "Rehab"},
                 {"field": "Phase started on", "old": "2 March 2026", "new": "5 March 2026"}]},
    {"when": "2026-03-02T09:15:00Z", "who": "Jo Coach", "action": "opened", "reason": "", "changes": []},
], "checks": [
    {"when": "2026-03-04T16:00:00Z", "who": "Jo Coach", "item": "Walks without pain", "done": "ticked",
     "source": "", "reason": ""},
]}
SCREENING = {"team": 1, "athlete_count": 1, "flagged_count": 1,
             "tests": [{"key": "nordic", "name": "Nordic strength", "unit": "N", "limit_pct": "10.0"}],
             "rows": [{"athlete": 7, "first_name": "Sam", "last_name": "Okafor", "flagged": True, "cells": [
                 {"test": "nordic", "tested_on": "2026-03-09", "left": "280.00", "right": "341.00",
                  "asymmetry_pct": "17.9", "over": True, "weaker": "left"}]}]}
PROGRAMME = {
    "id": 3, "athlete": 7, "template": 2, "template_name": "Nordic block", "template_kind": "prevention",
    "template_kind_label": "Prevention", "start_date": "2026-03-02", "end_date": "2026-03-27",
    "weekdays": [0, 3], "weekday_labels": ["Monday", "Thursday"], "phase": "prevention",
    "phase_label": "prevention", "assigned_at": "2026-02-27T17:00:00Z",
    "sessions": [{"id": 31, "date": "2026-03-02", "week": 1, "title": "Strength A",
                  "completed_at": "2026-03-02T18:40:00Z", "is_recovery": False}],
}
GPS_IMPORTED = {"imported": 22, "athletes": 11, "already": 0, "new_max_velocities": 2, "import_id": 5}
GPS_REFUSED = {"error": {
    "status": 422, "code": "import_refused", "message": "Nothing was imported: 1 problem in the file.",
    "fields": {"__all__": ["Nothing was imported: 1 problem in the file."],
               "file": ["Line 4: The date “31/02/2026” is not a date written as 31/03/2026 or 2026-03-31."]},
    "lines": [{"line": 4, "message": "The date “31/02/2026” is not a date written as 31/03/2026 or 2026-03-31."}],
    "names": [],
}}
