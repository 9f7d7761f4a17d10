"""The pages `make bench` measures. A later issue adds its page here, in a few lines.

Each Page is measured twice for queries per request (in-process, at the small and at the large
dataset) and once for requests/s through gunicorn, against the bare view in the same run.

    Page(
        name="athlete_detail",
        url=lambda world: reverse("athlete_detail", args=[world.sample_athlete.pk]),
        expect=["<h1>{sample_athlete}</h1>"],
    ),

`url` receives the seeded World (see seed.py) once django is set up; `expect` strings are
formatted with World.facts() and must all appear in every response body (besides status 200),
so that the bench never times an error or login page. If your page needs data the roster does
not, add a seeding step to seed.STEPS.

A page may be a POST (an htmx endpoint, say): `method="POST"`, `data` gives the form fields
(sent urlencoded) and `headers` any extra request headers. POSTs always carry the persona's
CSRF token, as cookie and X-CSRFToken header, the way the app's pages send it with htmx:

    Page(
        name="complaint_preview",
        method="POST",
        url=lambda world: reverse("complaint_preview", args=[world.sample_athlete.pk]),
        data=lambda world: form_answers("grade_1"),
        headers={"HX-Request": "true"},
        expect=["Provisional result"],
    ),

A page is requested signed in as one of World.users: the bench coach by default, or
`as_user="athlete"` for the athlete's phone pages (an athlete with an account and a session
today, see seed.programmes()).

Each page is measured against two baselines in the same alternating rounds: BARE (a view that
does nothing; `baseline_rps` and `ratio`, what the issues' targets mean) and BARE_SIGNED_IN
(the session and user queries every signed-in page pays; `signed_in_baseline_rps` and
`ratio_signed_in`), so that the gap can be split into the auth cost and the page's own.
(Both baselines are requested as the coach; an athlete pays the same session and user queries.)

An API endpoint is called the way a club's script calls it: `token=True` sends the persona's
API token (`Authorization: Token …`, made once by run.py through api.services.token_create,
read only) and no session cookie, in-process and over HTTP alike:

    Page(
        name="api_athletes",
        url=lambda world: reverse("api:athlete-list"),
        token=True,
        expect=['"count":{athletes},'],
        check=_api_athletes,
    ),

Each token's throttle still runs on every request; the bench's settings (bench/settings.py)
only give it a budget the hammering never spends.

var/bench.json holds one object per Page with the required keys name, rps, baseline_rps,
ratio, queries_small, queries_large (and extras). Measurements that are not HTTP pages are
objects of their own with only name, per_second, target and pass (plus extras), e.g.
`{"name": "triage_throughput", "per_second": 412345.6, "target": 100000, "pass": true}`:
triage() in-process over varied complaints, best of 3 (bench/throughput.py). Timed writes are
objects with seconds and target_seconds instead (bench/timings.py): assign_40_athletes_10_weeks
(seconds, queries, sessions) and reminder_sweep (seconds, queries_small, queries_large, due,
pending). Readers of the file should pick pages out by the presence of "rps".
"""

import re
from dataclasses import dataclass, field
from typing import Callable

from django.urls import reverse

from api.pagination import Pages as ApiPages
from athletes.selectors import ROSTER_PAGE_SIZE
from injuries.display import CLASSIFICATION_LABELS
from injuries.examples import form_answers
from injuries.selectors import BOARD_PAGE_SIZE


@dataclass(frozen=True)
class Page:
    name: str
    url: Callable  # (World) -> path, e.g. "/athletes/"
    expect: list[str] = field(default_factory=list)  # formatted with World.facts()
    # Optional further check of a 200 body: (body bytes, World) -> error message or None.
    check: Callable | None = None
    as_user: str = "coach"  # a key of World.users; the request is signed in as them
    target_ratio: float = 0.5  # rps / bare view rps
    # Queries per request at the large dataset may exceed those at the small by this much.
    query_growth_allowed: int = 0
    method: str = "GET"  # or "POST", which always sends the persona's CSRF token
    data: Callable | None = None  # (World) -> form fields, the urlencoded body of a POST (JSON with a token)
    headers: dict = field(default_factory=dict)  # extra request headers, e.g. {"HX-Request": "true"}
    token: bool = False  # an API call: the persona's API token, no session cookie
    # A list page: the rows one request shows, (World) -> int; the bench reports its cost per row
    # against the Django admin's changelists (PEERS).
    rows: Callable | None = None

    def validator(self, world) -> Callable[[bytes], str | None]:
        """A fast check of one response body, built once per dataset."""
        facts = world.facts()
        needles = [text.format(**facts).encode() for text in self.expect]
        check = self.check

        def validate(body: bytes) -> str | None:
            for needle in needles:
                if needle not in body:
                    return f"{needle.decode()!r} not in the response"
            return check(body, world) if check else None

        return validate


