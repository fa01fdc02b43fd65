"""The questionnaire pages: the list with the latest scores, filling one on one page, the
score and any red flag at once, a caregiver filling one in, and the schedule's notice."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from time_machine import TimeMachineFixture

from accounts.models import Profile
from questionnaires.models import QuestionnaireResponse, QuestionnaireSchedule
from questionnaires.services import questionnaire_response_create
from tests.support.clients import acting_for, logged_in_client
from tests.support.factories import CourseFactory, DoseFactory, seeded_drug

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 10, 13, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _pinned_clock(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture(autouse=True)
def _in_the_uk(patient: User) -> None:
    Profile.objects.filter(user=patient).update(country="GB")


def phq_9(*answers: int) -> dict[str, str]:
    return {f"item_{number}": str(value) for number, value in enumerate(answers, 1)}


def text(response: object) -> str:
    return re.sub(r"\s+", " ", response.content.decode())  # type: ignore[attr-defined]


def test_each_item_is_a_fieldset_of_four_radio_options(patient_client: Client) -> None:
    page = text(patient_client.get("/journal/questionnaires/phq-9/"))

    assert page.count("<fieldset") == 10  # nine items and the difficulty question
    assert "<legend>9. Thoughts that you would be better off dead or of hurting yourself" in page
    assert page.count('type="radio" name="item_9"') == 4
    assert "Nearly every day" in page and "Developed by Drs. Robert L. Spitzer" in page


def test_unanswered_items_are_named_at_the_top_and_nothing_is_saved(
    patient_client: Client,
) -> None:
    answers = phq_9(1, 1, 1, 1, 1, 1, 1, 1, 1)
    del answers["item_3"], answers["item_7"]

    page = text(patient_client.post("/journal/questionnaires/phq-9/", answers))

    summary = page.split('<div class="callout" role="alert">')[1].split("</div>")[0]
    assert "There is a problem" in summary
    assert 'href="#id_item_3"' in summary and "Answer question 3." in summary
    assert "Answer question 7." in summary and "Answer question 1." not in summary
    assert not QuestionnaireResponse.objects.exists()


def test_saving_shows_the_score_and_band_at_once(patient_client: Client) -> None:
    response = patient_client.post(
        "/journal/questionnaires/phq-9/", phq_9(3, 3, 2, 2, 2, 1, 1, 1, 0), follow=True
    )

    page = text(response)
    assert "Score 15 of 27: moderately severe" in page
    assert 'role="alert"' not in page


def test_item_9_above_0_shows_the_red_flag_with_the_crisis_numbers_first(
    patient_client: Client,
) -> None:
    response = patient_client.post(
        "/journal/questionnaires/phq-9/", phq_9(0, 0, 0, 0, 0, 0, 0, 0, 1), follow=True
    )

    page = text(response)
    alert = page.index('class="alert alert-emergency" role="alert"')
    assert alert < page.index("<h1>")
    assert "Call 999 now" in page and "Samaritans (call 116 123" in page
    assert "Score 1 of 27: minimal" in page


def test_the_list_shows_the_latest_score_and_the_trend(
    patient: User, patient_client: Client
) -> None:
    for days_ago, answers in ((14, [1] * 7), (1, [2] * 7)):
        questionnaire_response_create(
            patient=patient,
            logged_by=patient,
            instrument="gad-7",
            answers=answers,
            completed_at=NOW - timedelta(days=days_ago),
        )

    page = text(patient_client.get("/journal/questionnaires/"))

    assert "score 14 of 21, moderate. That is 7 higher than the time before." in page
    assert page.count("Not filled in yet.") == 2  # the PHQ-9 and the weekly recall


def test_a_caregiver_fills_one_in_marked_as_theirs(patient: User, caregiver: User) -> None:
    client = acting_for(logged_in_client(caregiver), patient)

    response = client.post(
        "/journal/questionnaires/gad-7/", {f"item_{n}": "0" for n in range(1, 8)}, follow=True
    )

    saved = QuestionnaireResponse.objects.get()
    assert (saved.patient, saved.logged_by) == (patient, caregiver)
    assert "Filled in by" in text(response) and "cara" in text(response)


def test_another_patients_response_is_404(other_patient: User, patient_client: Client) -> None:
    theirs = questionnaire_response_create(
        patient=other_patient, logged_by=other_patient, instrument="phq-9", answers=[3] * 9
    )

    assert patient_client.get(f"/journal/questionnaires/responses/{theirs.pk}/").status_code == 404
    assert "27" not in text(patient_client.get("/journal/questionnaires/phq-9/responses/"))


def test_a_weekly_recall_is_filled_for_the_patients_medicines_symptoms(
    patient: User, patient_client: Client
) -> None:
    CourseFactory.create(patient=patient, drug=seeded_drug("lamotrigine"))
    page = text(patient_client.get("/journal/questionnaires/weekly-recall/"))
    names = sorted(set(re.findall(r'name="([a-z-]+)-frequency"', page)))
    assert names, "the recall asks about at least one symptom"

    answers = {
        f"{slug}-{q}": "1" for slug in names for q in ("frequency", "severity", "interference")
    }
    response = patient_client.post("/journal/questionnaires/weekly-recall/", answers, follow=True)

    saved = QuestionnaireResponse.objects.get()
    assert len(saved.answers) == len(names) and saved.score is None
    assert "How bad was it at its worst?" in text(response)


def test_the_dashboard_shows_a_weekly_questionnaire_when_due(
    patient: User, patient_client: Client, time_machine: TimeMachineFixture
) -> None:
    QuestionnaireSchedule.objects.create(patient=patient, instrument="phq-9", every="week")
    questionnaire_response_create(
        patient=patient, logged_by=patient, instrument="phq-9", answers=[0] * 9
    )

    assert "Fill in the PHQ-9" not in text(patient_client.get("/journal/"))

    time_machine.move_to(NOW + timedelta(days=7), tick=False)
    assert "Fill in the PHQ-9" in text(logged_in_client(patient).get("/journal/"))


def test_a_per_session_questionnaire_is_due_after_a_session_until_filled(
    patient: User, patient_client: Client
) -> None:
    QuestionnaireSchedule.objects.create(patient=patient, instrument="gad-7", every="session")
    assert "Fill in the GAD-7" not in text(patient_client.get("/journal/"))

    DoseFactory.create(
        course=CourseFactory.create(patient=patient), taken_at=NOW - timedelta(hours=1)
    )
    page = text(patient_client.get("/journal/"))
    assert "Fill in the GAD-7</a>" in page and "(after your Esketamine session)" in page

    questionnaire_response_create(
        patient=patient, logged_by=patient, instrument="gad-7", answers=[0] * 7
    )
    assert "Fill in the GAD-7" not in text(patient_client.get("/journal/"))


def test_the_patient_chooses_the_schedule(patient: User, patient_client: Client) -> None:
    response = patient_client.post(
        "/journal/questionnaires/schedule/",
        {"phq-9": "session", "gad-7": "week", "weekly-recall": "never"},
    )

    assert response.status_code == 302
    chosen = dict(
        QuestionnaireSchedule.objects.filter(patient=patient).values_list("instrument", "every")
    )
    assert chosen == {"phq-9": "session", "gad-7": "week", "weekly-recall": "never"}


def test_a_caregiver_cannot_change_the_schedule(patient: User, caregiver: User) -> None:
    client = acting_for(logged_in_client(caregiver), patient)

    response = client.post("/journal/questionnaires/schedule/", {"phq-9": "week"})

    assert response.status_code == 404
    assert not QuestionnaireSchedule.objects.exists()


def test_the_session_just_had_is_offered_in_the_patients_time(
    patient: User, patient_client: Client
) -> None:
    dose = DoseFactory.create(
        course=CourseFactory.create(patient=patient), taken_at=NOW - timedelta(hours=1)
    )

    page = text(patient_client.get("/journal/questionnaires/phq-9/"))
    patient_client.post("/journal/questionnaires/phq-9/", {**phq_9(*[0] * 9), "for_session": "on"})
    patient_client.post("/journal/questionnaires/phq-9/", phq_9(*[0] * 9))

    assert "This is for my Esketamine session at 13:00" in page  # 12:00 UTC, London summer
    linked = QuestionnaireResponse.objects.order_by("pk").values_list("dose_id", flat=True)
    assert list(linked) == [dose.pk, None]
