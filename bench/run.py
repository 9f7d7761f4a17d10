#!/usr/bin/env python
"""`make bench`: requests/s of coachapp's pages against a bare view, and queries per request.

1. Resets the throwaway bench database (DATABASE_URL, default coachapp_bench), migrates and
   collects static files (DEBUG off: production shape).
2. Seeds the small dataset (20 athletes, one team, 60 injuries, 2,000 scheduled sessions,
   2,000 pending reminders of which 1,000 due) and counts each page's queries per request
   in-process, and the reminder sweep's; grows it to the large one (2,000 athletes over 20
   teams, the bench coach on all of them, 6,000 injuries of which 300 open, 200,000 scheduled
   sessions, 100,000 pending reminders of which still 1,000 due) and counts again, timing the
   sweep (bench/timings.py: through the real Redis broker, a database of its own) and recording
   the EXPLAIN ANALYZE of its due-rows query. BENCH_SCALE (make bench SCALE=10) multiplies the
   large dataset (seed.scaled). The Django admin's changelists of athletes and of injuries
   (pages.PEERS, as a superuser) are counted and timed beside our pages.
3. Times programme_assign() for a fresh 40-athlete team in-process (bench/timings.py) and
   measures triage() throughput in-process (bench/throughput.py).
4. Serves the app with gunicorn and, for the bare view, the signed-in bare view and each page,
   alternates timed windows of concurrent requests (signed in as the page's persona: the bench
   coach, or for the phone pages an athlete; the API rows with the persona's read-only API token
   and no session), taking the median of each. The settings are the app's production ones but
   for an API token's throttle budget (bench/settings.py).
5. Prints a table and writes var/bench.json: one object per page with name, rps, baseline_rps,
   ratio, queries_small, queries_large (and extras, among them signed_in_baseline_rps and
   ratio_signed_in against the signed-in bare view, p50_ms and p95_ms under BENCH_CONCURRENCY
   clients, html_bytes, and for list pages rows, per_row_ms and per_row_vs_admin, the share of
   the admin athlete changelist's cost per row; the peers' objects have "peer": true); then the
   triage_throughput object (name,
   per_second, target, pass), the assign_40_athletes_10_weeks object (name, seconds, queries,
   sessions, target_seconds, pass) and the reminder_sweep object (name, seconds, queries_small,
   queries_large, due, pending, target_seconds, pass).

Exits 0 when the bench ran, even if a page misses its target (it prints MISSED); 1 when the
bench itself failed. Pages live in bench/pages.py, data in bench/seed.py.

Knobs (environment): BENCH_SECONDS (per window, 4), BENCH_ROUNDS (3), BENCH_WARMUP (seconds, 1),
BENCH_CONCURRENCY (client threads, 4), BENCH_WORKERS (gunicorn workers, 2), BENCH_THREADS
(threads per worker, 1 = sync workers), BENCH_REDIS_URL (the broker of the reminder sweep,
redis://127.0.0.1:6379/15: emptied of what the bench put there when it is done).
"""

import json
import os
import secrets
import statistics
import sys
import time
import traceback
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, sys.path[0] is bench/: import its modules as the `bench` package instead,
# so that they cannot shadow anything.
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)
else:
    sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/coachapp_bench"
BENCH_VAR = ROOT / "bench" / "var"  # gitignored (var/): static files, logs, captured SQL
RESULTS = ROOT / "var" / "bench.json"
HOST = "127.0.0.1"

from bench.load import BenchError, Gunicorn  # noqa: E402  (needs the sys.path above)

STARTED = time.monotonic()
LOAD_BEFORE = round(os.getloadavg()[0], 2)  # recorded: other work on the machine skews rps


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:5.1f}s] {message}", flush=True)


def knob(name: str, default, kind=int):
    value = os.environ.get(name, "")
    return kind(value) if value.strip() else default


SECONDS = knob("BENCH_SECONDS", 4.0, float)
ROUNDS = knob("BENCH_ROUNDS", 3)
WARMUP = knob("BENCH_WARMUP", 1.0, float)
CONCURRENCY = knob("BENCH_CONCURRENCY", 4)
WORKERS = knob("BENCH_WORKERS", 2)
THREADS = knob("BENCH_THREADS", 1)
SCALE = knob("BENCH_SCALE", 1)  # `make bench SCALE=10`: the large dataset ten times over (seed.scaled)
REDIS_URL = knob("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15", str)


