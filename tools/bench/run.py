"""The bench's run: journals written, requests timed in-process and under load, reports built."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import Profile
from accounts.services import api_token_create
from privacy.deletion import account_delete
from reference.models import SideEffect
from tools import goals
from tools.bench.builds import build_one, build_time
from tools.bench.load import Load, wrk_run, wrk_script
from tools.bench.pages import DRUG_PAGE, ENTRY, HEALTH, JOURNAL_PAGES, Page
from tools.bench.server_time import Probe, Timing, server_times, server_times_print
from tools.journals import journal_fill
from tools.serving import database_ensure, gunicorn_serving, production_env, static_collect
from tools.start import ToolError

PARTS = ("server", "load", "build")
PAGE_SIZES = (100, 10_000)
BUILD_SIZES = (1_000, 10_000)
# Days each journal covers: a month for 100 entries, so that the newest page of the timeline
# holds entries as well as doses, as it does for 10,000 entries over a year.
JOURNAL_DAYS = {100: 30, 1_000: 365, 10_000: 365}


def arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tools.bench",
        description="Time Sidelog's pages in-process and under load, and its report builds; "
        "exit 1 when a goal is missed.",
    )
    parser.add_argument("--seconds", type=int, default=10, help="wrk's time per request")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="turns of entry logging, /health/ and the drug page under load",
    )
    parser.add_argument("--connections", type=int, default=8, help="wrk's connections")
    parser.add_argument(
        "--workers", type=int, default=3, help="gunicorn worker processes (as in compose)"
    )
    parser.add_argument("--threads", type=int, default=1, help="threads each (gthread)")
    parser.add_argument(
        "--repeats", type=int, default=30, help="timed requests of each page in-process"
    )
    parser.add_argument(
        "--only",
        type=parts_chosen,
        default=PARTS,
        metavar="PARTS",
        help="some of the parts, comma-separated: server (in-process), load (gunicorn), "
        "build (reports); all three by default",
    )
    # Internal: the child processes that build one report, or time requests in-process.
    parser.add_argument("--build-report", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--server-time", type=int, metavar="REPEATS", help=argparse.SUPPRESS)
    return parser


def tables_vacuum() -> None:
    """Bring the planner's statistics and PostgreSQL's visibility map up to date after the
    bulk writes, as autovacuum does on a live server within a minute of them: without it,
    counting a patient's entries reads every row instead of the index alone."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def parts_chosen(text: str) -> tuple[str, ...]:
    chosen = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [part for part in chosen if part not in PARTS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(PARTS)}, comma-separated")
    return chosen


def main(argv: Sequence[str]) -> None:
    options = arguments().parse_args(argv)
    if options.build_report:
        build_one(options.build_report)
    elif options.server_time:
        server_times_print(options.server_time)
    else:
        Bench(options).run()


def say(text: str = "") -> None:
    print(text, flush=True)


def verdict(value: float, goal: float | None) -> str:
    if goal is None:
        return ""
    return "met" if value <= goal else "MISSED"


def figure(value: float | None, digits: int = 0) -> str:
    return "" if value is None else f"{value:,.{digits}f}"


