"""The check-in pages: the step list, and one step's screen sent as a form."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils.html import strip_tags
from time_machine import TimeMachineFixture

from journal.models import CheckInRating, DoseEvent, SymptomEntry
from tests.support.clients import acting_for, logged_in_client
from tests.support.factories import (
    CourseFactory,
    DoseFactory,
    EntryFactory,
    seeded_drug,
    seeded_side_effect,
)

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 10, 14, 41, tzinfo=LONDON)
SESSION_ROWS = {
    "dissociation-severity": "2",
    "dissociation-interference": "2",
    "drowsiness-severity": "1",
    "dizziness-severity": "0",
    "nausea-severity": "0",
}


def text_of(html: str) -> str:
    """What a reader sees: no tags, one space between words."""
    return " ".join(strip_tags(html).split())


@pytest.fixture(autouse=True)
def _pinned_clock(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def dose(patient: User) -> DoseEvent:
    """An esketamine dose 41 minutes ago: the 40-minute step has just opened."""
    course = CourseFactory.create(patient=patient)
    return DoseFactory.create(course=course, taken_at=NOW - timedelta(minutes=41))


def test_the_step_list_shows_each_step_with_its_time(
    dose: DoseEvent, patient_client: Client
) -> None:
    page = patient_client.get(f"/journal/doses/{dose.pk}/check-in/").content.decode()

    assert "About 40 minutes after Due now, since 14:40." in text_of(page)
    assert f'href="/journal/doses/{dose.pk}/check-in/40min/"' in page
    # Not yet due: shown with its time, not asked.
    assert "About 2 hours after Opens at Tue 10 Mar, 16:00." in text_of(page)
    assert f"/journal/doses/{dose.pk}/check-in/2h/" not in page
    assert "In the evening Opens at Tue 10 Mar, 20:00." in text_of(page)


def test_a_step_saved_goes_back_to_the_steps_with_its_entries(
    dose: DoseEvent, patient: User, patient_client: Client
) -> None:
    url = f"/journal/doses/{dose.pk}/check-in/40min/"

    response = patient_client.post(url, SESSION_ROWS, follow=True)

    assert response.redirect_chain == [(f"/journal/doses/{dose.pk}/check-in/", 302)]
    page = text_of(response.content.decode())
    assert "Check-in saved: about 40 minutes after." in page
    assert "Dissociation and detachment 2, Drowsiness and sedation 1" in page
    entries = SymptomEntry.objects.filter(dose=dose).order_by("severity")
    assert [(e.side_effect.slug, e.severity, e.from_checkin) for e in entries] == [  # type: ignore[union-attr]
        ("drowsiness", 1, True),
        ("dissociation", 2, True),
    ]
    assert {e.logged_by for e in entries} == {patient}
    assert CheckInRating.objects.filter(dose=dose, point="40min").count() == 4


def test_a_half_filled_step_shows_every_missing_row_at_the_top(
    dose: DoseEvent, patient_client: Client
) -> None:
    response = patient_client.post(
        f"/journal/doses/{dose.pk}/check-in/40min/", {"dissociation-severity": "2"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    summary = page[page.index("There is a problem") : page.index("How strong is each one")]
    for name, field in (
        ("Drowsiness and sedation", "drowsiness"),
        ("Dizziness", "dizziness"),
        ("Nausea and vomiting", "nausea"),
    ):
        assert f'href="#id_{field}-severity">{name}: Choose how strong it is now' in summary
    assert "Dissociation" not in summary
    # Each link leads to its row's buttons.
    assert 'id="id_nausea-severity"' in page
    assert not CheckInRating.objects.exists()
    assert not SymptomEntry.objects.exists()


def test_a_step_not_yet_due_shows_its_time_and_is_refused(
    dose: DoseEvent, patient_client: Client
) -> None:
    url = f"/journal/doses/{dose.pk}/check-in/2h/"

    assert "This step opens at" in patient_client.get(url).content.decode()
    assert "<form" not in patient_client.get(url).content.decode().split("<main")[-1]
    response = patient_client.post(url, SESSION_ROWS)

    assert "This step is not due yet: it opens at 16:00" in response.content.decode()
    assert not CheckInRating.objects.exists()


def test_a_very_severe_rating_goes_to_its_red_flag(dose: DoseEvent, patient_client: Client) -> None:
    response = patient_client.post(
        f"/journal/doses/{dose.pk}/check-in/40min/", {**SESSION_ROWS, "dizziness-severity": "4"}
    )

    dizziness = SymptomEntry.objects.get(dose=dose, side_effect__slug="dizziness")
    assert response["Location"] == f"/journal/entries/{dizziness.pk}/"


def test_a_caregiver_fills_a_step_for_the_patient(
    dose: DoseEvent, patient: User, caregiver: User
) -> None:
    client = acting_for(logged_in_client(caregiver), patient)

    response = client.post(f"/journal/doses/{dose.pk}/check-in/40min/", SESSION_ROWS)

    assert response.status_code == 302
    assert {e.logged_by for e in SymptomEntry.objects.filter(dose=dose)} == {caregiver}


def test_gone_now_records_the_resolved_time(
    dose: DoseEvent, patient: User, patient_client: Client, time_machine: TimeMachineFixture
) -> None:
    patient_client.post(f"/journal/doses/{dose.pk}/check-in/40min/", SESSION_ROWS)
    later = NOW + timedelta(minutes=80)
    time_machine.move_to(later, tick=False)

    # Signed in again: the session ended after 30 idle minutes.
    logged_in_client(patient).post(
        f"/journal/doses/{dose.pk}/check-in/2h/",
        {**SESSION_ROWS, "dissociation-severity": "0", "dissociation-gone": "on"},
    )

    assert SymptomEntry.objects.get(side_effect__slug="dissociation").resolved_at == later


def test_there_is_no_step_page_for_memantine_or_an_unknown_step(
    patient: User, patient_client: Client, dose: DoseEvent
) -> None:
    course = CourseFactory.create(patient=patient, drug=seeded_drug("memantine"), route="oral")
    other = DoseFactory.create(course=course)

    assert patient_client.get(f"/journal/doses/{other.pk}/check-in/40min/").status_code == 404
    assert patient_client.get(f"/journal/doses/{dose.pk}/check-in/noon/").status_code == 404


def test_a_step_asks_too_about_the_patients_usual_symptoms_but_never_a_serious_one(
    dose: DoseEvent, patient: User, patient_client: Client
) -> None:
    for slug in ("headache", "headache", "suicidal-thoughts"):
        EntryFactory.create(patient=patient, side_effect=seeded_side_effect(slug), dose=None)

    page = text_of(patient_client.get(f"/journal/doses/{dose.pk}/check-in/40min/").content.decode())

    assert "Headache (if you feel it)" in page
    assert "Suicidal" not in page
    response = patient_client.post(
        f"/journal/doses/{dose.pk}/check-in/40min/", {**SESSION_ROWS, "headache-severity": "1"}
    )
    assert response.status_code == 302
    assert SymptomEntry.objects.filter(dose=dose, side_effect__slug="headache").exists()
