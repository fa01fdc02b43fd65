"""The fault drill's run: see tools/faults/__init__.py."""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import ExitStack, suppress
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import redis
from django.contrib.auth.models import User
from django.db.models import Max
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import Profile
from accounts.services import api_token_create
from privacy.deletion import account_delete
from reports.models import Report
from tools.journals import journal_fill
from tools.serving import (
    ROOT,
    Server,
    database_ensure,
    free_port,
    gunicorn_serving,
    http_request,
    production_env,
)
from tools.start import ToolError

QUEUE = "sidelog-faults"
# Short versions of the production grace times, so that beat re-sends within seconds.
GRACE = {
    "REPORT_QUEUED_GRACE": "5",
    "REPORT_BUILDING_GRACE": "20",
    "REPORT_REQUEUE_EVERY": "2",
    "CELERY_VISIBILITY_TIMEOUT": "30",
}
# Each patient asks for 20 reports in a few minutes, several unfinished at once: the drill
# is about reports in flight when things break, not about a patient's limits.
LIMITS_LIFTED = {
    "REPORTS_PER_HOUR": "1000",
    "REPORTS_PER_DAY": "1000",
    "REPORT_BUILDS_AT_ONCE": "1000",
}
# A worker without gossip, mingle and heartbeat, as in compose: with them, a worker can stop
# consuming for good after Redis restarts (celery/celery#8030).
WORKER_FLAGS = ["--without-gossip", "--without-mingle", "--without-heartbeat"]


@dataclass
class Answer:
    at: float
    method: str
    status: int
    seconds: float
    during_outage: bool


