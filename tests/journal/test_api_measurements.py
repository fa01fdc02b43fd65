"""`/api/v1/measurements/` and `/api/v1/doses/<id>/clinic-session/`: readings logged,
listed, filtered, corrected and deleted, each answered with its red flags."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.test import APIClient

from journal.models import ClinicSession, Measurement
from tests.support.factories import CourseFactory, DoseFactory, MeasurementFactory
from tests.support.measurements import ketamine_dose

pytestmark = pytest.mark.django_db

URL = "/api/v1/measurements/"


def iso(minutes_ago: int) -> str:
    return (timezone.now() - timedelta(minutes=minutes_ago)).isoformat()


def test_a_blood_pressure_reading_is_logged_and_read_back(api: APIClient) -> None:
    answer = api.post(
        URL,
        {
            "kind": "blood_pressure",
            "systolic": 138,
            "diastolic": 86,
            "pulse": 70,
            "measured_at": iso(5),
            "note": "left arm",
        },
        format="json",
    )

    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["reading"] == "138/86 mmHg, pulse 70"
    assert body["context"] == "home"
    assert body["red_flags"] == []
    assert api.get(f"{URL}{body['id']}/").json()["note"] == "left arm"


def test_400_mmhg_is_refused_with_a_field_error_and_nothing_saved(api: APIClient) -> None:
    answer = api.post(
        URL,
        {"kind": "blood_pressure", "systolic": 400, "diastolic": 90, "measured_at": iso(5)},
        format="json",
    )

    assert answer.status_code == 400
    assert "between 50 and 300 mmHg" in answer.json()["systolic"][0]
    assert not Measurement.objects.exists()


def test_10_degrees_is_refused_and_fahrenheit_is_kept_as_typed(api: APIClient) -> None:
    cold = api.post(
        URL, {"kind": "body_temperature", "value": 10, "measured_at": iso(5)}, format="json"
    )
    fever = api.post(
        URL,
        {"kind": "body_temperature", "value": 102.2, "unit": "F", "measured_at": iso(5)},
        format="json",
    )

    assert cold.status_code == 400 and "between 30 and 45 °C" in cold.json()["value"][0]
    assert fever.status_code == 201
    assert (fever.json()["value"], fever.json()["unit"], fever.json()["celsius"]) == (
        102.2,
        "F",
        39.0,
    )


def test_200_over_125_after_ketamine_answers_with_its_red_flag(
    patient: User, api: APIClient
) -> None:
    dose = ketamine_dose(patient, hours_ago=1)

    answer = api.post(
        URL,
        {
            "kind": "blood_pressure",
            "systolic": 200,
            "diastolic": 125,
            "measured_at": iso(0),
            "dose": dose.pk,
        },
        format="json",
    )

    # The library's rule for ketamine (the AHA's crisis mark), not also the one for any drug.
    flags = answer.json()["red_flags"]
    assert [flag["action"] for flag in flags] == ["prescriber_today"]
    assert "within 6 hours after a ketamine dose" in flags[0]["signs"]
    assert "repeat reading" in flags[0]["guidance"]
    assert "{emergency_number}" not in flags[0]["guidance"]


def test_the_list_filters_by_kind_dose_and_date(patient: User, api: APIClient) -> None:
    dose = DoseFactory.create(course=CourseFactory.create(patient=patient))
    at_dose = MeasurementFactory.create(
        patient=patient, dose=dose, measured_at=dose.taken_at + timedelta(minutes=40)
    )
    pulse = MeasurementFactory.create(
        patient=patient, kind="heart_rate", systolic=None, diastolic=None, value=Decimal(64)
    )
    old = MeasurementFactory.create(patient=patient, measured_at=timezone.now() - timedelta(days=9))
    MeasurementFactory.create()  # someone else's

    def ids(query: str) -> list[int]:
        answer = api.get(f"{URL}?{query}")
        assert answer.status_code == 200, answer.json()
        return [row["id"] for row in answer.json()["results"]]

    assert sorted(ids("")) == sorted([at_dose.pk, pulse.pk, old.pk])
    assert ids("kind=heart_rate") == [pulse.pk]
    assert ids(f"dose={dose.pk}") == [at_dose.pk]
    since = (timezone.localdate() - timedelta(days=3)).isoformat()
    assert old.pk not in ids(f"from={since}")


def test_a_reading_is_corrected_and_deleted(patient: User, api: APIClient) -> None:
    row = MeasurementFactory.create(patient=patient)

    patched = api.patch(f"{URL}{row.pk}/", {"note": "after coffee"}, format="json")
    put = api.put(
        f"{URL}{row.pk}/",
        {"kind": "oxygen_saturation", "value": 97, "measured_at": iso(30)},
        format="json",
    )
    deleted = api.delete(f"{URL}{row.pk}/")

    assert patched.status_code == 200 and patched.json()["systolic"] == 128
    assert patched.json()["is_edited"]
    assert put.status_code == 200 and put.json()["reading"] == "97 %"
    assert deleted.status_code == 204
    assert not Measurement.objects.exists()


def test_another_patients_reading_is_not_found(other_patient: User, api: APIClient) -> None:
    theirs = MeasurementFactory.create(patient=other_patient)

    assert api.get(f"{URL}{theirs.pk}/").status_code == 404
    assert api.patch(f"{URL}{theirs.pk}/", {"note": "x"}, format="json").status_code == 404
    assert api.delete(f"{URL}{theirs.pk}/").status_code == 404
    assert Measurement.objects.filter(pk=theirs.pk, note="").exists()


def test_a_clinic_session_is_recorded_for_a_clinic_dose_only(patient: User, api: APIClient) -> None:
    course = CourseFactory.create(patient=patient)
    clinic = DoseFactory.create(course=course)
    home = DoseFactory.create(course=course, setting="home")
    MeasurementFactory.create(
        patient=patient,
        dose=clinic,
        context="after_40min",
        systolic=176,
        diastolic=104,
        measured_at=clinic.taken_at + timedelta(minutes=40),
    )
    ready = (clinic.taken_at + timedelta(hours=2)).isoformat()

    empty = api.get(f"/api/v1/doses/{clinic.pk}/clinic-session/")
    saved = api.put(
        f"/api/v1/doses/{clinic.pk}/clinic-session/",
        {"ready_to_leave_at": ready, "went_home": "taxi"},
        format="json",
    )
    refused = api.get(f"/api/v1/doses/{home.pk}/clinic-session/")

    assert empty.status_code == 200 and empty.json()["went_home"] == ""
    assert saved.status_code == 200
    assert saved.json()["went_home"] == "taxi"
    assert [row["reading"] for row in saved.json()["readings"]] == ["176/104 mmHg"]
    assert ClinicSession.objects.get(dose=clinic).logged_by == patient
    assert refused.status_code == 404
    assert "given in a clinic" in refused.json()["detail"]


def test_options_describes_the_clinic_session_record(patient: User, api: APIClient) -> None:
    dose = DoseFactory.create(course=CourseFactory.create(patient=patient))

    answer = api.options(f"/api/v1/doses/{dose.pk}/clinic-session/")

    assert answer.status_code == 200
    assert "went_home" in answer.json()["actions"]["PUT"]
