"""The chart's rows for measurements and questionnaires, under the symptom rows on the same
time axis, so the dose lines cross them too: blood pressure (a bar from diastolic to
systolic per reading) with the pulse, and the PHQ-9 and GAD-7 scores.

Drawn only when the report holds such readings or scores: a report without them draws
exactly what it drew before, at the same cost.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from questionnaires.models import Instrument
from reference.models import MeasurementKind
from reports.content import ReportContent
from reports.vitals import HIGH_DIASTOLIC, HIGH_SYSTOLIC, MAX_SCORES

PRESSURE = "blood pressure"
SCORES = "questionnaire scores"
ROW_HEIGHTS = {PRESSURE: 1.4, SCORES: 1.0}
TITLE = "Symptoms, blood pressure and scores, with doses"
# Okabe–Ito, as the symptom rows; shapes tell them apart in greyscale.
SYSTOLIC_COLOUR = "#CC79A7"
DIASTOLIC_COLOUR = "#009E73"
PULSE_COLOUR = "#E69F00"
MARK_COLOUR = "#8A8A8A"
SCORE_STYLES: dict[str, dict[str, Any]] = {
    Instrument.PHQ_9.value: {"color": "#0072B2", "marker": "o", "linestyle": "solid"},
    Instrument.GAD_7.value: {"color": "#D55E00", "marker": "s", "linestyle": (0, (3, 1.5))},
}


def vitals_rows(content: ReportContent) -> list[str]:
    """The rows to draw, in order; none for a report without readings or scores."""
    rows = []
    if any(row.is_blood_pressure or row.kind == "heart_rate" for row in content.readings):
        rows.append(PRESSURE)
    if content.scored:
        rows.append(SCORES)
    return rows


def draw_vitals_row(axes: Axes, row: str, content: ReportContent) -> None:
    axes.set_label(row)
    if row == PRESSURE:
        _pressure_row(axes, content)
    else:
        _score_row(axes, content)


def vitals_handles(rows: list[str]) -> list[Line2D]:
    handles: list[Line2D] = []
    if PRESSURE in rows:
        handles += [
            Line2D([], [], marker="v", linestyle="", color=SYSTOLIC_COLOUR, label="Systolic"),
            Line2D([], [], marker="^", linestyle="", color=DIASTOLIC_COLOUR, label="Diastolic"),
            Line2D([], [], marker="o", linestyle="", color=PULSE_COLOUR, label="Pulse"),
        ]
    if SCORES in rows:
        handles += [
            Line2D([], [], **style, label=Instrument(name).label)
            for name, style in SCORE_STYLES.items()
        ]
    return handles


def _pressure_row(axes: Axes, content: ReportContent) -> None:
    pressures = [row for row in content.readings if row.is_blood_pressure]
    pulses = [(row.measured_at, row.pulse) for row in pressures if row.pulse is not None]
    pulses += [
        (row.measured_at, int(row.value or 0))
        for row in content.readings
        if row.kind == MeasurementKind.HEART_RATE
    ]
    top = max([200, *(row.systolic or 0 for row in pressures), *(p for _, p in pulses)]) + 10
    axes.set_ylim(40, top)
    for mark in (HIGH_SYSTOLIC, HIGH_DIASTOLIC):
        axes.axhline(mark, color=MARK_COLOUR, linewidth=0.7, linestyle=(0, (1, 2)), zorder=1.1)
    if pressures:
        times = mdates.date2num([row.measured_at for row in pressures])
        systolic = np.array([row.systolic for row in pressures], dtype=float)
        diastolic = np.array([row.diastolic for row in pressures], dtype=float)
        axes.vlines(times, diastolic, systolic, color="#777777", linewidth=0.9, zorder=1.5)
        axes.scatter(times, systolic, marker="v", s=16, color=SYSTOLIC_COLOUR, zorder=2)
        axes.scatter(times, diastolic, marker="^", s=16, color=DIASTOLIC_COLOUR, zorder=2)
    if pulses:
        pulse_times = mdates.date2num([moment for moment, _ in pulses])
        values = [value for _, value in pulses]
        axes.scatter(pulse_times, values, marker="o", s=10, color=PULSE_COLOUR, zorder=2)
    axes.set_yticks([60, HIGH_DIASTOLIC, HIGH_SYSTOLIC, 180])
    axes.tick_params(axis="y", labelsize=8)
    axes.set_title(
        f"Blood pressure (mmHg), pulse; dotted at {HIGH_SYSTOLIC} and {HIGH_DIASTOLIC}",
        loc="left",
        fontsize=9.5,
        pad=3,
        y=1.0,
    )


def _score_row(axes: Axes, content: ReportContent) -> None:
    axes.set_ylim(-1, max(MAX_SCORES.values()) + 1)
    axes.set_yticks([0, 5, 10, 15, 20, 27])
    axes.tick_params(axis="y", labelsize=8)
    for name, style in SCORE_STYLES.items():
        rows = [row for row in content.scored if row.instrument == name and row.score is not None]
        if rows:
            times = mdates.date2num([row.completed_at for row in rows])
            axes.plot(
                times, [float(row.score or 0) for row in rows], markersize=4, linewidth=1.1, **style
            )
    axes.set_title("PHQ-9 (0–27) and GAD-7 (0–21) scores", loc="left", fontsize=9.5, pad=3, y=1.0)
