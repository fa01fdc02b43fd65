"""Sidelog's benchmarks on PostgreSQL, one table: `python manage.py bench` (`make bench`).

- Logging an entry: `POST /api/v1/entries/` with a token, through gunicorn started here with
  production settings, loaded by wrk; beside it `GET /api/v1/ping/`, which costs only the
  authentication and patient lookup every journal request pays. The two take turns for five
  rounds; the ratio is the median of the rounds'. Goal: p95 of entry logging under 60 ms
  (the ratio, once a goal of 0.5, is printed for comparison: since triage reads every
  medicine the patient is on, an entry costs a query or two more than it did).
- The timeline page (session cookie) and the entries list (token) with 100 and 10,000
  entries: queries per request, counted in-process, must not grow; p95 through gunicorn.
- A report build over 1,000 and 10,000 entries, each in a process of its own so that its
  peak memory is its own. Goal: 10,000 entries within 10 seconds.

It creates the database if it is missing and migrates it, writes throwaway patients,
deletes them and stops gunicorn at the end, and exits non-zero when a goal is missed.
The server is given no Redis: none of the measured requests uses it.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import secrets
import shutil
import signal
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from psycopg import sql
from rest_framework.authtoken.models import Token

from journal.bench import journal_fill
from journal.models import Profile, Report
from journal.privacy import account_delete
from journal.reports.services import report_build
from reference.models import SideEffect

ROOT = Path(settings.BASE_DIR)
ENTRY_P95_GOAL_MS = 60.0
BUILD_GOAL_SECONDS = 10.0
PAGE_SIZES = (100, 10_000)
BUILD_SIZES = (1_000, 10_000)
# Days each journal covers: a month for 100 entries, so that the newest page of the timeline
# holds entries as well as doses, as it does for 10,000 entries over a year.
JOURNAL_DAYS = {100: 30, 1_000: 365, 10_000: 365}


# Shared with `manage.py faults`: a database, a production-like server, a free port.


def database_url() -> str:
    """The URL of the database this process uses, for the processes it starts."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "postgres")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def database_ensure() -> None:
    """Create the PostgreSQL database if it is missing, then bring it up to date."""
    if connection.vendor != "postgresql":
        raise CommandError(
            "This needs PostgreSQL: set DATABASE_URL, e.g. "
            "postgres://postgres@127.0.0.1:5432/sidelog_bench"
        )
    try:
        connection.ensure_connection()
    except OperationalError as error:
        if "does not exist" not in str(error):
            raise
        db = connection.settings_dict
        with psycopg.connect(
            dbname="postgres",
            user=db["USER"],
            password=db["PASSWORD"] or None,
            host=db["HOST"] or "127.0.0.1",
            port=db["PORT"] or 5432,
            autocommit=True,
        ) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
        connection.close()
    call_command("migrate", interactive=False, verbosity=0)


def static_collect() -> None:
    """Production settings serve static files by hashed name: collect them when stale.

    STATIC_ROOT (git-ignored, what a deployment builds) is kept, because compressing the
    API docs' files takes collectstatic most of a minute.
    """
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    newest = max(
        Path(storage.path(path)).stat().st_mtime
        for finder in finders.get_finders()
        for path, storage in finder.list([])
    )
    if manifest.exists() and manifest.stat().st_mtime >= newest:
        return
    env = production_env(media_root=Path(settings.MEDIA_ROOT))
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def production_env(*, media_root: Path, **extra: str) -> dict[str, str]:
    """Production settings for a run: keys of its own, HTTPS said by a proxy header."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"REDIS_URL", "CELERY_QUEUE", "PYTEST_XDIST_WORKER"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        AUDIT_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        BEHIND_TLS_PROXY="1",
        DATABASE_URL=database_url(),
        MEDIA_ROOT=str(media_root),
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


# Every request to the server says it came through the TLS proxy, as in production.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def http_request(
    url: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: dict[str, Any] | None = None,
    timeout: float = 30,
) -> tuple[int, bytes]:
    """The status and body of one request; an error status is an answer, not an exception."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(  # noqa: S310 (our own server, http on 127.0.0.1)
        url,
        data=data,
        method=method,
        headers={**PROXY_HEADERS, "Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    description: str

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)


