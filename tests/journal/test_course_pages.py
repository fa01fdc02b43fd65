from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from journal.models import MedicationCourse
from tests.support.factories import CourseFactory, DoseFactory, seeded_drug

pytestmark = pytest.mark.django_db


def course_form(**changes: str) -> dict[str, str]:
    data = {
        "drug": "",
        "started_on": "2026-09-01",
        "stopped_on": "",
        "route": "nasal",
        "regimen": "56 mg twice a week in clinic",
    }
    data.update(changes)
    return data


def esketamine_pk() -> str:
    return str(seeded_drug("esketamine").pk)


def test_a_patient_adds_a_course_and_sees_the_regimen_as_written(
    patient: User, patient_client: Client
) -> None:
    response = patient_client.post(
        "/journal/courses/new/", course_form(drug=esketamine_pk()), follow=True
    )

    course = MedicationCourse.objects.get(patient=patient)
    assert course.drug.slug == "esketamine"
    assert course.started_on == date(2026, 9, 1)
    assert "Esketamine added to your medicines." in response.text
    assert "As prescribed: 56 mg twice a week in clinic" in response.text


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"stopped_on": "2026-08-01"}, "stopped_on"),
        ({"started_on": "not a date"}, "started_on"),
        ({"route": "teleport"}, "route"),
        ({"drug": "999999"}, "drug"),
    ],
)
def test_a_bad_course_shows_the_error_and_saves_nothing(
    patient_client: Client, changes: dict[str, str], field: str
) -> None:
    data = course_form(drug=esketamine_pk())
    data.update(changes)

    response = patient_client.post("/journal/courses/new/", data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert MedicationCourse.objects.count() == 0


def test_a_missing_medicine_and_a_stop_before_the_start_show_at_once(
    patient_client: Client,
) -> None:
    data = course_form(started_on="2026-09-10", stopped_on="2026-09-01")

    response = patient_client.post("/journal/courses/new/", data)

    summary = response.text[response.text.index("There is a problem") :]
    summary = summary[: summary.index("</div>")]
    assert 'href="#id_drug"' in summary
    assert 'href="#id_stopped_on"' in summary
    assert "The stop date can&#x27;t be before the start date." in summary
    assert MedicationCourse.objects.count() == 0


def test_a_course_with_doses_cannot_be_deleted(patient: User, patient_client: Client) -> None:
    course = CourseFactory.create(patient=patient)
    DoseFactory.create(course=course)

    response = patient_client.post(f"/journal/courses/{course.pk}/delete/", follow=True)

    assert MedicationCourse.objects.filter(pk=course.pk).exists()
    assert "give it a stop date" in response.text


def test_a_course_added_by_mistake_can_be_deleted(patient: User, patient_client: Client) -> None:
    course = CourseFactory.create(patient=patient)

    patient_client.post(f"/journal/courses/{course.pk}/delete/")

    assert not MedicationCourse.objects.filter(pk=course.pk).exists()


def test_editing_a_course_keeps_doses_inside_its_dates(
    patient: User, patient_client: Client
) -> None:
    course = CourseFactory.create(patient=patient)
    DoseFactory.create(course=course, taken_at=timezone.now() - timedelta(days=10))
    started_on = course.started_on

    response = patient_client.post(
        f"/journal/courses/{course.pk}/",
        course_form(drug=esketamine_pk(), started_on=timezone.localdate().isoformat()),
    )

    assert "Doses are recorded outside these dates" in response.text
    course.refresh_from_db()
    assert course.started_on == started_on


def test_the_course_list_shows_an_empty_state(patient_client: Client) -> None:
    assert "No medicines yet." in patient_client.get("/journal/courses/").text