def configure_environment() -> None:
    """For this process (django.setup) and gunicorn alike: production settings, bench URL on."""
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.update(
        {
            # The app's settings, an API token's throttle budget aside (bench/settings.py).
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "COACHAPP_BENCH": "1",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "SESSION_COOKIE_SECURE": "false",  # plain http to 127.0.0.1
            "SECURE_SSL_REDIRECT": "false",  # no TLS in front of the bench server
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "LOG_LEVEL": os.environ.get("LOG_LEVEL") or "WARNING",
            # Our own static files and celery folders: nothing of the developer's var/ is touched.
            "COACHAPP_VAR_DIR": str(BENCH_VAR),
            # The reminder sweep enqueues through a real broker: a Redis database of the bench's
            # own (never the developer's REDIS_URL), tasks sent, never run in-process.
            "REDIS_URL": REDIS_URL,
            "CELERY_TASK_ALWAYS_EAGER": "false",
        }
    )
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def prepare_database() -> str:
    from bench.seed import reset_database

    name = reset_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    return name


class Persona:
    """A signed-in test client for in-process counts, and its cookies for gunicorn."""

    def __init__(self, user):
        from django.test import Client
        from django.urls import reverse

        self.user = user
        # CSRF checked as in production: POST pages must send the token like a browser.
        self.client = Client(HTTP_HOST=HOST, enforce_csrf_checks=True)
        self.client.force_login(user)
        # A returning browser has the CSRF cookie too: any full page sets it. (An athlete's home
        # is a redirect to their phone page.)
        response = self.client.get(reverse("home"), follow=True)
        if response.status_code != 200 or "csrftoken" not in self.client.cookies:
            raise BenchError(f"{user}: no CSRF cookie from the home page (HTTP {response.status_code})")
        self._api_token = None
        self.token_client = Client(HTTP_HOST=HOST)  # no cookies: an API call carries its token only

    def api_token(self) -> str:
        """The persona's read-only API token, made once the way the app makes them."""
        if self._api_token is None:
            from api.services import token_create

            _, self._api_token = token_create(user=self.user, name="Bench script")
        return self._api_token

    def csrf_token(self) -> str:
        return self.client.cookies["csrftoken"].value

    def cookie_header(self) -> str:
        # The session, and the CSRF cookie.
        return "; ".join(f"{name}={morsel.value}" for name, morsel in self.client.cookies.items())

    def _request(self, page, world) -> tuple[dict, bytes]:
        """The page's extra headers and body; POSTs carry the CSRF token (cookie + header)."""
        headers = dict(page.headers)
        body = b""
        if page.token:
            # An API call: the token instead of the session (and so no CSRF); a body is JSON.
            headers["Authorization"] = f"Token {self.api_token()}"
            if page.method != "GET" and page.data:
                body = json.dumps(page.data(world)).encode()
                headers["Content-Type"] = "application/json"
        elif page.method != "GET":
            headers["X-CSRFToken"] = self.csrf_token()
            if page.data:
                body = urlencode(page.data(world)).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
        return headers, body

    def fetch(self, page, world, url):
        """The page in-process, through the test client."""
        headers, body = self._request(page, world)
        content_type = headers.pop("Content-Type", "application/octet-stream")
        client = self.token_client if page.token else self.client
        return client.generic(page.method, url, body, content_type=content_type, headers=headers)

    def http_request(self, page, world) -> dict:
        """hammer()'s keyword arguments for the page over HTTP."""
        headers, body = self._request(page, world)
        cookie = "" if page.token else self.cookie_header()
        return {"cookie": cookie, "method": page.method, "headers": headers, "body": body}