class RedisServer:
    """A redis-server of this run's own on a free port: stopping it disturbs no one."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port)]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.folder)]
        log = (self.folder / "redis.log").open("ab")
        self.process = subprocess.Popen(  # noqa: S603 (our own fixed command)
            command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        deadline = time.monotonic() + 15
        while True:
            try:
                client.ping()
                return
            except redis.RedisError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise ToolError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # no save points: it keeps nothing
            self.process.wait(timeout=15)


class Outage(threading.Thread):
    """Stop Redis, wait, start it again: beside the requests, so their pace stays the same."""

    def __init__(self, broker: RedisServer, seconds: float, say: Callable[[str], None]) -> None:
        super().__init__(daemon=True)
        self.broker = broker
        self.seconds = seconds
        self.say = say
        self.down = False

    def run(self) -> None:
        self.broker.stop()
        self.down = True
        self.say("stopped Redis")
        time.sleep(self.seconds)
        self.broker.start()
        self.down = False
        self.say("started Redis again, empty")


class Processes:
    """Celery workers and beat, each in a session of its own so that a kill takes its pool."""

    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.env = env
        self.folder = folder
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, arguments: list[str]) -> subprocess.Popen[bytes]:
        log = (self.folder / f"{name}.log").open("ab")
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "celery", "-A", "config", *arguments, "--loglevel", "INFO"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started.append(process)
        return process

    def worker(self, number: int) -> subprocess.Popen[bytes]:
        return self.start(
            f"worker-{number}",
            ["worker", "--concurrency", "2", "--hostname", f"faults-{number}@%h", *WORKER_FLAGS],
        )

    def beat(self) -> subprocess.Popen[bytes]:
        return self.start("beat", ["beat", "--schedule", str(self.folder / "beat-schedule")])

    @staticmethod
    def kill(process: subprocess.Popen[bytes]) -> None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.started:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)


@dataclass
class Running:
    """What the drill started: its Redis, gunicorn, the current worker, and beat."""

    broker: RedisServer
    processes: Processes
    server: Server
    worker: subprocess.Popen[bytes]
    beat: subprocess.Popen[bytes]


@dataclass
class Asked:
    """What the drill asked the API for, and how it answered."""

    server_url: str
    outage: Outage
    start: float
    answers: list[Answer] = field(default_factory=list)
    owners: dict[int, str] = field(default_factory=dict)  # report id: its patient's token
    killed_while_building: list[int] = field(default_factory=list)

    def call(self, method: str, path: str, token: str, payload: dict[str, Any] | None) -> bytes:
        during_outage = self.outage.down
        clock = time.monotonic()
        status, content = http_request(
            self.server_url + path,
            method=method,
            headers={"Authorization": f"Token {token}"},
            body=payload,
        )
        seconds = time.monotonic() - clock
        self.answers.append(Answer(clock - self.start, method, status, seconds, during_outage))
        return content


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tools.faults",
        description="Ask for reports while a worker is killed and Redis is stopped; nothing "
        "may be lost.",
    )
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--patients", type=int, default=10)
    parser.add_argument("--over", type=float, default=70, help="seconds to ask them over")
    parser.add_argument("--kill-at", type=float, default=12, help="seconds from the start")
    parser.add_argument("--outage-at", type=float, default=28, help="seconds from the start")
    parser.add_argument("--outage", type=float, default=20, help="seconds Redis is down")
    parser.add_argument(
        "--wait", type=float, default=360, help="most seconds to wait for the builds"
    )
    parser.add_argument(
        "--stall", type=float, default=60, help="give up when none got ready for this long"
    )
    Drill().run(vars(parser.parse_args(argv)))


class Drill:
    def __init__(self) -> None:
        self.patients: list[User] = []

    def run(self, options: dict[str, Any]) -> None:
        started = time.monotonic()
        database_ensure()
        with tempfile.TemporaryDirectory(prefix="sidelog-faults-") as folder, ExitStack() as stack:
            work = Path(folder)
            stack.enter_context(override_settings(MEDIA_ROOT=work / "media"))
            stack.callback(self._patients_delete)
            failures = self._run(work, stack, options)
            if failures:
                self._logs_show(work)
        print(f"Run time: {time.monotonic() - started:.0f} s")
        if failures:
            raise ToolError("; ".join(failures))

    def _logs_show(self, work: Path, lines: int = 40) -> None:
        for log in sorted(work.glob("*.log")):
            tail = log.read_text(errors="replace").splitlines()[-lines:]
            print(f"\n--- the last {len(tail)} lines of {log.name}")
            print("\n".join(tail))

    def _patients_delete(self) -> None:
        for patient in self.patients:
            account_delete(user=patient)

    def _say(self, start: float, text: str) -> None:
        print(f"{time.monotonic() - start:6.1f} s  {text}")
        sys.stdout.flush()

    def _run(self, work: Path, stack: ExitStack, options: dict[str, Any]) -> list[str]:
        # The server's key, which tokens are stamped with too (a token made under another
        # key reads as ended).
        secret_key = secrets.token_urlsafe(50)
        tokens = self._patients_create(options["patients"], secret_key=secret_key)
        running = self._services_start(work, stack, secret_key=secret_key)
        start = time.monotonic()
        self._say(
            start,
            f"asking for {options['reports']} reports over {options['over']:.0f} s; "
            f"Redis on port {running.broker.port}, {running.server.description}, "
            "workers with concurrency 2",
        )
        outage = Outage(running.broker, options["outage"], lambda text: self._say(start, text))
        asked = self._reports_ask(running, tokens, outage, start, options)
        self._say(start, f"asked for all {options['reports']} reports")
        if outage.ident is None:
            outage.start()  # asked for them all before it was due: the outage still happens
        outage.join()
        requested = list(asked.owners)

        self._wait_for_builds(requested, options, (running.beat, running.worker))
        self._say(start, "stopped waiting")
        return self._verdict(options, requested, asked.answers, asked.killed_while_building, work)

    def _patients_create(self, count: int, *, secret_key: str) -> list[str]:
        """Patients with a month of journal each; their API tokens, for a server with
        `secret_key`."""
        tokens = []
        for number in range(count):
            patient = User.objects.create_user(username=f"faults-{number}-{time.time_ns()}")
            Profile.objects.create(user=patient, time_zone="Europe/London")
            self.patients.append(patient)
            journal_fill(patient=patient, entries=5, days=30, seed=number)
            with override_settings(SECRET_KEY=secret_key):
                tokens.append(api_token_create(user=patient, name="faults").key)
        return tokens

    def _services_start(self, work: Path, stack: ExitStack, *, secret_key: str) -> Running:
        """Redis, gunicorn, a worker and beat, each stopped when `stack` closes."""
        broker = RedisServer(work)
        broker.start()
        stack.callback(broker.stop)
        env = production_env(
            media_root=work / "media",
            SECRET_KEY=secret_key,
            REDIS_URL=broker.url,
            CELERY_QUEUE=QUEUE,
            **GRACE,
            **LIMITS_LIFTED,
        )
        processes = Processes(env, work)
        stack.callback(processes.stop_all)
        server = stack.enter_context(
            gunicorn_serving(env, workers=3, threads=1, log=work / "gunicorn.log")
        )
        worker = processes.worker(1)
        beat = processes.beat()
        self._wait_for_log(work / "worker-1.log", "ready.")
        return Running(broker, processes, server, worker, beat)

    def _reports_ask(
        self,
        running: Running,
        tokens: list[str],
        outage: Outage,
        start: float,
        options: dict[str, Any],
    ) -> Asked:
        """Ask for the reports at an even pace, each after a look at one asked for before;
        kill the building worker and stop Redis when their times come."""
        today = timezone.localdate()
        body = {"period_start": str(today - timedelta(days=29)), "period_end": str(today)}
        asked = Asked(running.server.url, outage, start)
        interval = options["over"] / options["reports"]
        rng = random.Random(7)  # noqa: S311 (which report to look at, not a secret)
        for number in range(options["reports"]):
            now = time.monotonic() - start
            if not asked.killed_while_building and now >= options["kill_at"]:
                asked.killed_while_building = self._kill_mid_build(
                    running.worker, running.processes, start, list(asked.owners)
                )
                running.worker = running.processes.worker(2)
            if outage.ident is None and now >= options["outage_at"]:
                outage.start()

            token = tokens[number % len(tokens)]
            content = asked.call("POST", "/api/v1/reports/", token, body)
            with suppress(ValueError, KeyError, TypeError):  # a refusal has no id
                asked.owners[int(json.loads(content)["id"])] = token
            if asked.owners:
                looked_at = rng.choice(list(asked.owners))
                asked.call("GET", f"/api/v1/reports/{looked_at}/", asked.owners[looked_at], None)
            pause = start + (number + 1) * interval - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        return asked

    def _wait_for_builds(
        self,
        requested: list[int],
        options: dict[str, Any],
        processes: tuple[subprocess.Popen[bytes], ...],
    ) -> None:
        """Until all are ready, or nothing got ready for `--stall` seconds, or `--wait` passed.

        A slow machine only makes it take longer; a lost report stops all progress.
        """
        deadline = time.monotonic() + options["wait"]
        ready, progress_at = -1, time.monotonic()
        while time.monotonic() < deadline and time.monotonic() - progress_at < options["stall"]:
            now_ready = Report.objects.filter(pk__in=requested, status=Report.Status.READY).count()
            if now_ready == len(requested):
                return
            if now_ready > ready:
                ready, progress_at = now_ready, time.monotonic()
            for process in processes:
                if process.poll() is not None:
                    raise ToolError(f"{process.args!r} stopped (exit {process.returncode})")
            time.sleep(0.5)

    def _kill_mid_build(
        self,
        worker: subprocess.Popen[bytes],
        processes: Processes,
        start: float,
        requested: list[int],
    ) -> list[int]:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            building = list(
                Report.objects.filter(pk__in=requested, status=Report.Status.BUILDING).values_list(
                    "pk", flat=True
                )
            )
            if building:
                processes.kill(worker)
                self._say(
                    start,
                    f"killed worker 1 (SIGKILL to pid {worker.pid} and its pool) while it "
                    f"built reports {', '.join(map(str, building))}; starting worker 2",
                )
                return building
            time.sleep(0.02)
        raise ToolError("No report was building 20 s after the kill was due")

    @staticmethod
    def _wait_for_log(log: Path, text: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if log.exists() and text in log.read_text(errors="replace"):
                return
            time.sleep(0.2)
        raise ToolError(f"{log.name} never said {text!r}:\n{log.read_text()[-3000:]}")

    def _verdict(
        self,
        options: dict[str, Any],
        requested: list[int],
        answers: list[Answer],
        killed_while_building: list[int],
        work: Path,
    ) -> list[str]:
        reports = Report.objects.filter(pk__in=requested)
        built = reports.filter(status=Report.Status.READY).count()
        lost = len(requested) - built
        twice = reports.filter(builds_completed__gt=1).count()
        retried = reports.filter(attempts__gt=1).count()
        most_attempts = reports.aggregate(most=Max("attempts"))["most"] or 0
        out = print
        out("")
        out("| requested | built | lost | built twice |")
        out("| ---: | ---: | ---: | ---: |")
        out(f"| {len(requested)} | {built} | {lost} | {twice} |")
        out("")
        out(f"requested {len(requested)}, built {built}, lost {lost}, built twice {twice}")
        killed = Report.objects.filter(pk__in=killed_while_building)
        out(
            "Reports building when the worker was killed: "
            + ", ".join(f"{r.pk} ({r.status}, attempts {r.attempts})" for r in killed)
        )
        out(f"Reports started more than once: {retried} (most attempts: {most_attempts})")
        received = sum(
            1
            for log in work.glob("worker-*.log")
            for line in log.read_text(errors="replace").splitlines()
            if "report_build_task[" in line and line.endswith(" received")
        )
        out(f"Build messages the workers took: {received} for {len(requested)} reports")
        for label, during in (("during the Redis outage", True), ("otherwise", False)):
            chosen = [answer for answer in answers if answer.during_outage == during]
            out(f"API {label}: {self._answers(chosen)}")

        failures = []
        if len(requested) < options["reports"]:
            failures.append(f"only {len(requested)} of {options['reports']} requests answered 202")
        if lost:
            failures.append(f"{lost} reports lost")
        if twice:
            failures.append(f"{twice} reports built twice")
        server_errors = [answer for answer in answers if answer.status >= 500]
        if server_errors:
            failures.append(f"{len(server_errors)} answers were 5xx")
        return failures

    @staticmethod
    def _answers(answers: list[Answer]) -> str:
        if not answers:
            return "none"
        parts = []
        for method in ("POST", "GET"):
            chosen = [answer for answer in answers if answer.method == method]
            if not chosen:
                continue
            counts = Counter(answer.status for answer in chosen)
            seconds = [answer.seconds for answer in chosen]
            parts.append(
                f"{method} "
                + ", ".join(f"{status} x {count}" for status, count in sorted(counts.items()))
                + f" (median {statistics.median(seconds):.3f} s, slowest {max(seconds):.3f} s)"
            )
        return "; ".join(parts)
