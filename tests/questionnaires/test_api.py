"""The questionnaires API: the forms, filling one in (scored, banded, red flags), and the
patient's own responses only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient
from time_machine import TimeMachineFixture

from accounts.models import Profile
from questionnaires.models import QuestionnaireResponse
from tests.support.clients import token_client
from tests.support.factories import CourseFactory, DoseFactory, EntryFactory, seeded_side_effect

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 10, 13, 0, tzinfo=UTC)
PHQ_9 = "/api/v1/questionnaires/phq-9/responses/"
GAD_7 = "/api/v1/questionnaires/gad-7/responses/"
RECALL = "/api/v1/questionnaires/weekly-recall/responses/"


@pytest.fixture(autouse=True)
def _pinned_clock(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture(autouse=True)
def _in_the_uk(patient: User) -> None:
    Profile.objects.filter(user=patient).update(country="GB")


def test_the_forms_list_their_items_options_source_and_copyright(api: APIClient) -> None:
    forms = {form["slug"]: form for form in api.get("/api/v1/questionnaires/").json()}

    assert set(forms) == {"phq-9", "gad-7", "weekly-recall"}
    phq = forms["phq-9"]
    assert len(phq["items"]) == 9
    assert phq["items"][8]["loinc"] == "44260-8"
    assert [option["label"] for option in phq["options"]] == [
        "Not at all",
        "Several days",
        "More than half the days",
        "Nearly every day",
    ]
    assert phq["difficulty"]["text"].startswith("If you checked off any problems")
    assert "Kroenke" in phq["source"] and "Pfizer" in phq["copyright"]
    assert len(forms["gad-7"]["items"]) == 7 and "Spitzer" in forms["gad-7"]["source"]
    assert [q["field"] for q in forms["weekly-recall"]["recall_questions"]] == [
        "frequency",
        "severity",
        "interference",
    ]


def test_the_weekly_recall_asks_about_the_symptoms_the_patient_logs_most(
    patient: User, api: APIClient
) -> None:
    EntryFactory.create_batch(3, patient=patient, side_effect=seeded_side_effect("constipation"))

    forms = {form["slug"]: form for form in api.get("/api/v1/questionnaires/").json()}

    assert forms["weekly-recall"]["symptoms"][0]["slug"] == "constipation"


def test_a_phq_9_is_scored_and_banded_at_once(api: APIClient) -> None:
    answers = [2, 2, 1, 1, 1, 1, 1, 1, 0]

    answer = api.post(
        PHQ_9, {"answers": answers, "completed_at": "2026-06-10T12:30:00Z"}, format="json"
    )

    assert answer.status_code == 201
    body = answer.json()
    assert (body["score"], body["band"], body["red_flags"]) == (10, "Moderate", [])
    assert body["completed_at"] == "2026-06-10T13:30:00+01:00"  # Pat's London time


def test_item_9_answered_1_raises_the_suicidal_thoughts_flag_with_the_uk_numbers(
    api: APIClient,
) -> None:
    answers = [0, 0, 0, 0, 0, 0, 0, 0, 1]

    answer = api.post(PHQ_9, {"answers": answers}, format="json")

    assert answer.status_code == 201
    flags = answer.json()["red_flags"]
    assert flags[0]["action"] == "emergency"
    assert "Call 999 now" in flags[0]["guidance"]
    assert "Samaritans (call 116 123" in flags[0]["guidance"]
    assert "{" not in flags[0]["guidance"]


def test_the_flag_gives_the_patients_own_countrys_crisis_line(
    patient: User, api: APIClient
) -> None:
    Profile.objects.filter(user=patient).update(country="US")

    answer = api.post(PHQ_9, {"answers": [0] * 8 + [2]}, format="json")

    assert "988 Suicide & Crisis Lifeline" in answer.json()["red_flags"][0]["guidance"]


def test_a_gad_7_raises_no_red_flag(api: APIClient) -> None:
    answer = api.post(GAD_7, {"answers": [3] * 7}, format="json")

    assert (answer.status_code, answer.json()["score"], answer.json()["band"]) == (
        201,
        21,
        "Severe",
    )
    assert answer.json()["red_flags"] == []


@pytest.mark.parametrize(
    ("answers", "says"),
    [
        ([1] * 8, "The PHQ-9 has 9 questions: give 9 answers."),
        ([1] * 10, "The PHQ-9 has 9 questions: give 9 answers."),
        ([1] * 8 + [4], "question 9 did not"),
        ([-1] + [1] * 8, "question 1 did not"),
        ([True] * 9, "question 1, 2, 3, 4, 5, 6, 7, 8, 9 did not"),
        (["1"] * 9, "did not"),
    ],
)
def test_wrong_answers_get_a_400_and_nothing_is_saved(
    api: APIClient, answers: list[object], says: str
) -> None:
    answer = api.post(PHQ_9, {"answers": answers}, format="json")

    assert answer.status_code == 400
    assert says in answer.json()["answers"][0]
    assert not QuestionnaireResponse.objects.exists()


def test_a_time_to_come_gets_a_400(api: APIClient) -> None:
    later = (NOW + timedelta(hours=1)).isoformat()

    answer = api.post(PHQ_9, {"answers": [0] * 9, "completed_at": later}, format="json")

    assert answer.status_code == 400 and "completed_at" in answer.json()
    assert not QuestionnaireResponse.objects.exists()


def test_an_unknown_questionnaire_is_404(api: APIClient) -> None:
    assert (
        api.post(
            "/api/v1/questionnaires/beck/responses/", {"answers": [0]}, format="json"
        ).status_code
        == 404
    )
    assert api.get("/api/v1/questionnaires/beck/responses/").status_code == 404


def test_it_is_linked_to_the_session_just_had_unless_told_otherwise(
    patient: User, api: APIClient
) -> None:
    course = CourseFactory.create(patient=patient)
    dose = DoseFactory.create(course=course, taken_at=NOW - timedelta(hours=2))

    suggested = api.post(PHQ_9, {"answers": [0] * 9}, format="json").json()
    none = api.post(PHQ_9, {"answers": [0] * 9, "dose": None}, format="json").json()

    assert (suggested["dose"], none["dose"]) == (dose.pk, None)


def test_another_patients_dose_is_refused(other_patient: User, api: APIClient) -> None:
    theirs = DoseFactory.create(course=CourseFactory.create(patient=other_patient))

    answer = api.post(PHQ_9, {"answers": [0] * 9, "dose": theirs.pk}, format="json")

    assert answer.status_code == 400 and "dose" in answer.json()
    assert not QuestionnaireResponse.objects.exists()


def test_a_weekly_recall_takes_symptoms_by_slug_and_has_no_score(api: APIClient) -> None:
    rating = {"side_effect": "nausea", "frequency": 2, "severity": 3, "interference": 1}

    answer = api.post(RECALL, {"answers": [rating]}, format="json")

    assert answer.status_code == 201
    assert (answer.json()["score"], answer.json()["band"]) == (None, "")
    assert answer.json()["answers"] == [rating]


@pytest.mark.parametrize(
    "rating",
    [
        {"side_effect": "nausea", "frequency": 5, "severity": 3, "interference": 1},
        {"side_effect": "no-such-symptom", "frequency": 1, "severity": 1, "interference": 1},
        {"side_effect": "nausea", "frequency": 1, "severity": 1},
        3,
    ],
)
def test_a_bad_weekly_recall_gets_a_400(api: APIClient, rating: object) -> None:
    answer = api.post(RECALL, {"answers": [rating]}, format="json")

    assert answer.status_code == 400 and "answers" in answer.json()
    assert not QuestionnaireResponse.objects.exists()


def test_the_list_holds_the_patients_own_responses_latest_first(
    patient: User, other_patient: User, api: APIClient
) -> None:
    api.post(PHQ_9, {"answers": [0] * 9, "completed_at": "2026-06-01T09:00:00Z"}, format="json")
    api.post(PHQ_9, {"answers": [1] * 9, "completed_at": "2026-06-08T09:00:00Z"}, format="json")
    token_client(other_patient).post(PHQ_9, {"answers": [3] * 9}, format="json")

    listed = api.get(PHQ_9).json()

    assert listed["count"] == 2
    assert [row["score"] for row in listed["results"]] == [9, 0]
    assert listed["results"][0]["logged_by"] == "pat"
    assert api.get(GAD_7).json()["count"] == 0
