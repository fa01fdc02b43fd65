from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from accounts.models import Profile
from journal.models import MedicationCourse, SymptomEntry
from tests.support.factories import CourseFactory, DoseFactory, EntryFactory, seeded_drug

pytestmark = pytest.mark.django_db


LONDON = ZoneInfo("Europe/London")


def entry_form(**changes: object) -> dict[str, object]:
    """The entry form as Pat's browser sends it: times in London, where Pat lives."""
    onset = timezone.now().astimezone(LONDON) - timedelta(hours=1)
    data: dict[str, object] = {
        "side_effect": "dizziness",
        "other_symptom": "",
        "onset_at": onset.strftime("%Y-%m-%dT%H:%M"),
        "resolved_at": "",
        "severity": "2",
        "interference": "1",
        "dose": "suggested",
        "notes": "",
    }
    data.update(changes)
    return data


def test_logging_a_symptom_links_the_latest_dose_and_shows_the_entry(
    patient: User, patient_client: Client
) -> None:
    course = CourseFactory.create(patient=patient)
    dose = DoseFactory.create(course=course, taken_at=timezone.now() - timedelta(hours=3))

    response = patient_client.post("/journal/entries/new/", entry_form(), follow=True)

    entry = SymptomEntry.objects.get(patient=patient)
    assert entry.dose == dose
    assert entry.logged_by == patient
    assert response.redirect_chain[-1][0] == f"/journal/entries/{entry.pk}/"
    assert "Dizziness" in response.text
    assert "Esketamine" in response.text


def test_a_very_severe_dissociation_after_esketamine_shows_its_red_flag_first(
    patient: User, patient_client: Client
) -> None:
    DoseFactory.create(course=CourseFactory.create(patient=patient))

    response = patient_client.post(
        "/journal/entries/new/",
        entry_form(side_effect="dissociation", severity="4", interference="4"),
        follow=True,
    )

    text = response.text
    assert 'role="alert"' in text
    assert "Contact your prescriber today" in text
    assert text.index('role="alert"') < text.index("<h1>")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"resolved_at": "2020-01-01T10:00"}, "resolved_at", "resolved before it started"),
        ({"onset_at": "2099-01-01T10:00"}, "onset_at", "can't be in the future"),
        ({"side_effect": "no-such-thing"}, "side_effect", "Select a valid choice"),
        ({"severity": "7"}, "severity", "Select a valid choice"),
        ({"severity": ""}, "severity", "This field is required"),
        ({"side_effect": "", "other_symptom": ""}, "side_effect", "Choose a symptom"),
        ({"other_symptom": "Hiccups"}, "other_symptom", "not both"),
        ({"onset_at": "yesterday"}, "onset_at", "Enter a valid date/time"),
    ],
)
def test_bad_input_shows_the_error_and_saves_nothing(
    patient: User, patient_client: Client, changes: dict[str, object], field: str, message: str
) -> None:
    response = patient_client.post("/journal/entries/new/", entry_form(**changes))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert SymptomEntry.objects.count() == 0


def test_every_error_shows_at_once_in_the_summary_at_the_top(
    patient: User, patient_client: Client
) -> None:
    # A severity left out and a start time in the future: both named on the first try.
    changes = {"severity": "", "onset_at": "2099-01-01T10:00", "resolved_at": "2098-01-01T10:00"}
    response = patient_client.post("/journal/entries/new/", entry_form(**changes))

    summary = response.text.split('<div class="callout" role="alert">', 1)[1].split("</div>", 1)[0]
    assert "This field is required" in summary
    assert "The start time can&#x27;t be in the future." in summary
    assert "The time it resolved can&#x27;t be in the future." in summary
    assert 'href="#id_onset_at"' in summary
    assert SymptomEntry.objects.count() == 0


def test_another_symptom_can_be_described_in_words(patient: User, patient_client: Client) -> None:
    patient_client.post(
        "/journal/entries/new/", entry_form(side_effect="", other_symptom="Hiccups")
    )

    entry = SymptomEntry.objects.get(patient=patient)
    assert entry.side_effect is None
    assert entry.symptom_name == "Hiccups"


def test_editing_keeps_the_old_version_and_marks_the_entry_edited(
    patient: User, patient_client: Client
) -> None:
    entry = EntryFactory.create(patient=patient, severity=1)

    patient_client.post(f"/journal/entries/{entry.pk}/edit/", entry_form(severity="3", dose="none"))

    entry.refresh_from_db()
    assert entry.severity == 3
    assert entry.is_edited
    assert [v.severity for v in entry.history.order_by("history_date")] == [1, 3]
    page = patient_client.get(f"/journal/entries/{entry.pk}/").text
    assert "Edited" in page
    assert "Earlier versions (1)" in page


def test_deleting_asks_first_then_removes(patient: User, patient_client: Client) -> None:
    entry = EntryFactory.create(patient=patient)

    assert "Delete this entry?" in patient_client.get(f"/journal/entries/{entry.pk}/delete/").text
    assert SymptomEntry.objects.filter(pk=entry.pk).exists()
    patient_client.post(f"/journal/entries/{entry.pk}/delete/")
    assert not SymptomEntry.objects.filter(pk=entry.pk).exists()


def test_the_quick_log_link_preselects_the_symptom(patient_client: Client) -> None:
    response = patient_client.get("/journal/entries/new/?side_effect=nausea")

    assert response.context["form"]["side_effect"].value() == "nausea" or (
        response.context["form"].initial["side_effect"].slug == "nausea"
    )


def test_times_are_shown_in_the_patients_time_zone(patient: User, patient_client: Client) -> None:
    Profile.objects.filter(user=patient).update(time_zone="America/New_York")
    onset = timezone.now().replace(hour=15, minute=30, second=0, microsecond=0) - timedelta(days=1)
    entry = EntryFactory.create(patient=patient, onset_at=onset)

    text = patient_client.get(f"/journal/entries/{entry.pk}/").text

    new_york = onset.astimezone(ZoneInfo("America/New_York"))
    assert new_york.strftime("%H:%M") in text
    assert "15:30" not in text


def test_a_dose_of_another_patient_cannot_be_chosen(
    patient: User, other_patient: User, patient_client: Client
) -> None:
    theirs = DoseFactory.create(course=CourseFactory.create(patient=other_patient))

    response = patient_client.post("/journal/entries/new/", entry_form(dose=str(theirs.pk)))

    assert "Select a valid choice" in " ".join(response.context["form"].errors["dose"])
    assert SymptomEntry.objects.count() == 0
    assert MedicationCourse.objects.filter(drug=seeded_drug("esketamine")).count() == 1
