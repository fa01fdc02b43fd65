"""The report PDF, read back as text the way a provider would see it."""

from __future__ import annotations

import io
import re
import socket
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.utils import timezone
from pypdf import PdfReader

from reference.safety import find_dosage_advice
from reports.chart import chart_svg
from reports.content import FOOTER, EntryRow, ReportContent, report_content
from reports.models import Report
from reports.pdf import (
    ENTRY_LIMIT,
    RED_FLAG_LIMIT,
    entries_for_pdf,
    pdf_bytes,
    pdf_context,
)
from tests.support.factories import (
    CourseFactory,
    DoseFactory,
    EntryFactory,
    PatientFactory,
    seeded_side_effect,
)
from tests.support.month_content import START_UTC, entry_row, month_content, summary_for

A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)


def render(content: ReportContent, paper_size: str = "A4") -> bytes:
    return pdf_bytes(content, chart_svg=chart_svg(content), paper_size=paper_size)


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """The text with every run of whitespace as one space, as a reader takes it in."""
    return " ".join(text.split())


def rich_content() -> ReportContent:
    """A month with everything a report can show: red flags, notes, edits, back-fills."""
    base = month_content(entries=24, symptoms=3, doses=6, notes_included=True)
    dose = base.doses[2]
    extra = [
        entry_row(
            101,
            "Dizziness",
            dose.taken_at + timedelta(minutes=35),
            severity=4,
            interference=3,
            dose=dose,
            red_flag="Contact your prescriber today",
            notes="Had to sit on the floor until it passed.",
        ),
        entry_row(
            102,
            "Drowsiness",
            dose.taken_at + timedelta(minutes=50),
            severity=3,
            dose=dose,
            duration_minutes=None,
            red_flag="Call emergency services now",
            is_edited=True,
        ),
        entry_row(103, "Nausea", START_UTC + timedelta(days=20, hours=8), is_backfilled=True),
    ]
    rows = sorted([*base.entries, *extra], key=lambda row: row.onset_at)
    symptoms = [
        summary_for(
            "Dissociation",
            rows,
            median_severity=2.5,
            median_interference=3.0,
            median_minutes_from_dose=45.0,
            median_duration_minutes=150.0,
            share_resolved_within_2h=0.75,
        ),
        *(summary_for(name, rows) for name in ("Dizziness", "Nausea", "Drowsiness")),
    ]
    return replace(
        base,
        entries=rows,
        symptoms=symptoms,
        red_flag_events=[row for row in rows if row.red_flag],
        backfilled_or_edited=[row for row in rows if row.is_backfilled or row.is_edited],
    )


def long_content(*, entries: int, notable_every: int = 3) -> ReportContent:
    content = month_content(entries=entries, symptoms=8, doses=12)
    rows = [
        replace(row, severity=3, severity_label="Severe") if index % notable_every == 0 else row
        for index, row in enumerate(content.entries)
    ]
    return replace(content, entries=rows)


@pytest.fixture(scope="module")
def rich_pdf() -> bytes:
    return render(rich_content())


@pytest.fixture(scope="module")
def rich_text(rich_pdf: bytes) -> str:
    return flat("\n".join(pages_text(rich_pdf)))


@pytest.fixture(scope="module")
def plain_pdf() -> bytes:
    """A quiet month: no red flags, nothing back-filled or edited."""
    return render(month_content())


@pytest.fixture(scope="module")
def empty_text() -> str:
    return flat(" ".join(pages_text(render(month_content(rows=[], doses=0)))))


@pytest.fixture(scope="module")
def long_text() -> str:
    """240 entries, every third one rated severe (80, fewer than the PDF lists)."""
    return flat(" ".join(pages_text(render(long_content(entries=240)))))


