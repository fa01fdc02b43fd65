"""The report's timeline chart: one row per symptom, doses on every row, same bytes every time.

`month_content` (tests/support/month_content.py) builds a ReportContent by hand.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import timedelta
from xml.etree import ElementTree

import numpy as np
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure

from reports.chart import (
    DENSE_DOSES,
    DOSE_STRIP,
    EMPTY_TEXT,
    MAX_ROWS,
    TITLE,
    chart_figure,
    chart_svg,
)
from reports.content import (
    ReportContent,
    local_bounds,
)
from tests.support.month_content import (
    START_UTC,
    entry_row,
    month_content,
)


def symptom_rows(figure: Figure) -> list[Axes]:
    return [axes for axes in figure.axes if axes.get_label() != DOSE_STRIP]


def dose_strip(figure: Figure) -> Axes:
    (strip,) = [axes for axes in figure.axes if axes.get_label() == DOSE_STRIP]
    return strip


def dose_line_count(axes: Axes) -> int:
    return sum(
        len(lines.get_segments()) for lines in axes.collections if isinstance(lines, LineCollection)
    )


def row_titles(content: ReportContent) -> list[str]:
    return [axes.get_title(loc="left") for axes in symptom_rows(chart_figure(content))]


def test_the_same_content_gives_the_same_svg_bytes() -> None:
    content = month_content(entries=40, symptoms=4)

    assert chart_svg(content).encode() == chart_svg(content).encode()


def test_it_is_valid_svg_whose_words_are_text_in_a_sans_serif_any_reader_has() -> None:
    svg = chart_svg(month_content(symptoms=2))

    root = ElementTree.fromstring(svg)  # noqa: S314 (our own output, not untrusted input)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = root.findall(".//{http://www.w3.org/2000/svg}text")
    words = " ".join("".join(text.itertext()) for text in texts)
    assert TITLE in words and "Severe" in words  # selectable, read aloud by screen readers
    assert all(
        "font-family: 'DejaVu Sans', sans-serif" in (text.get("style") or "") for text in texts
    )
    assert "<dc:date>" not in svg


def test_it_draws_one_row_per_symptom_in_the_summary_order() -> None:
    content = month_content(entries=30, symptoms=3)

    titles = row_titles(content)

    assert [title.split("  ·  ")[0] for title in titles] == [s.symptom for s in content.symptoms]
    assert titles[0] == f"{content.symptoms[0].symptom}  ·  10 episodes"


def test_every_row_has_severity_labels_and_one_point_per_entry() -> None:
    content = month_content(entries=30, symptoms=3)

    for axes, summary in zip(symptom_rows(chart_figure(content)), content.symptoms, strict=True):
        labels = [label.get_text() for label in axes.get_yticklabels()]
        assert labels == ["None", "Mild", "Moderate", "Severe", "Very severe"]
        points = sum(
            len(np.asarray(collection.get_offsets()))
            for collection in axes.collections
            if isinstance(collection, PathCollection)
        )
        assert points == summary.episodes


def test_at_most_eight_rows_are_drawn_and_the_chart_says_so() -> None:
    content = month_content(entries=100, symptoms=10)

    figure = chart_figure(content)

    assert len(symptom_rows(figure)) == MAX_ROWS
    texts = [text.get_text() for text in figure.texts]
    assert "The 8 most severe and frequent of 10 symptoms are drawn; " in texts[1]
    assert "the summary table lists all 10." in texts[1]


def test_doses_are_marked_on_every_row_and_in_a_strip_of_their_own() -> None:
    figure = chart_figure(month_content(entries=20, symptoms=3, doses=5))

    for axes in symptom_rows(figure):
        assert dose_line_count(axes) == 5
    assert dose_line_count(dose_strip(figure)) == 5
    assert [label.get_text() for label in dose_strip(figure).get_yticklabels()] == ["Esketamine"]
    assert "Esketamine dose" in [text.get_text() for text in figure.legends[0].get_texts()]


def test_daily_doses_over_months_are_shown_only_in_the_dose_strip() -> None:
    doses = DENSE_DOSES + 1
    figure = chart_figure(month_content(entries=200, symptoms=3, doses=doses, days=90))

    assert dose_line_count(dose_strip(figure)) == doses
    assert all(dose_line_count(axes) == 0 for axes in symptom_rows(figure))


def test_the_x_axis_is_the_period_in_the_patients_zone() -> None:
    content = month_content()
    start, end = local_bounds(content.period_start, content.period_end, content.zone)

    axes = chart_figure(content).axes[-1]

    assert axes.get_xlim() == (mdates.date2num(start), mdates.date2num(end))
    assert axes.get_xlabel() == "Date and time in Europe/London"


def test_an_empty_period_draws_one_empty_row_with_a_message() -> None:
    content = month_content(rows=[], doses=0)

    figure = chart_figure(content)

    assert len(figure.axes) == 1
    assert [text.get_text() for text in figure.axes[0].texts] == [EMPTY_TEXT]
    assert chart_svg(content) == chart_svg(content)


def test_one_entry_is_drawn_as_one_point() -> None:
    row = entry_row(1, "Headache", START_UTC + timedelta(days=3), severity=3)
    content = month_content(rows=[row])

    (axes,) = symptom_rows(chart_figure(content))

    offsets = np.asarray(axes.collections[-1].get_offsets())
    assert len(offsets) == 1
    assert offsets[0][1] == 3


def test_red_flags_are_ringed_and_named_in_the_legend() -> None:
    rows = [
        entry_row(1, "Dizziness", START_UTC + timedelta(days=2), severity=4, red_flag="Call"),
        entry_row(2, "Dizziness", START_UTC + timedelta(days=4)),
    ]

    figure = chart_figure(month_content(rows=rows))

    rings = symptom_rows(figure)[0].collections[-1]
    assert len(np.asarray(rings.get_offsets())) == 1
    assert "Red flag" in [text.get_text() for text in figure.legends[0].get_texts()]


def test_other_symptoms_and_long_names_get_a_row_with_a_shortened_title() -> None:
    long_name = "A tingling that starts in the fingers and spreads up both arms " * 3
    rows = [
        entry_row(1, "  pins and needles ", START_UTC + timedelta(days=1), slug=None),
        entry_row(2, long_name.strip(), START_UTC + timedelta(days=2)),
    ]

    titles = row_titles(month_content(rows=rows))

    assert titles[0] == "Other: pins and needles  ·  1 episode"
    assert titles[1].split("  ·  ")[0].endswith("…")
    assert len(titles[1]) < 90


def test_a_thousand_entries_take_no_more_svg_elements_than_a_dozen() -> None:
    def elements(entries: int) -> int:
        base = month_content(entries=entries, symptoms=4, doses=30)
        flagged = [replace(row, red_flag="Call") if row.id % 7 else row for row in base.entries]
        svg = chart_svg(replace(base, entries=flagged))
        return len(list(ElementTree.fromstring(svg).iter()))  # noqa: S314 (our own output)

    # A printer spends about a millisecond on each element: marks of a kind share one path.
    assert elements(1_000) <= elements(12) + 20


def test_ten_thousand_entries_draw_fast_and_stay_small() -> None:
    content = month_content(entries=10_000, symptoms=10, doses=12)
    chart_svg(month_content(entries=5))  # fonts and caches warm, as in a running worker

    started = time.perf_counter()
    svg = chart_svg(content)
    elapsed = time.perf_counter() - started

    print(f"\nchart_svg for 10,000 entries: {elapsed:.2f} s, {len(svg) / 1e6:.2f} MB")
    assert elapsed < 3.0  # about 0.8 s on an idle 2-core machine; loose for busy CI
    assert len(svg.encode()) < 2_000_000
