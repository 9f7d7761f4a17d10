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
        data=lambda world: seed.form_answers("grade_1"),
        headers={"HX-Request": "true"},
        expect=["Provisional result"],
    ),

Each page is measured against two baselines in the same alternating rounds: BARE (a view that
does nothing; `baseline_rps` and `ratio`, what the issues' targets mean) and BARE_SIGNED_IN
(the session and user queries every signed-in page pays; `signed_in_baseline_rps` and
`ratio_signed_in`), so that the gap can be split into the auth cost and the page's own.

var/bench.json holds one object per Page with the required keys name, rps, baseline_rps,
ratio, queries_small, queries_large (and extras). Measurements that are not HTTP pages are
objects of their own with only name, per_second, target and pass (plus extras), e.g.
`{"name": "triage_throughput", "per_second": 412345.6, "target": 100000, "pass": true}`:
triage() in-process over varied complaints, best of 3 (bench/throughput.py). Readers of the
file should pick pages out by the presence of "rps".
"""

from dataclasses import dataclass, field
from typing import Callable

from django.urls import reverse

from athletes.views import ROSTER_PAGE_SIZE
from bench import seed
from injuries.display import CLASSIFICATION_LABELS
from injuries.views import BOARD_PAGE_SIZE


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
    data: Callable | None = None  # (World) -> form fields, the urlencoded body of a POST
    headers: dict = field(default_factory=dict)  # extra request headers, e.g. {"HX-Request": "true"}

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


def _preview(body: bytes, world) -> str | None:
    if b"<html" in body:
        return "a whole page, not the htmx partial"
    return None


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
    ),
    # Issue 3: the complaint form's htmx preview, re-triaging the answers so far.
    Page(
        name="complaint_preview",
        method="POST",
        url=lambda world: reverse("complaint_preview", args=[world.sample_athlete.pk]),
        data=lambda world: seed.form_answers("grade_1"),
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
    ),
    Page(
        name="board_all",
        url=lambda world: reverse("availability_board") + "?team=all&page=1",
        expect=["<h1>Availability</h1>", "{athletes} athletes, soonest"],
        check=lambda body, world: _board(body, world, None),
    ),
]
