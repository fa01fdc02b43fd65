"""Every journal page as anonymous, the owner, another patient and a content editor.

The owner reaches their journal; anonymous is sent to log in; everyone else gets a 404
that does not confirm the record exists, and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.test import Client

from journal.models import CheckInRating, DoseEvent, MedicationCourse, SymptomEntry
from tests.conftest import logged_in_client
from tests.factories import CourseFactory, DoseFactory, EntryFactory

pytestmark = pytest.mark.django_db


@dataclass
class Journal:
    course: MedicationCourse
    dose: DoseEvent
    entry: SymptomEntry


@pytest.fixture
def pats_journal(patient: User) -> Journal:
    course = CourseFactory.create(patient=patient)
    dose = DoseFactory.create(course=course)
    entry = EntryFactory.create(patient=patient, dose=dose)
    return Journal(course=course, dose=dose, entry=entry)


def pages(j: Journal) -> list[str]:
    return [
        "/journal/",
        "/journal/timeline/",
        "/journal/courses/",
        "/journal/courses/new/",
        f"/journal/courses/{j.course.pk}/",
        "/journal/doses/new/",
        f"/journal/doses/new/?course={j.course.pk}",
        f"/journal/doses/{j.dose.pk}/",
        f"/journal/doses/{j.dose.pk}/delete/",
        f"/journal/doses/{j.dose.pk}/check-in/",
        "/journal/entries/new/",
        f"/journal/entries/{j.entry.pk}/",
        f"/journal/entries/{j.entry.pk}/edit/",
        f"/journal/entries/{j.entry.pk}/delete/",
    ]


def writes(j: Journal) -> list[tuple[str, dict[str, str]]]:
    return [
        (
            f"/journal/courses/{j.course.pk}/",
            {"drug": str(j.course.drug_id), "route": "oral", "started_on": "2026-01-01"},
        ),
        (f"/journal/courses/{j.course.pk}/delete/", {}),
        (f"/journal/courses/{j.course.pk}/taken-now/", {}),
        (
            f"/journal/doses/{j.dose.pk}/",
            {"course": str(j.course.pk), "setting": "home", "taken_at": "2026-01-01T10:00"},
        ),
        (f"/journal/doses/{j.dose.pk}/delete/", {}),
        (
            f"/journal/doses/{j.dose.pk}/check-in/",
            {"nausea-40min": "2", "nausea-interference": "1"},
        ),
        (
            f"/journal/entries/{j.entry.pk}/edit/",
            {
                "side_effect": "nausea",
                "severity": "1",
                "interference": "1",
                "dose": "none",
                "onset_at": "2026-01-01T10:00",
            },
        ),
        (f"/journal/entries/{j.entry.pk}/delete/", {}),
    ]


def snapshot() -> tuple[int, ...]:
    return (
        MedicationCourse.objects.count(),
        DoseEvent.objects.count(),
        SymptomEntry.objects.count(),
        CheckInRating.objects.count(),
        MedicationCourse.history.count(),
        DoseEvent.history.count(),
        SymptomEntry.history.count(),
    )


def test_the_owner_reaches_every_page(pats_journal: Journal, patient_client: Client) -> None:
    for url in pages(pats_journal):
        assert patient_client.get(url).status_code == 200, url


def test_anonymous_is_sent_to_log_in_everywhere(pats_journal: Journal, client: Client) -> None:
    for url in pages(pats_journal):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
    for url, data in writes(pats_journal):
        before = snapshot()
        assert client.post(url, data).status_code == 302, url
        assert snapshot() == before, url


@pytest.mark.parametrize("who", ["other_patient", "content_editor"])
def test_nobody_else_reaches_pats_journal(
    pats_journal: Journal, who: str, request: pytest.FixtureRequest
) -> None:
    intruder: User = request.getfixturevalue(who)
    client = logged_in_client(intruder)
    own_journal_pages = {
        "/journal/",
        "/journal/timeline/",
        "/journal/courses/",
        "/journal/courses/new/",
        "/journal/doses/new/",
        "/journal/entries/new/",
    }

    for url in pages(pats_journal):
        response = client.get(url)
        if who == "other_patient" and url in own_journal_pages:
            # Olga's own journal; test_another_patients_own_pages_show_none_of_pats_records
            # checks that none of Pat's records appear in it.
            assert response.status_code == 200, url
        else:
            assert response.status_code == 404, url
    for url, data in writes(pats_journal):
        before = snapshot()
        assert client.post(url, data).status_code == 404, url
        assert snapshot() == before, url


def test_another_patients_own_pages_show_none_of_pats_records(
    pats_journal: Journal, other_patient_client: Client
) -> None:
    for url in ["/journal/", "/journal/timeline/", "/journal/courses/"]:
        text = other_patient_client.get(url).text
        assert f"/journal/entries/{pats_journal.entry.pk}/" not in text
        assert f"/journal/doses/{pats_journal.dose.pk}/" not in text
        assert f"/journal/courses/{pats_journal.course.pk}/" not in text
    form = other_patient_client.get("/journal/entries/new/").context["form"]
    assert str(pats_journal.dose.pk) not in dict(form.fields["dose"].choices)
