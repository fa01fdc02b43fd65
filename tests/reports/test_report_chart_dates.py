"""The chart's dates at a phone's width: a few, none running into another, none cut off, the
period's first day first, across month ends and whatever the period's length."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, timedelta

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from reports.chart import MAX_DATE_TICKS, WIDTH_IN, chart_figure
from reports.content import ReportContent
from tests.support.month_content import month_content


def content_from(start: date, days: int) -> ReportContent:
    content = month_content(days=days)
    return replace(content, period_start=start, period_end=start + timedelta(days=days - 1))


@pytest.mark.parametrize(
    ("start", "days"),
    [
        (date(2026, 11, 8), 30),  # "29 NovDec 2026" was drawn here
        (date(2026, 11, 28), 7),
        (date(2026, 9, 8), 91),
        (date(2025, 12, 8), 365),
        (date(2026, 11, 30), 2),
    ],
)
def test_the_dates_are_few_apart_and_inside_the_chart(start: date, days: int) -> None:
    figure = chart_figure(content_from(start, days))
    renderer = FigureCanvasAgg(figure).get_renderer()
    figure.draw(renderer)
    axes = figure.axes[-1]
    labels = [label for label in axes.get_xticklabels() if label.get_text()]
    boxes = [label.get_window_extent(renderer) for label in labels]
    xmin, xmax = axes.get_xlim()

    assert 2 <= len(labels) <= MAX_DATE_TICKS, [label.get_text() for label in labels]
    assert all(xmin <= label.get_position()[0] <= xmax for label in labels)
    for left, right in itertools.pairwise(boxes):
        assert left.x1 < right.x0, (left, right)
    width = figure.bbox.width
    assert all(box.x0 >= 0 and box.x1 <= width for box in boxes)


def test_a_long_period_starts_its_dates_on_its_first_day() -> None:
    figure = chart_figure(content_from(date(2026, 11, 8), 30))
    figure.draw(FigureCanvasAgg(figure).get_renderer())

    first = next(label.get_text() for label in figure.axes[-1].get_xticklabels())
    assert first == "8 Nov"


def test_it_is_drawn_at_about_a_phones_width() -> None:
    assert chart_figure(month_content()).get_figwidth() == WIDTH_IN <= 5
