"""Blood pressure, temperature and questionnaires in a report's content, page and PDF: the
issue's clinic session (138/86 before an esketamine dose, 176/104 at about 40 minutes,
142/88 at discharge) and a PHQ-9, read as a provider reads them."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.contrib.auth.models import User
from django.test import Client
from pypdf import PdfReader

from journal.models import DoseEvent, Measurement, MedicationCourse
from reference.safety import find_dosage_advice
from reports.chart import chart_figure, chart_svg
from reports.content import ReportContent, report_content, stored_content
from reports.models import Report
from reports.pdf import pdf_bytes
from tests.support.factories import CourseFactory, DoseFactory, PatientFactory, seeded_drug
from tests.support.reports import ready_report
from tests.support.vitals import blood_pressure, clinic_session, gad7, phq9, reading

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
DOSE_AT = datetime(2024, 6, 4, 10, 0, tzinfo=LONDON)


def london(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2024, 6, day, hour, minute, tzinfo=LONDON)


def esketamine_dose(patient: User, taken_at: datetime = DOSE_AT) -> DoseEvent:
    course = CourseFactory.create(
        patient=patient,
        drug=seeded_drug("esketamine"),
        started_on=date(2024, 1, 1),
        route=MedicationCourse.Route.NASAL,
    )
    return DoseFactory.create(course=course, taken_at=taken_at, amount="56 mg")


def week_report(patient: User) -> Report:
    return Report.objects.create(
        patient=patient,
        requested_by=patient,
        period_start=date(2024, 6, 3),
        period_end=date(2024, 6, 9),
    )


@pytest.fixture
def patient() -> User:
    return PatientFactory.create()


@pytest.fixture
def session_content(patient: User) -> ReportContent:
    """The issue's session, a home reading, a fever, and two PHQ-9s and a GAD-7."""
    dose = esketamine_dose(patient)
    clinic_session(dose)
    blood_pressure(None, patient=patient, at=london(5, 8), systolic=128, diastolic=82)
    reading(patient, Measurement.Kind.BODY_TEMPERATURE, "38.4", london(6, 19))
    reading(patient, Measurement.Kind.BODY_TEMPERATURE, "37.2", london(7, 19))
    phq9(patient, [2, 2, 1, 2, 1, 1, 1, 1, 0], london(4, 9, 30), dose=dose)
    phq9(patient, [1, 1, 1, 1, 0, 1, 0, 0, 0], london(8, 9))
    gad7(patient, [1, 1, 1, 1, 0, 1, 0], london(8, 9, 10))
    report = week_report(patient)
    return report_content(report=report)


def test_a_session_shows_its_three_readings_side_by_side(session_content: ReportContent) -> None:
    (session,) = session_content.sessions

    assert (session.drug_name, session.amount) == ("Esketamine", "56 mg")
    assert (session.before, session.at_40_min, session.discharge) == (
        "138/86",
        "176/104",
        "142/88",
    )
    assert (session.highest, session.highest_at) == ("176/104", DOSE_AT + timedelta(minutes=40))
    assert session.ready_to_leave_at == DOSE_AT + timedelta(minutes=125)
    assert session.went_home == "Someone drove me"


def test_a_pressure_still_at_or_over_140_90_at_the_last_reading_is_still_high(
    session_content: ReportContent,
) -> None:
    (session,) = session_content.sessions

    # 138/86 before is under both marks; 176/104 at 40 min is over; 142/88 still is (142).
    assert session.high_since == DOSE_AT + timedelta(minutes=40)
    assert session.high_until is None
    assert session.high_for == "Still high at the last reading"


def test_how_long_it_stayed_high_runs_to_the_first_reading_below(patient: User) -> None:
    dose = esketamine_dose(patient)
    for minutes, systolic, diastolic in ((40, 150, 85), (90, 139, 90), (150, 132, 84)):
        at = DOSE_AT + timedelta(minutes=minutes)
        blood_pressure(dose, patient=patient, at=at, systolic=systolic, diastolic=diastolic)

    (session,) = report_content(report=week_report(patient)).sessions

    # 150/85 (systolic over) at 40 min, 139/90 (diastolic at the mark) at 90, 132/84 at 150.
    assert session.high_for == "High for 1 h 50 min"
    assert session.before == "not recorded"


def test_readings_scores_and_fevers_are_listed_in_order(session_content: ReportContent) -> None:
    assert [row.reading for row in session_content.readings] == [
        "138/86 mmHg, pulse 72",
        "176/104 mmHg, pulse 96",
        "142/88 mmHg, pulse 80",
        "128/82 mmHg",
        "38.4 °C",
        "37.2 °C",
    ]
    assert [row.reading for row in session_content.fevers] == ["38.4 °C"]
    assert [(s.instrument_label, s.score_text, s.band) for s in session_content.scores] == [
        ("PHQ-9", "11 of 27", "Moderate"),
        ("PHQ-9", "5 of 27", "Mild"),
        ("GAD-7", "5 of 21", "Mild"),
    ]