@contextmanager
def gunicorn_serving(
    env: dict[str, str], *, workers: int, threads: int, log: Path
) -> Iterator[Server]:
    """gunicorn on a free port of 127.0.0.1, stopped (with its workers) on the way out."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--graceful-timeout", "5", "--log-level", "warning"]
    if threads > 1:
        command += ["--worker-class", "gthread", "--threads", str(threads)]
        description = f"gunicorn, {workers} gthread workers x {threads} threads"
    else:
        description = f"gunicorn, {workers} sync workers"
    process = subprocess.Popen(  # noqa: S603 (our own fixed command)
        command,
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # so that the group, workers included, can be killed
    )
    server = Server(f"http://127.0.0.1:{port}", process, log, description)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise CommandError(f"gunicorn stopped at start:\n{log.read_text()[-3000:]}")
            try:
                if http_request(f"{server.url}/health/", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise CommandError(f"gunicorn did not answer:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield server
    finally:
        server.stop()


# wrk: one Lua script for every measured request. `response` checks each status and
# `done` prints the figures as one JSON line; wrk's own summary has no p95.
WRK_SCRIPT = string.Template(
    """\
local method, path, expected = "${method}", "${path}", ${expected}
local slugs = {${slugs}}
wrk.headers["X-Forwarded-Proto"] = "https"
wrk.headers["${auth_header}"] = "${auth_value}"
wrk.headers["Content-Type"] = "application/json"

local threads, started = {}, 0
function setup(thread)
  started = started + 1
  thread:set("seed", started)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 1000 + seed)
  unexpected, last_unexpected = 0, 0
end

local function moment(seconds)
  return os.date("!%Y-%m-%dT%H:%M:%SZ", seconds)
end