def _rows(body: bytes, expected: int) -> str | None:
    rows = body.count(b"<tr>") - 1  # the header row
    return None if rows == expected else f"{rows} table rows, expected {expected}"


def _board(body: bytes, world, team) -> str | None:
    """The board's data rows: a full first page, the athletes with an open injury first."""
    if team is None:
        athletes, still_open = world.athletes, world.open_injuries
    else:
        athletes, still_open = world.athletes_by_team.get(team.pk, 0), world.open_by_team.get(team.pk, 0)
    rows = min(athletes, BOARD_PAGE_SIZE)
    injured = min(still_open, rows)  # soonest expected return first: open injuries lead
    got_rows = body.count(b"<tr ")  # data rows only: the header row is a bare <tr>
    if got_rows != rows:
        return f"{got_rows} board rows, expected {rows}"
    got_injured = rows - body.count(b'<tr class="status-available"')
    if got_injured != injured:
        return f"{got_injured} board rows with an open injury, expected {injured}"
    return None


def _admin_rows(body: bytes, expected: int) -> str | None:
    """A Django admin changelist's result rows (each has its action checkbox cell)."""
    rows = body.count(b'<td class="action-checkbox">')
    return None if rows == expected else f"{rows} changelist rows, expected {expected}"


def _preview(body: bytes, world) -> str | None:
    """An htmx partial: not a whole page."""
    if b"<html" in body:
        return "a whole page, not the htmx partial"
    return None


def _dose_tracker(body: bytes, world) -> str | None:
    """One row per active athlete of the team, those below the maintenance dose marked."""
    facts = world.facts()
    rows = body.count(b'<tr class="')  # data rows only: the header row is a bare <tr>
    expected = facts["first_team_athletes"]
    if rows != expected:
        return f"{rows} dose-tracker rows, expected {expected}"
    below = body.count(b'<tr class="row-warn">')
    if below != facts["first_team_below"]:
        return f"{below} athletes below the maintenance dose, expected {facts['first_team_below']}"
    return None


def _calendar(body: bytes, world) -> str | None:
    """Every session of the month's weeks on the calendar, the done ones marked done."""
    facts = world.facts()
    sessions, done = body.count(b'data-status="'), body.count(b'data-status="done"')
    if (sessions, done) != (facts["sample_month_sessions"], facts["sample_month_done"]):
        return (
            f"{sessions} sessions ({done} done) on the calendar, expected "
            f"{facts['sample_month_sessions']} ({facts['sample_month_done']} done)"
        )
    return None


def _home(body: bytes, world) -> str | None:
    """Today's session with each of its exercises."""
    got, expected = body.count(b'<span class="dose">'), world.facts()["today_exercises"]
    return None if got == expected else f"{got} exercises in today's session, expected {expected}"


def _screening(body: bytes, world) -> str | None:
    """One row per active athlete of the team, those over an asymmetry limit marked."""
    facts = world.facts()
    rows = body.count(b'<tr data-athlete="')  # data rows only: the header row is a bare <tr>
    if rows != facts["first_team_athletes"]:
        return f"{rows} screening rows, expected {facts['first_team_athletes']}"
    flagged = body.count(b'" class="row-warn">')
    if flagged != facts["first_team_flagged"]:
        return f"{flagged} athletes over a limit, expected {facts['first_team_flagged']}"
    return None


def _api_athletes(body: bytes, world) -> str | None:
    """A full first page of the athletes, 50 of them at the large size (JSON, compact)."""
    expected = min(world.athletes, ApiPages.page_size)
    got = body.count(b'"first_name":')
    return None if got == expected else f"{got} athletes in the results, expected {expected}"


def _api_board(body: bytes, world) -> str | None:
    """The team's board over the API: a full first page, the athletes with an open injury first."""
    team = world.teams[0]
    rows = min(world.athletes_by_team.get(team.pk, 0), ApiPages.page_size)
    injured = min(world.open_by_team.get(team.pk, 0), rows)
    got_rows = body.count(b'"status_label":')
    if got_rows != rows:
        return f"{got_rows} board rows, expected {rows}"
    got_injured = rows - body.count(b'"injury":null')
    if got_injured != injured:
        return f"{got_injured} board rows with an open injury, expected {injured}"
    return None


