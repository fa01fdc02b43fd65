"""Two-editor clearance: a sentence the dosing-advice guard flags is saved only once a
second content editor confirms, with a reason, that it is not dosing advice.

Driven through the real admin with the test client, as two content editors.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Group, User
from django.test import Client

from reference.models import AdviceClearance, SideEffect
from reference.services import CONTENT_EDITORS
from tests.support.clients import logged_in_client
from tests.support.factories import ContentEditorFactory, SideEffectFactory, UserFactory

pytestmark = pytest.mark.django_db

FLAGGED = [
    "Wait a day before your next tablet.",
    "Take it with food or at bedtime instead of the morning.",
    "Use one device instead of two.",
    "If you miss a dose, take it as soon as you remember.",
    "Decrease the amount you take.",
    "Add an extra dose before bed.",
]
CALM = "Sit down until it passes."
REQUESTED_ON = dt.datetime(2026, 3, 3, 16, 0, tzinfo=dt.UTC)
CONFIRMED_ON = dt.datetime(2026, 3, 4, 10, 30, tzinfo=dt.UTC)
SAVED_ON = dt.datetime(2026, 3, 4, 11, 0, tzinfo=dt.UTC)
REASON = "Quoted from the leaflet in a clinic FAQ"


@pytest.fixture
def editor_a() -> User:
    user: User = ContentEditorFactory.create(username="editor_a")
    return user


@pytest.fixture
def editor_b() -> User:
    user: User = ContentEditorFactory.create(username="editor_b")
    return user


def side_effect_form(side_effect: SideEffect, **changes: str) -> dict[str, str]:
    data = {
        "name": side_effect.name,
        "slug": side_effect.slug,
        "category": side_effect.category,
        "description": side_effect.description,
        "typical_course": side_effect.typical_course,
        "self_care": side_effect.self_care,
        "is_published": "on",
        # The danger-sign inline: none added or changed.
        "danger_signs-TOTAL_FORMS": "0",
        "danger_signs-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def save_self_care(client: Client, side_effect: SideEffect, text: str) -> object:
    return client.post(
        f"/admin/reference/sideeffect/{side_effect.pk}/change/",
        side_effect_form(side_effect, self_care=text),
    )


def confirm(client: Client, clearance: AdviceClearance, reason: str = REASON) -> object:
    return client.post(
        f"/admin/reference/adviceclearance/{clearance.pk}/change/", {"reason": reason}
    )


@pytest.mark.parametrize("sentence", FLAGGED)
def test_a_flagged_sentence_is_refused_and_sent_to_a_second_editor(
    editor_a: User, sentence: str
) -> None:
    side_effect = SideEffectFactory.create(self_care=CALM)

    response = save_self_care(logged_in_client(editor_a), side_effect, sentence)

    assert response.status_code == 200  # type: ignore[attr-defined]
    errors = response.context["adminform"].form.errors  # type: ignore[attr-defined]
    assert list(errors) == ["self_care"]
    assert "reads as dosing advice" in errors["self_care"][0]
    assert sentence in errors["self_care"][0]
    assert "Sent to a second content editor" in " ".join(errors["self_care"])
    side_effect.refresh_from_db()
    assert side_effect.self_care == CALM
    assert side_effect.history.count() == 1
    clearance = AdviceClearance.objects.get()
    assert (clearance.sentence, clearance.requested_by, clearance.is_confirmed) == (
        sentence,
        editor_a,
        False,
    )


def test_the_requester_cannot_confirm_their_own_request(editor_a: User) -> None:
    side_effect = SideEffectFactory.create(self_care=CALM)
    save_self_care(logged_in_client(editor_a), side_effect, FLAGGED[0])
    clearance = AdviceClearance.objects.get()

    response = confirm(logged_in_client(editor_a), clearance)

    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "a second content editor has to give it" in response.text  # type: ignore[attr-defined]
    clearance.refresh_from_db()
    assert clearance.confirmed_by is None
    assert clearance.confirmed_at is None
    assert save_self_care(logged_in_client(editor_a), side_effect, FLAGGED[0]).status_code == 200  # type: ignore[attr-defined]


def test_a_second_editor_confirms_and_the_save_then_goes_through_with_it_in_history(
    editor_a: User, editor_b: User
) -> None:
    text = " ".join(FLAGGED)
    with time_machine.travel(REQUESTED_ON, tick=False) as clock:
        side_effect = SideEffectFactory.create(self_care=CALM)
        refused = save_self_care(logged_in_client(editor_a), side_effect, text)
        assert refused.status_code == 200  # type: ignore[attr-defined]
        clearances = list(AdviceClearance.objects.order_by("pk"))
        assert [c.sentence for c in clearances] == FLAGGED

        clock.move_to(CONFIRMED_ON)
        for clearance in clearances:
            assert confirm(logged_in_client(editor_b), clearance).status_code == 302  # type: ignore[attr-defined]

        clock.move_to(SAVED_ON)
        saved = save_self_care(logged_in_client(editor_a), side_effect, text)

    for clearance in clearances:
        clearance.refresh_from_db()
        assert (clearance.confirmed_by, clearance.confirmed_at, clearance.reason) == (
            editor_b,
            CONFIRMED_ON,
            REASON,
        )
        asked, confirmed = clearance.history.order_by("history_date")
        assert (asked.history_user, asked.requested_by_id, asked.confirmed_by_id) == (
            editor_a,
            editor_a.pk,
            None,
        )
        assert (confirmed.history_user, confirmed.confirmed_by_id, confirmed.reason) == (
            editor_b,
            editor_b.pk,
            REASON,
        )
    assert saved.status_code == 302  # type: ignore[attr-defined]
    side_effect.refresh_from_db()
    assert side_effect.self_care == text
    latest = side_effect.history.latest()
    assert (latest.history_user, latest.history_date) == (editor_a, SAVED_ON)
    assert latest.history_change_reason.startswith(
        f"Confirmed not dosing advice by editor_b on 2026-03-04: {REASON}"
    )
    history_page = logged_in_client(editor_a).get(
        f"/admin/reference/sideeffect/{side_effect.pk}/history/"
    )
    assert "Confirmed not dosing advice by editor_b on 2026-03-04" in history_page.text


def test_a_different_flagged_sentence_is_still_refused(editor_a: User, editor_b: User) -> None:
    side_effect = SideEffectFactory.create(self_care=CALM)
    save_self_care(logged_in_client(editor_a), side_effect, FLAGGED[2])
    confirm(logged_in_client(editor_b), AdviceClearance.objects.get())

    response = save_self_care(logged_in_client(editor_a), side_effect, f"{FLAGGED[2]} {FLAGGED[4]}")

    assert response.status_code == 200  # type: ignore[attr-defined]
    error = response.context["adminform"].form.errors["self_care"][0]  # type: ignore[attr-defined]
    assert FLAGGED[4] in error
    assert FLAGGED[2] not in error
    side_effect.refresh_from_db()
    assert side_effect.self_care == CALM
    assert AdviceClearance.objects.pending().get().sentence == FLAGGED[4]


def test_refusing_the_same_sentence_twice_asks_only_once(editor_a: User, editor_b: User) -> None:
    side_effect = SideEffectFactory.create(self_care=CALM)

    save_self_care(logged_in_client(editor_a), side_effect, FLAGGED[1])
    save_self_care(logged_in_client(editor_b), side_effect, FLAGGED[1])

    assert AdviceClearance.objects.get().requested_by == editor_a


def test_a_confirmation_needs_a_reason(editor_a: User, editor_b: User) -> None:
    side_effect = SideEffectFactory.create(self_care=CALM)
    save_self_care(logged_in_client(editor_a), side_effect, FLAGGED[3])
    clearance = AdviceClearance.objects.get()

    response = confirm(logged_in_client(editor_b), clearance, reason="")

    assert response.status_code == 200  # type: ignore[attr-defined]
    clearance.refresh_from_db()
    assert not clearance.is_confirmed


def test_staff_outside_the_content_editors_group_cannot_confirm(editor_a: User) -> None:
    side_effect = SideEffectFactory.create(self_care=CALM)
    save_self_care(logged_in_client(editor_a), side_effect, FLAGGED[5])
    clearance = AdviceClearance.objects.get()
    outsider: User = UserFactory.create(username="outsider", is_staff=True)
    outsider.user_permissions.set(Group.objects.get(name=CONTENT_EDITORS).permissions.all())

    response = confirm(logged_in_client(outsider), clearance)

    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "Only a content editor can confirm" in response.text  # type: ignore[attr-defined]
    clearance.refresh_from_db()
    assert not clearance.is_confirmed


def test_a_given_confirmation_cannot_be_edited(editor_a: User, editor_b: User) -> None:
    side_effect = SideEffectFactory.create(self_care=CALM)
    save_self_care(logged_in_client(editor_a), side_effect, FLAGGED[0])
    clearance = AdviceClearance.objects.get()
    confirm(logged_in_client(editor_b), clearance)

    response = confirm(logged_in_client(editor_b), clearance, reason="Something else")

    assert response.status_code == 403  # type: ignore[attr-defined]
    clearance.refresh_from_db()
    assert clearance.reason == REASON


def test_content_editors_see_the_clearances_and_cannot_add_one_by_hand(editor_b: User) -> None:
    client = logged_in_client(editor_b)

    assert client.get("/admin/reference/adviceclearance/").status_code == 200
    assert client.get("/admin/reference/adviceclearance/add/").status_code == 403
