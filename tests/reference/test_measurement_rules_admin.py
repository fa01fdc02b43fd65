"""Content editors keep the measurement rules in the admin, like the red flags."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from reference import selectors
from reference.models import AdviceClearance, MeasurementRule
from reference.services import CONTENT_EDITORS

pytestmark = pytest.mark.django_db

Commit = Callable[..., Any]  # pytest-django's django_capture_on_commit_callbacks
ADVICE = "If your blood pressure is high after a session, skip your next dose."


def lamotrigine_fever() -> MeasurementRule:
    return MeasurementRule.objects.get(kind="body_temperature", drug__slug="lamotrigine")


def rule_form(rule: MeasurementRule, **changes: str) -> dict[str, str]:
    data = {
        "kind": rule.kind,
        "drug": str(rule.drug_id or ""),
        "at_or_above": "" if rule.at_or_above is None else str(rule.at_or_above),
        "diastolic_at_or_above": ""
        if rule.diastolic_at_or_above is None
        else str(rule.diastolic_at_or_above),
        "below": "" if rule.below is None else str(rule.below),
        "within_hours_of_dose": str(rule.within_hours_of_dose or ""),
        "is_published": "on",
        "action": rule.action,
        "signs": rule.signs,
        "guidance": rule.guidance,
        "sources": rule.sources,
    }
    if rule.needs_warning_signs:
        data["needs_warning_signs"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def change_url(rule: MeasurementRule) -> str:
    return f"/admin/reference/measurementrule/{rule.pk}/change/"


def test_the_content_editors_group_may_keep_the_measurement_rules() -> None:
    group = Group.objects.get(name=CONTENT_EDITORS)

    codenames = set(group.permissions.values_list("codename", flat=True))

    assert {
        "add_measurementrule",
        "change_measurementrule",
        "delete_measurementrule",
        "view_measurementrule",
    } <= codenames


def test_an_editor_sees_the_rules_listed_with_their_marks(editor_client: Client) -> None:
    response = editor_client.get("/admin/reference/measurementrule/?kind__exact=body_temperature")

    rows = response.text.split("<tbody>")[1].split("</tbody>")[0]
    assert response.status_code == 200
    assert "Body temperature ≥ 38 on Lamotrigine" in rows
    assert "Contact your prescriber today" in rows
    assert "Blood pressure" not in rows


def test_an_editors_change_reaches_every_process_once_committed_and_history_keeps_it(
    editor_client: Client, content_editor: User, django_capture_on_commit_callbacks: Commit
) -> None:
    rule = lamotrigine_fever()
    old_guidance = rule.guidance
    new_guidance = "Contact your prescriber today and say that you take lamotrigine."
    workers = selectors.LibraryCopies()
    assert rule.pk in [seen.pk for seen in workers.library().measurement_rules]

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(change_url(rule), rule_form(rule, guidance=new_guidance))

    assert response.status_code == 302
    seen = {copy.pk: copy for copy in workers.library().measurement_rules}
    assert seen[rule.pk].guidance == new_guidance
    latest = rule.history.latest()
    assert latest.guidance == new_guidance
    assert latest.history_user.username == content_editor.username
    assert old_guidance != new_guidance
    assert editor_client.get(f"{change_url(rule)[:-7]}history/").status_code == 200


def test_a_rule_an_editor_unpublishes_no_longer_fires(
    editor_client: Client, django_capture_on_commit_callbacks: Commit
) -> None:
    rule = lamotrigine_fever()
    data = rule_form(rule)
    del data["is_published"]

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(change_url(rule), data)

    assert response.status_code == 302
    assert rule.pk not in [seen.pk for seen in selectors.library_copy().measurement_rules]


def test_dosing_advice_in_the_guidance_is_refused_and_sent_for_a_second_opinion(
    editor_client: Client,
) -> None:
    rule = lamotrigine_fever()

    response = editor_client.post(change_url(rule), rule_form(rule, guidance=ADVICE))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["guidance"]
    assert "reads as dosing advice" in errors["guidance"][0]
    assert "skip your next dose" in errors["guidance"][0]
    assert AdviceClearance.objects.pending().filter(sentence=ADVICE).exists()
    rule.refresh_from_db()
    assert "serious reaction" in rule.guidance


def test_dosing_advice_in_the_signs_is_refused(editor_client: Client) -> None:
    rule = lamotrigine_fever()

    response = editor_client.post(
        change_url(rule), rule_form(rule, signs="A fever: take half your usual dose until it goes.")
    )

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["signs"]


def test_a_placeholder_sidelog_does_not_fill_in_is_refused(editor_client: Client) -> None:
    rule = lamotrigine_fever()

    response = editor_client.post(
        change_url(rule), rule_form(rule, guidance="Call {ambulance} now.")
    )

    assert response.status_code == 200
    assert "Sidelog can&#x27;t fill in {ambulance}" in response.text
    rule.refresh_from_db()
    assert "{emergency_number}" in rule.guidance


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"at_or_above": "", "below": ""},
            "at_or_above",
            "Give a mark: at or above, or below.",
        ),
        (
            {"diastolic_at_or_above": "100"},
            "diastolic_at_or_above",
            "Only a blood pressure rule has a diastolic mark.",
        ),
        (
            {"drug": "", "within_hours_of_dose": "6"},
            "within_hours_of_dose",
            "Choose the drug whose dose this counts from.",
        ),
    ],
)
def test_a_rule_that_could_never_be_read_right_is_refused(
    editor_client: Client, changes: dict[str, str], field: str, message: str
) -> None:
    rule = lamotrigine_fever()

    response = editor_client.post(change_url(rule), rule_form(rule, **changes))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [message]
    rule.refresh_from_db()
    assert rule.drug is not None
    assert rule.at_or_above == 38


def test_an_editor_adds_a_rule_unpublished_in_their_name(editor_client: Client) -> None:
    response = editor_client.post(
        "/admin/reference/measurementrule/add/",
        {
            "kind": "body_temperature",
            "drug": "",
            "at_or_above": "",
            "diastolic_at_or_above": "",
            "below": "35.0",
            "within_hours_of_dose": "",
            "action": "prescriber_today",
            "signs": "A temperature below 35 °C.",
            "guidance": "Get warm and contact your doctor today. Call {emergency_number} if "
            "you are confused or very drowsy.",
            "sources": "NHS, 'Hypothermia' (nhs.uk).",
        },
    )

    assert response.status_code == 302
    rule = MeasurementRule.objects.get(below=35)
    assert rule.is_published is False
    assert rule.history.get().history_user.is_staff
    assert rule.pk not in [seen.pk for seen in selectors.library_copy().measurement_rules]
