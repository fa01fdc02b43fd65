"""Deleting an account takes the patient's questionnaires with it, history included; what a
caregiver filled in for someone else stays that patient's, no longer naming them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from privacy.deletion import account_delete
from questionnaires.models import QuestionnaireResponse, QuestionnaireSchedule
from questionnaires.services import questionnaire_response_create

pytestmark = pytest.mark.django_db


def test_a_patients_questionnaires_go_with_their_account(patient: User, caregiver: User) -> None:
    for who in (patient, caregiver):
        questionnaire_response_create(
            patient=patient, logged_by=who, instrument="phq-9", answers=[1] * 9
        )
    QuestionnaireSchedule.objects.create(patient=patient, instrument="phq-9", every="week")

    account_delete(user=patient)

    assert not QuestionnaireResponse.objects.exists()
    assert not QuestionnaireResponse.history.exists()
    assert not QuestionnaireSchedule.objects.exists()


def test_what_a_caregiver_filled_in_stays_the_patients(patient: User, caregiver: User) -> None:
    questionnaire_response_create(
        patient=patient, logged_by=caregiver, instrument="gad-7", answers=[2] * 7
    )

    account_delete(user=caregiver)

    kept = QuestionnaireResponse.objects.get()
    assert (kept.patient, kept.logged_by, kept.score) == (patient, None, 14)
    assert list(QuestionnaireResponse.history.values_list("logged_by", flat=True)) == [None]
