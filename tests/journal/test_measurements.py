"""Readings: the ranges a device can show, °F typed and kept, the dose they were taken
around, and the pages that log them, show their red flags and list them in the timeline."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from journal.models import Measurement
from journal.services import MeasurementInput, measurement_create, measurement_update
from tests.support.clients import acting_for, logged_in_client
from tests.support.factories import (
    CourseFactory,
    DoseFactory,
    MeasurementFactory,
)
from tests.support.measurements import ketamine_dose, typed_time

pytestmark = pytest.mark.django_db


def reading(**values: object) -> MeasurementInput:
    defaults: dict[str, object] = {
        "kind": Measurement.Kind.BLOOD_PRESSURE,
        "measured_at": timezone.now() - timedelta(minutes=5),
        "systolic": 130,
        "diastolic": 85,
    }
    return MeasurementInput(**(defaults | values))  # type: ignore[arg-type]


# The service


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"systolic": 400}, "systolic", "between 50 and 300 mmHg"),
        ({"diastolic": 10}, "diastolic", "between 20 and 200 mmHg"),
        ({"systolic": 80, "diastolic": 90}, "diastolic", "must be higher"),
        ({"diastolic": None}, "diastolic", "Enter the bottom number"),
        (
            {"kind": "body_temperature", "systolic": None, "diastolic": None, "value": Decimal(10)},
            "value",
            "between 30 and 45 °C",
        ),
        (
            {"kind": "oxygen_saturation", "systolic": None, "diastolic": None, "value": None},
            "value",
            "Enter the oxygen saturation",
        ),
        (
            {"kind": "heart_rate", "value": Decimal(70)},
            "systolic",
            "Only a blood pressure reading",
        ),
        ({"measured_at": timezone.now() + timedelta(days=1)}, "measured_at", "future"),
    ],
)
def test_a_reading_no_device_shows_is_refused_and_nothing_is_saved(
    patient: User, values: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        measurement_create(patient=patient, logged_by=patient, data=reading(**values))

    assert words in " ".join(refused.value.message_dict[field])
    assert not Measurement.objects.exists()


def test_30_and_45_degrees_are_taken_and_just_outside_is_not(patient: User) -> None:
    def temperature(value: str) -> MeasurementInput:
        return reading(
            kind="body_temperature", systolic=None, diastolic=None, value=Decimal(value), unit="C"
        )

    for edge in ("30.0", "45.0"):
        measurement_create(patient=patient, logged_by=patient, data=temperature(edge))
    with pytest.raises(ValidationError):
        measurement_create(patient=patient, logged_by=patient, data=temperature("29.9"))

    assert list(Measurement.objects.order_by("value").values_list("value", flat=True)) == [
        Decimal("30.0"),
        Decimal("45.0"),
    ]


def test_a_temperature_typed_in_fahrenheit_is_stored_in_celsius_and_shown_as_typed(
    patient: User,
) -> None:
    saved = measurement_create(
        patient=patient,
        logged_by=patient,
        data=reading(
            kind="body_temperature", systolic=None, diastolic=None, value=Decimal("102.2"), unit="F"
        ),
    )

    saved.refresh_from_db()
    assert saved.value == Decimal("39.0")
    assert saved.entered_unit == "F"
    assert saved.reading == "102.2 °F"


def test_without_a_unit_a_temperature_is_read_in_the_patients_unit(patient: User) -> None:
    patient.profile.temperature_unit = "F"
    patient.profile.save()

    saved = measurement_create(
        patient=patient,
        logged_by=patient,
        data=reading(kind="body_temperature", systolic=None, diastolic=None, value=Decimal(100)),
    )

    assert (saved.value, saved.entered_unit) == (Decimal("37.8"), "F")


def test_a_reading_is_linked_to_the_dose_suggested_as_a_symptom_is(patient: User) -> None:
    dose = ketamine_dose(patient, hours_ago=2)

    after = measurement_create(patient=patient, logged_by=patient, data=reading())
    before = measurement_create(
        patient=patient,
        logged_by=patient,
        data=reading(measured_at=dose.taken_at - timedelta(minutes=10), context="before_dose"),
    )

    assert after.dose == dose
    assert before.dose is None  # taken before the dose: nothing before it to suggest


def test_a_change_keeps_the_earlier_version(patient: User) -> None:
    saved = measurement_create(patient=patient, logged_by=patient, data=reading())

    measurement_update(measurement=saved, data=reading(systolic=150), dose=None, acted_by=patient)

    saved.refresh_from_db()
    assert saved.is_edited
    assert [row.systolic for row in saved.history.order_by("history_date")] == [130, 150]


# Pages


def test_a_patient_adds_a_reading_and_sees_it_in_the_timeline(
    patient: User, patient_client: Client
) -> None:
    page = patient_client.get("/journal/")
    assert "/journal/measurements/new/" in page.content.decode()

    response = patient_client.post(
        "/journal/measurements/new/",
        {
            "kind": "blood_pressure",
            "measured_at": typed_time(patient, minutes_ago=10),
            "systolic": "138",
            "diastolic": "86",
            "pulse": "72",
            "unit": "C",
            "context": "home",
            "dose": "suggested",
        },
        follow=True,
    )

    assert "Blood pressure: 138/86 mmHg, pulse 72" in response.content.decode()
    timeline = patient_client.get("/journal/timeline/").content.decode()
    assert "138/86 mmHg, pulse 72" in timeline


def test_bad_numbers_are_listed_at_the_top_and_nothing_is_saved(
    patient: User, patient_client: Client
) -> None:
    response = patient_client.post(
        "/journal/measurements/new/",
        {
            "kind": "blood_pressure",
            "measured_at": typed_time(patient),
            "systolic": "400",
            "diastolic": "90",
            "context": "home",
            "dose": "none",
        },
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert 'href="#id_systolic"' in body
    assert "must be between 50 and 300 mmHg" in body
    assert not Measurement.objects.exists()


def test_a_high_reading_after_ketamine_shows_its_red_flag_at_once(
    patient: User, patient_client: Client
) -> None:
    dose = ketamine_dose(patient, hours_ago=1)

    response = patient_client.post(
        "/journal/measurements/new/",
        {
            "kind": "blood_pressure",
            "measured_at": typed_time(patient),
            "systolic": "200",
            "diastolic": "125",
            "context": "home",
            "dose": str(dose.pk),
        },
        follow=True,
    )

    body = response.content.decode()
    assert 'role="alert"' in body
    assert "Contact your prescriber today" in body
    # The library's rule for ketamine (the AHA's crisis mark), not also the one for any drug.
    assert "within 6 hours after a ketamine dose" in body
    assert body.count("Contact your prescriber today") == 1


def test_the_clinic_session_record_holds_the_three_readings_and_the_way_home(
    patient: User, patient_client: Client
) -> None:
    course = CourseFactory.create(patient=patient)  # esketamine, in clinic
    dose = DoseFactory.create(course=course, taken_at=timezone.now() - timedelta(hours=3))
    for minutes, context, systolic in (
        (-10, "before_dose", 138),
        (40, "after_40min", 176),
        (120, "discharge", 142),
    ):
        MeasurementFactory.create(
            patient=patient,
            dose=dose,
            context=context,
            systolic=systolic,
            diastolic=90,
            measured_at=dose.taken_at + timedelta(minutes=minutes),
        )
    ready = timezone.localtime(dose.taken_at + timedelta(hours=2))

    patient_client.post(
        f"/journal/doses/{dose.pk}/clinic-session/",
        {"ready_to_leave_at": ready.strftime("%Y-%m-%dT%H:%M"), "went_home": "driven"},
    )

    for url in (f"/journal/doses/{dose.pk}/", f"/journal/doses/{dose.pk}/check-in/"):
        body = patient_client.get(url).content.decode()
        assert "138/90 mmHg" in body and "176/90 mmHg" in body and "142/90 mmHg" in body
        assert "Someone drove me" in body
        assert ready.strftime("%H:%M") in body


def test_a_dose_at_home_has_no_clinic_session_record(patient: User, patient_client: Client) -> None:
    course = CourseFactory.create(patient=patient)
    dose = DoseFactory.create(course=course, setting="home")

    assert patient_client.get(f"/journal/doses/{dose.pk}/clinic-session/").status_code == 404


def test_a_caregiver_adds_a_reading_marked_as_theirs(patient: User, caregiver: User) -> None:
    client = acting_for(logged_in_client(caregiver), patient)

    client.post(
        "/journal/measurements/new/",
        {
            "kind": "body_temperature",
            "measured_at": typed_time(patient),
            "value": "38.4",
            "unit": "C",
            "context": "home",
            "dose": "none",
        },
    )

    saved = Measurement.objects.get()
    assert (saved.patient, saved.logged_by, saved.value) == (patient, caregiver, Decimal("38.4"))
    assert AuditEvent.objects.filter(
        action=AuditAction.CAREGIVER_ACTED, actor_key=caregiver.pk, target="logged a reading"
    ).exists()
    timeline = logged_in_client(patient).get("/journal/timeline/").content.decode()
    assert "38.4 °C" in timeline
    assert "Logged by" in timeline


def test_a_patient_who_reads_fahrenheit_is_asked_and_shown_fahrenheit(
    patient: User, patient_client: Client
) -> None:
    profile = patient.profile
    saved = patient_client.post(
        "/accounts/settings/",
        {
            "display_name": profile.display_name,
            "email": patient.email,
            "time_zone": profile.time_zone,
            "country": str(profile.country),
            "temperature_unit": "F",
        },
    )
    assert saved.status_code == 302
    form = patient_client.get("/journal/measurements/new/").context["form"]
    assert form["unit"].value() == "F"

    patient_client.post(
        "/journal/measurements/new/",
        {
            "kind": "body_temperature",
            "measured_at": typed_time(patient),
            "value": "101.3",
            "unit": "F",
            "context": "home",
            "dose": "none",
        },
    )

    assert Measurement.objects.get().value == Decimal("38.5")
    assert "101.3 °F" in patient_client.get("/journal/timeline/").content.decode()
