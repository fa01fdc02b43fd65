# Sidelog's everyday commands. `make run` and `make test` set everything up themselves.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test lint install lock worker bench-report

$(VENV)/installed: pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "Sidelog needs $(PYTHON) (Python 3.11)."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

install: $(VENV)/installed

## Serve Sidelog on http://127.0.0.1:8000 with SQLite, in-process tasks and demo accounts;
## with no beat, due reminders are sent every minute by a command beside the server.
run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py demo
	DEBUG=1 $(PY) manage.py reminders_send_due --every 60 & sender=$$!; \
	trap 'kill $$sender 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

## Lint, type-check and run every test (SQLite unless DATABASE_URL says otherwise).
test: install lint
	$(PY) -m pytest -n 2 --dist loadgroup

## The suite as if it were 00:30, 02:30 or 23:30 UTC on the next 15 January, 23:30 UTC on the
## next 15 July (00:30 in London) and 23:30 in New York, each under another TZ (tests/clock.py);
## fails if any run fails. Slow (a whole suite for each moment), so not part of `make test`.
## On SQLite without Redis and without the browser tests: a Celery worker or Chromium runs in
## a process of its own and keeps the real clock.
CLOCKS ?= --01-15T00:30Z,Pacific/Auckland --01-15T02:30Z,UTC --01-15T23:30Z,America/Los_Angeles \
	--07-15T23:30Z,Europe/London --07-16T03:30Z,America/New_York
.PHONY: test-clock
test-clock: install
	@failed=""; for clock in $(CLOCKS); do \
		at=$${clock%%,*}; tz=$${clock#*,}; echo "== clock at $$at, TZ=$$tz"; \
		env -u DATABASE_URL -u REDIS_URL -u CI TZ=$$tz SIDELOG_TEST_CLOCK=$$at \
			$(PY) -m pytest -p tests.clock -q -n 2 --dist loadgroup --ignore=tests/browser \
			|| failed="$$failed $$clock"; \
	done; \
	if [ -n "$$failed" ]; then echo "make test-clock failed at:$$failed"; exit 1; fi

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy .

## Celery worker and beat, for when REDIS_URL is set.
worker: install
	$(VENV)/bin/celery -A config worker --beat --without-gossip --without-mingle --without-heartbeat --loglevel INFO

## Time the parts of one report build over 10,000 entries (uses DATABASE_URL; SQLite if unset).
bench-report: install
	DEBUG=1 $(PY) manage.py migrate --noinput -v0
	DEBUG=1 $(PY) -m tools.bench_report --entries 10000

## Rewrite requirements.lock from the current virtualenv after changing pyproject.toml.
lock:
	$(PY) -m pip freeze --exclude-editable | grep -v '^-e ' > requirements.lock

.PHONY: bench faults

## Benchmarks on PostgreSQL (tools/bench): server time of the patient's pages in-process and
## under load, entry logging, report builds; fails on a missed goal.
bench: install
	DEBUG=1 DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/sidelog_bench} \
		$(PY) -m tools.bench

## Ask for 200 reports while a worker is killed and Redis stops; fails if one is lost or built twice.
## Then send 60 due reminders under the same faults; fails if one is sent twice or lost.
faults: install
	DEBUG=1 DATABASE_URL=$${FAULTS_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/sidelog_faults} \
		$(PY) -m tools.faults
	DEBUG=1 DATABASE_URL=$${FAULTS_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/sidelog_faults} \
		$(PY) -m tools.faults reminders
