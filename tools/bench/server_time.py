"""Server time per request, in-process: Sidelog's WSGI application called directly.

It runs in a process of its own with the production settings gunicorn is given, so what it
times is what a gunicorn worker does for one request, less the network: middleware, view,
queries, template or serializer, the body written out. Each request is first made a few
times (the first fills caches, and PostgreSQL prepares a statement on its fifth run), then
timed `repeats` times; the figure is their median. Its queries are counted on one more.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from tools.serving import ROOT
from tools.start import ToolError

WARM_UP = 8


@dataclass
class Probe:
    """One request to time, with its own headers (`Authorization`, `Cookie`)."""

    key: str
    path: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    expected: int = 200


@dataclass
class Timing:
    median_ms: float
    queries: int


def server_times(probes: list[Probe], *, env: dict[str, str], repeats: int) -> dict[str, Timing]:
    """Time each probe in a child process with `env` (production settings)."""
    finished = subprocess.run(  # noqa: S603 (our own fixed command)
        [sys.executable, "-m", "tools.bench", "--server-time", str(repeats)],
        cwd=ROOT,
        env=env,
        input=json.dumps([asdict(probe) for probe in probes]),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if finished.returncode != 0:
        raise ToolError(f"Timing requests in-process failed:\n{finished.stderr[-3000:]}")
    timings = json.loads(finished.stdout.strip().splitlines()[-1])
    return {key: Timing(**timing) for key, timing in timings.items()}


def server_times_print(repeats: int) -> None:
    """The child's side: probes as JSON on stdin, timings as one JSON line on stdout."""
    application = WSGIHandler()  # what config.wsgi gives gunicorn
    probes = [Probe(**probe) for probe in json.loads(sys.stdin.read())]
    timings = {
        probe.key: asdict(_probe_time(probe, application, repeats=repeats)) for probe in probes
    }
    print(json.dumps(timings))


def _probe_time(probe: Probe, application: WSGIHandler, *, repeats: int) -> Timing:
    # Every request says it came through the TLS proxy, as wrk's and production's do.
    factory = RequestFactory(SERVER_NAME="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")

    def once() -> float:
        environ = factory.generic(
            probe.method,
            probe.path,
            json.dumps(probe.body) if probe.body is not None else "",
            content_type="application/json",
            headers=probe.headers,
        ).environ
        statuses: list[str] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None, /
        ) -> Callable[[bytes], object]:
            statuses.append(status)
            return lambda data: None

        clock = time.perf_counter()
        response = application(environ, start_response)
        for _ in response:
            pass
        close = getattr(response, "close", None)
        if close is not None:
            close()  # sends request_finished, as gunicorn does
        seconds = time.perf_counter() - clock
        status = int(statuses[0].split()[0])
        if status != probe.expected:
            raise ToolError(f"{probe.method} {probe.path} answered {status} in-process")
        return seconds

    for _ in range(WARM_UP):
        once()
    median_ms = statistics.median(once() for _ in range(repeats)) * 1000
    with CaptureQueriesContext(connection) as captured:
        once()
    return Timing(median_ms=median_ms, queries=len(captured))
