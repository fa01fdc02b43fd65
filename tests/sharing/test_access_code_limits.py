"""Access codes on share links: each attempt is counted on the link, in the database, before
its code is checked; 10 per 10 minutes, and SHARE_CODE_ATTEMPTS_LIFETIME wrong ones (30) in
the link's whole life, after which it accepts none and the patient issues a new link.

Every attempt comes from a visitor of its own (an address no other test uses), so that the
per-address limit, which lives in the cache, plays no part: only the link's own count does.
"""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connections
from django.test import Client
from pytest_django.fixtures import Settings
from time_machine import TimeMachineFixture

from audit.models import AuditAction, AuditEvent
from reports.models import Report
from sharing.models import ShareLink
from sharing.services import NewShareLink, share_link_create
from tests.support.clients import token_client, visitor
from tests.support.factories import PatientFactory
from tests.support.reports import ready_report

NOW = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
WRONG_CODE = "That code is not right."
CODE_IN_PAGE = re.compile(r'id="access-code"[^>]*value="(\d{6})"')
LINK_IN_PAGE = re.compile(r'id="share-url"[^>]*value="https?://[^/"]+(/s/[^"]+/)"')


def path_of(new_link: NewShareLink) -> str:
    return f"/s/{new_link.token}/"


def wrong_code(new_link: NewShareLink) -> str:
    return f"{(int(new_link.access_code or 0) + 1) % 10**6:06d}"


def wrong_codes_checked(link: ShareLink) -> int:
    """Each wrong code that was checked is one refusal "wrong access code" in the log."""
    return AuditEvent.objects.filter(
        action=AuditAction.SHARE_REFUSED,
        share_link_key=link.pk,
        target__contains="wrong access code",
    ).count()


def try_codes(new_link: NewShareLink, count: int) -> list[int]:
    return [
        visitor().post(path_of(new_link), {"code": wrong_code(new_link)}).status_code
        for _ in range(count)
    ]


@pytest.fixture
def coded_link(patient: User) -> NewShareLink:
    return share_link_create(
        report=ready_report(patient),
        recipient="Dr Okafor",
        created_by=patient,
        with_access_code=True,
    )


# A burst at once


