"""The report's timeline chart: severity per symptom over the period, with the doses taken.

One small row per symptom (the most important first, as the summary table orders them),
all sharing the period's time axis in the patient's zone, so a provider can see in a glance
which symptoms follow which doses. Drawn with matplotlib's object API (no pyplot, so no
global figure state) and returned as SVG whose bytes depend only on the content.
"""

from __future__ import annotations

import io
import threading
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Any, cast
from zoneinfo import ZoneInfo

import matplotlib
import numpy as np
from matplotlib import dates as mdates
from matplotlib.artist import allow_rasterization
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from matplotlib.path import Path
from matplotlib.ticker import FixedLocator, FuncFormatter
from matplotlib.transforms import IdentityTransform, TransformedPath
from matplotlib.typing import RcKeyType

from reference.models import Severity
from reports.content import EntryRow, ReportContent, local_bounds
from reports.vitals_chart import ROW_HEIGHTS, draw_vitals_row, vitals_handles, vitals_rows
from reports.vitals_chart import TITLE as VITALS_TITLE

MAX_ROWS = 8
# Past this many marks an SVG with one element per mark gets slow to print and heavy.
RASTERIZE_ABOVE = 2000
RASTER_DPI = 150
NAME_CHARS = 70
EMPTY_TEXT = "No symptoms recorded in this period"
DOSE_STRIP = "doses"
DENSE_DOSES = 60
TITLE = "Severity of each symptom over time, with doses"
# At most this many dates under the chart, so that none runs into the next at a phone's width.
MAX_DATE_TICKS = 5

# Drawn at about a phone's width (4.6 in is 331 pt; a 390-px screen shows it at 358 px),
# so its text reads at about its size there; the PDF shows it a little larger.
WIDTH_IN = 4.6
ROW_IN = 0.8
GAP_IN = 0.3
TITLE_IN = 0.36
NOTE_IN = 0.2
LEGEND_ROW_IN = 0.21
LEGEND_COLUMNS = 2
ROW_TITLE_IN = 0.28
STRIP_DRUG_IN = 0.17
STRIP_PAD_IN = 0.06
BOTTOM_IN = 0.55
LEFT_IN = 0.85
RIGHT_IN = 0.15
TEXT_X = 0.02

# Okabe–Ito colours, told apart by colour-blind readers; shapes and dashes carry the
# same meaning in greyscale.
ONSET_COLOUR = "#0072B2"
DURATION_COLOUR = "#56B4E9"
RED_FLAG_COLOUR = "#D55E00"
DOSE_COLOUR = "#4D4D4D"
GRID_COLOUR = "#E3E3E3"
DOSE_DASHES: list[Any] = [(0, (4, 2)), (0, (1, 1.5)), (0, (6, 2, 1, 2)), "solid"]
# Each kind of mark on a symptom's row, as `Axes.scatter` takes it.
ONSET: dict[str, Any] = {"s": 14, "color": ONSET_COLOUR, "linewidths": 0.8, "zorder": 2.0}
ONGOING: dict[str, Any] = {
    **ONSET,
    "color": None,
    "facecolors": "white",
    "edgecolors": ONSET_COLOUR,
}
RED_FLAG: dict[str, Any] = {
    "marker": "D",
    "s": 46,
    "facecolors": "none",
    "edgecolors": RED_FLAG_COLOUR,
    "linewidths": 1.1,
    "zorder": 2.2,
}

_STYLE: dict[RcKeyType, Any] = {
    # Text as text: selectable and read aloud, and printed about three times faster than
    # glyphs drawn as paths. DejaVu Sans (which Sidelog installs) sets the layout; a reader
    # without it sees their own sans-serif.
    "svg.fonttype": "none",
    "svg.hashsalt": "sidelog-report-chart",
    "svg.id": None,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 8.5,
}
# rc_context changes process-wide settings: one chart at a time keeps them consistent.
_LOCK = threading.RLock()


