# coachapp: `make run` serves the app with a Celery worker and beat; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
APPS := coachapp api accounts phone webhooks monitoring programmes testing injuries reminders athletes

.PHONY: run triage test test-weekdays bench bench-phone check check-deploy check-security check-layers audit lock clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "coachapp needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs come from the lock files only, every file checked against its hash, so each machine
# gets the same packages; `make lock` refreshes them from pyproject.toml's ranges. The app runs
# from this folder: it is never installed as a package. Stamps reinstall when a lock changes.
$(VENV)/.installed-run: requirements/run.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/run.txt
	@touch $@

$(VENV)/.installed-dev: requirements/dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/dev.txt
	@touch $@ $(VENV)/.installed-run

LOCK := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes --quiet
lock: $(VENV)/.installed-dev
	$(LOCK) --upgrade -o requirements/run.txt
	$(LOCK) --upgrade --extra dev -o requirements/dev.txt
	$(LOCK) --upgrade --extra s3 -o requirements/s3.txt
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/dev.txt

run: $(VENV)/.installed-run
	@mkdir -p var/static
	DEBUG=true $(BIN)/python manage.py migrate --noinput
	DEBUG=true $(BIN)/python manage.py seed_demo
	@# Push notifications need a VAPID key pair: one is made for this machine unless set (README).
	DEBUG=true $(BIN)/python manage.py webpush_keys --ensure var/webpush-keys.env
	@echo "Serving on http://127.0.0.1:$(PORT)  (Ctrl-C stops the web server, worker and beat)"
	@# Links in emails and the calendar follow the port unless SITE_URL is set.
	PATH="$(CURDIR)/$(BIN):$$PATH" DEBUG=true WEB_PORT=$(PORT) SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" \
		$(BIN)/honcho --procfile Procfile.dev start

# Triage complaints from a JSON file without the app: make triage FILE=complaints.json
triage: $(VENV)/.installed-run
	@test -n "$(FILE)" || { echo "Say which file: make triage FILE=complaints.json"; exit 2; }
	DEBUG=true $(BIN)/python manage.py triage "$(FILE)"

# The suite runs on real PostgreSQL and Redis; override either with DATABASE_URL / REDIS_URL.
# It runs in TEST_WORKERS pytest-xdist workers (2, the machine's cores; auto = one per core, at most
# 4; 0 = one process). Each worker has a test database of its own (pytest-django adds
# _gw0, _gw1...) and a Redis database of its own (REDIS_URL's number plus the worker's,
# tests/conftest.py), so REDIS_URL's db 0 and 4 workers use Redis databases 0-3.
TEST_WORKERS ?= 2
XDIST = -n $(TEST_WORKERS) --maxprocesses 4 --dist load
test: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/coachapp
test: export REDIS_URL ?= redis://127.0.0.1:6379/0
test: export COACHAPP_WEEKDAYS ?= $(WEEKDAYS)
test: $(VENV)/.installed-dev
	$(MAKE) --no-print-directory check-deploy check-security check-layers
	$(BIN)/pytest $(XDIST) $(PYTEST_ARGS)

# The tests that depend on the date (marked calendar, pinned to a Wednesday) run again, in the same
# pytest run, on a Monday at a month's end, a Thursday at the year's end and a Sunday at February's
# end ([day=...] in their ids; tests/conftest.py), so `make test` is green whatever the day.
# Browser tests are left out. `make test-weekdays` runs only those tests, on the four days.
WEEKDAYS ?= 2026-11-30 2026-12-31 2027-02-28
test-weekdays: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/coachapp
test-weekdays: export REDIS_URL ?= redis://127.0.0.1:6379/0
test-weekdays: export COACHAPP_WEEKDAYS ?= $(WEEKDAYS)
test-weekdays: $(VENV)/.installed-dev
	$(BIN)/pytest -q $(XDIST) -m "calendar and not browser"

# Static security analysis of our own code: no high-severity finding may land.
check-security: $(VENV)/.installed-dev
	$(BIN)/bandit --quiet --recursive $(APPS) --severity-level high

# Apps depend one way (docs/architecture.md#layers): the contracts are in pyproject.toml.
check-layers: $(VENV)/.installed-dev
	$(BIN)/lint-imports --no-cache

# Known vulnerabilities in the installed packages. --strict: a package that could not be checked
# fails the run, so "no vulnerabilities" never means "nothing was checked". It needs PyPI's
# per-release JSON API or OSV; the build machines reach neither, so it is not in `make test`.
audit: $(VENV)/.installed-dev
	$(BIN)/pip-audit --strict --progress-spinner off --requirement requirements/dev.txt --disable-pip

# Production settings must pass Django's deployment checks with no warning at all.
check-deploy: $(VENV)/.installed-dev
	DEBUG=false ALLOWED_HOSTS=coachapp.example.org \
	SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(60))')" \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

# `make bench SCALE=10`: the large dataset ten times over (20,000 athletes, 2 million scheduled
# sessions, 1 million pending reminders); README, "Benchmark".
SCALE ?= 1
bench: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/coachapp_bench
bench: export BENCH_SCALE ?= $(SCALE)
bench: $(VENV)/.installed-dev
	$(BIN)/python bench/run.py

# Optional, apart from `make bench`: the athlete's home and session pages in Chromium under
# DevTools' "Slow 4G" profile, first and repeat visits (bench/phone_speed.py; needs /usr/bin/chromium).
bench-phone: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/coachapp_bench_phone
bench-phone: $(VENV)/.installed-dev
	$(BIN)/python bench/phone_speed.py

check: $(VENV)/.installed-dev
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf var/celery var/celerybeat-schedule* var/static