-- A valid entry, different each time: a real symptom, an onset in the last three weeks,
-- resolved or not, severity and interference 0-4, sometimes a note.
local function entry()
  local now = os.time()
  local onset = now - math.random(600, 21 * 86400)
  local fields = {
    '"side_effect":"' .. slugs[math.random(#slugs)] .. '"',
    '"onset_at":"' .. moment(onset) .. '"',
    '"severity":' .. math.random(0, 4),
    '"interference":' .. math.random(0, 4),
  }
  if math.random() < 0.7 then
    fields[#fields + 1] = '"resolved_at":"' .. moment(onset + math.random(5, 300)) .. '"'
  end
  if math.random() < 0.2 then
    fields[#fields + 1] = '"notes":"Worse after lunch, eased lying down."'
  end
  return "{" .. table.concat(fields, ",") .. "}"
end

function request()
  if method == "POST" then
    return wrk.format("POST", path, nil, entry())
  end
  return wrk.format(method, path)
end

function response(status, headers, body)
  if status ~= expected then
    unexpected, last_unexpected = unexpected + 1, status
  end
end

function done(summary, latency, requests)
  local wrong, wrong_status = 0, 0
  for _, thread in ipairs(threads) do
    wrong = wrong + thread:get("unexpected")
    if thread:get("last_unexpected") ~= 0 then wrong_status = thread:get("last_unexpected") end
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"microseconds":%d,"p50":%d,"p95":%d,"unexpected":%d,' ..
    '"unexpected_status":%d,"socket_errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    wrong, wrong_status, errors.connect + errors.read + errors.write + errors.timeout))
end
"""
)


@dataclass
class Load:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    unexpected: int
    unexpected_status: int
    socket_errors: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    @classmethod
    def combined(cls, runs: list[Load]) -> Load:
        """Several runs of one endpoint: their sums, and the median of their percentiles."""
        return cls(
            requests=sum(run.requests for run in runs),
            seconds=sum(run.seconds for run in runs),
            p50_ms=statistics.median(run.p50_ms for run in runs),
            p95_ms=statistics.median(run.p95_ms for run in runs),
            unexpected=sum(run.unexpected for run in runs),
            unexpected_status=max(run.unexpected_status for run in runs),
            socket_errors=sum(run.socket_errors for run in runs),
        )


@dataclass
class Row:
    what: str
    entries: int | None
    queries: int
    load: Load


class Command(BaseCommand):
    help = "Measure entry logging, the timeline and list, and report builds; check the goals."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seconds", type=int, default=10, help="wrk's time per endpoint")
        parser.add_argument(
            "--rounds", type=int, default=5, help="turns of entry logging and the no-op"
        )
        parser.add_argument("--connections", type=int, default=8, help="wrk's connections")
        parser.add_argument(
            "--workers", type=int, default=5, help="gunicorn worker processes (as in compose)"
        )
        parser.add_argument("--threads", type=int, default=1, help="threads each (gthread)")
        # Internal: the child process that builds one report and reports on itself.
        parser.add_argument("--build-report", type=int, help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["build_report"]:
            self._build_one(options["build_report"])
            return
        if not shutil.which("wrk"):
            raise CommandError("wrk is not installed: apt-get install wrk")
        started = time.monotonic()
        logging.getLogger("axes").setLevel(logging.WARNING)  # one line per force_login
        self._say(f"Load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        database_ensure()
        static_collect()
        with tempfile.TemporaryDirectory(prefix="sidelog-bench-") as folder:
            work = Path(folder)
            env = production_env(media_root=work / "media")
            self.patients: list[User] = []
            self.session_keys: list[str] = []
            try:
                with override_settings(MEDIA_ROOT=work / "media"):
                    missed = self._run(work, env, options)
            finally:
                Session.objects.filter(pk__in=self.session_keys).delete()
                with override_settings(MEDIA_ROOT=work / "media"):
                    for patient in self.patients:
                        account_delete(user=patient)
        self._say(f"Whole run: {time.monotonic() - started:.0f} s")
        if missed:
            raise CommandError("Goals missed: " + "; ".join(missed))
        self.stdout.write("All goals met.")

    def _say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    # The journals

    def _patient(self, label: str, *, entries: int, days: int) -> User:
        patient = User.objects.create_user(username=f"bench-{label}-{time.time_ns()}")
        Profile.objects.create(user=patient, time_zone="Europe/London")
        self.patients.append(patient)
        journal_fill(patient=patient, entries=entries, days=days)
        return patient

    def _run(self, work: Path, env: dict[str, str], options: dict[str, Any]) -> list[str]:
        clock = time.monotonic()
        writer = self._patient("writer", entries=100, days=30)
        readers = {
            size: self._patient(f"reader-{size}", entries=size, days=JOURNAL_DAYS[size])
            for size in PAGE_SIZES
        }
        builds = {
            size: readers.get(size)
            or self._patient(f"build-{size}", entries=size, days=JOURNAL_DAYS[size])
            for size in BUILD_SIZES
        }
        self._say(
            f"Journals of {', '.join(f'{n:,}' for n in sorted({*PAGE_SIZES, *BUILD_SIZES}))} "
            f"entries written in {time.monotonic() - clock:.0f} s"
        )
        slugs = list(SideEffect.objects.published().order_by("slug").values_list("slug", flat=True))
        tokens = {p.pk: Token.objects.create(user=p).key for p in [writer, *readers.values()]}

        # Queries per request, counted in this process through Django's test client.
        queries = {
            "ping": self._queries(writer, "/api/v1/ping/", tokens[writer.pk]),
            "post": self._queries(writer, "/api/v1/entries/", tokens[writer.pk], post=slugs[0]),
        }
        for size, reader in readers.items():
            queries[f"timeline-{size}"] = self._queries(reader, "/journal/timeline/", None)
            queries[f"list-{size}"] = self._queries(reader, "/api/v1/entries/", tokens[reader.pk])

        rows: list[Row] = []
        seconds, connections = options["seconds"], options["connections"]
        with gunicorn_serving(
            env, workers=options["workers"], threads=options["threads"], log=work / "gunicorn.log"
        ) as server:
            self._say(
                f"Serving with {server.description}; wrk: 1 thread, {connections} connections, "
                f"{seconds} s per endpoint after a 2 s warm-up ({options['rounds']} rounds of "
                "entry logging and the no-op)"
            )

            def script_for(
                path: str,
                patient: User,
                *,
                method: str = "GET",
                expected: int = 200,
                session: bool = False,
            ) -> Path:
                if session:
                    auth = ("Cookie", f"sessionid={self._server_session(patient, env)}")
                else:
                    auth = ("Authorization", f"Token {tokens[patient.pk]}")
                script = work / f"wrk-{time.time_ns()}.lua"
                script.write_text(
                    WRK_SCRIPT.substitute(
                        method=method,
                        path=path,
                        expected=expected,
                        slugs=",".join(f'"{slug}"' for slug in slugs),
                        auth_header=auth[0],
                        auth_value=auth[1],
                    )
                )
                return script

            def run(path: str, script: Path, *, warm: bool = True) -> Load:
                if warm:
                    self._wrk(server.url + path, script, seconds=2, connections=connections)
                return self._wrk(
                    server.url + path, script, seconds=seconds, connections=connections
                )

            # Entry logging and the no-op take turns, so that a slow spell of the machine
            # falls on both; the ratio is the median of the rounds'.
            ping_script = script_for("/api/v1/ping/", writer)
            post_script = script_for("/api/v1/entries/", writer, method="POST", expected=201)
            pings, posts = [], []
            for turn in range(options["rounds"]):
                # Each goes first every other round, so neither always follows the other.
                if turn % 2:
                    posts.append(run("/api/v1/entries/", post_script, warm=False))
                    pings.append(run("/api/v1/ping/", ping_script, warm=False))
                else:
                    pings.append(run("/api/v1/ping/", ping_script, warm=turn == 0))
                    posts.append(run("/api/v1/entries/", post_script, warm=turn == 0))
            ping, post = Load.combined(pings), Load.combined(posts)
            ratios = [p.per_second / q.per_second for p, q in zip(posts, pings, strict=True)]
            ratio = statistics.median(ratios)
            self._say("Entry logging / no-op by round: " + ", ".join(f"{r:.2f}" for r in ratios))
            rows.append(Row("`POST /api/v1/entries/` (token)", None, queries["post"], post))
            rows.append(Row("`GET /api/v1/ping/` (token, no-op)", None, queries["ping"], ping))
            for size, reader in readers.items():
                rows.append(
                    Row(
                        "`GET /journal/timeline/` (session)",
                        size,
                        queries[f"timeline-{size}"],
                        run(
                            "/journal/timeline/",
                            script_for("/journal/timeline/", reader, session=True),
                        ),
                    )
                )
            for size, reader in readers.items():
                rows.append(
                    Row(
                        "`GET /api/v1/entries/` (token)",
                        size,
                        queries[f"list-{size}"],
                        run("/api/v1/entries/", script_for("/api/v1/entries/", reader)),
                    )
                )

        built = {size: self._build(patient, env) for size, patient in builds.items()}

        self._table(rows, ratio, built)
        missed = []
        if rows[0].load.p95_ms > ENTRY_P95_GOAL_MS:
            missed.append(f"entry logging p95 {rows[0].load.p95_ms:.1f} ms > {ENTRY_P95_GOAL_MS}")
        for kind in ("timeline", "list"):
            counts = {queries[f"{kind}-{size}"] for size in PAGE_SIZES}
            if len(counts) > 1:
                missed.append(f"{kind} queries grow with entries: {sorted(counts)}")
        for row in rows:
            if row.load.unexpected or row.load.socket_errors:
                missed.append(
                    f"{row.what}: {row.load.unexpected} unexpected answers "
                    f"(e.g. {row.load.unexpected_status}), {row.load.socket_errors} socket errors"
                )
        for size, (seconds_taken, _) in built.items():
            if seconds_taken > BUILD_GOAL_SECONDS:
                missed.append(f"report over {size:,} entries took {seconds_taken:.1f} s")
        return missed

    # Measurements

    def _queries(self, patient: User, path: str, token: str | None, post: str = "") -> int:
        client = Client()
        headers: dict[str, Any] = {"secure": True}
        if token:
            headers["HTTP_AUTHORIZATION"] = f"Token {token}"
        else:
            client.force_login(patient, backend="django.contrib.auth.backends.ModelBackend")
            self.session_keys.append(client.session.session_key or "")

        def once() -> int:
            if post:
                onset = timezone.now() - timedelta(hours=3)
                body = {"side_effect": post, "onset_at": onset.isoformat(), "severity": 2}
                response = client.post(
                    path, {**body, "interference": 1}, content_type="application/json", **headers
                )
                return response.status_code
            return client.get(path, **headers).status_code

        with override_settings(ALLOWED_HOSTS=["testserver"]):
            once()  # the first request of a process fills caches; count the second
            with CaptureQueriesContext(connection) as captured:
                status = once()
        if status not in (200, 201):
            raise CommandError(f"{path} answered {status} in-process")
        return len(captured)

    def _server_session(self, patient: User, env: dict[str, str]) -> str:
        """A session for the server, signed with its secret key."""
        client = Client()
        with override_settings(SECRET_KEY=env["SECRET_KEY"]):
            client.force_login(patient, backend="django.contrib.auth.backends.ModelBackend")
        key = client.session.session_key or ""
        self.session_keys.append(key)
        return key

    def _wrk(self, url: str, script: Path, *, seconds: int, connections: int) -> Load:
        command = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s"]
        command += ["--timeout", "10s", "-s", str(script), url]
        finished = subprocess.run(  # noqa: S603
            command, capture_output=True, text=True, timeout=seconds + 60, check=True
        )
        lines = [line for line in finished.stdout.splitlines() if line.startswith("BENCH ")]
        if not lines:
            raise CommandError(f"wrk printed no figures:\n{finished.stdout}{finished.stderr}")
        figures = json.loads(lines[-1].removeprefix("BENCH "))
        return Load(
            requests=figures["requests"],
            seconds=figures["microseconds"] / 1e6,
            p50_ms=figures["p50"] / 1000,
            p95_ms=figures["p95"] / 1000,
            unexpected=figures["unexpected"],
            unexpected_status=figures["unexpected_status"],
            socket_errors=figures["socket_errors"],
        )

    def _build(self, patient: User, env: dict[str, str]) -> tuple[float, float]:
        """Seconds and peak MB of one build, in a process of its own."""
        today = timezone.localdate()
        report = Report.objects.create(
            patient=patient, period_start=today - timedelta(days=364), period_end=today
        )
        finished = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "bench", "--build-report", str(report.pk)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if finished.returncode != 0:
            raise CommandError(f"The report build failed:\n{finished.stderr[-3000:]}")
        figures = json.loads(finished.stdout.strip().splitlines()[-1])
        return figures["seconds"], figures["peak_mb"]

    def _build_one(self, report_id: int) -> None:
        clock = time.perf_counter()
        report = report_build(report_id=report_id)
        seconds = time.perf_counter() - clock
        if report is None or report.status != Report.Status.READY:
            raise CommandError(f"The report did not build: {report and report.error}")
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(json.dumps({"seconds": seconds, "peak_mb": peak_mb}))

    # The table

    def _table(self, rows: list[Row], ratio: float, built: dict[int, tuple[float, float]]) -> None:
        out = self.stdout.write
        out("")
        out("| request | entries | queries | req/s | p50 ms | p95 ms |")
        out("| --- | ---: | ---: | ---: | ---: | ---: |")
        for row in rows:
            entries = f"{row.entries:,}" if row.entries else ""
            load = row.load
            out(
                f"| {row.what} | {entries} | {row.queries} | {load.per_second:.0f} | "
                f"{load.p50_ms:.1f} | {load.p95_ms:.1f} |"
            )
        p95 = rows[0].load.p95_ms
        verdict = "met" if p95 <= ENTRY_P95_GOAL_MS else "MISSED"
        out(f"\nEntry logging p95: {p95:.1f} ms (goal: {ENTRY_P95_GOAL_MS:.0f}, {verdict})")
        out(f"Entry logging / no-op: {ratio:.2f}\n")
        out("| report build | seconds | peak memory MB |")
        out("| --- | ---: | ---: |")
        for size, (seconds, peak_mb) in built.items():
            goal = f" (goal: {BUILD_GOAL_SECONDS:.0f})" if size == max(BUILD_SIZES) else ""
            out(f"| {size:,} entries | {seconds:.1f}{goal} | {peak_mb:.0f} |")
        out("")