class _Lines(LineCollection):
    """Line segments of one colour and style drawn as one SVG path, not one path each.

    A year of daily doses is hundreds of ticks in the strip, and a printer (WeasyPrint, for
    the PDF) spends about a millisecond on each SVG element it draws.
    """

    @allow_rasterization
    def draw(self, renderer: RendererBase) -> None:
        segments = self.get_segments()
        if not self.get_visible() or not segments:
            return
        vertices = self.get_transform().transform(np.concatenate(segments))
        codes = np.concatenate(
            [[Path.MOVETO] + [Path.LINETO] * (len(segment) - 1) for segment in segments]
        )
        renderer.open_group("lines", self.get_gid())
        gc = renderer.new_gc()
        if self.get_clip_on():
            gc.set_clip_rectangle(self.get_clip_box())
            gc.set_clip_path(cast(TransformedPath | None, self.get_clip_path()))
        gc.set_foreground(to_hex(tuple(np.asarray(self.get_edgecolor())[0]), keep_alpha=True))
        gc.set_linewidth(float(np.atleast_1d(self.get_linewidth())[0]))
        # The dashes as the collection scaled them to its line width.
        gc.set_dashes(*cast(list[tuple[float, Any]], self.get_linestyle())[0])
        renderer.draw_path(gc, Path(vertices, codes), IdentityTransform())
        gc.restore()
        renderer.close_group("lines")
        self.stale = False


class _Marks(PathCollection):
    """A scatter's marks of one kind drawn as one SVG path, not one SVG element each.

    A filled circle is a dot (a round cap on a stroke of no length); a circle filled with
    another colour is a dot on a dot; any other marker is its outline. The marks are opaque:
    where they overlap they look as one, not darker.
    """

    def __init__(
        self,
        offsets: np.ndarray,
        *,
        s: float,
        marker: str = "o",
        color: str | None = None,
        **kwargs: Any,
    ) -> None:
        style = MarkerStyle(marker)
        kwargs.setdefault("facecolors", color)
        kwargs.setdefault("edgecolors", color)
        super().__init__([style.get_path().transformed(style.get_transform())], **kwargs)
        self.set_sizes([s])
        self.set_offsets(offsets)
        self.diameter, self.round = np.sqrt(s), marker == "o"

    @allow_rasterization
    def draw(self, renderer: RendererBase) -> None:
        points = self.get_offset_transform().transform(np.asarray(self.get_offsets()))
        if not self.get_visible() or not len(points):
            return
        edge = to_hex(tuple(np.asarray(self.get_edgecolor(), dtype=float)[0]))
        faces = np.asarray(self.get_facecolor(), dtype=float)
        face = faces[0] if len(faces) else np.zeros(4)  # "none" is no colour at all
        width = float(np.atleast_1d(self.get_linewidth())[0])
        renderer.open_group("marks", self.get_gid())
        if self.round:
            self._stroke(renderer, _dots(points), edge, self.diameter + width)
            if to_hex(tuple(face)) != edge and face[3] > 0:
                self._stroke(renderer, _dots(points), to_hex(tuple(face)), self.diameter - width)
        else:
            shape = self.get_paths()[0]
            outline = np.asarray(shape.vertices, dtype=float)
            size = renderer.points_to_pixels(self.diameter)
            vertices = (outline[None, :, :] * size + points[:, None, :]).reshape(-1, 2)
            codes = np.tile(np.asarray(shape.codes), len(points))
            self._stroke(renderer, Path(vertices, codes), edge, width)
        renderer.close_group("marks")
        self.stale = False

    def _stroke(self, renderer: RendererBase, path: Path, colour: str, width: float) -> None:
        gc = renderer.new_gc()
        if self.get_clip_on():
            gc.set_clip_rectangle(self.get_clip_box())
            gc.set_clip_path(cast(TransformedPath | None, self.get_clip_path()))
        gc.set_foreground(colour)
        gc.set_linewidth(width)
        gc.set_capstyle("round" if self.round else "butt")
        gc.set_joinstyle("miter")
        renderer.draw_path(gc, path, IdentityTransform())
        gc.restore()


def _dots(points: np.ndarray) -> Path:
    """Each point as a stroke of no length, which round caps draw as a filled circle."""
    codes = np.tile([Path.MOVETO, Path.LINETO], len(points)).astype(Path.code_type)
    path = Path(np.repeat(points, 2, axis=0), codes)
    path.should_simplify = False  # simplifying would drop the strokes of no length
    return path


