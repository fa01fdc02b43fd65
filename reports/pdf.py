"""The report as a PDF a provider can read: the first page in a minute, the details after.

The page is laid out by `templates/reports/pdf/report.html`; this module turns the
report content into plain strings for it (every date and time in the patient's zone) and
has WeasyPrint print it. WeasyPrint may read nothing but `data:` URIs, so a report never
reaches the network, and the chart travels inside the page.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import weasyprint
from django.conf import settings
from django.template import Context, Engine

from journal.models import BACKFILL_AFTER
from reference.models import Interference, Severity
from reports.content import (
    CHANGED_LIMIT,
    RED_FLAG_LIMIT,
    EntryRow,
    ReportContent,
    SymptomSummary,
)
from reports.vitals_pdf import vitals_context

TEMPLATE = "reports/pdf/report.html"
PAGE_SIZES = {"A4": "A4", "letter": "letter"}
# A provider reads a few pages, not a few hundred; the CSV and FHIR files hold everything.
# A hundred rows fill about three pages (WeasyPrint spends about 7 ms laying out each).
ENTRY_LIMIT = 100


def pdf_bytes(content: ReportContent, *, chart_svg: str, paper_size: str) -> bytes:
    """The report as PDF on A4 or US Letter paper, with the chart drawn from `chart_svg`."""
    if paper_size not in PAGE_SIZES:
        raise ValueError(f"Unknown paper size {paper_size!r}; expected one of {list(PAGE_SIZES)}")
    context = Context(pdf_context(content, chart_svg=chart_svg, page_size=paper_size))
    html = _engine().get_template(TEMPLATE).render(context)
    # Anything but a data: URI is refused (and logged), never fetched.
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher)
    pdf: bytes = document.write_pdf()
    return pdf


@cache
def _engine() -> Engine:
    """The page's own template engine, with Django's built-in tags and filters only (all
    the page uses). The site's engine imports every app's tag library when it first renders,
    DRF's with its serializers: 0.17 s that a worker's first report spent on them."""
    return Engine(dirs=[str(settings.BASE_DIR / "templates")], debug=settings.DEBUG)


@dataclass(frozen=True)
class EntryLine:
    when: str
    symptom: str
    severity: str
    interference: str
    after_dose: str
    duration: str
    markers: str
    red_flag: str
    notes: str
    logged_at: str
    edited_at: str


@dataclass(frozen=True)
class SummaryLine:
    symptom: str
    episodes: int
    days_affected: int
    worst: str
    median_severity: str
    median_interference: str
    minutes_from_dose: str
    duration: str
    resolved_within_2h: str
    change: str


def pdf_context(content: ReportContent, *, chart_svg: str, page_size: str) -> dict[str, Any]:
    """Everything the template shows, as ready-made strings."""
    zone = content.zone
    entries = content.entries
    listed = entries_for_pdf(entries)
    notable_total = sum(1 for row in entries if row.is_notable)
    flags = content.red_flags_by_urgency
    notable_left_out = notable_total - len(listed) if len(entries) > ENTRY_LIMIT else 0
    period = f"{_day(content.period_start)} to {_day(content.period_end)}"
    days = (content.period_end - content.period_start).days + 1
    return {
        "page_size": PAGE_SIZES[page_size],
        "patient_name": content.patient_name,
        "report_name": content.report_name,
        "birth_date": _day(content.patient_birth_date) if content.patient_birth_date else "",
        "period": period,
        "period_days": f"{days} day{'' if days == 1 else 's'}",
        "previous_period": f"{_day(content.previous_start)} to {_day(content.previous_end)}",
        "time_zone": content.time_zone,
        "generated": _moment(content.generated_at, zone),
        "entry_count": len(entries),
        "dose_count": len(content.doses),
        "courses": [
            {
                "drug": course.drug_name,
                "route": course.route_label,
                "dates": (
                    f"{_day(course.started_on)} to {_day(course.stopped_on)}"
                    if course.stopped_on
                    else f"Since {_day(course.started_on)}"
                ),
                "regimen": course.regimen,
                "doses_logged": course.doses_logged,
            }
            for course in content.courses
        ],
        "red_flag_count": len(flags),
        "most_urgent": flags[0].red_flag if flags else "",
        "red_flags": [_entry_line(row, zone) for row in flags[:RED_FLAG_LIMIT]],
        "red_flags_left_out": max(len(flags) - RED_FLAG_LIMIT, 0),
        "symptoms": [_summary_line(summary) for summary in content.symptoms],
        "chart_uri": _svg_uri(chart_svg),
        "entries": [_entry_line(row, zone) for row in listed],
        "entries_listed": len(listed),
        "entries_all_listed": len(listed) == len(entries),
        "notable_total": notable_total,
        "notable_left_out": notable_left_out,
        "notes_included": content.notes_included,
        **_changed_context(content),
        **vitals_context(content),
        "footer": content.footer,
    }


def _changed_context(content: ReportContent) -> dict[str, Any]:
    """What the section on entries back-filled or edited later shows."""
    changed = content.backfilled_or_edited
    return {
        "changed": [_entry_line(row, content.zone) for row in content.changed_listed],
        "changed_count": len(changed),
        "backfilled_count": sum(1 for row in changed if row.is_backfilled),
        "edited_count": sum(1 for row in changed if row.is_edited),
        "changed_left_out": max(len(changed) - CHANGED_LIMIT, 0),
        "backfill_hours": int(BACKFILL_AFTER.total_seconds() // 3600),
        "doses_backfilled": sum(1 for dose in content.doses if dose.is_backfilled),
        "doses_edited": sum(1 for dose in content.doses if dose.is_edited),
    }


def entries_for_pdf(entries: list[EntryRow]) -> list[EntryRow]:
    """Every entry in a short report; in a long one, the notable ones, at most ENTRY_LIMIT.

    When even the notable ones are too many, red flags go first, then the most severe,
    then the most recent; the table still reads in order of onset.
    """
    if len(entries) <= ENTRY_LIMIT:
        return list(entries)
    notable = [row for row in entries if row.is_notable]
    if len(notable) > ENTRY_LIMIT:
        notable = sorted(
            notable,
            key=lambda row: (not row.red_flag, -row.severity, -row.onset_at.timestamp(), -row.id),
        )[:ENTRY_LIMIT]
    return sorted(notable, key=lambda row: (row.onset_at, row.id))


def _entry_line(row: EntryRow, zone: ZoneInfo) -> EntryLine:
    markers = [
        label
        for label, present in (("back-filled", row.is_backfilled), ("edited", row.is_edited))
        if present
    ]
    return EntryLine(
        when=_moment(row.onset_at, zone),
        symptom=row.symptom_with_signs,
        severity=row.severity_label,
        interference=row.interference_label,
        after_dose=_after_dose(row),
        duration=_duration(row.duration_minutes) if row.resolved_at else "ongoing",
        markers=", ".join(markers),
        red_flag=row.red_flag or "",
        notes=row.notes,
        logged_at=_moment(row.created_at, zone),
        edited_at=_moment(row.edited_at, zone) if row.edited_at else "",
    )


def _summary_line(summary: SymptomSummary) -> SummaryLine:
    return SummaryLine(
        symptom=summary.symptom,
        episodes=summary.episodes,
        days_affected=summary.days_affected,
        worst=f"{summary.worst_severity_label} ({summary.worst_severity})",
        median_severity=_median_label(summary.median_severity, Severity.labels),
        median_interference=_median_label(summary.median_interference, Interference.labels),
        minutes_from_dose=_duration(summary.median_minutes_from_dose),
        duration=_duration(summary.median_duration_minutes),
        resolved_within_2h=(
            f"{summary.share_resolved_within_2h:.0%}"
            if summary.share_resolved_within_2h is not None
            else "–"
        ),
        change=summary.change,
    )


def _median_label(value: float, labels: list[str]) -> str:
    """2.0 as "Moderate (2)"; 2.5, between two labels, as "Moderate–Severe (2.5)"."""
    low, high = int(value // 1), int(-(-value // 1))
    low, high = max(0, min(low, len(labels) - 1)), max(0, min(high, len(labels) - 1))
    words = labels[low] if low == high else f"{labels[low]}–{labels[high]}"
    return f"{words} ({value:g})"


def _after_dose(row: EntryRow) -> str:
    if row.minutes_after_dose is None:
        return "–"
    named = ", ".join(part for part in (row.drug_name, row.dose_amount) if part)
    drug = f" ({named})" if named else ""
    if row.minutes_after_dose < 0:
        return f"{_duration(-row.minutes_after_dose)} before the dose{drug}"
    return f"{_duration(row.minutes_after_dose)}{drug}"


def _duration(minutes: float | None) -> str:
    """Minutes in the two largest units a reader needs: "45 min", "2 h 5 min", "3 d 4 h"."""
    if minutes is None:
        return "–"
    days, rest = divmod(round(minutes), 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [
        f"{amount} {unit}" for amount, unit in ((days, "d"), (hours, "h"), (mins, "min")) if amount
    ]
    return " ".join(parts[:2]) or "0 min"


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _moment(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{local.day} {local:%b %Y, %H:%M}"


def _svg_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
