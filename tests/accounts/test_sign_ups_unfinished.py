"""Sign-ups never finished are deleted once their link has expired, by a task beat runs,
so a username taken by a sign-up that no one finishes is free again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from time_machine import TimeMachineFixture

from accounts.tasks import sign_ups_unfinished_delete_task
from config.celery import app
from tests.support.factories import PatientFactory
from tests.support.signups import last_email_to, sign_up_finish

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def sign_up(username: str, email: str) -> None:
    response = Client().post(
        "/accounts/signup/",
        {
            "username": username,
            "email": email,
            "password1": "a long and unusual passphrase",
            "password2": "a long and unusual passphrase",
            "time_zone": "Europe/London",
        },
    )
    assert "Check your email" in response.text


def usernames() -> set[str]:
    return set(User.objects.values_list("username", flat=True))


def test_beat_runs_the_clean_up_every_hour() -> None:
    [entry] = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "accounts.tasks.sign_ups_unfinished_delete_task"
    ]

    assert entry["schedule"] == 3600
    assert entry["task"] in app.tasks


def test_a_sign_up_not_finished_is_kept_while_its_link_works(
    time_machine: TimeMachineFixture,
) -> None:
    time_machine.move_to(NOW, tick=False)
    sign_up("squatter", "someone@example.org")

    time_machine.move_to(NOW + timedelta(days=3, minutes=-1), tick=False)
    deleted = sign_ups_unfinished_delete_task.delay().get()

    assert deleted == 0
    assert "squatter" in usernames()


def test_a_sign_up_not_finished_is_deleted_after_its_link_expires_and_its_username_is_free(
    time_machine: TimeMachineFixture,
) -> None:
    time_machine.move_to(NOW, tick=False)
    sign_up("sam", "someone@example.org")

    time_machine.move_to(NOW + timedelta(days=3, minutes=1), tick=False)
    deleted = sign_ups_unfinished_delete_task.delay().get()

    assert deleted == 1
    assert "sam" not in usernames()
    sign_up("sam", "sam@example.org")
    assert last_email_to("sam@example.org").subject == "Finish creating your Sidelog account"
    assert sign_up_finish(Client(), "sam@example.org").status_code == 302
    assert User.objects.get(username="sam").is_active


def test_finished_and_other_inactive_accounts_are_kept(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)
    sign_up("finished", "finished@example.org")
    sign_up_finish(Client(), "finished@example.org")
    # Made inactive after it was used (it logged in), and an account made in the admin.
    deactivated = PatientFactory.create(username="deactivated", last_login=NOW, is_active=False)
    User.objects.create_user("admin_made", is_active=False)

    time_machine.move_to(NOW + timedelta(days=30), tick=False)
    deleted = sign_ups_unfinished_delete_task.delay().get()

    assert deleted == 0
    assert usernames() == {"finished", "deactivated", "admin_made"}
    deactivated.refresh_from_db()
    assert deactivated.profile.pk is not None
