# Two commands do everything on a fresh machine:
#   make run   - the portal on the embedded default (SQLite, eager tasks, demo data) at 127.0.0.1:8000
#   make test  - the whole suite on PostgreSQL and Redis (started if they are not answering)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/portal
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15
# pytest-xdist processes for the PostgreSQL run: one per core of the 2-core machines. Each has its own
# database (test_portal_gw0, ...) and Redis database (15, 14, ...: tests/xdist_redis.py).
PYTEST_WORKERS ?= 2
# The migration linter only generates SQL (sqlmigrate), so the always-present maintenance database will do.
LINT_DB_URL ?= postgres://postgres@127.0.0.1:5432/postgres

.PHONY: run test venv dev-venv lint format messages check services clean loadtest bench-pages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

# A development checkout gets a .env with DEBUG on, so that plain `.venv/bin/python manage.py ...`
# works here. It is git-ignored and never overwritten; production sets its own (see .env.example).
.env:
	printf '# Written by make for local development; delete it or set DEBUG=false for anything else.\nDEBUG=true\n' > $@

venv: $(VENV)/.installed
dev-venv: $(VENV)/.installed-dev

# The .mo files are committed; this target rebuilds them after a catalogue changes.
messages: dev-venv
	DEBUG=true $(BIN)/python manage.py compilemessages --ignore=.venv

run: venv .env
	DEBUG=true $(BIN)/python manage.py migrate --noinput
	DEBUG=true $(BIN)/python manage.py seed_demo
	DEBUG=true $(BIN)/python manage.py runserver 127.0.0.1:8000

services:
	@scripts/ensure-services
	@scripts/ensure-browser

test: dev-venv services .env
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run
	DEBUG=true DATABASE_URL=$(LINT_DB_URL) $(BIN)/python scripts/lint-migrations
	DEBUG=true $(BIN)/python manage.py check
	$(BIN)/lint-imports
	DEBUG=true DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_TEST_URL) $(BIN)/python -m pytest --create-db -n $(PYTEST_WORKERS) --dist loadgroup
	DEBUG=true DATABASE_URL=sqlite:///$(CURDIR)/var/test-sqlite.db REDIS_URL=$(REDIS_TEST_URL) $(BIN)/python -m pytest tests/district/test_filter_ranges.py -p no:cacheprovider

# Locust, 50 users for 60 s, against gunicorn on PostgreSQL with the demo data; not part of `make test`.
# make loadtest [SCENARIO=browse|results-day|capacity]: see scripts/loadtest.
SCENARIO ?= browse
loadtest: dev-venv
	@scripts/ensure-services
	scripts/loadtest $(SCENARIO)

# /openings/, /pathways/, /companies/ and /programs/ timed against the commit before issue 17 (or
# BASE=<commit>), side by side in one run, DEBUG off; exits 1 when /openings/ or /pathways/ costs more
# than half of the base. Not part of `make test`.
BASE ?= f94dc1f
bench-pages: dev-venv
	@scripts/ensure-services
	scripts/bench-pages $(BASE)

lint: dev-venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: dev-venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