class Bench:
    def __init__(self, options: argparse.Namespace) -> None:
        self.options = options
        self.patients: list[User] = []
        self.session_keys: list[str] = []
        self.missed: list[str] = []

    def run(self) -> None:
        if "load" in self.options.only and not shutil.which("wrk"):
            raise ToolError("wrk is not installed: apt-get install wrk")
        started = time.monotonic()
        logging.getLogger("axes").setLevel(logging.WARNING)  # one line per force_login
        say(f"Load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        database_ensure()
        static_collect()
        with tempfile.TemporaryDirectory(prefix="sidelog-bench-") as folder:
            work = Path(folder)
            env = production_env(media_root=work / "media")
            try:
                with override_settings(MEDIA_ROOT=work / "media"):
                    self._measure(work, env)
            finally:
                Session.objects.filter(pk__in=self.session_keys).delete()
                with override_settings(MEDIA_ROOT=work / "media"):
                    for patient in self.patients:
                        account_delete(user=patient)
        say(f"Whole run: {time.monotonic() - started:.0f} s")
        if self.missed:
            raise ToolError("Goals missed: " + "; ".join(self.missed))
        say("All goals met.")

    # The journals

    def _patient(self, label: str, *, entries: int, days: int) -> User:
        patient = User.objects.create_user(username=f"bench-{label}-{time.time_ns()}")
        Profile.objects.create(user=patient, time_zone="Europe/London")
        self.patients.append(patient)
        journal_fill(patient=patient, entries=entries, days=days)
        return patient

    def _server_session(self, patient: User, env: dict[str, str]) -> str:
        """A session for the server, signed with its secret key."""
        client = Client()
        with override_settings(SECRET_KEY=env["SECRET_KEY"]):
            client.force_login(patient, backend="accounts.backends.ModelBackend")
        key = client.session.session_key or ""
        self.session_keys.append(key)
        return key

    def _measure(self, work: Path, env: dict[str, str]) -> None:
        parts = self.options.only
        clock = time.monotonic()
        self.writer = self._patient("writer", entries=100, days=30)
        page_sizes = PAGE_SIZES if {"server", "load"} & set(parts) else ()
        self.readers = {
            size: self._patient(f"reader-{size}", entries=size, days=JOURNAL_DAYS[size])
            for size in page_sizes
        }
        builds = {
            size: self.readers.get(size)
            or self._patient(f"build-{size}", entries=size, days=JOURNAL_DAYS[size])
            for size in (BUILD_SIZES if "build" in parts else ())
        }
        sizes = sorted({100, *page_sizes, *builds})
        tables_vacuum()
        say(
            f"Journals of {', '.join(f'{n:,}' for n in sizes)} "
            f"entries written in {time.monotonic() - clock:.0f} s"
        )
        self.slugs = list(
            SideEffect.objects.published().order_by("slug").values_list("slug", flat=True)
        )
        # Tokens are stamped under the server's key, as its sessions are signed with it.
        with override_settings(SECRET_KEY=env["SECRET_KEY"]):
            self.tokens = {
                patient.pk: api_token_create(user=patient, name="bench").key
                for patient in [self.writer, *self.readers.values()]
            }
        self.sessions = {
            patient.pk: self._server_session(patient, env) for patient in self.readers.values()
        }

        if "server" in parts:
            clock = time.monotonic()
            timings = server_times(self._probes(), env=env, repeats=self.options.repeats)
            say(f"Requests timed in-process in {time.monotonic() - clock:.0f} s")
            self._server_table(timings)
        if "load" in parts:
            loads, ratios = self._loads(work, env)
            self._load_table(loads, ratios)
        if "build" in parts:
            built = {size: build_time(patient, env) for size, patient in builds.items()}
            self._build_table(built)

    def _auth(self, page: Page, patient: User) -> tuple[str, str] | None:
        if page.auth == "session":
            return ("Cookie", f"{settings.SESSION_COOKIE_NAME}={self.sessions[patient.pk]}")
        if page.auth == "token":
            return ("Authorization", f"Token {self.tokens[patient.pk]}")
        return None

    # In-process

    def _probes(self) -> list[Probe]:
        def probe(key: str, page: Page, patient: User) -> Probe:
            auth = self._auth(page, patient)
            headers = dict([auth]) if auth else {}
            body = None
            if page.method == "POST":
                onset = timezone.now() - timedelta(hours=3)
                body = {
                    "side_effect": self.slugs[0],
                    "onset_at": onset.isoformat(),
                    "severity": 2,
                    "interference": 1,
                }
            return Probe(key, page.path, page.method, headers, body, page.expected)

        probes = [probe(page.key, page, self.writer) for page in (HEALTH, DRUG_PAGE, ENTRY)]
        for page in JOURNAL_PAGES:
            for size, reader in self.readers.items():
                probes.append(probe(f"{page.key}-{size}", page, reader))
        return probes

    def _server_table(self, timings: dict[str, Timing]) -> None:
        say()
        say(
            "Server time per request, in-process with production settings "
            f"(median of {self.options.repeats} warm requests):"
        )
        say()
        say("| request | entries | queries | server ms | goal ms | |")
        say("| --- | ---: | ---: | ---: | ---: | --- |")
        rows: list[tuple[Page, int | None, str]] = [
            (HEALTH, None, HEALTH.key),
            (DRUG_PAGE, None, DRUG_PAGE.key),
            (ENTRY, 100, ENTRY.key),
        ]
        rows += [
            (page, size, f"{page.key}-{size}") for page in JOURNAL_PAGES for size in PAGE_SIZES
        ]
        for page, size, key in rows:
            timing = timings[key]
            # Goals are set at the largest journal; the smaller one shows how time grows.
            goal = page.server_goal_ms if size in (None, max(PAGE_SIZES)) else None
            say(
                f"| {page.what} | {figure(size)} | {timing.queries} | {timing.median_ms:.1f} "
                f"| {figure(goal)} | {verdict(timing.median_ms, goal)} |"
            )
            if goal is not None and timing.median_ms > goal:
                self.missed.append(
                    f"{page.what} server time {timing.median_ms:.1f} ms > {goal:.0f}"
                )
        say()
        grown = []
        for page in JOURNAL_PAGES:
            counts = [timings[f"{page.key}-{size}"].queries for size in PAGE_SIZES]
            if counts[-1] > counts[0]:
                grown.append(f"{page.what} queries grow with entries: {counts}")
        self.missed += grown
        say(
            "Queries per request do not grow from 100 to 10,000 entries: "
            + (f"MISSED ({'; '.join(grown)})" if grown else "met")
        )

    # Under load

    def _loads(self, work: Path, env: dict[str, str]) -> tuple[dict[str, Load], dict[str, float]]:
        options = self.options
        seconds, connections = options.seconds, options.connections
        with gunicorn_serving(
            env, workers=options.workers, threads=options.threads, log=work / "gunicorn.log"
        ) as server:
            say()
            say(
                f"Serving with {server.description}; wrk: 1 thread, {connections} connections, "
                f"{seconds} s per request after a 2 s warm-up ({options.rounds} rounds of "
                "entry logging, /health/ and the drug page)"
            )

            def run(page: Page, patient: User, *, warm: bool = True) -> Load:
                script = wrk_script(
                    work,
                    page.path,
                    method=page.method,
                    expected=page.expected,
                    auth=self._auth(page, patient),
                    slugs=self.slugs,
                )
                url = server.url + page.path
                if warm:
                    wrk_run(url, script, seconds=2, connections=connections)
                return wrk_run(url, script, seconds=seconds, connections=connections)

            # Entry logging, /health/ and the drug page take turns, each going first in turn,
            # so that a slow spell of the machine falls on all three.
            turns: dict[str, list[Load]] = {page.key: [] for page in (ENTRY, HEALTH, DRUG_PAGE)}
            order = [ENTRY, HEALTH, DRUG_PAGE]
            for turn in range(options.rounds):
                for page in order[turn % 3 :] + order[: turn % 3]:
                    turns[page.key].append(run(page, self.writer, warm=turn == 0))
            loads = {key: Load.combined(runs) for key, runs in turns.items()}
            ratios = {}
            for other in (HEALTH, DRUG_PAGE):
                by_round = [
                    post.per_second / load.per_second
                    for post, load in zip(turns[ENTRY.key], turns[other.key], strict=True)
                ]
                say(
                    f"Entry logging's rate against {other.path}'s by round: "
                    + ", ".join(f"{ratio:.2f}" for ratio in by_round)
                )
                ratios[other.key] = statistics.median(by_round)
            reader = self.readers[max(PAGE_SIZES)]
            for page in JOURNAL_PAGES:
                loads[page.key] = run(page, reader)
        return loads, ratios

    def _load_table(self, loads: dict[str, Load], ratios: dict[str, float]) -> None:
        say()
        say(f"Through gunicorn under {self.options.connections} parallel connections:")
        say()
        say("| request | entries | req/s | p50 ms | p95 ms | goal p95 ms | |")
        say("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
        rows: list[tuple[Page, int | None]] = [(ENTRY, 100), (HEALTH, None), (DRUG_PAGE, None)]
        rows += [(page, max(PAGE_SIZES)) for page in JOURNAL_PAGES]
        for page, size in rows:
            load = loads[page.key]
            goal = page.p95_goal_ms
            say(
                f"| {page.what} | {figure(size)} | {load.per_second:.0f} | {load.p50_ms:.1f} "
                f"| {load.p95_ms:.1f} | {figure(goal)} | {verdict(load.p95_ms, goal)} |"
            )
            if goal is not None and load.p95_ms > goal:
                self.missed.append(f"{page.what} p95 {load.p95_ms:.1f} ms > {goal:.0f}")
            if load.unexpected or load.socket_errors:
                self.missed.append(
                    f"{page.what}: {load.unexpected} unexpected answers "
                    f"(e.g. {load.unexpected_status}), {load.socket_errors} socket errors"
                )
        say()
        say(
            f"Entry logging's rate: {ratios[HEALTH.key]:.2f} of {HEALTH.path}'s, "
            f"{ratios[DRUG_PAGE.key]:.2f} of {DRUG_PAGE.path}'s (medians of the rounds)"
        )

    # Report builds

    def _build_table(self, built: dict[int, tuple[float, float]]) -> None:
        say()
        say("| report build (PDF, CSV and FHIR written) | seconds | goal s | peak MB | goal MB | |")
        say("| --- | ---: | ---: | ---: | ---: | --- |")
        for size, (seconds, peak_mb) in built.items():
            goal_seconds, goal_mb = None, None
            if size == max(BUILD_SIZES):
                goal_seconds, goal_mb = goals.BUILD_SECONDS, goals.BUILD_PEAK_MB
            met = [verdict(seconds, goal_seconds), verdict(peak_mb, goal_mb)]
            shown = "MISSED" if "MISSED" in met else met[0]
            say(
                f"| {size:,} entries | {seconds:.1f} | {figure(goal_seconds)} | {peak_mb:.0f} "
                f"| {figure(goal_mb)} | {shown} |"
            )
            if verdict(seconds, goal_seconds) == "MISSED":
                self.missed.append(f"report over {size:,} entries took {seconds:.1f} s")
            if verdict(peak_mb, goal_mb) == "MISSED":
                self.missed.append(f"report over {size:,} entries peaked at {peak_mb:.0f} MB")
        say()