def test_the_first_page_names_the_patient_the_period_and_the_medication(rich_pdf: bytes) -> None:
    first = flat(pages_text(rich_pdf)[0])

    assert first.startswith("Side-effect report Patient Pat Example")
    assert "Period 1 Mar 2026 to 28 Mar 2026 (28 days)" in first
    assert "All dates and times are in Europe/London." in first
    assert "Generated 1 Apr 2026, 10:30" in first  # 09:30 UTC, British Summer Time
    assert "Esketamine Nasal spray Since 5 Jan 2026 56 mg twice a week in clinic 6" in first
    assert "Regimen as written by the prescriber" in first


def test_a_red_flag_box_gives_the_count_the_most_urgent_action_and_each_event(
    rich_pdf: bytes,
) -> None:
    first = flat(pages_text(rich_pdf)[0])

    assert "Red flags: 2 entries" in first
    assert "Most urgent action shown to the patient: Call emergency services now" in first
    assert "Drowsiness Severe Call emergency services now" in first
    assert "Dizziness Very severe Contact your prescriber today" in first
    # Most urgent first, whatever the order in time.
    assert first.index("Drowsiness Severe Call") < first.index("Dizziness Very severe Contact")


def test_without_red_flags_there_is_no_box_only_a_line_saying_so(plain_pdf: bytes) -> None:
    text = flat(pages_text(plain_pdf)[0])

    assert "Red flags:" not in text
    assert "Most urgent action" not in text
    assert "No entry in this period matched a red-flag rule." in text


def test_the_summary_table_shows_each_symptoms_numbers(rich_text: str) -> None:
    content = rich_content()
    dissociation = content.symptoms[0]

    line = pdf_context(content, chart_svg="", page_size="A4")["symptoms"][0]

    assert (line.episodes, line.days_affected) == (
        dissociation.episodes,
        dissociation.days_affected,
    )
    assert line.median_severity == "Moderate–Severe (2.5)"
    assert line.median_interference == "Quite a bit (3)"
    assert (line.minutes_from_dose, line.duration, line.resolved_within_2h) == (
        "45 min",
        "2 h 30 min",
        "75%",
    )
    assert line.change == "6 more episodes than the previous period"
    assert (
        f"Dissociation {dissociation.episodes} {dissociation.days_affected} Moderate (2)"
        in rich_text
    )
    for shown in ("Quite a bit (3) 45 min 2 h 30 min 75% 6 more episodes", "Very severe (4)"):
        assert shown in rich_text
    assert "previous period of the same length, 1 Feb 2026 to 28 Feb 2026." in rich_text


def test_every_entry_is_listed_with_its_details_when_there_are_few(rich_text: str) -> None:
    assert "All 27 entries in this period, in order of onset." in rich_text
    assert "This PDF lists" not in rich_text
    onset = "10 Mar 2026, 18:35"  # 35 min after the third dose, 18:00 UTC, still GMT in London
    assert re.search(
        rf"{onset} Dizziness Very severe Quite a bit 35 min \(Esketamine\) "
        r"1 h 30 min Contact your prescriber today",
        rich_text,
    )
    assert "ongoing edited Call emergency services now" in rich_text


def test_patient_notes_appear_only_when_the_patient_included_them(rich_text: str) -> None:
    assert "Patient’s note: Had to sit on the floor until it passed." in rich_text

    without = flat(" ".join(pages_text(render(replace(rich_content(), notes_included=False)))))

    assert "Patient notes are not included in this report." in without
    assert "sit on the floor" not in without


def test_back_filled_and_edited_entries_are_listed_in_a_section_of_their_own(
    rich_text: str,
) -> None:
    section = rich_text[rich_text.index("Entries back-filled or edited later") :]

    assert section.startswith(
        "Entries back-filled or edited later 1 entry was back-filled (logged more than 24 hours "
        "after onset) and 1 entry was edited after first being saved."
    )
    assert "Nausea back-filled 24 Mar 2026, 08:00" in section
    assert "Drowsiness edited" in section


def test_a_report_without_back_filled_or_edited_entries_says_so(plain_pdf: bytes) -> None:
    text = flat(" ".join(pages_text(plain_pdf)))

    assert "No entries in this period were back-filled or edited later." in text


