"""Triage as a patient meets it on the pages: log a symptom, see who to contact at once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from time_machine import TimeMachineFixture

from accounts.models import Profile
from journal.models import SymptomEntry
from tests.support.clients import acting_for, logged_in_client
from tests.support.factories import CourseFactory, DoseFactory, EntryFactory, seeded_drug

pytestmark = pytest.mark.django_db

# 14:00 in London; the clock is pinned so "an hour ago" never crosses midnight.
NOW = datetime(2026, 6, 10, 13, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _pinned_clock(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


def on(patient: User, *drugs: str) -> None:
    for slug in drugs:
        CourseFactory.create(patient=patient, drug=seeded_drug(slug), started_on=date(2026, 5, 1))


def set_country(patient: User, country: str) -> None:
    Profile.objects.filter(user=patient).update(country=country)


def entry_form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "side_effect": "skin-rash",
        "other_symptom": "",
        "onset_at": "2026-06-10T13:30",  # London, half an hour ago
        "resolved_at": "",
        "severity": "1",
        "interference": "0",
        "matched_side_effect": "words",
        "dose": "suggested",
        "notes": "",
    }
    data.update(changes)
    return data


def test_a_mild_rash_after_an_esketamine_session_on_lamotrigine_says_prescriber_today(
    patient: User, patient_client: Client
) -> None:
    on(patient, "esketamine", "lamotrigine")
    esketamine = patient.courses.get(drug__slug="esketamine")
    DoseFactory.create(course=esketamine, taken_at=NOW - timedelta(hours=2))

    response = patient_client.post("/journal/entries/new/", entry_form(), follow=True)

    entry = SymptomEntry.objects.get(patient=patient)
    assert entry.dose is not None and entry.dose.course == esketamine
    alert = response.text.split('role="alert"', 1)[1]
    assert "Contact your prescriber today" in alert.split("</h2>", 1)[0]
    assert "no one can tell early on which rashes will become serious" in alert


def test_a_ticked_danger_sign_makes_a_rash_on_lamotrigine_an_emergency(
    patient: User, patient_client: Client
) -> None:
    on(patient, "lamotrigine")
    set_country(patient, "DE")

    response = patient_client.post(
        "/journal/entries/new/",
        entry_form(danger_signs=["skin-rash:peeling-skin", "skin-rash:fever"]),
        follow=True,
    )

    entry = SymptomEntry.objects.get(patient=patient)
    assert entry.danger_signs == ["peeling-skin", "fever"]
    heading = response.text.split('id="red-flag-heading">', 1)[1].split("</h2>", 1)[0]
    assert heading == "Call emergency services now"
    assert "Call 112 now" in response.text
    assert "These are the numbers for Germany." in response.text
    assert "Blisters, or skin that peels, A fever" in response.text  # the entry's detail
    # The rule that would have fired without the signs is still there, one tap away.
    assert "Other warning signs that match this entry" in response.text


def test_a_danger_sign_of_another_symptom_is_refused_and_nothing_saved(
    patient: User, patient_client: Client
) -> None:
    on(patient, "lamotrigine")

    response = patient_client.post(
        "/journal/entries/new/", entry_form(danger_signs=["headache:stiff-neck"])
    )

    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Tick only the signs listed under skin rash." in response.text
    assert not SymptomEntry.objects.exists()


def test_the_form_offers_the_chosen_symptoms_danger_signs_as_checkboxes(
    patient: User, patient_client: Client
) -> None:
    page = patient_client.get("/journal/entries/new/?side_effect=headache").text

    assert 'value="headache:stiff-neck"' in page
    assert "A stiff neck" in page
    assert 'value="skin-rash:fever"' not in page  # only the chosen symptom's


def test_a_seizure_on_lamotrigine_is_an_emergency(patient: User, patient_client: Client) -> None:
    on(patient, "lamotrigine")
    set_country(patient, "GB")

    response = patient_client.post(
        "/journal/entries/new/", entry_form(side_effect="seizure", severity="2"), follow=True
    )

    assert "Call emergency services now" in response.text
    assert "Call 999 now" in response.text


def test_suicidal_thoughts_give_the_patients_own_crisis_line(
    patient: User, patient_client: Client
) -> None:
    set_country(patient, "GB")

    response = patient_client.post(
        "/journal/entries/new/", entry_form(side_effect="suicidal-thoughts"), follow=True
    )

    assert "Samaritans (call 116 123" in response.text
    assert "988" not in response.text


def test_without_a_country_the_guidance_says_the_local_number_and_where_112_works(
    patient: User, patient_client: Client
) -> None:
    set_country(patient, "")

    response = patient_client.post(
        "/journal/entries/new/", entry_form(side_effect="chest-pain"), follow=True
    )

    assert "your local emergency number (112 works across the European Union" in response.text
    assert "911" not in response.text and "999" not in response.text
    assert "Set your country in" in response.text


def test_words_of_their_own_are_read_as_a_symptom_and_the_page_says_which(
    patient: User, patient_client: Client
) -> None:
    on(patient, "memantine")

    response = patient_client.post(
        "/journal/entries/new/",
        entry_form(side_effect="", other_symptom="Pain in my chest when walking"),
        follow=True,
    )

    entry = SymptomEntry.objects.get(patient=patient)
    assert entry.matched_side_effect is not None
    assert entry.matched_side_effect.slug == "chest-pain"
    assert "Read by Sidelog as" in response.text
    assert "Chest pain." in response.text
    assert "Call emergency services now" in response.text


def test_the_patient_can_correct_what_their_words_were_read_as(
    patient: User, patient_client: Client
) -> None:
    entry = EntryFactory.create(
        patient=patient,
        side_effect=None,
        other_symptom="Blisters on my heel from new shoes",
        onset_at=NOW - timedelta(hours=1),
    )

    response = patient_client.post(
        f"/journal/entries/{entry.pk}/edit/",
        entry_form(
            side_effect="",
            other_symptom=entry.other_symptom,
            matched_side_effect="none",
            onset_at="2026-06-10T13:00",
        ),
        follow=True,
    )

    entry.refresh_from_db()
    assert entry.matched_side_effect is None
    assert entry.match_set_by_patient is True
    assert "None of its symptoms (your choice)" in response.text
    assert 'id="red-flag-heading"' not in response.text


def test_the_timeline_shows_the_danger_signs_an_entry_records(
    patient: User, patient_client: Client
) -> None:
    on(patient, "lamotrigine")
    patient_client.post("/journal/entries/new/", entry_form(danger_signs=["skin-rash:mouth-sores"]))

    page = patient_client.get("/journal/timeline/").text

    assert "With sores in the mouth, eyes or genitals" in page
    assert "Call emergency services now" in page


def test_a_caregiver_reads_the_patients_countrys_numbers(patient: User, caregiver: User) -> None:
    set_country(patient, "DE")
    Profile.objects.filter(user=caregiver).update(country="US")
    client = acting_for(logged_in_client(caregiver), patient)

    response = client.post(
        "/journal/entries/new/", entry_form(side_effect="chest-pain"), follow=True
    )

    assert "Call 112 now" in response.text
    assert "911" not in response.text
