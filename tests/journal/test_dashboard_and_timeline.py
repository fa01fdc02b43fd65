from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.support.factories import CourseFactory, DoseFactory, EntryFactory, seeded_side_effect

pytestmark = pytest.mark.django_db


def test_a_new_patients_dashboard_has_empty_states_and_quick_logs(patient_client: Client) -> None:
    text = patient_client.get("/journal/").text

    assert "Nothing logged yet." in text
    assert "You have no current medicines in Sidelog." in text
    assert "Another symptom" in text


def test_the_dashboard_offers_taken_now_and_the_usual_symptoms(
    patient: User, patient_client: Client
) -> None:
    course = CourseFactory.create(patient=patient)
    EntryFactory.create(patient=patient, side_effect=seeded_side_effect("nausea"))

    text = patient_client.get("/journal/").text

    assert f'action="/journal/courses/{course.pk}/taken-now/"' in text
    assert 'name="side_effect" value="nausea"' in text
    assert 'name="side_effect" value="dissociation"' in text  # esketamine lists it


def test_the_timeline_groups_entries_and_doses_by_day_newest_first(
    patient: User, patient_client: Client
) -> None:
    course = CourseFactory.create(patient=patient)
    DoseFactory.create(course=course, taken_at=timezone.now() - timedelta(days=3))
    EntryFactory.create(
        patient=patient,
        side_effect=seeded_side_effect("headache"),
        onset_at=timezone.now() - timedelta(days=1),
    )

    text = patient_client.get("/journal/timeline/").text

    assert text.index("Headache") < text.index("Esketamine dose")
    assert text.count('<section aria-labelledby="day-') == 2


def test_the_timeline_filters_by_symptom(patient: User, patient_client: Client) -> None:
    DoseFactory.create(course=CourseFactory.create(patient=patient))
    EntryFactory.create(patient=patient, side_effect=seeded_side_effect("headache"))
    EntryFactory.create(patient=patient, side_effect=seeded_side_effect("nausea"))

    text = patient_client.get("/journal/timeline/?side_effect=nausea").text

    assert "Nausea" in text
    assert "Headache</span>" not in text
    assert "Esketamine dose" not in text


def test_the_timeline_is_paginated(patient: User, patient_client: Client) -> None:
    for hours in range(55):
        EntryFactory.create(patient=patient, onset_at=timezone.now() - timedelta(hours=hours + 1))

    first = patient_client.get("/journal/timeline/")
    second = patient_client.get("/journal/timeline/?page=2")

    assert first.text.count('class="item item-entry"') == 50
    assert second.text.count('class="item item-entry"') == 5
    assert "Page 2 of 2" in second.text


def test_the_timeline_pages_through_entries_and_doses_merged_by_time(
    patient: User, patient_client: Client
) -> None:
    course = CourseFactory.create(patient=patient)
    now = timezone.now()
    for hour in range(1, 46):
        EntryFactory.create(patient=patient, onset_at=now - timedelta(hours=hour))
    for hour in range(40, 60):  # between the oldest entries, and before them
        DoseFactory.create(course=course, taken_at=now - timedelta(hours=hour, minutes=30))

    first = patient_client.get("/journal/timeline/").text
    second = patient_client.get("/journal/timeline/?page=2").text

    assert (first.count("item item-entry"), first.count("item item-dose")) == (45, 5)
    assert (second.count("item item-entry"), second.count("item item-dose")) == (0, 15)
    assert "Page 2 of 2" in second


def test_the_timeline_costs_the_same_queries_for_few_or_many_entries(
    patient: User, patient_client: Client
) -> None:
    course = CourseFactory.create(patient=patient)

    def add(count: int) -> None:
        for _ in range(count):
            dose = DoseFactory.create(course=course)
            EntryFactory.create(patient=patient, dose=dose)

    add(2)
    # The first request reads the library (once per process) and refreshes the session
    # (once a minute): the second is what every other request costs.
    patient_client.get("/journal/timeline/")
    with CaptureQueriesContext(connection) as few:
        patient_client.get("/journal/timeline/")
    add(20)
    with CaptureQueriesContext(connection) as many:
        patient_client.get("/journal/timeline/")

    assert len(many) == len(few)


def test_the_dashboard_costs_the_same_queries_for_few_or_many_entries(
    patient: User, patient_client: Client
) -> None:
    course = CourseFactory.create(patient=patient)
    EntryFactory.create(patient=patient, dose=DoseFactory.create(course=course))
    patient_client.get("/journal/")  # reads the library and refreshes the session
    with CaptureQueriesContext(connection) as few:
        patient_client.get("/journal/")
    for _ in range(15):
        EntryFactory.create(patient=patient, dose=DoseFactory.create(course=course))
    with CaptureQueriesContext(connection) as many:
        patient_client.get("/journal/")

    assert len(many) == len(few)


@pytest.mark.parametrize(("hours_after_dose", "emergency"), [(2, True), (8, False)])
def test_a_severe_headache_within_six_hours_of_esketamine_is_an_emergency_on_both_pages(
    patient: User, patient_client: Client, hours_after_dose: int, emergency: bool
) -> None:
    # Spravato label, warnings (increases in blood pressure): a severe headache in the hours after
    # a session can be a hypertensive crisis; the library's rule reaches 6 hours.
    onset = timezone.now() - timedelta(hours=1)
    course = CourseFactory.create(patient=patient)
    DoseFactory.create(course=course, taken_at=onset - timedelta(hours=hours_after_dose))
    EntryFactory.create(
        patient=patient, side_effect=seeded_side_effect("headache"), onset_at=onset, severity=3
    )

    for page in ("/journal/", "/journal/timeline/"):
        text = patient_client.get(page).text
        assert ("Call emergency services now" in text) is emergency, page
