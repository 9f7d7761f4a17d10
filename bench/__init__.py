"""`make bench`: requests/s of coachapp's pages against a bare view, and queries per request.

run.py drives it; pages.py lists the measured pages (add yours there); seed.py builds the
datasets; load.py serves the app with gunicorn and drives HTTP load at it; throughput.py and
timings.py measure in-process work (triage, programme assignment, the reminder sweep).
"""
