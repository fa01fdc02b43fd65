from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.test import APIClient

from journal.models import DoseEvent, MedicationCourse
from tests.support.factories import CourseFactory, DoseFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
LAST_YEAR = timezone.now().year - 1


@pytest.fixture
def course(patient: User) -> MedicationCourse:
    course: MedicationCourse = CourseFactory.create(
        patient=patient, started_on=date(LAST_YEAR - 1, 1, 1)
    )
    return course


def summer(day: int, hour: int, minute: int = 0) -> datetime:
    """A time last July in London, where British Summer Time is UTC+1."""
    return datetime(LAST_YEAR, 7, day, hour, minute, tzinfo=LONDON)


def test_a_time_without_an_offset_is_read_in_the_patients_zone(
    api: APIClient, patient: User, course: MedicationCourse
) -> None:
    response = api.post(
        "/api/v1/doses/",
        {"course": course.pk, "taken_at": f"{LAST_YEAR}-07-01T09:30:00", "setting": "clinic"},
        format="json",
    )

    assert response.status_code == 201
    dose = DoseEvent.objects.get(course=course)
    assert dose.taken_at == summer(1, 9, 30)
    body = response.json()
    assert body["taken_at"] == f"{LAST_YEAR}-07-01T09:30:00+01:00"
    assert body["course"] == course.pk
    assert body["setting"] == "clinic"
    assert body["logged_by"] == "pat"
    assert body["is_backfilled"] is True
    assert body["is_edited"] is False