def test_the_footer_ends_the_report_and_every_page_has_the_period_and_its_number(
    rich_pdf: bytes,
) -> None:
    pages = [flat(page) for page in pages_text(rich_pdf)]

    for number, page in enumerate(pages, start=1):
        assert "Pat Example · 1 Mar 2026 to 28 Mar 2026 (Europe/London)" in page
        assert f"Page {number} of {len(pages)}" in page
        assert FOOTER in page
    assert pages[-1].count(FOOTER) == 2  # once in the page footer, once closing the report


def test_no_sentence_in_any_report_reads_as_dosing_advice(
    rich_text: str, empty_text: str, long_text: str
) -> None:
    for text in (rich_text, empty_text, long_text):
        assert find_dosage_advice(text) == []


def test_an_empty_period_prints_what_was_not_recorded(empty_text: str) -> None:
    assert "No symptoms were recorded in this period." in empty_text
    assert "No entries were recorded in this period." in empty_text
    assert "0 symptom entries, 0 doses, 0 red flags" in empty_text


@pytest.mark.parametrize(("paper_size", "size"), [("A4", A4), ("letter", LETTER)])
def test_pages_are_the_chosen_paper_size(paper_size: str, size: tuple[float, float]) -> None:
    reader = PdfReader(io.BytesIO(render(month_content(), paper_size)))

    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width), 2), round(float(box.height), 2)) == size


def test_an_unknown_paper_size_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown paper size"):
        pdf_bytes(month_content(), chart_svg="", paper_size="A5")


def test_it_never_reaches_the_network_or_the_disk_even_if_the_chart_points_there(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> None:
        attempts.append(args)
        raise OSError("no network in tests")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="10" height="10"><image xlink:href="http://example.org/x.png" '
        'width="10" height="10"/><image xlink:href="file:///etc/hostname"/></svg>'
    )

    pdf = pdf_bytes(month_content(), chart_svg=svg, paper_size="A4")

    assert pdf.startswith(b"%PDF")
    assert attempts == []
    refused = [r.getMessage() for r in caplog.records if "disallowed protocol" in r.getMessage()]
    assert len(refused) == 2


def test_up_to_100_entries_the_pdf_lists_them_all() -> None:
    content = long_content(entries=ENTRY_LIMIT)

    context = pdf_context(content, chart_svg="", page_size="A4")

    assert context["entries_all_listed"]
    assert len(context["entries"]) == ENTRY_LIMIT


def test_beyond_100_entries_it_lists_the_notable_ones_and_says_how_many(long_text: str) -> None:
    notable = [row for row in long_content(entries=240).entries if row.is_notable]

    entries = long_text[
        long_text.index("This PDF lists") : long_text.index("Entries back-filled or edited")
    ]

    assert (
        f"This PDF lists {len(notable)} of 240 entries (those with red flags, rated severe or "
        "very severe, or edited or back-filled later). The CSV and FHIR files hold all 240."
    ) in entries
    # The table's rows (the chart's labels, text too, may print between them).
    table = entries[entries.index("Onset Symptom Severity Interference") :]
    assert table.count(" 2026, ") == len(notable)  # one onset time a row
    assert table.count(" Severe A little bit ") == len(notable)  # each of them severe


def test_when_even_the_notable_entries_are_too_many_red_flags_come_first() -> None:
    rows = [
        entry_row(index, "Nausea", START_UTC + timedelta(minutes=index), severity=3)
        for index in range(1, 401)
    ]
    rows[0] = replace(rows[0], red_flag="Mention it at your next visit")

    listed = entries_for_pdf(rows)

    assert len(listed) == ENTRY_LIMIT
    assert listed[0] is rows[0]  # the oldest, kept for its red flag
    assert listed[1:] == rows[-(ENTRY_LIMIT - 1) :]  # then the most recent, in order


