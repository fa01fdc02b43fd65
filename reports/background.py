"""Building a report in a thread of the web process, when there is no broker (`make run`).

The request that asks for a report returns at once and its page shows the build's progress,
as with a Celery worker. A database briefly locked (SQLite under `runserver`) is retried the
way the Celery task retries it; the thread closes its own database connection at the end.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)

ATTEMPTS = 5
FIRST_WAIT = 0.5  # seconds, doubled after each locked attempt

# Threads still building, so that tests (and a shutdown) can wait for them.
_running: set[threading.Thread] = set()
_running_lock = threading.Lock()


def report_build_in_thread(*, report_id: int) -> threading.Thread:
    thread = threading.Thread(
        target=_build, args=(report_id,), name=f"report-build-{report_id}", daemon=True
    )
    with _running_lock:
        _running.add(thread)
    thread.start()
    return thread


def builds_wait(timeout: float | None = None) -> None:
    """Wait for every build started in a thread to end."""
    with _running_lock:
        threads = list(_running)
    for thread in threads:
        thread.join(timeout)


def _build(report_id: int) -> None:
    from reports.services import report_build

    wait = FIRST_WAIT
    try:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                report_build(report_id=report_id)
                return
            except DatabaseError:
                if attempt == ATTEMPTS:
                    raise
                logger.warning("Report %s: database busy, trying again", report_id)
                time.sleep(wait)
                wait *= 2
    except Exception:
        logger.exception("Report %s failed to build in the background", report_id)
    finally:
        connection.close()
        with _running_lock:
            _running.discard(threading.current_thread())
