"""The PHQ-9 and GAD-7 score and band as published: the sum of the items, and the severity
bands of Kroenke, Spitzer & Williams 2001 (PHQ-9) and Spitzer et al. 2006 (GAD-7), written
out here from those papers, at every boundary."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from questionnaires.instruments import GAD_7, PHQ_9
from questionnaires.models import QuestionnaireResponse
from questionnaires.services import questionnaire_response_create

pytestmark = pytest.mark.django_db

# PHQ-9: 0-4 minimal, 5-9 mild, 10-14 moderate, 15-19 moderately severe, 20-27 severe.
PHQ_9_PUBLISHED = [
    (0, "Minimal"),
    (4, "Minimal"),
    (5, "Mild"),
    (9, "Mild"),
    (10, "Moderate"),
    (14, "Moderate"),
    (15, "Moderately severe"),
    (19, "Moderately severe"),
    (20, "Severe"),
    (27, "Severe"),
]
# GAD-7: 0-4 minimal, 5-9 mild, 10-14 moderate, 15-21 severe.
GAD_7_PUBLISHED = [
    (0, "Minimal"),
    (4, "Minimal"),
    (5, "Mild"),
    (9, "Mild"),
    (10, "Moderate"),
    (14, "Moderate"),
    (15, "Severe"),
    (21, "Severe"),
]


def answers_adding_up_to(total: int, items: int, *, last_item_zero: bool = False) -> list[int]:
    """Answers of 0 to 3 whose sum is `total`, filled from the first item."""
    answers = [0] * items
    for index in range(items - 1 if last_item_zero else items):
        answers[index] = min(3, total - sum(answers))
    assert sum(answers) == total
    return answers


@pytest.mark.parametrize(("total", "band"), PHQ_9_PUBLISHED)
def test_the_phq_9_scores_as_published(patient: User, total: int, band: str) -> None:
    # Item 9 stays 0 up to 24 so that the band is tested apart from the red flag.
    answers = answers_adding_up_to(total, 9, last_item_zero=total <= 24)

    response = questionnaire_response_create(
        patient=patient, logged_by=patient, instrument="phq-9", answers=answers
    )

    saved = QuestionnaireResponse.objects.get(pk=response.pk)
    assert (saved.score, saved.band) == (total, band)


@pytest.mark.parametrize(("total", "band"), GAD_7_PUBLISHED)
def test_the_gad_7_scores_as_published(patient: User, total: int, band: str) -> None:
    response = questionnaire_response_create(
        patient=patient,
        logged_by=patient,
        instrument="gad-7",
        answers=answers_adding_up_to(total, 7),
    )

    assert (response.score, response.band) == (total, band)


def test_the_forms_keep_their_published_wording() -> None:
    assert PHQ_9.stem == (
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    )
    assert [item.text for item in PHQ_9.items][:2] == [
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
    ]
    assert PHQ_9.items[8].text == (
        "Thoughts that you would be better off dead or of hurting yourself in some way"
    )
    assert [(o.value, o.label) for o in PHQ_9.options] == [
        (0, "Not at all"),
        (1, "Several days"),
        (2, "More than half the days"),
        (3, "Nearly every day"),
    ]
    assert GAD_7.items[0].text == "Feeling nervous, anxious or on edge"
    assert GAD_7.items[6].text == "Feeling afraid as if something awful might happen"
    assert (PHQ_9.panel_loinc, PHQ_9.total_loinc) == ("44249-1", "44261-6")
    assert (GAD_7.panel_loinc, GAD_7.total_loinc) == ("69737-5", "70274-6")
    assert "No permission required to reproduce, translate, display or distribute." in (
        PHQ_9.copyright
    )
