"""The timing of one report build's parts: see tools/bench_report/__init__.py."""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone

from accounts.models import Profile
from privacy.deletion import account_delete
from reports.chart import chart_svg
from reports.content import report_content
from reports.fhir import fhir_write
from reports.models import Report
from reports.pdf import pdf_bytes
from reports.services import report_build
from reports.spreadsheet import csv_write
from tools import goals
from tools.journals import journal_fill
from tools.start import ToolError


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tools.bench_report",
        description="Build one report over a large synthetic journal and print how long each "
        "part took.",
    )
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=365)
    options = parser.parse_args(argv)
    patient = User.objects.create_user(username=f"bench-{time.time_ns()}")
    Profile.objects.create(user=patient, time_zone="Europe/London")
    try:
        _run(patient, options.entries, options.days)
    finally:
        account_delete(user=patient)


def _run(patient: User, entries: int, days: int) -> None:
    started = time.perf_counter()
    journal_fill(patient=patient, entries=entries, days=days)
    print(
        f"Journal: {entries} entries over {days} days written in "
        f"{time.perf_counter() - started:.1f} s ({settings.DATABASES['default']['ENGINE']})"
    )
    today = timezone.localdate()
    report = Report.objects.create(
        patient=patient, period_start=today - timedelta(days=days - 1), period_end=today
    )

    parts: list[tuple[str, float]] = []
    clock = time.perf_counter()
    content = report_content(report=report)
    parts.append(("content", time.perf_counter() - clock))
    clock = time.perf_counter()
    chart = chart_svg(content)
    parts.append(("chart", time.perf_counter() - clock))
    clock = time.perf_counter()
    pdf_bytes(content, chart_svg=chart, paper_size="A4")
    parts.append(("pdf", time.perf_counter() - clock))
    # Written to files as the build writes them, a row or a resource at a time.
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as out:
        clock = time.perf_counter()
        csv_write(content, out)
        parts.append(("csv", time.perf_counter() - clock))
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        clock = time.perf_counter()
        fhir_write(content, out, base_url=settings.SITE_URL)
        parts.append(("fhir", time.perf_counter() - clock))
    del content, chart

    clock = time.perf_counter()
    built = report_build(report_id=report.pk)
    total = time.perf_counter() - clock
    if built is None or built.status != Report.Status.READY:
        raise ToolError(f"The report did not build: {built and built.error}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"{'part':<10}{'seconds':>10}")
    for name, seconds in parts:
        print(f"{name:<10}{seconds:>10.2f}")
    verdict = "within" if total <= goals.BUILD_SECONDS else "OVER"
    print(
        f"{'build':<10}{total:>10.2f}  whole report_build, files included: {verdict} the "
        f"{goals.BUILD_SECONDS:.0f} s goal; peak memory {peak_mb:.0f} MB (the parts and the "
        "build together: `make bench` measures a build alone)"
    )
    built.files_delete()