@pytest.mark.postgres
@pytest.mark.usefixtures("postgres")
@pytest.mark.django_db(transaction=True)
def test_a_parallel_burst_of_wrong_codes_checks_no_more_than_the_limit(
    settings: Settings,
) -> None:
    """Thirty visitors at once, each in a thread with its own connection, with Argon2 as in
    production (about 50 ms a check): on main every one of them was checked."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    patient = PatientFactory.create(username="pat")
    report = Report.objects.create(
        patient=patient,
        requested_by=patient,
        status=Report.Status.READY,
        period_start=NOW.date() - timedelta(days=29),
        period_end=NOW.date(),
    )
    new_link = share_link_create(
        report=report, recipient="Dr Okafor", created_by=patient, with_access_code=True
    )
    parallel = 30
    barrier = threading.Barrier(parallel, timeout=30)
    answers: list[int] = []
    errors: list[BaseException] = []

    def attempt() -> None:
        client = visitor()
        try:
            barrier.wait()
            response = client.post(path_of(new_link), {"code": wrong_code(new_link)})
            answers.append(response.status_code)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(parallel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    checked = wrong_codes_checked(new_link.link)
    assert checked <= 10, f"{checked} of {parallel} wrong codes were checked"
    assert sorted(answers) == [200] * checked + [429] * (parallel - checked)
    new_link.link.refresh_from_db()
    assert new_link.link.code_failures == checked


# The lifetime cap


@pytest.mark.django_db
def test_the_lifetime_cap_holds_across_windows_and_then_even_the_right_code_is_refused(
    patient: User, coded_link: NewShareLink, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(NOW, tick=False)
    answers = []
    for window in range(3):
        time_machine.move_to(NOW + window * timedelta(minutes=11), tick=False)
        answers += try_codes(coded_link, 10)
        blocked = visitor().post(path_of(coded_link), {"code": wrong_code(coded_link)})
        if window < 2:
            assert blocked.status_code == 429  # the window's 10 are spent
    time_machine.move_to(NOW + timedelta(days=2), tick=False)
    client = visitor()
    right = client.post(path_of(coded_link), {"code": coded_link.access_code})
    page = client.get(path_of(coded_link))

    assert answers == [200] * 29 + [410]
    assert wrong_codes_checked(coded_link.link) == 30
    for response in (right, page):
        assert response.status_code == 410
        assert "This link is locked" in response.text
        assert "Ask the person who shared the report with you for a new link" in response.text
        assert "Shared with" not in response.text
    coded_link.link.refresh_from_db()
    assert coded_link.link.code_locked_at == NOW + 2 * timedelta(minutes=11)
    assert AuditEvent.objects.filter(
        target__endswith="(wrong access code; the link is locked now)"
    ).exists()


@pytest.mark.django_db
def test_right_codes_do_not_count_towards_the_cap_and_the_cap_is_a_setting(
    patient: User, coded_link: NewShareLink, settings: Settings
) -> None:
    settings.SHARE_CODE_ATTEMPTS_LIFETIME = 3
    try_codes(coded_link, 2)
    opened = [
        visitor().post(path_of(coded_link), {"code": coded_link.access_code}).status_code
        for _ in range(5)
    ]

    last_wrong = visitor().post(path_of(coded_link), {"code": wrong_code(coded_link)})
    after = visitor().post(path_of(coded_link), {"code": coded_link.access_code})

    assert opened == [302] * 5
    assert last_wrong.status_code == after.status_code == 410
    assert "This link is locked" in after.text


@pytest.mark.django_db
def test_a_busy_window_says_when_to_come_back(
    coded_link: NewShareLink, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(NOW, tick=False)
    try_codes(coded_link, 10)
    time_machine.move_to(NOW + timedelta(minutes=4), tick=False)

    response = visitor().post(path_of(coded_link), {"code": coded_link.access_code})

    assert response.status_code == 429
    assert response["Retry-After"] == "360"
    text = " ".join(response.text.split())
    assert "Too many access codes that didn't work were tried for this link" in text
    assert "Wait 6 minutes" in text


# The patient is told, and issues a new link


def lock(new_link: NewShareLink) -> None:
    ShareLink.objects.filter(pk=new_link.link.pk).update(
        code_failures=30, code_locked_at=NOW - timedelta(hours=1)
    )


@pytest.mark.django_db
def test_the_patient_sees_the_lock_and_issues_a_new_link_with_a_new_code(
    patient: User, patient_client: Client, coded_link: NewShareLink
) -> None:
    lock(coded_link)
    old = coded_link.link

    sharing_page = patient_client.get("/journal/sharing/").text
    report_page = patient_client.get(f"/journal/reports/{old.report_id}/").text
    response = patient_client.post(f"/journal/shares/{old.pk}/reissue/")

    for page in (sharing_page, report_page):
        [item] = [li.split("</li>")[0] for li in page.split('<li class="item">')[1:]]
        assert '<span class="tag item-flag">Locked</span>' in item
        assert "30 wrong access" in item
        assert "it accepts no code now, not even the right one" in item
        assert f'action="/journal/shares/{old.pk}/reissue/"' in item
        assert "Issue a new link" in item
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
    new_path = LINK_IN_PAGE.search(response.text)
    new_code = CODE_IN_PAGE.search(response.text)
    assert new_path is not None and new_code is not None
    old.refresh_from_db()
    assert old.revoked_at is not None
    new = ShareLink.objects.exclude(pk=old.pk).get()
    assert (new.report_id, new.recipient, new.needs_access_code) == (
        old.report_id,
        "Dr Okafor",
        True,
    )
    assert round((new.expires_at - new.created_at) / timedelta(days=1)) == 14
    assert not new.is_locked
    actions = AuditEvent.objects.filter(patient_key=patient.pk).values_list("action", flat=True)
    assert list(actions.order_by("pk")) == [
        AuditAction.SHARE_CREATED,
        AuditAction.SHARE_REVOKED,
        AuditAction.SHARE_CREATED,
    ]
    # The old link is revoked; the new one opens with its new code.
    assert visitor().get(path_of(coded_link)).status_code == 410
    client = visitor()
    assert client.post(new_path.group(1), {"code": new_code.group(1)}).status_code == 302
    assert "Shared with <strong>Dr Okafor</strong>" in client.get(new_path.group(1)).text


@pytest.mark.django_db
def test_a_link_that_is_not_locked_is_not_issued_again(
    patient_client: Client, coded_link: NewShareLink
) -> None:
    response = patient_client.post(f"/journal/shares/{coded_link.link.pk}/reissue/", follow=True)

    assert "The link for Dr Okafor is not locked: nothing changed." in response.text
    assert ShareLink.objects.get().revoked_at is None


@pytest.mark.django_db
def test_no_one_but_the_patient_can_issue_a_locked_link_again(
    coded_link: NewShareLink, other_patient_client: Client
) -> None:
    lock(coded_link)

    response = other_patient_client.post(f"/journal/shares/{coded_link.link.pk}/reissue/")

    assert response.status_code == 404
    assert ShareLink.objects.count() == 1
    assert ShareLink.objects.get().revoked_at is None


@pytest.mark.django_db
def test_the_api_lists_a_locked_link_as_locked(patient: User, coded_link: NewShareLink) -> None:
    lock(coded_link)

    response = token_client(patient).get(f"/api/v1/shares/{coded_link.link.pk}/")

    assert response.status_code == 200
    assert response.json()["status"] == "locked"
