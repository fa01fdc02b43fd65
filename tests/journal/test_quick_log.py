"""Two taps to log: the quick buttons the dashboard offers, the entry a tap saves, its undo."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from time_machine import TimeMachineFixture

from audit.models import AuditAction, AuditEvent
from journal.models import SymptomEntry
from journal.quick_log import DEFAULT_QUICK_SLUGS, serious_side_effect_ids
from reference.safety import find_dosage_advice
from tests.support.clients import acting_for, logged_in_client
from tests.support.factories import (
    CourseFactory,
    DoseFactory,
    EntryFactory,
    seeded_drug,
    seeded_side_effect,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _pinned_clock(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


def quick_buttons(client: Client) -> list[str]:
    return re.findall(r'name="side_effect" value="([a-z-]+)"', client.get("/journal/").text)


def test_a_new_account_without_medicines_is_offered_common_symptoms(
    patient_client: Client,
) -> None:
    assert quick_buttons(patient_client) == list(DEFAULT_QUICK_SLUGS)


def test_a_new_account_on_esketamine_is_offered_its_session_symptoms_first(
    patient: User, patient_client: Client
) -> None:
    CourseFactory.create(patient=patient, drug=seeded_drug("esketamine"))

    buttons = quick_buttons(patient_client)

    assert buttons[:4] == ["dissociation", "drowsiness", "dizziness", "nausea"]
    assert len(buttons) == 6


def test_the_most_logged_symptoms_come_first(patient: User, patient_client: Client) -> None:
    CourseFactory.create(patient=patient, drug=seeded_drug("lamotrigine"))
    for _ in range(3):
        EntryFactory.create(patient=patient, side_effect=seeded_side_effect("dry-mouth"))
    EntryFactory.create(patient=patient, side_effect=seeded_side_effect("constipation"))

    buttons = quick_buttons(patient_client)

    # Then lamotrigine's most often reported: headache (25% in trials), dizziness (10%).
    assert buttons[:4] == ["dry-mouth", "constipation", "headache", "dizziness"]


def test_a_serious_symptom_is_never_a_quick_button_however_often_it_is_logged(
    patient: User, patient_client: Client
) -> None:
    CourseFactory.create(patient=patient, drug=seeded_drug("esketamine"))
    for slug in ("suicidal-thoughts", "suicidal-thoughts", "chest-pain", "worsening-mood"):
        EntryFactory.create(patient=patient, side_effect=seeded_side_effect(slug))

    buttons = quick_buttons(patient_client)
    text = patient_client.get("/journal/").text

    assert not set(buttons) & {"suicidal-thoughts", "chest-pain", "worsening-mood"}
    assert "Suicidal thoughts" not in text.split('id="quick-log"')[1].split("Something serious?")[0]
    assert 'href="/journal/entries/serious/"' in text


def test_serious_means_the_serious_category_or_an_emergency_whenever_logged() -> None:
    serious = serious_side_effect_ids()

    assert seeded_side_effect("suicidal-thoughts").pk in serious
    assert seeded_side_effect("trouble-breathing").pk in serious
    # A headache is an emergency only with its danger signs: a quick button.
    assert seeded_side_effect("headache").pk not in serious


def test_something_serious_lists_them_for_the_full_form(patient_client: Client) -> None:
    text = patient_client.get("/journal/entries/serious/").text

    assert 'href="/journal/entries/new/?side_effect=suicidal-thoughts"' in text
    assert "?side_effect=headache" not in text


def test_a_tap_saves_an_entry_starting_now_after_the_suggested_dose(
    patient: User, patient_client: Client
) -> None:
    course = CourseFactory.create(patient=patient, drug=seeded_drug("esketamine"))
    dose = DoseFactory.create(course=course, taken_at=NOW - timedelta(minutes=40))

    response = patient_client.post(
        "/journal/entries/quick/", {"side_effect": "nausea", "severity": "2"}
    )

    entry = SymptomEntry.objects.get(patient=patient)
    assert response["Location"] == f"/journal/?logged={entry.pk}#logged"
    assert (entry.side_effect, entry.severity, entry.interference) == (
        seeded_side_effect("nausea"),
        2,
        0,
    )
    assert (entry.onset_at, entry.dose, entry.resolved_at) == (NOW, dose, None)
    page = patient_client.get(response["Location"]).text
    assert "Nausea and vomiting saved" in page
    assert f'href="/journal/entries/{entry.pk}/edit/">Add details' in page
    assert f'action="/journal/entries/{entry.pk}/undo/"' in page


def test_a_tap_that_meets_a_red_flag_opens_the_entry_with_it(
    patient: User, patient_client: Client
) -> None:
    # Any symptom "severe" or worse is to be mentioned at the next visit.
    response = patient_client.post(
        "/journal/entries/quick/", {"side_effect": "headache", "severity": "4"}
    )

    entry = SymptomEntry.objects.get(patient=patient)
    assert response["Location"] == f"/journal/entries/{entry.pk}/"
    assert 'role="alert"' in patient_client.get(response["Location"]).text


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"side_effect": "suicidal-thoughts", "severity": "1"}, "id_side_effect"),
        ({"side_effect": "nausea"}, "id_severity"),
        ({"side_effect": "nausea", "severity": "7"}, "id_severity"),
        ({}, "id_side_effect"),
    ],
)
def test_a_quick_entry_without_a_plain_symptom_and_a_severity_saves_nothing(
    patient_client: Client, data: dict[str, str], field: str
) -> None:
    response = patient_client.post("/journal/entries/quick/", data)

    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert f'href="#{field}"' in response.text
    assert f'id="{field}"' in response.text
    assert not SymptomEntry.objects.exists()


def test_undo_deletes_the_entry_just_logged(patient: User, patient_client: Client) -> None:
    patient_client.post("/journal/entries/quick/", {"side_effect": "nausea", "severity": "1"})
    entry = SymptomEntry.objects.get(patient=patient)

    response = patient_client.post(f"/journal/entries/{entry.pk}/undo/", follow=True)

    assert "Nausea and vomiting removed" in response.text
    assert not SymptomEntry.objects.exists()


def test_undo_is_refused_once_the_window_has_passed(
    patient: User, patient_client: Client, time_machine: TimeMachineFixture
) -> None:
    patient_client.post("/journal/entries/quick/", {"side_effect": "nausea", "severity": "1"})
    entry = SymptomEntry.objects.get(patient=patient)
    time_machine.move_to(NOW + timedelta(minutes=6), tick=False)

    response = patient_client.post(f"/journal/entries/{entry.pk}/undo/", follow=True)

    assert "too late to undo" in response.text
    assert SymptomEntry.objects.filter(pk=entry.pk).exists()
    assert (
        "Nausea and vomiting saved" not in patient_client.get(f"/journal/?logged={entry.pk}").text
    )


def test_undo_of_another_patients_entry_is_404(
    patient: User, other_patient_client: Client, patient_client: Client
) -> None:
    patient_client.post("/journal/entries/quick/", {"side_effect": "nausea", "severity": "1"})
    entry = SymptomEntry.objects.get(patient=patient)

    response = other_patient_client.post(f"/journal/entries/{entry.pk}/undo/")

    assert response.status_code == 404
    assert SymptomEntry.objects.filter(pk=entry.pk).exists()


def test_undo_is_refused_for_an_entry_logged_by_someone_else_or_edited(
    patient: User, caregiver: User, patient_client: Client
) -> None:
    by_caregiver = EntryFactory.create(patient=patient, logged_by=caregiver)
    edited = EntryFactory.create(patient=patient, logged_by=patient, edited_at=NOW)

    for entry in (by_caregiver, edited):
        response = patient_client.post(f"/journal/entries/{entry.pk}/undo/", follow=True)
        assert "Only an entry you have just logged can be undone." in response.text
    assert SymptomEntry.objects.filter(pk__in=[by_caregiver.pk, edited.pk]).count() == 2


def test_a_caregivers_quick_entry_and_undo_are_audited(patient: User, caregiver: User) -> None:
    client = acting_for(logged_in_client(caregiver), patient)

    client.post("/journal/entries/quick/", {"side_effect": "nausea", "severity": "1"})
    entry = SymptomEntry.objects.get(patient=patient)
    client.post(f"/journal/entries/{entry.pk}/undo/")

    assert entry.logged_by == caregiver
    assert list(
        AuditEvent.objects.filter(action=AuditAction.CAREGIVER_ACTED, patient_key=patient.pk)
        .order_by("pk")
        .values_list("target", flat=True)
    ) == ["logged a symptom entry", "deleted a symptom entry"]


def test_the_quick_log_texts_give_no_dosing_advice(patient: User, patient_client: Client) -> None:
    patient_client.post("/journal/entries/quick/", {"side_effect": "nausea", "severity": "1"})
    entry = SymptomEntry.objects.get(patient=patient)
    pages = [
        patient_client.get(f"/journal/?logged={entry.pk}").text,
        patient_client.get("/journal/entries/serious/").text,
        patient_client.get("/journal/entries/quick/?side_effect=nausea").text,
    ]

    for text in pages:
        main = text.split('<main id="main"')[1].split("</main>")[0]
        assert find_dosage_advice(re.sub(r"<[^>]+>", " ", main)) == []


def test_a_tap_that_meets_a_red_flag_can_still_be_undone_from_the_entry(
    patient: User, patient_client: Client, time_machine: TimeMachineFixture
) -> None:
    patient_client.post("/journal/entries/quick/", {"side_effect": "headache", "severity": "4"})
    entry = SymptomEntry.objects.get(patient=patient)
    undo = f'action="/journal/entries/{entry.pk}/undo/"'

    assert undo in patient_client.get(f"/journal/entries/{entry.pk}/").text
    time_machine.move_to(NOW + timedelta(minutes=6), tick=False)
    assert undo not in patient_client.get(f"/journal/entries/{entry.pk}/").text
