"""Report builds, each in a process of its own so that its peak memory is its own."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from reports.models import Report
from reports.services import report_build
from tools.serving import ROOT
from tools.start import ToolError


def build_time(patient: User, env: dict[str, str]) -> tuple[float, float]:
    """Seconds and peak MB of one build, in a process of its own."""
    today = timezone.localdate()
    report = Report.objects.create(
        patient=patient, period_start=today - timedelta(days=364), period_end=today
    )
    finished = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tools.bench", "--build-report", str(report.pk)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if finished.returncode != 0:
        raise ToolError(f"The report build failed:\n{finished.stderr[-3000:]}")
    figures = json.loads(finished.stdout.strip().splitlines()[-1])
    return figures["seconds"], figures["peak_mb"]


def build_one(report_id: int) -> None:
    """The child's side of a build: seconds and peak MB as one JSON line."""
    clock = time.perf_counter()
    report = report_build(report_id=report_id)
    seconds = time.perf_counter() - clock
    if report is None or report.status != Report.Status.READY:
        raise ToolError(f"The report did not build: {report and report.error}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb}))