def test_ten_thousand_entries_print_in_a_few_seconds() -> None:
    content = month_content(entries=10_000, symptoms=10, doses=12)
    rows: list[EntryRow] = [
        replace(row, severity=3, severity_label="Severe") if index % 7 == 0 else row
        for index, row in enumerate(content.entries)
    ]
    content = replace(content, entries=rows)
    svg = chart_svg(content)
    render(month_content(entries=3))  # fonts and caches warm, as in a running worker

    started = time.perf_counter()
    pdf = pdf_bytes(content, chart_svg=svg, paper_size="A4")
    elapsed = time.perf_counter() - started

    pages = pages_text(pdf)
    print(f"\npdf_bytes for 10,000 entries: {elapsed:.2f} s, {len(pages)} pages")
    assert elapsed < 8.0  # about 3 s on an idle 2-core machine; loose for busy CI
    assert "This PDF lists 100 of 10000 entries" in flat(" ".join(pages))


# Mid-afternoon in London (GMT in November): each entry below falls on a single day, whatever
# the hour the suite runs (a dizzy spell from 23:50 to 00:50 would count two days affected).
JOURNAL_NOW = datetime(2026, 11, 19, 15, 0, tzinfo=UTC)


@pytest.mark.django_db
@time_machine.travel(JOURNAL_NOW, tick=False)
def test_a_report_built_from_the_journal_prints_what_the_patient_logged() -> None:
    patient: User = PatientFactory.create(first_name="Robin", last_name="Hale")
    today = JOURNAL_NOW.date()
    course = CourseFactory.create(patient=patient, regimen="28 mg on Mondays and Thursdays")
    dose = DoseFactory.create(course=course, taken_at=timezone.now() - timedelta(hours=3))
    EntryFactory.create(
        patient=patient,
        side_effect=seeded_side_effect("dizziness"),
        onset_at=dose.taken_at + timedelta(minutes=20),
        resolved_at=dose.taken_at + timedelta(minutes=80),
        severity=4,
        interference=3,
        dose=dose,
    )
    EntryFactory.create(
        patient=patient,
        side_effect=seeded_side_effect("nausea"),
        onset_at=timezone.now() - timedelta(days=4),
        severity=1,
    )
    EntryFactory.create(
        patient=patient, side_effect=None, other_symptom="Ringing in the ears", severity=1
    )
    report = Report.objects.create(
        patient=patient, period_start=today - timedelta(days=13), period_end=today
    )

    content = report_content(report=report)
    text = flat(" ".join(pages_text(render(content, "letter"))))

    assert "Patient Robin Hale" in text
    assert f"Esketamine Nasal spray Since {course.started_on.day} " in text
    assert "28 mg on Mondays and Thursdays 1" in text
    assert "Red flags: 1 entry" in text
    assert "Dizziness Very severe Contact your prescriber today" in text
    assert "Dizziness 1 1 Very severe (4)" in text
    assert "20 min (Esketamine) 1 h" in text
    assert "Ringing in the ears" in text
    assert "Nausea and vomiting back-filled" in text
    assert find_dosage_advice(text) == []


def test_a_long_list_of_red_flags_shows_the_most_urgent_first_and_counts_them_all() -> None:
    rows = [
        entry_row(
            index,
            "Dizziness",
            START_UTC + timedelta(hours=index),
            severity=3,
            red_flag="Mention it at your next visit",
        )
        for index in range(1, 61)
    ]
    rows[-1] = replace(rows[-1], red_flag="Call emergency services now")
    content = replace(month_content(rows=rows), red_flag_events=rows)

    context = pdf_context(content, chart_svg="", page_size="A4")

    assert context["red_flag_count"] == 60
    assert context["most_urgent"] == "Call emergency services now"
    assert len(context["red_flags"]) == RED_FLAG_LIMIT
    assert context["red_flags"][0].red_flag == "Call emergency services now"
    assert context["red_flags_left_out"] == 60 - RED_FLAG_LIMIT
