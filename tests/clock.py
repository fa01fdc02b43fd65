"""Run the suite as if it were another moment: a pytest plugin, off unless asked for.

    SIDELOG_TEST_CLOCK=2026-12-07T02:30Z .venv/bin/python -m pytest -p tests.clock
    SIDELOG_TEST_CLOCK=--07-15T23:30Z .venv/bin/python -m pytest -p tests.clock

A moment without a year (ISO 8601's `--MM-DD`) is its next occurrence: a day still to
come, as the suite will meet it, not one before the dates that tests fix in the past.
Each test process's clock (`datetime.now()`, `date.today()`, `time.time()`, so Django's
`timezone.now()` and `localdate()`) starts at that moment and runs on from there, so a test
whose answer depends on the hour or the date fails at the moments where it would fail for
real. `make test-clock` runs the suite at several such moments.

time-machine moves this process's clock only, not a subprocess's (a Celery worker,
gunicorn, `manage.py`, Chromium), so run it on SQLite without the browser tests, as
`make test-clock` does. Sidelog reads the time from Python only, never from the database,
so nothing in the process sees two clocks. (libfaketime would move subprocesses too, but
Debian's 0.9.10 leaves Python's timed waits, such as `threading.Event().wait(1)`, waiting
forever unless the monotonic clock is left real, and then `time.sleep` fails.)
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
import time_machine

VARIABLE = "SIDELOG_TEST_CLOCK"
# As the run was started: Django sets TZ to TIME_ZONE once its settings load.
STARTED_IN_TZ = os.environ.get("TZ", "")
_travel: time_machine.travel | None = None
_started_at: datetime | None = None


def clock_start() -> datetime | None:
    """The moment asked for in SIDELOG_TEST_CLOCK, an ISO 8601 time with its offset."""
    value = os.environ.get(VARIABLE, "").strip()
    if not value:
        return None
    if value.startswith("--"):
        return next_occurrence(value)
    return _parsed(value, value)


def next_occurrence(value: str) -> datetime:
    """`--MM-DDThh:mm±hh:mm` in the first year in which that moment is still to come."""
    year = datetime.now(UTC).year
    for candidate in range(year, year + 9):  # 29 February can be eight years away
        try:
            moment = _parsed(f"{candidate}-{value.removeprefix('--')}", value)
        except pytest.UsageError:
            continue
        if moment > datetime.now(UTC):
            return moment
    raise pytest.UsageError(f"{VARIABLE}={value!r} is not a --MM-DDThh:mm time with its offset")


def _parsed(text: str, value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise pytest.UsageError(f"{VARIABLE}={value!r} is not an ISO 8601 time") from None
    if moment.utcoffset() is None:
        raise pytest.UsageError(f"{VARIABLE}={value!r} needs its offset, such as Z or +01:00")
    return moment


def pytest_configure(config: pytest.Config) -> None:
    global _travel, _started_at
    moment = clock_start()
    if moment is not None:
        # A fixed offset (fromisoformat gives no ZoneInfo), so time-machine leaves TZ alone.
        _travel = time_machine.travel(moment, tick=True)
        _travel.start()
        _started_at = moment


def pytest_unconfigure(config: pytest.Config) -> None:
    global _travel
    if _travel is not None:
        _travel.stop()
        _travel = None


def pytest_report_header(config: pytest.Config) -> str | None:
    if _started_at is None:
        return None
    return f"clock: starts at {_started_at.isoformat()} ({VARIABLE}), TZ={STARTED_IN_TZ}"