def test_a_time_with_an_offset_is_kept_and_shown_in_the_patients_zone(
    api: APIClient, course: MedicationCourse
) -> None:
    response = api.post(
        "/api/v1/doses/",
        {"course": course.pk, "taken_at": f"{LAST_YEAR}-07-01T12:00:00+05:00"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["taken_at"] == f"{LAST_YEAR}-07-01T08:00:00+01:00"
    # Esketamine is given only in a certified clinic: that is where a dose is, unless told.
    assert response.json()["setting"] == "clinic"


def test_a_dose_on_another_patients_course_is_refused_without_revealing_it(
    api: APIClient, other_patient: User
) -> None:
    theirs = CourseFactory.create(patient=other_patient)

    response = api.post(
        "/api/v1/doses/",
        {"course": theirs.pk, "taken_at": timezone.now().isoformat()},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"course": ["Not found."]}
    assert not DoseEvent.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"course": "first"}, "course"),
        ({"course": 10**30}, "course"),
        ({"course": 1.5}, "course"),
        ({"course": None}, "course"),
        ({"taken_at": "yesterday"}, "taken_at"),
        ({"taken_at": 1700000000}, "taken_at"),
        ({"taken_at": "0001-01-01T00:00:00Z"}, "taken_at"),
        ({"taken_at": f"{LAST_YEAR + 3}-01-01T10:00:00Z"}, "taken_at"),
        ({"taken_at": f"{LAST_YEAR - 5}-01-01T10:00:00Z"}, "taken_at"),
        ({"setting": "car park"}, "setting"),
        ({"note": "\x00"}, "note"),
    ],
)
def test_bad_dose_input_is_refused_by_field_and_writes_nothing(
    api: APIClient, course: MedicationCourse, changes: dict[str, object], field: str
) -> None:
    body = {"course": course.pk, "taken_at": summer(1, 9).isoformat(), **changes}

    response = api.post("/api/v1/doses/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not DoseEvent.objects.exists()


def test_a_local_time_in_the_repeated_autumn_hour_is_the_first_unless_an_offset_says(
    api: APIClient, course: MedicationCourse
) -> None:
    # London's clocks go back from 02:00 BST to 01:00 GMT on the last Sunday of October.
    sunday = max(
        date(LAST_YEAR, 10, day) for day in range(25, 32) if date(LAST_YEAR, 10, day).weekday() == 6
    )
    body = {"course": course.pk, "taken_at": f"{sunday}T01:30:00"}

    first = api.post("/api/v1/doses/", body, format="json")
    second = api.post("/api/v1/doses/", {**body, "taken_at": f"{sunday}T01:30:00Z"}, format="json")

    assert first.status_code == 201
    assert first.json()["taken_at"] == f"{sunday}T01:30:00+01:00"
    assert second.status_code == 201
    assert second.json()["taken_at"] == f"{sunday}T01:30:00Z"


def test_dates_in_the_filters_are_the_patients_own_days(
    api: APIClient, course: MedicationCourse
) -> None:
    late_on_the_1st = DoseFactory.create(course=course, taken_at=summer(1, 23, 30))
    just_after_midnight = DoseFactory.create(course=course, taken_at=summer(2, 0, 30))
    DoseFactory.create(course=course, taken_at=summer(3, 12))

    on_the_1st = api.get(
        "/api/v1/doses/", {"from": f"{LAST_YEAR}-07-01", "to": f"{LAST_YEAR}-07-01"}
    )
    on_the_2nd = api.get(
        "/api/v1/doses/", {"from": f"{LAST_YEAR}-07-02", "to": f"{LAST_YEAR}-07-02"}
    )

    assert [dose["id"] for dose in on_the_1st.json()["results"]] == [late_on_the_1st.pk]
    assert [dose["id"] for dose in on_the_2nd.json()["results"]] == [just_after_midnight.pk]


def test_times_in_the_filters_bound_the_period(api: APIClient, course: MedicationCourse) -> None:
    DoseFactory.create(course=course, taken_at=summer(1, 8))
    middle = DoseFactory.create(course=course, taken_at=summer(1, 12))
    DoseFactory.create(course=course, taken_at=summer(1, 16))

    response = api.get(
        "/api/v1/doses/",
        {"from": f"{LAST_YEAR}-07-01T10:00:00", "to": f"{LAST_YEAR}-07-01T13:00:00+01:00"},
    )

    assert [dose["id"] for dose in response.json()["results"]] == [middle.pk]


def test_the_course_filter_keeps_one_courses_doses(
    api: APIClient, patient: User, course: MedicationCourse
) -> None:
    other_course = CourseFactory.create(patient=patient, started_on=date(LAST_YEAR - 1, 1, 1))
    mine = DoseFactory.create(course=course, taken_at=summer(1, 8))
    DoseFactory.create(course=other_course, taken_at=summer(1, 9))

    response = api.get("/api/v1/doses/", {"course": course.pk})

    assert [dose["id"] for dose in response.json()["results"]] == [mine.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "last week"}, "from"),
        ({"to": "2025-02-30"}, "to"),
        ({"to": "9999-12-31"}, "to"),
        ({"from": "1066-10-14"}, "from"),
        ({"course": "esketamine"}, "course"),
        ({"course": str(10**30)}, "course"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(
    api: APIClient, params: dict[str, str], field: str
) -> None:
    response = api.get("/api/v1/doses/", params)

    assert response.status_code == 400
    assert field in response.json()


def test_doses_are_listed_newest_first_fifty_to_a_page(
    api: APIClient, course: MedicationCourse, other_patient: User
) -> None:
    for hour in range(52):
        DoseFactory.create(course=course, taken_at=summer(1, 0) + timedelta(hours=hour))
    DoseFactory.create(course=CourseFactory.create(patient=other_patient))

    first = api.get("/api/v1/doses/").json()
    second = api.get("/api/v1/doses/", {"page": 2}).json()

    assert first["count"] == 52
    taken = [dose["taken_at"] for dose in first["results"] + second["results"]]
    assert taken == sorted(taken, reverse=True)
    assert len(second["results"]) == 2


def test_patch_changes_the_note_and_marks_the_dose_edited(
    api: APIClient, course: MedicationCourse
) -> None:
    dose = DoseFactory.create(course=course, taken_at=summer(1, 9))

    response = api.patch(f"/api/v1/doses/{dose.pk}/", {"note": "Given late"}, format="json")

    assert response.status_code == 200
    dose.refresh_from_db()
    assert dose.note == "Given late"
    assert dose.taken_at == summer(1, 9)
    assert dose.setting == "clinic"
    assert response.json()["is_edited"] is True


def test_put_can_move_a_dose_to_another_of_the_patients_courses(
    api: APIClient, patient: User, course: MedicationCourse
) -> None:
    other_course = CourseFactory.create(patient=patient, started_on=date(LAST_YEAR - 1, 1, 1))
    dose = DoseFactory.create(course=course, taken_at=summer(1, 9))

    response = api.put(
        f"/api/v1/doses/{dose.pk}/",
        {"course": other_course.pk, "taken_at": summer(1, 10).isoformat()},
        format="json",
    )

    assert response.status_code == 200
    dose.refresh_from_db()
    assert dose.course == other_course
    assert dose.setting == "clinic"  # left out of the PUT: where esketamine is given


def test_a_dose_cannot_be_moved_to_another_patients_course(
    api: APIClient, other_patient: User, course: MedicationCourse
) -> None:
    dose = DoseFactory.create(course=course, taken_at=summer(1, 9))
    theirs = CourseFactory.create(patient=other_patient)

    response = api.patch(f"/api/v1/doses/{dose.pk}/", {"course": theirs.pk}, format="json")

    assert response.status_code == 400
    assert response.json() == {"course": ["Not found."]}
    dose.refresh_from_db()
    assert dose.course == course


def test_deleting_a_dose_removes_it(api: APIClient, course: MedicationCourse) -> None:
    dose = DoseFactory.create(course=course)

    assert api.delete(f"/api/v1/doses/{dose.pk}/").status_code == 204
    assert not DoseEvent.objects.filter(pk=dose.pk).exists()


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_another_patients_dose_is_not_found_and_unchanged(
    api: APIClient, other_patient: User, method: str
) -> None:
    theirs = DoseFactory.create(course=CourseFactory.create(patient=other_patient), note="")

    response = getattr(api, method)(
        f"/api/v1/doses/{theirs.pk}/",
        {"course": theirs.course.pk, "taken_at": timezone.now().isoformat(), "note": "mine"},
        format="json",
    )

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.note == ""
    assert theirs.edited_at is None


def test_anonymous_visitors_get_no_doses(patient: User) -> None:
    DoseFactory.create(course=CourseFactory.create(patient=patient))

    response = APIClient().get("/api/v1/doses/")

    assert response.status_code in (401, 403)
    assert "results" not in response.json()


def test_a_content_editor_has_no_doses_here(content_editor: User, patient: User) -> None:
    dose = DoseFactory.create(course=CourseFactory.create(patient=patient))
    client = APIClient()
    client.force_login(content_editor, backend="accounts.backends.ModelBackend")

    assert client.get("/api/v1/doses/").status_code == 404
    assert client.get(f"/api/v1/doses/{dose.pk}/").status_code == 404
    assert client.delete(f"/api/v1/doses/{dose.pk}/").status_code == 404
    assert DoseEvent.objects.filter(pk=dose.pk).exists()
