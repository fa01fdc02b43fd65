from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from journal.models import DoseEvent, MedicationCourse, SymptomEntry
from tests.support.clients import token_client
from tests.support.factories import (
    CourseFactory,
    DoseFactory,
    EntryFactory,
    PatientFactory,
    seeded_drug,
    seeded_side_effect,
)

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


def entry_body(**changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "side_effect": "dizziness",
        "onset_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "severity": 2,
        "interference": 1,
    }
    body.update(changes)
    return body


# Reading


def test_a_naive_onset_is_read_and_shown_in_the_patients_zone(
    api: APIClient, patient: User
) -> None:
    response = api.post(
        "/api/v1/entries/", entry_body(onset_at=f"{LAST_YEAR}-07-01T10:00:00"), format="json"
    )

    assert response.status_code == 201
    assert SymptomEntry.objects.get(patient=patient).onset_at == summer(1, 10)
    assert response.json()["onset_at"] == f"{LAST_YEAR}-07-01T10:00:00+01:00"
    assert response.json()["is_backfilled"] is True


def test_the_list_is_the_patients_own_entries_newest_first(
    api: APIClient, patient: User, other_patient: User
) -> None:
    older = EntryFactory.create(patient=patient, onset_at=summer(1, 9))
    newer = EntryFactory.create(patient=patient, onset_at=summer(2, 9))
    EntryFactory.create(patient=other_patient, onset_at=summer(3, 9))

    body = api.get("/api/v1/entries/").json()

    assert body["count"] == 2
    assert [entry["id"] for entry in body["results"]] == [newer.pk, older.pk]


def test_entries_come_fifty_to_a_page(api: APIClient, patient: User) -> None:
    for minutes in range(53):
        EntryFactory.create(patient=patient, onset_at=summer(1, 0) + timedelta(minutes=minutes))

    first = api.get("/api/v1/entries/").json()
    second = api.get(first["next"]).json()
    beyond = api.get("/api/v1/entries/", {"page": 3})

    assert first["count"] == 53
    assert len(first["results"]) == 50
    assert len(second["results"]) == 3
    assert second["results"][-1]["onset_at"] == f"{LAST_YEAR}-07-01T00:00:00+01:00"
    assert beyond.status_code == 404


def test_the_filters_narrow_the_list_by_the_patients_days_symptom_and_course(
    api: APIClient, patient: User, course: MedicationCourse
) -> None:
    memantine = CourseFactory.create(
        patient=patient, drug=seeded_drug("memantine"), started_on=date(LAST_YEAR - 1, 1, 1)
    )
    on_memantine = DoseFactory.create(course=memantine, taken_at=summer(1, 20))
    late_headache = EntryFactory.create(
        patient=patient,
        side_effect=seeded_side_effect("headache"),
        onset_at=summer(1, 23, 30),
        dose=on_memantine,
    )
    early_dizziness = EntryFactory.create(patient=patient, onset_at=summer(2, 0, 30))

    def ids(**params: str | int) -> list[int]:
        response = api.get("/api/v1/entries/", params)
        assert response.status_code == 200
        return [entry["id"] for entry in response.json()["results"]]

    the_1st = f"{LAST_YEAR}-07-01"
    assert ids(**{"from": the_1st, "to": the_1st}) == [late_headache.pk]
    assert ids(**{"from": f"{LAST_YEAR}-07-02"}) == [early_dizziness.pk]
    assert ids(to=f"{LAST_YEAR}-07-02T00:00:00") == [late_headache.pk]
    assert ids(side_effect="dizziness") == [early_dizziness.pk]
    assert ids(course=memantine.pk) == [late_headache.pk]
    assert ids(course=course.pk) == []


def test_a_bad_filter_is_a_400_naming_it(api: APIClient) -> None:
    response = api.get("/api/v1/entries/", {"side_effect": "not a slug!", "to": "soon"})

    assert response.status_code == 400
    assert set(response.json()) == {"side_effect", "to"}


