from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from journal.models import MedicationCourse
from tests.support.factories import CourseFactory, DoseFactory, DrugFactory, seeded_drug

pytestmark = pytest.mark.django_db


def course_body(**changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "drug": "esketamine",
        "started_on": "2025-03-01",
        "route": "nasal",
        "regimen": "56 mg twice a week in clinic",
    }
    body.update(changes)
    return body


def test_a_patient_adds_a_course_by_the_drugs_slug(api: APIClient, patient: User) -> None:
    response = api.post("/api/v1/courses/", course_body(), format="json")

    assert response.status_code == 201
    course = MedicationCourse.objects.get(patient=patient)
    assert course.drug.slug == "esketamine"
    assert course.regimen == "56 mg twice a week in clinic"
    body = response.json()
    assert body["id"] == course.pk
    assert body["drug"] == "esketamine"
    assert body["started_on"] == "2025-03-01"
    assert body["stopped_on"] is None
    assert set(body) == {
        "id",
        "drug",
        "started_on",
        "stopped_on",
        "route",
        "regimen",
        "created_at",
        "updated_at",
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"drug": "no-such-drug"}, "drug"),
        ({"drug": ["esketamine"]}, "drug"),
        ({"drug": None}, "drug"),
        ({"started_on": "1st of March"}, "started_on"),
        ({"started_on": "0001-01-01"}, "started_on"),
        ({"stopped_on": "2025-02-01"}, "stopped_on"),
        ({"route": "by pigeon"}, "route"),
        ({"regimen": {"text": "twice"}}, "regimen"),
    ],
)
def test_bad_course_input_is_refused_by_field_and_writes_nothing(
    api: APIClient, patient: User, changes: dict[str, object], field: str
) -> None:
    response = api.post("/api/v1/courses/", course_body(**changes), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not MedicationCourse.objects.filter(patient=patient).exists()


def test_an_unpublished_drug_cannot_be_chosen(api: APIClient, patient: User) -> None:
    DrugFactory.create(slug="draftamine", is_published=False)

    response = api.post("/api/v1/courses/", course_body(drug="draftamine"), format="json")

    assert response.status_code == 400
    assert response.json()["drug"] == ["Not found in Sidelog's library."]
    assert not MedicationCourse.objects.filter(patient=patient).exists()


def test_a_drug_name_with_a_nul_character_is_not_found(api: APIClient, patient: User) -> None:
    # PostgreSQL refuses NUL in a query: found by the API fuzzing, a 500 before.
    response = api.post("/api/v1/courses/", course_body(drug="keta\x00mine"), format="json")

    assert response.status_code == 400
    assert response.json()["drug"] == ["Not found in Sidelog's library."]
    assert not MedicationCourse.objects.filter(patient=patient).exists()


def test_malformed_json_is_a_400_and_writes_nothing(api: APIClient, patient: User) -> None:
    response = api.post(
        "/api/v1/courses/", '{"drug": "esketamine",', content_type="application/json"
    )

    assert response.status_code == 400
    assert "detail" in response.json()
    assert not MedicationCourse.objects.filter(patient=patient).exists()


def test_a_list_instead_of_an_object_is_a_400(api: APIClient, patient: User) -> None:
    response = api.post("/api/v1/courses/", [course_body()], format="json")

    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert not MedicationCourse.objects.filter(patient=patient).exists()


def test_the_list_shows_only_the_patients_own_courses_newest_first(
    api: APIClient, patient: User, other_patient: User
) -> None:
    older = CourseFactory.create(patient=patient, started_on=date(2024, 1, 1))
    newer = CourseFactory.create(
        patient=patient, started_on=date(2025, 1, 1), drug=seeded_drug("memantine")
    )
    CourseFactory.create(patient=other_patient)

    body = api.get("/api/v1/courses/").json()

    assert body["count"] == 2
    assert [course["id"] for course in body["results"]] == [newer.pk, older.pk]
    assert body["results"][0]["drug"] == "memantine"


def test_courses_come_fifty_to_a_page(api: APIClient, patient: User) -> None:
    for day in range(55):
        CourseFactory.create(patient=patient, started_on=date(2024, 1, 1) + timedelta(days=day))

    first = api.get("/api/v1/courses/").json()
    second = api.get(first["next"]).json()

    assert first["count"] == 55
    assert len(first["results"]) == 50
    assert len(second["results"]) == 5
    assert second["next"] is None


def test_put_replaces_a_course(api: APIClient, patient: User) -> None:
    course = CourseFactory.create(patient=patient, started_on=date(2025, 1, 1))

    response = api.put(
        f"/api/v1/courses/{course.pk}/",
        course_body(drug="ketamine", route="iv", stopped_on="2025-06-01"),
        format="json",
    )

    assert response.status_code == 200
    course.refresh_from_db()
    assert course.drug.slug == "ketamine"
    assert course.route == "iv"
    assert course.started_on == date(2025, 3, 1)
    assert course.stopped_on == date(2025, 6, 1)


def test_patch_changes_only_the_fields_sent(api: APIClient, patient: User) -> None:
    course = CourseFactory.create(patient=patient, started_on=date(2025, 1, 1))

    response = api.patch(
        f"/api/v1/courses/{course.pk}/", {"stopped_on": "2025-04-30"}, format="json"
    )

    assert response.status_code == 200
    course.refresh_from_db()
    assert course.stopped_on == date(2025, 4, 30)
    assert course.started_on == date(2025, 1, 1)
    assert course.drug.slug == "esketamine"
    assert course.regimen == "56 mg twice a week in clinic"


def test_patch_is_checked_against_the_merged_course(api: APIClient, patient: User) -> None:
    course = CourseFactory.create(patient=patient, started_on=date(2025, 1, 1))

    response = api.patch(
        f"/api/v1/courses/{course.pk}/", {"stopped_on": "2024-12-31"}, format="json"
    )

    assert response.status_code == 400
    assert "stopped_on" in response.json()
    course.refresh_from_db()
    assert course.stopped_on is None


def test_a_course_cannot_be_moved_away_from_its_doses(api: APIClient, patient: User) -> None:
    course = CourseFactory.create(patient=patient, started_on=date(2025, 1, 1))
    DoseFactory.create(course=course)

    response = api.patch(
        f"/api/v1/courses/{course.pk}/", {"started_on": "2099-01-01"}, format="json"
    )

    assert response.status_code == 400
    assert "started_on" in response.json()
    course.refresh_from_db()
    assert course.started_on == date(2025, 1, 1)


def test_deleting_a_course_without_doses_removes_it(api: APIClient, patient: User) -> None:
    course = CourseFactory.create(patient=patient)

    response = api.delete(f"/api/v1/courses/{course.pk}/")

    assert response.status_code == 204
    assert not MedicationCourse.objects.filter(pk=course.pk).exists()


def test_a_course_with_doses_is_kept_and_the_reason_given(api: APIClient, patient: User) -> None:
    course = CourseFactory.create(patient=patient)
    DoseFactory.create(course=course)

    response = api.delete(f"/api/v1/courses/{course.pk}/")

    assert response.status_code == 400
    assert "stop date" in response.json()["non_field_errors"][0]
    assert MedicationCourse.objects.filter(pk=course.pk).exists()


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_another_patients_course_is_not_found_and_unchanged(
    api: APIClient, other_patient: User, method: str
) -> None:
    theirs = CourseFactory.create(patient=other_patient, started_on=date(2025, 1, 1))

    response = getattr(api, method)(
        f"/api/v1/courses/{theirs.pk}/", course_body(drug="ketamine"), format="json"
    )

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    theirs.refresh_from_db()
    assert theirs.drug == seeded_drug("esketamine")
    assert theirs.started_on == date(2025, 1, 1)


def test_an_id_too_big_for_the_database_is_not_found(api: APIClient) -> None:
    response = api.get(f"/api/v1/courses/{10**30}/")

    assert response.status_code == 404


def test_anonymous_visitors_get_no_courses(patient: User) -> None:
    CourseFactory.create(patient=patient)

    response = APIClient().get("/api/v1/courses/")

    assert response.status_code in (401, 403)
    assert "results" not in response.json()


def test_a_content_editor_has_no_journal_here(content_editor: User, patient: User) -> None:
    course = CourseFactory.create(patient=patient)
    client = APIClient()
    client.force_login(content_editor, backend="accounts.backends.ModelBackend")

    assert client.get("/api/v1/courses/").status_code == 404
    assert client.get(f"/api/v1/courses/{course.pk}/").status_code == 404
    assert client.post("/api/v1/courses/", course_body(), format="json").status_code == 404
    assert MedicationCourse.objects.count() == 1


def test_a_patient_signed_in_on_the_web_uses_the_api_with_their_session(patient: User) -> None:
    client = APIClient()
    client.force_login(patient, backend="accounts.backends.ModelBackend")

    response = client.post("/api/v1/courses/", course_body(), format="json")

    assert response.status_code == 201
    assert MedicationCourse.objects.filter(patient=patient).count() == 1
