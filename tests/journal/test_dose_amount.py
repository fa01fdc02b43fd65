"""A dose's amount is kept exactly as the patient writes it ("56 mg", "2 devices") and shown
wherever the dose is: never read as a number, never a reason to refuse a record."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from journal.models import DoseEvent, MedicationCourse
from reference.safety import find_dosage_advice
from tests.support.factories import CourseFactory, DoseFactory, EntryFactory, seeded_drug

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
AS_WRITTEN = ["56 mg", "2 devices", "0.5 mg/kg over 40 min", "half a tablet?", "=1+1"]


@pytest.fixture
def course(patient: User) -> MedicationCourse:
    started = timezone.localdate() - timedelta(days=30)
    course: MedicationCourse = CourseFactory.create(patient=patient, started_on=started)
    return course


def an_hour_ago() -> str:
    return (timezone.now() - timedelta(hours=1)).astimezone(LONDON).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize("amount", AS_WRITTEN)
def test_the_dose_form_keeps_the_amount_as_written_and_the_timeline_shows_it(
    patient_client: Client, course: MedicationCourse, amount: str
) -> None:
    response = patient_client.post(
        "/journal/doses/new/",
        {"course": course.pk, "taken_at": an_hour_ago(), "amount": f"  {amount}\u202e "},
    )

    assert response.status_code == 302
    dose = DoseEvent.objects.get(course=course)
    assert dose.amount == amount  # no direction marks, no spaces around; nothing else changed
    timeline = patient_client.get("/journal/timeline/").text
    assert f'<span class="item-amount">{amount}</span>' in timeline


def test_the_edit_form_shows_the_amount_and_an_edit_keeps_its_history(
    patient_client: Client, course: MedicationCourse
) -> None:
    dose = DoseFactory.create(course=course, amount="56 mg")

    page = patient_client.get(f"/journal/doses/{dose.pk}/").text
    patient_client.post(
        f"/journal/doses/{dose.pk}/",
        {
            "course": course.pk,
            "taken_at": timezone.localtime(dose.taken_at, LONDON).strftime("%Y-%m-%dT%H:%M"),
            "setting": "clinic",
            "amount": "84 mg",
        },
    )

    assert 'name="amount" value="56 mg"' in page
    dose.refresh_from_db()
    assert dose.amount == "84 mg"
    assert [version.amount for version in dose.history.order_by("history_date")] == [
        "56 mg",
        "84 mg",
    ]


def test_an_entry_after_the_dose_names_its_amount(
    patient: User, patient_client: Client, course: MedicationCourse
) -> None:
    dose = DoseFactory.create(course=course, amount="2 devices")
    entry = EntryFactory.create(
        patient=patient, dose=dose, onset_at=dose.taken_at + timedelta(minutes=20)
    )

    detail = patient_client.get(f"/journal/entries/{entry.pk}/").text
    timeline = patient_client.get("/journal/timeline/").text
    form = patient_client.get("/journal/entries/new/").text

    assert "Esketamine (2 devices)," in detail
    assert "After Esketamine (2 devices) at" in timeline
    assert "Esketamine (2 devices), " in form  # the choice of dose it followed


def test_the_api_takes_and_gives_the_amount_as_text(
    api: APIClient, course: MedicationCourse
) -> None:
    taken_at = (timezone.now() - timedelta(hours=1)).isoformat()

    created = api.post(
        "/api/v1/doses/",
        {"course": course.pk, "taken_at": taken_at, "amount": "0.5 mg/kg over 40 min"},
        format="json",
    )
    as_number = api.post(
        "/api/v1/doses/", {"course": course.pk, "taken_at": taken_at, "amount": 56}, format="json"
    )
    dose_id = created.json()["id"]
    patched = api.patch(f"/api/v1/doses/{dose_id}/", {"note": "left arm"}, format="json")
    cleared = api.patch(f"/api/v1/doses/{dose_id}/", {"amount": ""}, format="json")

    assert created.status_code == 201
    assert created.json()["amount"] == "0.5 mg/kg over 40 min"
    assert as_number.status_code == 400
    assert "amount" in as_number.json()
    assert patched.json()["amount"] == "0.5 mg/kg over 40 min"  # left out: unchanged
    assert cleared.json()["amount"] == ""


def test_a_dose_without_an_amount_is_recorded_as_before(
    api: APIClient, patient_client: Client, course: MedicationCourse
) -> None:
    patient_client.post(f"/journal/courses/{course.pk}/taken-now/")
    response = api.get("/api/v1/doses/")

    assert response.json()["results"][0]["amount"] == ""


def test_the_amount_is_in_the_patients_data_export(
    patient_client: Client, course: MedicationCourse
) -> None:
    DoseFactory.create(course=course, amount="56 mg")

    response = patient_client.post("/accounts/export/")

    archive = zipfile.ZipFile(io.BytesIO(response.getvalue()))
    text = archive.read("doses.csv").decode("utf-8-sig")
    assert [row["amount"] for row in csv.DictReader(io.StringIO(text))] == ["56 mg"]


def test_the_dose_forms_words_are_not_dosing_advice() -> None:
    from journal.forms.journal import USUAL_SETTING, DoseForm

    amount = DoseForm.base_fields["amount"]
    for text in (amount.label, amount.help_text, USUAL_SETTING):
        assert find_dosage_advice(str(text)) == []


def test_the_dose_form_for_no_chosen_course_starts_at_the_usual_place(
    patient: User, patient_client: Client
) -> None:
    CourseFactory.create(patient=patient, drug=seeded_drug("esketamine"))

    page = patient_client.get("/journal/doses/new/").text

    assert 'value="" required checked' not in page  # the choice is optional
    assert 'name="setting" value="" id="id_setting_0" checked' in page
    assert "Where this medicine is usually given (in clinic for ketamine and esketamine)" in page


@pytest.mark.parametrize(("drug", "setting"), [("esketamine", "clinic"), ("lamotrigine", "home")])
def test_a_dose_written_without_a_setting_is_where_its_medicine_is_usually_given(
    patient: User, drug: str, setting: str
) -> None:
    course = CourseFactory.create(patient=patient, drug=seeded_drug(drug))

    dose = DoseEvent.objects.create(course=course, taken_at=timezone.now())

    assert DoseEvent.objects.get(pk=dose.pk).setting == setting
    assert dose.history.get().setting == setting


def test_an_esketamine_dose_from_the_form_left_at_the_usual_place_is_in_clinic(
    patient: User, patient_client: Client
) -> None:
    course = CourseFactory.create(
        patient=patient,
        drug=seeded_drug("esketamine"),
        started_on=timezone.localdate() - timedelta(days=3),
    )

    patient_client.post(
        "/journal/doses/new/",
        {"course": course.pk, "taken_at": an_hour_ago(), "setting": "", "amount": "56 mg"},
    )

    assert DoseEvent.objects.get(course=course).get_setting_display() == "In clinic"