def test_the_list_costs_the_same_queries_for_3_entries_as_for_30(
    api: APIClient, patient: User, course: MedicationCourse
) -> None:
    def queries_for_list_of(count: int) -> int:
        SymptomEntry.objects.all().delete()
        DoseEvent.objects.all().delete()
        for number in range(count):
            dose = DoseFactory.create(
                course=course, taken_at=summer(1, 0) + timedelta(hours=number)
            )
            EntryFactory.create(
                patient=patient,
                side_effect=seeded_side_effect("dissociation" if number % 2 else "headache"),
                severity=4,
                onset_at=dose.taken_at + timedelta(minutes=30),
                dose=dose if number % 3 else None,
            )
        api.get("/api/v1/entries/")  # the first request of a process reads the library
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/api/v1/entries/")
        assert response.json()["count"] == count
        assert any(entry["red_flags"] for entry in response.json()["results"])
        return len(queries)

    assert queries_for_list_of(3) == queries_for_list_of(30)


def test_red_flags_in_the_list_match_those_of_each_entry(
    api: APIClient, patient: User, course: MedicationCourse
) -> None:
    dose = DoseFactory.create(course=course, taken_at=summer(1, 9))
    flagged = EntryFactory.create(
        patient=patient,
        side_effect=seeded_side_effect("dissociation"),
        severity=4,
        onset_at=summer(1, 9, 40),
        dose=dose,
    )
    EntryFactory.create(patient=patient, onset_at=summer(1, 10), dose=dose)

    results = api.get("/api/v1/entries/").json()["results"]
    detail = api.get(f"/api/v1/entries/{flagged.pk}/").json()

    by_id = {entry["id"]: entry for entry in results}
    assert by_id[flagged.pk]["red_flags"][0]["action"] == "prescriber_today"
    assert detail["red_flags"] == by_id[flagged.pk]["red_flags"]
    assert detail["dose_suggested"] == dose.pk
    assert [entry["red_flags"] for entry in results if entry["id"] != flagged.pk] == [[]]


# Who may reach entries


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_another_patients_entry_is_not_found_and_unchanged(
    api: APIClient, other_patient: User, method: str
) -> None:
    theirs = EntryFactory.create(patient=other_patient, notes="Private")

    response = getattr(api, method)(
        f"/api/v1/entries/{theirs.pk}/", entry_body(notes="Changed"), format="json"
    )

    assert response.status_code == 404
    assert "Private" not in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.notes == "Private"
    assert theirs.edited_at is None


def test_anonymous_visitors_get_no_entries_and_can_write_none(patient: User) -> None:
    entry = EntryFactory.create(patient=patient, notes="Private")
    client = APIClient()

    listed = client.get("/api/v1/entries/")
    detail = client.get(f"/api/v1/entries/{entry.pk}/")
    created = client.post("/api/v1/entries/", entry_body(), format="json")

    for response in (listed, detail, created):
        assert response.status_code in (401, 403)
        assert "Private" not in response.content.decode()
    assert SymptomEntry.objects.count() == 1


def test_a_bad_token_gets_nothing(patient: User) -> None:
    EntryFactory.create(patient=patient)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = client.get("/api/v1/entries/")

    assert response.status_code in (401, 403)
    assert "results" not in response.json()


def test_a_content_editor_has_no_journal_here(content_editor: User, patient: User) -> None:
    entry = EntryFactory.create(patient=patient)
    client = APIClient()
    client.force_login(content_editor, backend="accounts.backends.ModelBackend")

    listed = client.get("/api/v1/entries/")
    detail = client.get(f"/api/v1/entries/{entry.pk}/")
    created = client.post("/api/v1/entries/", entry_body(), format="json")

    assert (listed.status_code, detail.status_code, created.status_code) == (404, 404, 404)
    assert listed.json() == {"detail": "There is no journal here."}
    assert SymptomEntry.objects.count() == 1


def test_a_provider_with_a_token_has_no_journal_here(patient: User) -> None:
    EntryFactory.create(patient=patient)
    provider = PatientFactory.create(username="dr-who", profile__role="provider")
    response = token_client(provider).get("/api/v1/entries/")

    assert response.status_code == 404


def test_error_answers_are_json(api: APIClient) -> None:
    response = api.get("/api/v1/entries/999999/")

    assert response.status_code == 404
    assert json.loads(response.content) == {"detail": "Not found."}
