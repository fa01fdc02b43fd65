"""Measurements, clinic sessions, questionnaire responses and schedules in "download all my
data" (live rows and every version) and gone, versions included, after "delete my account";
what the patient logged in someone else's journal stays there, without their name."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from journal.models import ClinicSession, DoseEvent, Measurement
from questionnaires.models import Instrument, QuestionnaireResponse, QuestionnaireSchedule
from tests.support.factories import PASSWORD, CourseFactory, DoseFactory, care_relationship
from tests.support.vitals import blood_pressure, clinic_session, phq9, reading

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def session_dose(patient: User) -> DoseEvent:
    """Pat's clinic session with its three readings, a corrected home temperature, a PHQ-9
    and a weekly PHQ-9 schedule."""
    dose = DoseFactory.create(
        course=CourseFactory.create(patient=patient), taken_at=timezone.now() - timedelta(hours=5)
    )
    clinic_session(dose)
    temperature = reading(patient, Measurement.Kind.BODY_TEMPERATURE, "38.6", timezone.now())
    temperature.value = Decimal("37.6")  # corrected: a second version in the history
    temperature.note = "Typed it wrong"
    temperature.save()
    phq9(patient, [1, 1, 0, 1, 0, 0, 1, 0, 0], timezone.now() - timedelta(hours=4), dose=dose)
    QuestionnaireSchedule.objects.create(
        patient=patient, instrument=Instrument.PHQ_9, every=QuestionnaireSchedule.Every.SESSION
    )
    return dose


def export_of(client: Client) -> zipfile.ZipFile:
    response = client.post("/accounts/export/")
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(response.getvalue()))


def rows(archive: zipfile.ZipFile, name: str) -> list[dict[str, object]]:
    found: list[dict[str, object]] = json.loads(archive.read(f"{name}.json"))
    return found


def test_the_export_holds_every_reading_session_response_and_schedule(
    session_dose: DoseEvent, patient_client: Client
) -> None:
    archive = export_of(patient_client)

    readings = rows(archive, "measurements")
    assert [(r["kind_label"], r["systolic"], r["diastolic"], r["value"]) for r in readings] == [
        ("Blood pressure", 138, 86, None),
        ("Blood pressure", 176, 104, None),
        ("Blood pressure", 142, 88, None),
        ("Body temperature", None, None, "37.6"),
    ]
    assert readings[1]["context"] == "About 40 minutes after the dose"
    assert readings[1]["dose_id"] == session_dose.pk
    (session,) = rows(archive, "clinic_sessions")
    assert (session["dose_id"], session["went_home"]) == (session_dose.pk, "Someone drove me")
    (response,) = rows(archive, "questionnaire_responses")
    assert (response["instrument"], response["score"], response["answers"]) == (
        "PHQ-9",
        4,
        [1, 1, 0, 1, 0, 0, 1, 0, 0],
    )
    assert rows(archive, "questionnaire_schedules") == [
        {"instrument": "PHQ-9", "every": "At every ketamine or esketamine session"}
    ]
    versions = rows(archive, "measurements_history")
    assert [(v["history_type"], v["value"]) for v in versions if v["kind"] != "blood_pressure"] == [
        ("created", "38.6"),
        ("changed", "37.6"),
    ]
    assert len(rows(archive, "clinic_sessions_history")) == 1
    assert len(rows(archive, "questionnaire_responses_history")) == 1
    csv_text = archive.read("questionnaire_responses.csv").decode("utf-8-sig")
    assert "1;1;0;1;0;0;1;0;0" in csv_text
    readme = archive.read("README.txt").decode()
    assert "measurements.json, measurements.csv" in readme


def test_deleting_the_account_leaves_no_reading_session_response_or_version(
    session_dose: DoseEvent,
    patient: User,
    patient_client: Client,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    assert Measurement.history.filter(patient_id=patient.pk).count() == 5
    assert ClinicSession.history.filter(dose_id=session_dose.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post("/accounts/delete/", {"password": PASSWORD})

    assert "Your account is deleted" in response.content.decode()
    assert not Measurement.objects.filter(patient_id=patient.pk).exists()
    assert not Measurement.history.filter(patient_id=patient.pk).exists()
    assert not ClinicSession.objects.filter(dose_id=session_dose.pk).exists()
    assert not ClinicSession.history.filter(dose_id=session_dose.pk).exists()
    assert not QuestionnaireResponse.objects.filter(patient_id=patient.pk).exists()
    assert not QuestionnaireResponse.history.filter(patient_id=patient.pk).exists()
    assert not QuestionnaireSchedule.objects.filter(patient_id=patient.pk).exists()


def test_readings_pat_logged_as_olgas_caregiver_stay_olgas_without_pats_name(
    patient: User,
    other_patient: User,
    patient_client: Client,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    care_relationship(patient=other_patient, caregiver=patient)
    olgas = blood_pressure(
        None, patient=other_patient, at=timezone.now(), systolic=150, diastolic=95
    )
    Measurement.objects.filter(pk=olgas.pk).update(logged_by=patient)
    olgas.refresh_from_db()
    olgas.note = "Taken by Pat"
    olgas.save()
    answers = phq9(other_patient, [0] * 9, timezone.now())
    QuestionnaireResponse.objects.filter(pk=answers.pk).update(logged_by=patient)

    with django_capture_on_commit_callbacks(execute=True):
        patient_client.post("/accounts/delete/", {"password": PASSWORD})

    olgas.refresh_from_db()
    assert olgas.logged_by is None
    assert Measurement.history.filter(patient_id=other_patient.pk).count() == 2
    assert not Measurement.history.filter(logged_by_id=patient.pk).exists()
    assert QuestionnaireResponse.objects.get(pk=answers.pk).logged_by is None