# An athlete's load page, linked from each row of the team's load and of the recurrence watch.
_LOAD_LINK = re.compile(rb"/athletes/(\d+)/load/")


def _load_links(body: bytes) -> set[int]:
    return {int(pk) for pk in _LOAD_LINK.findall(body)}


def _team_load(body: bytes, world) -> str | None:
    """One row per active athlete of the team, each linking to the athlete's load page (the
    athletes counted once however many links a row has)."""
    linked, expected = len(_load_links(body)), world.facts()["first_team_athletes"]
    return None if linked == expected else f"{linked} athletes linked to their load page, expected {expected}"


def _watch(body: bytes, world) -> str | None:
    """Every athlete of the team back from a strain within 60 days is listed with a link to their
    load page (loose: other links to load pages are not counted against it)."""
    missing = set(world.watch_by_team.get(world.teams[0].pk, ())) - _load_links(body)
    return f"athletes back from a strain not listed: {sorted(missing)}" if missing else None


# The baselines: the same server, middleware and session cookie, a view that does nothing; and
# one that only loads the signed-in user (session + user queries), what every page below pays.
BARE = Page(name="bare", url=lambda world: reverse("bench_bare"), expect=["ok"])
BARE_SIGNED_IN = Page(
    name="bare_signed_in", url=lambda world: reverse("bench_bare_signed_in"), expect=["ok {coach_pk}"]
)

PAGES = [
    Page(
        name="roster",
        url=lambda world: reverse("roster"),
        # The real roster, spanning every athlete of the coach's teams, with a full first page.
        expect=["<h1>Roster</h1>", "{athletes} athletes</p>"],
        check=lambda body, world: _rows(body, expected=min(world.athletes, ROSTER_PAGE_SIZE)),
        rows=lambda world: min(world.athletes, ROSTER_PAGE_SIZE),
    ),
    # Issue 3: the complaint form's htmx preview, re-triaging the answers so far.
    Page(
        name="complaint_preview",
        method="POST",
        url=lambda world: reverse("complaint_preview", args=[world.sample_athlete.pk]),
        data=lambda world: form_answers("grade_1"),
        headers={"HX-Request": "true"},
        expect=[
            '<h2 id="preview-heading">Provisional result</h2>',
            'data-classification="grade_1">' + CLASSIFICATION_LABELS["grade_1"] + "</dd>",
        ],
        check=_preview,
    ),
    # Issue 4: the availability board, one team (100 athletes at the large size) and all teams'
    # first page (of 2,000 athletes, 6,000 injuries).
    Page(
        name="board_team",
        url=lambda world: reverse("availability_board") + f"?team={world.teams[0].pk}",
        expect=["<h1>Availability: {first_team}</h1>", "{first_team_athletes} athletes, soonest"],
        check=lambda body, world: _board(body, world, world.teams[0]),
        rows=lambda world: min(world.athletes_by_team.get(world.teams[0].pk, 0), BOARD_PAGE_SIZE),
    ),
    Page(
        name="board_all",
        url=lambda world: reverse("availability_board") + "?team=all&page=1",
        expect=["<h1>Availability</h1>", "{athletes} athletes, soonest"],
        check=lambda body, world: _board(body, world, None),
        rows=lambda world: min(world.athletes, BOARD_PAGE_SIZE),
    ),
    # Issue 5: the team's dose tracker and adherence (100 athletes of 2,000, 200,000 sessions)
    # and one athlete's programme calendar, this month.
    Page(
        name="team_programme",
        url=lambda world: reverse("team_programme", args=[world.teams[0].pk]),
        expect=[
            "<h1>{first_team}: adherence and Nordic dose</h1>",
            "Team adherence: <strong>{first_team_adherence}%</strong>",
        ],
        check=_dose_tracker,
        rows=lambda world: world.facts()["first_team_athletes"],
    ),
    Page(
        name="athlete_programme",
        url=lambda world: reverse("athlete_programme", args=[world.sample_athlete.pk])
        + f"?month={world.facts()['sample_month']}",
        expect=[
            "<h1>{sample_athlete}: programme</h1>",
            '<h2 class="month-title">{sample_month_title}</h2>',
            "Adherence so far: <strong>{sample_adherence}%</strong>",
        ],
        check=_calendar,
    ),
    # Issue 6: the athlete's phone, signed in as an athlete: the home page (today's session) and
    # the htmx tap that logs a set. Tapping the same set again updates its one row (by design),
    # so hammering set 1 of today's Nordics is a fair measure.
    Page(
        name="athlete_home",
        url=lambda world: reverse("athlete_home"),
        as_user="athlete",
        target_ratio=0.7,
        expect=[
            "<h1>Hi {home_first_name}</h1>",
            "Today's session</h2>",
            '<p class="muted">{today_session_title}</p>',
            'href="/me/sessions/{today_session_pk}/"',
        ],
        check=_home,
    ),
    Page(
        name="set_log",
        method="POST",
        url=lambda world: reverse("set_log", args=[world.facts()["set_prescribed_pk"], 1]),
        as_user="athlete",
        headers={"HX-Request": "true"},  # a tap: no fields, the set done as prescribed
        expect=[
            '<li class="set set-done" id="set-{set_prescribed_pk}-1">',
            '<span class="set-state" role="status">Saved</span>',
        ],
        check=_preview,  # the htmx partial, not a whole page
    ),
    # Issue 9: the team's asymmetry screening table (100 athletes of 2,000, 20,000 test results).
    Page(
        name="team_screening",
        url=lambda world: reverse("team_screening", args=[world.teams[0].pk]),
        expect=[
            "<h1>{first_team}: asymmetry screening</h1>",
            "<strong>{first_team_flagged} of {first_team_athletes} athletes</strong> over a limit.",
        ],
        check=_screening,
        rows=lambda world: world.facts()["first_team_athletes"],
    ),
    # Issue 17: the JSON API with a token, as a club's script calls it: the athletes (50 a page,
    # of 2,000 at the large size) and one team's availability board (100 athletes, 50 a page).
    Page(
        name="api_athletes",
        url=lambda world: reverse("api:athlete-list"),
        token=True,
        expect=['{{"count":{athletes},'],  # the API lists archived athletes too: the bench has none
        check=_api_athletes,
        rows=lambda world: min(world.athletes, ApiPages.page_size),
    ),
    Page(
        name="api_board",
        url=lambda world: reverse("api:board") + f"?team={world.teams[0].pk}",
        token=True,
        expect=['{{"count":{first_team_athletes},', '"team":{first_team_pk},'],
        check=_api_board,
        rows=lambda world: min(world.athletes_by_team.get(world.teams[0].pk, 0), ApiPages.page_size),
    ),
    # Issue 20: the team's weekly load (100 athletes of 2,000; 96,000 GPS rows and as many session
    # RPEs) and its recurrence watch (the athletes back from a strain within 60 days, each with
    # their flags). Both check the links to the athletes' load pages only, not the tables' markup.
    Page(
        name="team_load",
        url=lambda world: reverse("team_load", args=[world.teams[0].pk]),
        check=_team_load,
        rows=lambda world: world.facts()["first_team_athletes"],
    ),
    Page(
        name="team_recurrence_watch",
        url=lambda world: reverse("team_recurrence_watch", args=[world.teams[0].pk]),
        check=_watch,
        rows=lambda world: world.facts()["first_team_watch"],
    ),
]

