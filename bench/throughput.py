"""In-process throughput measurements (no HTTP): issue 3's triage throughput.

Each returns a bench.json object of its own: name, per_second, target, pass (plus extras); see
pages.py's docstring.
"""

import time

TRIAGE_TARGET = 100_000  # complaints per second (issue 3)


def varied_complaints(count: int = 10_000, seed: str = "triage-throughput") -> list:
    """`count` valid triage.Complaints, every field varied (a seeded RNG: the same list each run).

    Weighted like a season's complaints rather than uniformly (which would make most of them
    grade 3 strains): strain signs and red flags are the minority, so every path of triage()
    (cramp, DOMS, each grade, red flags) is taken.
    """
    import random

    from injuries import triage as t

    rng = random.Random(seed)
    # (values, weights) per field, in plain strings as JSON or a form would give them.
    fields = {
        "side": (["left", "right", "both"], [45, 45, 10]),
        "onset": ([v.value for v in t.Onset], [50, 35, 15]),
        "hours_since_onset": ([0.5, 2.0, 5.5, 7.0, 24.0, 48.0, 90.0, 120.0], [10, 20, 15, 10, 15, 15, 10, 5]),
        "pain_score": (list(range(11)), [2, 6, 12, 14, 13, 12, 11, 10, 9, 6, 5]),
        "pain_quality": ([v.value for v in t.PainQuality], [20, 25, 15, 25, 15]),
        "popping_sensation": ([False, True], [90, 10]),
        "sudden_sharp_pain": ([False, True], [88, 12]),
        "eased_with_rest": ([False, True], [55, 45]),
        "overuse_or_dehydration": ([False, True], [70, 30]),
        "weakness": ([v.value for v in t.Weakness], [80, 15, 5]),
        "can_bear_weight": ([True, False], [92, 8]),
        "cannot_move_leg": ([False, True], [97, 3]),
        "swelling": ([v.value for v in t.Swelling], [50, 30, 15, 5]),
        "bruising": ([v.value for v in t.Bruising], [70, 22, 8]),
        "walking_difficulty_ongoing": ([False, True], [95, 5]),
        "numbness": ([False, True], [97, 3]),
    }
    columns = {name: rng.choices(values, weights, k=count) for name, (values, weights) in fields.items()}
    return [
        t.Complaint.from_dict({name: column[i] for name, column in columns.items()}) for i in range(count)
    ]


def triage_throughput(count: int = 10_000, runs: int = 3) -> dict:
    """triage() over `count` varied complaints, best of `runs`, in complaints per second."""
    from injuries import triage as t

    complaints = varied_complaints(count)
    triage = t.triage
    classifications = sorted({triage(c).classification.value for c in complaints})
    seconds = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for complaint in complaints:
            triage(complaint)
        seconds.append(time.perf_counter() - t0)
    best = min(seconds)
    per_second = count / best
    return {
        "name": "triage_throughput",
        "per_second": round(per_second, 1),
        "target": TRIAGE_TARGET,
        "pass": per_second >= TRIAGE_TARGET,
        # extras
        "complaints": count,
        "runs_per_second": [round(count / s, 1) for s in seconds],
        "classifications_covered": classifications,
    }