def count_queries(page, world, persona, *, timed_runs: int = 10) -> dict:
    """Queries (and in-process ms, the median of ``timed_runs`` more requests) of one request,
    after a warm-up request. The suite's check of the pages (tests/test_bench.py) times none."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = page.url(world)
    validate = page.validator(world)

    def fetch() -> bytes:
        response = persona.fetch(page, world, url)
        body = response.content
        if response.status_code != 200:
            raise BenchError(
                f"{page.name}: in-process {page.method} {url} gave HTTP {response.status_code}: {body[:200]!r}"
            )
        problem = validate(body)
        if problem:
            raise BenchError(f"{page.name}: in-process {page.method} {url}: {problem}")
        return body

    sql_seconds = [0.0]

    def timed(execute, sql, params, many, context):  # Django logs durations in whole ms only
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_seconds[0] += time.perf_counter() - t0

    fetch()
    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timed):
        body = fetch()
    # Copy now: the next request resets the connection's query log the slice is taken from.
    queries = list(captured.captured_queries)
    timings = []
    for _ in range(timed_runs):
        t0 = time.perf_counter()
        fetch()
        timings.append(time.perf_counter() - t0)
    return {
        "queries": len(queries),
        "sql": [q["sql"] for q in queries],
        "query_ms": sql_seconds[0] * 1000,
        "ms": statistics.median(timings) * 1000 if timings else None,
        "bytes": len(body),  # the response body as sent (no compression in the app)
    }


def save_sql(name: str, size: str, counted: dict) -> Path:
    path = BENCH_VAR / f"queries-{name}-{size}.sql"
    path.write_text("".join(f"-- {i}\n{sql};\n\n" for i, sql in enumerate(counted["sql"], 1)))
    return path


def measure_http(server, targets) -> dict:
    """targets: [(name, url, request, validate)], request being hammer()'s cookie, method,
    headers and body; returns {name: [Window per round]}."""
    from bench.load import hammer

    def window(name, url, request, validate, seconds):
        result = hammer(
            server.host, server.port, url, validate=validate,
            seconds=seconds, concurrency=CONCURRENCY, **request,
        )
        if result.failures or not result.requests:
            raise BenchError(
                f"{name}: {result.failures} of {result.requests} requests to {url} failed, e.g. "
                f"{result.errors[:3]}\n--- gunicorn log ---\n{server.log_tail()}"
            )
        return result

    for name, url, request, validate in targets:  # both workers load code, templates, connections
        window(name, url, request, validate, WARMUP)
    windows = {name: [] for name, *_ in targets}
    for round_ in range(ROUNDS):
        order = targets if round_ % 2 == 0 else targets[::-1]  # alternate to cancel drift
        line = []
        for name, url, request, validate in order:
            result = window(name, url, request, validate, SECONDS)
            windows[name].append(result)
            line.append(f"{name} {result.rps:7.1f} req/s (p50 {result.p50_ms:5.1f} ms, n={result.requests})")
        log(f"round {round_ + 1}/{ROUNDS}: " + " | ".join(line))
    return windows


def main() -> int:
    configure_environment()
    log(f"resetting the bench database, migrating, collecting static files ({os.environ['DATABASE_URL']})")
    prepare_database()

    from django.db import connections

    from bench import seed
    from bench.pages import ADMIN_PEER, BARE, BARE_SIGNED_IN, PAGES, PEERS, PER_ROW_TARGET
    from bench.throughput import triage_throughput
    from bench.timings import assign_timing, reminder_sweep, sweep_result

    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    world = seed.World()
    counts = {}
    personas = {}
    sweeps = {}
    large_size = seed.scaled(seed.LARGE, SCALE)
    for key, size in (("small", seed.SMALL), ("large", large_size)):
        t0 = time.perf_counter()
        seed.grow(world, size)
        log(
            f"seeded {size.name}: {world.athletes} athletes over {len(world.teams)} teams, "
            f"{world.injuries} injuries ({world.open_injuries} open), {world.sessions:,} scheduled sessions, "
            f"{world.reminders_pending:,} pending reminders ({world.reminders_due:,} due), "
            f"{world.test_results:,} test results, {world.gps_rows:,} GPS rows in {time.perf_counter() - t0:.1f} s "
            f"({', '.join(f'{name} {seconds:.1f} s' for name, seconds in world.step_seconds.items())})"
        )
        for page in (*PAGES, *PEERS):
            persona = personas.get(page.as_user) or personas.setdefault(page.as_user, Persona(world.users[page.as_user]))
            counted = count_queries(page, world, persona)
            counts[(page.name, key)] = counted
            save_sql(page.name, key, counted)
            log(
                f"  {page.name}: {counted['queries']} queries ({counted['query_ms']:.1f} ms in SQL), "
                f"{counted['ms']:.1f} ms per request in-process, {counted['bytes'] / 1024:.1f} KiB"
            )
        sweeps[key] = reminder_sweep(world, runs=3 if key == "large" else 1)
        (BENCH_VAR / f"explain-reminder_sweep-{key}.txt").write_text(sweeps[key]["plan"].pop("text") + "\n")
        (BENCH_VAR / f"queries-reminder_sweep-{key}.sql").write_text(
            "".join(f"-- {i}\n{sql};\n\n" for i, sql in enumerate(sweeps[key]["sql"], 1))
        )
        log(
            f"  reminder sweep: {sweeps[key]['due']:,} due of {sweeps[key]['pending']:,} pending claimed "
            f"and queued in {sweeps[key]['seconds'] * 1000:.0f} ms, {sweeps[key]['queries']} queries; "
            f"the due rows' query by {sweeps[key]['plan']['index'] or 'NO INDEX'} in {sweeps[key]['plan']['ms']:.1f} ms"
        )
    sweep = sweep_result(sweeps["small"], sweeps["large"], REDIS_URL)
    assign = assign_timing(world)
    (BENCH_VAR / "queries-assign_40_athletes_10_weeks.sql").write_text(
        "".join(f"-- {i}\n{sql};\n\n" for i, sql in enumerate(assign.pop("sql"), 1))
    )
    log(
        f"programme_assign: {assign['sessions']:,} sessions for {assign['athletes']} athletes in "
        f"{assign['seconds'] * 1000:.0f} ms, {assign['queries']} queries (best of {len(assign['runs_seconds'])})"
    )
    baselines = {}
    for base in (BARE, BARE_SIGNED_IN):
        persona = personas.get(base.as_user) or personas.setdefault(base.as_user, Persona(world.users[base.as_user]))
        baselines[base.name] = count_queries(base, world, persona)
        log(f"  {base.name}: {baselines[base.name]['queries']} queries, {baselines[base.name]['ms']:.2f} ms in-process")
    connections.close_all()

    triage = triage_throughput()
    log(
        f"triage throughput: {triage['per_second']:,.0f} complaints/s over {triage['complaints']:,} "
        f"(best of {len(triage['runs_per_second'])}; target {triage['target']:,})"
    )

    targets = [
        (page.name, page.url(world), personas[page.as_user].http_request(page, world), page.validator(world))
        for page in (BARE, BARE_SIGNED_IN, *PAGES, *PEERS)
    ]
    server_kind = f"gunicorn {WORKERS} {'sync' if THREADS <= 1 else f'gthread x{THREADS}'} workers"
    log(f"serving with {server_kind}; {CONCURRENCY} client threads, {ROUNDS} rounds of {SECONDS:g} s per page")
    with Gunicorn(ROOT, BENCH_VAR / "gunicorn.log", workers=WORKERS, threads=THREADS, ready_path=BARE.url(world)) as server:
        windows = measure_http(server, targets)

    baseline_rounds = [w.rps for w in windows[BARE.name]]
    baseline = statistics.median(baseline_rounds)
    signed_in_rounds = [w.rps for w in windows[BARE_SIGNED_IN.name]]
    signed_in = statistics.median(signed_in_rounds)
    rows = []
    # Per-row cost: a sync worker serves one request at a time and CONCURRENCY > WORKERS keeps them
    # all busy, so WORKERS / rps is the worker time a request takes; less the signed-in bare
    # view's (session, user, middleware), over the rows the page shows.
    worker_ms = lambda rps: 1000 * WORKERS / rps  # noqa: E731
    for page in (*PAGES, *PEERS):
        rounds = [w.rps for w in windows[page.name]]
        rps = statistics.median(rounds)
        ratio = rps / baseline
        # The same ratio per round (page and bare view measured back to back): its spread shows
        # how noisy the machine was.
        ratio_rounds = [w.rps / b.rps for w, b in zip(windows[page.name], windows[BARE.name])]
        ratio_signed_in_rounds = [
            w.rps / b.rps for w, b in zip(windows[page.name], windows[BARE_SIGNED_IN.name])
        ]
        small, large = counts[(page.name, "small")], counts[(page.name, "large")]
        shown = page.rows(world) if page.rows else None
        own_ms = worker_ms(rps) - worker_ms(signed_in)
        ratio_ok = ratio >= page.target_ratio
        queries_ok = large["queries"] <= small["queries"] + page.query_growth_allowed
        rows.append(
            {
                "name": page.name,
                "rps": round(rps, 1),
                "baseline_rps": round(baseline, 1),
                "ratio": round(ratio, 3),
                "queries_small": small["queries"],
                "queries_large": large["queries"],
                # extras
                "target_ratio": page.target_ratio,
                "pass": ratio_ok and queries_ok,
                "ratio_pass": ratio_ok,
                "queries_pass": queries_ok,
                "signed_in_baseline_rps": round(signed_in, 1),
                "ratio_signed_in": round(rps / signed_in, 3),
                "method": page.method,
                "url": page.url(world),
                "rps_rounds": [round(x, 1) for x in rounds],
                "baseline_rps_rounds": [round(x, 1) for x in baseline_rounds],
                "ratio_rounds": [round(x, 3) for x in ratio_rounds],
                "signed_in_baseline_rps_rounds": [round(x, 1) for x in signed_in_rounds],
                "ratio_signed_in_rounds": [round(x, 3) for x in ratio_signed_in_rounds],
                "p50_ms": round(statistics.median([w.p50_ms for w in windows[page.name]]), 2),
                "p95_ms": round(statistics.median([w.p95_ms for w in windows[page.name]]), 2),
                "html_bytes": large["bytes"],
                "html_bytes_small": small["bytes"],
                "rows": shown,
                "worker_ms": round(worker_ms(rps), 3),
                "own_ms": round(own_ms, 3),
                "per_row_ms": round(own_ms / shown, 4) if shown else None,
                # The same from the in-process timings (test client, no HTTP).
                "per_row_ms_inprocess": (
                    round((large["ms"] - baselines[BARE_SIGNED_IN.name]["ms"]) / shown, 4) if shown else None
                ),
                "peer": page.name in {peer.name for peer in PEERS},
                "baseline_p50_ms": round(statistics.median([w.p50_ms for w in windows[BARE.name]]), 2),
                "signed_in_baseline_p50_ms": round(
                    statistics.median([w.p50_ms for w in windows[BARE_SIGNED_IN.name]]), 2
                ),
                "inprocess_ms_large": round(large["ms"], 2),
                "query_ms_large": round(large["query_ms"], 2),
                "baseline_inprocess_ms": round(baselines[BARE.name]["ms"], 2),
                "signed_in_baseline_inprocess_ms": round(baselines[BARE_SIGNED_IN.name]["ms"], 2),
                "signed_in_baseline_queries": baselines[BARE_SIGNED_IN.name]["queries"],
                "athletes_small": seed.SMALL.athletes,
                "athletes_large": large_size.athletes,
                "injuries_large": large_size.injuries,
                "scale": SCALE,
                "scheduled_sessions_large": world.sessions,
                "persona": page.as_user,
                "server": server_kind,
                "concurrency": CONCURRENCY,
                "rounds": ROUNDS,
                "seconds_per_window": SECONDS,
                "cpus": os.cpu_count(),
                "load_average_before": LOAD_BEFORE,
            }
        )

    peer = next(row for row in rows if row["name"] == ADMIN_PEER)
    for row in rows:
        if row["per_row_ms"] is not None and not row["peer"]:
            row["per_row_vs_admin"] = round(row["per_row_ms"] / peer["per_row_ms"], 3)
            row["per_row_target"] = round(PER_ROW_TARGET, 3)
            row["per_row_pass"] = row["per_row_vs_admin"] <= PER_ROW_TARGET
    print_table(rows, triage, assign, sweep)
    for row in rows:
        low, high = min(row["ratio_rounds"]), max(row["ratio_rounds"])
        if high > 1.3 * low:
            print(f"note: {row['name']}'s ratio varied from {low:.1%} to {high:.1%} between rounds: other "
                  f"load on the machine? (1-min load average {LOAD_BEFORE} before the run)")
    for row in rows:
        if not row["queries_pass"]:
            print(f"\n{row['name']}: queries grew from {row['queries_small']} to {row['queries_large']}; "
                  f"compare {BENCH_VAR}/queries-{row['name']}-small.sql and -large.sql")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    tmp = RESULTS.with_suffix(".json.tmp")
    tmp.write_text(json.dumps([*rows, triage, assign, sweep], indent=2) + "\n")
    tmp.replace(RESULTS)
    log(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


def print_table(rows, triage, assign, sweep) -> None:
    head = (
        f"{'page':<18}{'req/s':>9}{'bare req/s':>12}{'ratio':>8}{'target':>8}"
        f"{'signed-in req/s':>17}{'ratio':>8}{'queries small→large':>22}  result"
    )
    print()
    print(head)
    print("-" * (len(head) + 20))
    for row in rows:
        problems = []
        if not row["ratio_pass"]:
            problems.append(f"ratio {row['ratio']:.0%} < {row['target_ratio']:.0%}")
        if not row["queries_pass"]:
            problems.append(f"queries grew {row['queries_small']} → {row['queries_large']}")
        verdict = "ok" if row["pass"] else "MISSED: " + "; ".join(problems)
        if row["peer"]:
            verdict = "peer (no target)" if row["queries_pass"] else verdict
        queries = f"{row['queries_small']} → {row['queries_large']}"
        target = "-" if row["peer"] else "≥" + format(row["target_ratio"], ".0%")
        print(
            f"{row['name']:<18}{row['rps']:>9.1f}{row['baseline_rps']:>12.1f}{row['ratio']:>8.1%}"
            f"{target:>8}"
            f"{row['signed_in_baseline_rps']:>17.1f}{row['ratio_signed_in']:>8.1%}{queries:>22}  {verdict}"
        )
    print()
    # Latency under CONCURRENCY clients, the HTML each page sends, and the list pages' cost per row
    # against the Django admin's athlete changelist (ADMIN_PEER) on the same data, in the same run.
    head = (
        f"{'page':<18}{'p50 ms':>9}{'p95 ms':>9}{'HTML KiB':>10}{'rows':>6}{'ms/request':>12}"
        f"{'ms/row':>9}{'vs admin':>10}  result"
    )
    print(head)
    print("-" * (len(head) + 20))
    for row in rows:
        per_row = f"{row['per_row_ms']:.3f}" if row["per_row_ms"] is not None else "-"
        if row["peer"]:
            against, verdict = "peer", ""
        elif "per_row_vs_admin" in row:
            against = f"{row['per_row_vs_admin']:.0%}"
            verdict = "ok" if row["per_row_pass"] else f"MISSED: > {row['per_row_target']:.0%} of the admin's"
        else:
            against, verdict = "-", ""
        print(
            f"{row['name']:<18}{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}{row['html_bytes'] / 1024:>10.1f}"
            f"{row['rows'] if row['rows'] is not None else '-':>6}{row['own_ms']:>12.2f}{per_row:>9}{against:>10}  {verdict}"
        )
    print(
        f"(ms/request: worker time per request, {row['server']}, less the signed-in bare view's; "
        f"{row['concurrency']} clients; the dataset at scale {row['scale']})"
    )
    print()
    verdict = "ok" if triage["pass"] else f"MISSED: < {triage['target']:,}"
    print(
        f"triage throughput: {triage['per_second']:,.0f} complaints/s in-process "
        f"(target ≥ {triage['target']:,})  {verdict}"
    )
    verdict = "ok" if assign["pass"] else f"MISSED: > {assign['target_seconds']:g} s"
    print(
        f"programme assignment: {assign['sessions']:,} sessions for {assign['athletes']} athletes in "
        f"{assign['seconds'] * 1000:.0f} ms, {assign['queries']} queries (target ≤ {assign['target_seconds']:g} s)  {verdict}"
    )
    problems = []
    if not sweep["seconds_pass"]:
        problems.append(f"{sweep['seconds']:.2f} s > {sweep['target_seconds']:g} s")
    if not sweep["queries_pass"]:
        problems.append(f"queries grew {sweep['queries_small']} → {sweep['queries_large']}")
    verdict = "ok" if sweep["pass"] else "MISSED: " + "; ".join(problems)
    print(
        f"reminder sweep: {sweep['due']:,} due of {sweep['pending']:,} pending in {sweep['seconds'] * 1000:.0f} ms, "
        f"queries {sweep['queries_small']} → {sweep['queries_large']} "
        f"(at {sweep['pending_small']:,} → {sweep['pending']:,} pending; target ≤ {sweep['target_seconds']:g} s)  {verdict}"
    )
    print(
        f"  the due rows' query: {sweep['plan_index'] or 'NO INDEX'}, {sweep['plan_ms']:.1f} ms at {sweep['pending']:,} "
        f"pending (EXPLAIN ANALYZE in bench/var/explain-reminder_sweep-large.txt); publishing "
        f"{sweep['publish_round_trips']} round trips of up to {sweep['publish_chunk']} messages"
    )
    print()


if __name__ == "__main__":
    try:
        code = main()
    except BenchError as error:
        print(f"\nbench FAILED: {error}", file=sys.stderr)
        code = 1
    except KeyboardInterrupt:
        print("\nbench interrupted", file=sys.stderr)
        code = 130
    except Exception:
        traceback.print_exc()
        print("\nbench FAILED (see the traceback above)", file=sys.stderr)
        code = 1
    log(f"done in {time.monotonic() - STARTED:.0f} s")
    sys.exit(code)
