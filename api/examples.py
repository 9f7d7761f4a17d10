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