# Issue 19: the peers. The Django admin's changelists of athletes and of injuries, on the same data
# in the same run, signed in as the admin persona (a superuser): a list page's cost per row is set
# against theirs (run.py; target: ours at most a third of the admin's athlete changelist's).
ADMIN_PAGE_SIZE = 100  # ModelAdmin.list_per_page, left at Django's default by both
PEERS = [
    Page(
        name="admin_athletes",
        url=lambda world: reverse("admin:athletes_athlete_changelist"),
        as_user="admin",
        target_ratio=0.0,  # a peer: measured, no target of its own
        expect=["<h1>Select athlete to change</h1>", "{athletes} athletes"],
        check=lambda body, world: _admin_rows(body, expected=min(world.athletes, ADMIN_PAGE_SIZE)),
        rows=lambda world: min(world.athletes, ADMIN_PAGE_SIZE),
    ),
    Page(
        name="admin_injuries",
        url=lambda world: reverse("admin:injuries_injury_changelist"),
        as_user="admin",
        target_ratio=0.0,
        expect=["<h1>Select injury to change</h1>", "{injuries} injuries"],
        check=lambda body, world: _admin_rows(body, expected=min(world.injuries, ADMIN_PAGE_SIZE)),
        rows=lambda world: min(world.injuries, ADMIN_PAGE_SIZE),
    ),
]
ADMIN_PEER = "admin_athletes"  # the peer our list pages are set against (their rows are athletes)
PER_ROW_TARGET = 1 / 3  # ours per row, at most this share of the peer's (issue 19)