def chart_svg(content: ReportContent) -> str:
    """The timeline as SVG text; the same content always gives the same bytes."""
    with _LOCK, matplotlib.rc_context(_STYLE):
        figure = chart_figure(content)
        buffer = io.StringIO()
        figure.savefig(
            buffer,
            format="svg",
            dpi=RASTER_DPI,
            metadata={"Date": None, "Title": TITLE},
        )
    return buffer.getvalue()


def chart_figure(content: ReportContent) -> Figure:
    """The timeline as a matplotlib figure: one axes per symptom drawn, or one empty axes."""
    with _LOCK, matplotlib.rc_context(_STYLE):
        return _draw(content)


def charted_symptoms(content: ReportContent) -> list[str]:
    """The symptoms that get a row, in the summary table's order of importance."""
    return [summary.symptom for summary in content.symptoms[:MAX_ROWS]]


def _draw(content: ReportContent) -> Figure:
    names = charted_symptoms(content)
    drugs = sorted({dose.drug_name for dose in content.doses})
    # Past a few dozen doses, lines across every row hide the symptoms: the strip suffices.
    dashes = (
        {drug: DOSE_DASHES[index % len(DOSE_DASHES)] for index, drug in enumerate(drugs)}
        if len(content.doses) <= DENSE_DOSES
        else {}
    )
    extra = vitals_rows(content)
    handles = _legend_handles(content, dashes) + vitals_handles(extra)
    legend_top = TITLE_IN + (NOTE_IN if len(content.symptoms) > len(names) else 0)
    legend_rows = -(-len(handles) // LEGEND_COLUMNS)
    top_in = legend_top + legend_rows * LEGEND_ROW_IN + ROW_TITLE_IN
    heights = ([STRIP_PAD_IN + STRIP_DRUG_IN * len(drugs)] if drugs else []) + [ROW_IN] * max(
        len(names), 1
    )
    heights += [ROW_HEIGHTS[row] for row in extra]
    figure, axes_list = _grid(heights, top_in)
    rows = axes_list[1:] if drugs else axes_list
    for axes, row in zip(rows[len(rows) - len(extra) :], extra, strict=True):
        draw_vitals_row(axes, row, content)
    rows = rows[: len(rows) - len(extra)] if extra else rows

    start, end = local_bounds(content.period_start, content.period_end, content.zone)
    dense = len(content.entries) + len(content.doses) > RASTERIZE_ABOVE
    if dense:
        for axes in axes_list:
            # Every mark below the ticks becomes one image per row.
            axes.set_rasterization_zorder(2.5)
    if drugs:
        _dose_strip(axes_list[0], content, drugs)
    _dose_lines(axes_list[1:] if drugs else axes_list, content, dashes)
    if names:
        _symptom_rows(rows, names, content, end, one_path=not dense)
    else:
        _empty_row(rows[0])

    for axes in axes_list:
        axes.set_xlim(mdates.date2num(start), mdates.date2num(end))
        axes.grid(axis="x", color=GRID_COLOUR, linewidth=0.5)
        axes.set_axisbelow(True)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        if axes is not axes_list[-1]:
            axes.tick_params(axis="x", labelbottom=False)
    _date_axis(axes_list[-1], content)
    height = figure.get_figheight()
    _heading(figure, content, len(names), handles, legend_top / height, 1 / height)
    return figure


def _grid(heights: list[float], top_in: float) -> tuple[Figure, list[Axes]]:
    """A figure of one axes per height, in inches, sharing their time axis."""
    height = top_in + sum(heights) + (len(heights) - 1) * GAP_IN + BOTTOM_IN
    figure = Figure(figsize=(WIDTH_IN, height))
    grid = figure.add_gridspec(
        len(heights),
        1,
        height_ratios=heights,
        left=LEFT_IN / WIDTH_IN,
        right=1 - RIGHT_IN / WIDTH_IN,
        top=1 - top_in / height,
        bottom=BOTTOM_IN / height,
        hspace=GAP_IN / (sum(heights) / len(heights)),
    )
    axes_list: list[Axes] = []
    for index in range(len(heights)):
        share = axes_list[0] if axes_list else None
        axes_list.append(figure.add_subplot(grid[index, 0], sharex=share))
    return figure, axes_list


def _symptom_rows(
    rows: list[Axes],
    names: list[str],
    content: ReportContent,
    period_end: datetime,
    *,
    one_path: bool,
) -> None:
    by_symptom: dict[str, list[EntryRow]] = defaultdict(list)
    for row in content.entries:
        by_symptom[row.symptom.strip()].append(row)
    summaries = {summary.symptom: summary for summary in content.symptoms}
    for axes, name in zip(rows, names, strict=True):
        summary = summaries[name]
        _symptom_row(axes, by_symptom.get(name, []), period_end, one_path=one_path)
        label = _shorten(name if summary.side_effect_slug else f"Other: {name}")
        episodes = f"{summary.episodes} episode{'' if summary.episodes == 1 else 's'}"
        axes.set_title(f"{label}  ·  {episodes}", loc="left", fontsize=9.5, pad=3, y=1.0)
        axes.set_label(name)


def _date_axis(axes: Axes, content: ReportContent) -> None:
    """At most `MAX_DATE_TICKS` dates, every so many hours or days from the period's first
    midnight, across month ends (matplotlib's own day ticks start again on each month's 1st,
    where a label ran into the one before: "29 NovDec 2026"), and none so close to the
    period's end that its label is cut."""
    start, end = local_bounds(content.period_start, content.period_end, content.zone)
    hours = int((end - start).total_seconds() // 3600)
    step = next(
        (h for h in (3, 6, 12) if hours / h <= MAX_DATE_TICKS),
        24 * -(-hours // 24 // MAX_DATE_TICKS),
    )
    last = hours - max(step / 3, 8)
    ticks = [start + timedelta(hours=hour) for hour in range(0, hours, step) if hour <= last]
    axes.xaxis.set_major_locator(FixedLocator(mdates.date2num(ticks)))
    axes.xaxis.set_major_formatter(FuncFormatter(partial(_date_label, zone=content.zone)))
    axes.set_xlabel(f"Date and time in {content.time_zone}", fontsize=8.5)


def _date_label(value: float, _position: int | None = None, *, zone: ZoneInfo) -> str:
    moment = mdates.num2date(value, tz=zone)
    return moment.strftime("%-d %b" if (moment.hour, moment.minute) == (0, 0) else "%H:%M")


def _heading(
    figure: Figure,
    content: ReportContent,
    drawn: int,
    handles: list[Line2D],
    legend_top: float,
    inch: float,
) -> None:
    title = VITALS_TITLE if vitals_rows(content) else TITLE
    figure.text(TEXT_X, 1 - 0.1 * inch, title, fontsize=11, fontweight="bold", va="top")
    total = len(content.symptoms)
    if total > drawn:
        figure.text(
            TEXT_X,
            1 - TITLE_IN * inch,
            f"The {drawn} most severe and frequent of {total} symptoms are drawn; "
            f"the summary table lists all {total}.",
            fontsize=8.5,
            va="top",
            color="#333333",
        )
    if handles:
        figure.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(TEXT_X, 1 - legend_top - 0.02 * inch),
            ncol=LEGEND_COLUMNS,
            fontsize=8.5,
            frameon=False,
            handlelength=2.4,
            columnspacing=1.6,
            borderaxespad=0,
            borderpad=0,
        )


def _dose_strip(axes: Axes, content: ReportContent, drugs: list[str]) -> None:
    """One line of ticks per drug, one tick per dose taken: the drug is told by its place."""
    axes.set_label(DOSE_STRIP)
    positions: dict[str, list[datetime]] = defaultdict(list)
    for dose in content.doses:
        positions[dose.drug_name].append(dose.taken_at)
    ticks = [
        [(x, level - 0.32), (x, level + 0.32)]
        for level, drug in enumerate(drugs)
        for x in mdates.date2num(positions[drug])
    ]
    axes.add_collection(_Lines(ticks, colors=DOSE_COLOUR, linewidth=0.8, zorder=1.2))
    axes.set_ylim(len(drugs) - 0.5, -0.5)
    axes.set_yticks(range(len(drugs)), [_shorten(drug, 18) for drug in drugs], fontsize=8)
    axes.tick_params(axis="y", length=0)
    axes.set_title("Doses taken", loc="left", fontsize=9.5, pad=3, y=1.0)


def _symptom_row(axes: Axes, rows: list[EntryRow], period_end: datetime, *, one_path: bool) -> None:
    """Severity over time: a mark at each onset, a bar to when it resolved.

    Below `RASTERIZE_ABOVE` marks each kind of mark is one opaque SVG path (`_Marks`);
    above it the marks are a raster image anyway, and translucent so that density shows.
    """
    axes.set_ylim(-0.5, 4.5)
    axes.set_yticks(range(5), Severity.labels, fontsize=8)
    axes.grid(axis="y", color=GRID_COLOUR, linewidth=0.5)
    if not rows:
        return
    onsets = mdates.date2num([row.onset_at for row in rows])
    severities = np.array([row.severity for row in rows], dtype=float)
    alpha = 0.9 if len(rows) < 200 else 0.45

    resolved = [index for index, row in enumerate(rows) if row.resolved_at is not None]
    if resolved:
        ends = mdates.date2num(
            [min(rows[index].resolved_at or period_end, period_end) for index in resolved]
        )
        # One polyline broken by NaNs draws thousands of bars far faster than hlines.
        gaps = np.full(len(resolved), np.nan)
        axes.plot(
            np.column_stack([onsets[resolved], ends, gaps]).ravel(),
            np.column_stack([severities[resolved], severities[resolved], gaps]).ravel(),
            color=DURATION_COLOUR,
            linewidth=2.2,
            alpha=alpha,
            solid_capstyle="butt",
            zorder=1.6,
        )
    points = np.column_stack([onsets, severities])
    ongoing = np.array([row.resolved_at is None for row in rows])
    flagged = np.array([bool(row.red_flag) for row in rows])
    for chosen, kind in ((~ongoing, ONSET), (ongoing, ONGOING), (flagged, RED_FLAG)):
        if not chosen.any():
            continue
        if one_path:
            marks = _Marks(points[chosen], offset_transform=axes.transData, **kind)
            axes.add_collection(marks, autolim=False)
        else:
            axes.scatter(*points[chosen].T, **kind, alpha=None if kind is RED_FLAG else alpha)


def _dose_lines(axes_list: Sequence[Axes], content: ReportContent, dashes: dict[str, Any]) -> None:
    """A thin line per dose across every symptom row, dashed differently for each drug."""
    for drug, style in dashes.items():
        positions = mdates.date2num(
            [dose.taken_at for dose in content.doses if dose.drug_name == drug]
        )
        lines = [[(x, 0), (x, 1)] for x in positions]
        for axes in axes_list:
            drawn = _Lines(
                lines,
                transform=axes.get_xaxis_transform(),
                colors=DOSE_COLOUR,
                linestyles=style,
                linewidth=0.7,
                zorder=1.2,
            )
            axes.add_collection(drawn, autolim=False)


def _empty_row(axes: Axes) -> None:
    axes.set_ylim(0, 1)
    axes.set_yticks([])
    axes.text(
        0.5,
        0.5,
        EMPTY_TEXT,
        transform=axes.transAxes,
        ha="center",
        va="center",
        fontsize=10.5,
        color="#333333",
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 3},
        zorder=3,
    )


def _legend_handles(content: ReportContent, dashes: dict[str, Any]) -> list[Line2D]:
    handles: list[Line2D] = []
    if content.entries:
        handles += [
            Line2D([], [], marker="o", linestyle="", color=ONSET_COLOUR, label="Onset"),
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markerfacecolor="white",
                markeredgecolor=ONSET_COLOUR,
                label="Onset, still ongoing",
            ),
            Line2D([], [], color=DURATION_COLOUR, linewidth=2.2, label="Onset to resolved"),
        ]
    if any(row.red_flag for row in content.entries):
        handles.append(
            Line2D(
                [],
                [],
                marker="D",
                linestyle="",
                markerfacecolor="none",
                markeredgecolor=RED_FLAG_COLOUR,
                label="Red flag",
            )
        )
    handles += [
        Line2D([], [], color=DOSE_COLOUR, linestyle=style, linewidth=0.9, label=f"{drug} dose")
        for drug, style in dashes.items()
    ]
    return handles


def _shorten(name: str, limit: int = NAME_CHARS) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"