def test_the_stored_content_says_the_same(session_content: ReportContent) -> None:
    stored = ReportContent.from_json(session_content.to_json())

    assert stored.readings == session_content.readings
    assert stored.sessions == session_content.sessions
    assert stored.scores == session_content.scores


def test_a_report_stored_before_readings_existed_still_reads(
    session_content: ReportContent,
) -> None:
    old = session_content.to_json()
    for name in ("readings", "sessions", "scores"):
        del old[name]

    stored = ReportContent.from_json(old)

    assert (stored.readings, stored.sessions, stored.scores) == ([], [], [])


def test_the_pdf_shows_the_session_the_high_mark_and_the_phq9(
    session_content: ReportContent,
) -> None:
    pdf = pdf_bytes(session_content, chart_svg=chart_svg(session_content), paper_size="A4")
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )

    assert "Blood pressure around each ketamine or esketamine session" in text
    assert "138/86 176/104 142/88 176/104 at 10:40 Still high at the last reading" in text
    assert "Ready to leave" in text and "12:05 Someone drove me" in text
    assert "140 mmHg systolic or 90 mmHg diastolic or more" in text
    assert "SPRAVATO (esketamine) Prescribing Information" in text
    assert "Temperatures of 38 °C or more" in text and "38.4 °C" in text
    assert "PHQ-9 11 of 27 Moderate Esketamine, 4 Jun 2024, 10:00" in text
    assert "GAD-7 5 of 21 Mild" in text
    assert "176/104 mmHg, pulse 96" in text


def test_a_report_without_readings_has_no_section_for_them(patient: User) -> None:
    esketamine_dose(patient)
    content = report_content(report=week_report(patient))
    pdf = pdf_bytes(content, chart_svg=chart_svg(content), paper_size="A4")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)

    assert (content.readings, content.sessions, content.scores) == ([], [], [])
    assert "Blood pressure" not in text and "Questionnaires" not in text
    assert "PHQ-9" not in text


def test_the_report_page_shows_the_session_and_the_scores(patient: User, client: Client) -> None:
    dose = esketamine_dose(patient, taken_at=DOSE_AT)
    clinic_session(dose)
    phq9(patient, [2, 2, 1, 2, 1, 1, 1, 1, 0], DOSE_AT + timedelta(hours=1))
    report = ready_report(patient, days=7, days_ago=0)
    report.period_start, report.period_end = date(2024, 6, 3), date(2024, 6, 9)
    report.content = report_content(report=report).to_json()
    report.save()
    client.force_login(patient)

    page = client.get(f"/journal/reports/{report.pk}/").content.decode()

    assert "Blood pressure around each session" in page
    assert '<td data-label="About 40 min after">176/104</td>' in page
    assert "Still high at the last reading" in page
    assert "PHQ-9, score 11 of 27 (moderate)" in page
    # No symptoms: the chart, which draws the readings and scores, shows in this section.
    assert 'alt="Blood pressure, pulse and questionnaire scores over the period' in page
    assert stored_content(report) is not None


def test_a_report_page_without_readings_has_no_such_section(patient: User, client: Client) -> None:
    esketamine_dose(patient, taken_at=DOSE_AT)
    report = ready_report(patient, days=7)
    client.force_login(patient)

    page = client.get(f"/journal/reports/{report.pk}/").content.decode()

    assert "Blood pressure" not in page and "Questionnaires" not in page


def test_nothing_the_section_says_reads_as_dosing_advice(session_content: ReportContent) -> None:
    assert find_dosage_advice(session_content.high_meaning) == []
    assert all(find_dosage_advice(s.high_for) == [] for s in session_content.sessions)


def test_the_chart_adds_a_blood_pressure_row_and_a_score_row(
    session_content: ReportContent,
) -> None:
    figure = chart_figure(session_content)
    rows = {axes.get_label(): axes for axes in figure.axes}

    pressure, scores = rows["blood pressure"], rows["questionnaire scores"]
    # Four readings' systolic and diastolic marks, and the cuff's three pulses.
    marks = [len(np.asarray(c.get_offsets())) for c in pressure.collections]
    assert sorted(marks)[-3:] == [3, 4, 4]
    assert [np.asarray(line.get_ydata())[0] for line in pressure.lines[:2]] == [140, 90]
    drawn = [np.asarray(line.get_ydata()).tolist() for line in scores.lines]
    assert [11.0, 5.0] in drawn  # the PHQ-9s; the one GAD-7 is a single point
    assert [5.0] in drawn
    labels = [text.get_text() for text in figure.legends[0].get_texts()]
    assert {"Systolic", "Diastolic", "Pulse", "PHQ-9", "GAD-7", "Esketamine dose"} <= set(labels)
    assert "blood pressure" in chart_svg(session_content)


def test_without_readings_or_scores_the_chart_has_no_such_rows(patient: User) -> None:
    esketamine_dose(patient)
    content = report_content(report=week_report(patient))

    labels = [axes.get_label() for axes in chart_figure(content).axes]

    assert "blood pressure" not in labels and "questionnaire scores" not in labels
    assert "Severity of each symptom over time, with doses" in chart_svg(content)
