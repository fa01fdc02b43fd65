"""Share links: a patient makes one; whoever holds it reads that one report, and nothing else.

Visitors are fresh clients, each from an address of its own, so the per-address limit on
failed attempts counts only what the test does (the cache may be Redis shared by others).
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponseBase
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries
from pytest_django.fixtures import Settings

from audit.models import AuditAction, AuditEvent, AuditOutcome
from audit.verification import audit_chain_verify
from reports.models import Report
from sharing.models import ShareLink
from sharing.services import NewShareLink, share_link_create, share_link_revoke
from tests.support.clients import acting_for, logged_in_client, visitor
from tests.support.reports import dizzy_after_a_dose, ready_report
from tests.support.services import DEAD_REDIS_CACHES

pytestmark = pytest.mark.django_db

LINK = re.compile(r"/s/([A-Za-z0-9_-]{32,})/")
SYMPTOMS = ("Dizziness", "Dissociation")


def path_of(new_link: NewShareLink, kind: str = "") -> str:
    return f"/s/{new_link.token}/{kind + '/' if kind else ''}"


def assert_private(response: HttpResponseBase) -> None:
    assert response["Cache-Control"] == "no-store"
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Referrer-Policy"] == "no-referrer"


@pytest.fixture
def report(patient: User) -> Report:
    """A report of the last 30 days, with dizziness and dissociation after a dose."""
    dizzy_after_a_dose(patient)
    return ready_report(patient)


@pytest.fixture
def new_link(patient: User, report: Report) -> NewShareLink:
    return share_link_create(
        report=report, recipient="Dr Okafor, Riverside Clinic", created_by=patient
    )


@pytest.fixture
def coded_link(patient: User, report: Report) -> NewShareLink:
    return share_link_create(
        report=report, recipient="Dr Okafor", created_by=patient, with_access_code=True
    )


def refusals() -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            action=AuditAction.SHARE_REFUSED, outcome=AuditOutcome.REFUSED
        ).order_by("pk")
    )


# Making a link


def test_a_patient_makes_a_link_and_is_shown_it_once(
    patient: User, patient_client: Client, report: Report
) -> None:
    response = patient_client.post(
        f"/journal/reports/{report.pk}/shares/", {"recipient": "Dr Okafor", "days": "14"}
    )

    assert response.status_code == 200
    text = response.text
    assert "won't be shown again" in text
    shown = LINK.search(text)
    assert shown is not None
    token = shown.group(1)
    link = ShareLink.objects.get(report=report)
    assert link.recipient == "Dr Okafor"
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert link.access_code_hash == ""
    assert token not in json.dumps(list(ShareLink.objects.values()), default=str)
    assert abs(link.expires_at - (timezone.now() + timedelta(days=14))) < timedelta(minutes=1)
    assert "Cache-Control" in response and "no-store" in response["Cache-Control"]
    assert not any(token in str(value) for value in patient_client.session.values())
    assert token not in patient_client.get(f"/journal/reports/{report.pk}/").text
    created = AuditEvent.objects.get(action=AuditAction.SHARE_CREATED)
    assert created.patient_key == patient.pk
    assert created.share_link_key == link.pk


def test_an_access_code_is_shown_once_and_only_its_hash_is_kept(
    patient_client: Client, report: Report
) -> None:
    response = patient_client.post(
        f"/journal/reports/{report.pk}/shares/",
        {"recipient": "Dr Okafor", "days": "7", "with_access_code": "on"},
    )

    code = re.search(r'id="access-code"[^>]*value="(\d{6})"', response.text)
    assert code is not None
    link = ShareLink.objects.get(report=report)
    assert link.needs_access_code
    assert code.group(1) not in link.access_code_hash
    assert abs(link.expires_at - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)


def test_a_patient_may_choose_another_number_of_days(
    patient_client: Client, report: Report
) -> None:
    patient_client.post(
        f"/journal/reports/{report.pk}/shares/",
        {"recipient": "Dr Okafor", "days": "14", "other_days": "45"},
    )

    link = ShareLink.objects.get(report=report)
    assert abs(link.expires_at - (timezone.now() + timedelta(days=45))) < timedelta(minutes=1)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"recipient": "", "days": "14"}, "This field is required."),
        ({"recipient": "Dr Okafor", "days": "14", "other_days": "91"}, "less than or equal to 90"),
        ({"recipient": "Dr Okafor", "days": "15"}, "Select a valid choice."),
        ({"recipient": "Dr Okafor", "days": "14", "other_days": "0"}, "greater than or equal"),
    ],
)
def test_bad_input_is_shown_on_the_form_and_nothing_is_written(
    patient_client: Client, report: Report, data: dict[str, str], message: str
) -> None:
    response = patient_client.post(f"/journal/reports/{report.pk}/shares/", data)

    assert response.status_code == 200
    assert message in response.text
    assert "Share this report" in response.text
    assert not ShareLink.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.SHARE_CREATED).exists()


def test_a_report_that_is_not_ready_cannot_be_shared(patient: User, patient_client: Client) -> None:
    today = timezone.localdate()
    queued = Report.objects.create(
        patient=patient, requested_by=patient, period_start=today, period_end=today
    )

    response = patient_client.post(
        f"/journal/reports/{queued.pk}/shares/", {"recipient": "Dr Okafor", "days": "14"}
    )

    assert response.status_code == 302
    assert "Only a ready report can be shared." in patient_client.get(response["Location"]).text
    assert not ShareLink.objects.exists()


def test_the_report_page_offers_the_patient_a_share_form_and_the_links(
    patient_client: Client, report: Report, new_link: NewShareLink
) -> None:
    text = patient_client.get(f"/journal/reports/{report.pk}/").text

    assert "Share this report" in text
    assert f'action="/journal/reports/{report.pk}/shares/"' in text
    assert "Dr Okafor, Riverside Clinic" in text
    assert f'action="/journal/shares/{new_link.link.pk}/revoke/"' in text
    assert new_link.token not in text


# Opening a link


def test_anyone_with_the_link_reads_the_report_without_an_account(
    new_link: NewShareLink,
) -> None:
    response = visitor().get(path_of(new_link))

    assert response.status_code == 200
    assert_private(response)
    text = response.text
    for symptom in SYMPTOMS:
        assert symptom in text
    assert "Dr Okafor, Riverside Clinic" in text
    assert "This link works until" in text
    assert "As prescribed: 56 mg twice a week in clinic" in text
    assert f'src="{path_of(new_link, "chart")}"' in text
    assert f'href="{path_of(new_link, "pdf")}"' in text
    assert "/journal/" not in text
    assert "contains no dosing advice" in text


def test_the_link_reaches_nothing_else_of_the_patient(
    report: Report, new_link: NewShareLink
) -> None:
    client = visitor()
    assert client.get(path_of(new_link)).status_code == 200

    for url in [
        "/journal/",
        f"/journal/reports/{report.pk}/",
        f"/journal/reports/{report.pk}/pdf/",
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert client.get("/api/v1/reports/").status_code in {401, 403}


def test_the_reports_files_download_through_the_link(new_link: NewShareLink) -> None:
    client = visitor()

    pdf = client.get(path_of(new_link, "pdf"))
    csv = client.get(path_of(new_link, "csv"))
    fhir = client.get(path_of(new_link, "fhir"))
    chart = client.get(path_of(new_link, "chart"))

    assert pdf.status_code == 200
    assert pdf.getvalue().startswith(b"%PDF")
    assert pdf["Content-Disposition"].startswith('attachment; filename="sidelog-report-')
    assert "Dizziness" in csv.getvalue().decode("utf-8-sig")
    assert json.loads(fhir.getvalue())["resourceType"] == "Bundle"
    assert chart["Content-Type"] == "image/svg+xml"
    for response in (pdf, csv, fhir, chart):
        assert_private(response)
    assert client.get(path_of(new_link, "zip")).status_code == 404


def test_every_open_and_download_is_audited_for_the_patient(
    patient: User, new_link: NewShareLink
) -> None:
    client = visitor()
    client.get(path_of(new_link))
    client.get(path_of(new_link, "pdf"))
    client.get(path_of(new_link, "fhir"))

    opened = AuditEvent.objects.get(action=AuditAction.SHARE_OPENED)
    downloads = AuditEvent.objects.filter(action=AuditAction.REPORT_DOWNLOADED).order_by("pk")
    assert opened.patient_key == patient.pk
    assert opened.share_link_key == new_link.link.pk
    assert opened.actor_label == "Share link for Dr Okafor, Riverside Clinic"
    assert opened.actor_key is None
    assert opened.target.startswith("report of ")
    assert opened.ip_address is not None and opened.ip_address.startswith("2001:db8::")
    assert [event.target.split(" of ")[0] for event in downloads] == ["PDF", "FHIR"]
    assert all(event.share_link_key == new_link.link.pk for event in downloads)
    assert all(event.outcome == AuditOutcome.ALLOWED for event in downloads)
    assert audit_chain_verify().intact


def test_an_expired_link_says_so_and_shows_nothing(patient: User, new_link: NewShareLink) -> None:
    ShareLink.objects.filter(pk=new_link.link.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    client = visitor()

    response = client.get(path_of(new_link))

    assert response.status_code == 410
    assert_private(response)
    assert "This link has expired" in response.text
    for private in (*SYMPTOMS, "Dr Okafor", "Esketamine"):
        assert private not in response.text
    assert client.get(path_of(new_link, "pdf")).status_code == 410
    assert not AuditEvent.objects.filter(action=AuditAction.SHARE_OPENED).exists()
    refused = refusals()
    assert len(refused) == 2
    assert all(event.patient_key == patient.pk for event in refused)
    assert all(event.share_link_key == new_link.link.pk for event in refused)
    assert "expired" in refused[0].target


def test_a_link_stops_working_when_its_time_is_up(
    new_link: NewShareLink, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = visitor()
    assert client.get(path_of(new_link)).status_code == 200
    later = new_link.link.expires_at + timedelta(seconds=1)
    monkeypatch.setattr("sharing.views.share_links.timezone.now", lambda: later)

    response = client.get(path_of(new_link))

    assert response.status_code == 410
    assert "This link has expired" in response.text


def test_a_revoked_link_says_so_and_shows_nothing(patient: User, new_link: NewShareLink) -> None:
    client = visitor()
    assert client.get(path_of(new_link)).status_code == 200
    share_link_revoke(link=new_link.link, revoked_by=patient)

    response = client.get(path_of(new_link))

    assert response.status_code == 410
    assert "This link was revoked by the patient" in response.text
    for private in SYMPTOMS:
        assert private not in response.text
    assert client.get(path_of(new_link, "chart")).status_code == 410
    assert "revoked" in refusals()[0].target


def test_an_unknown_link_is_not_valid_and_is_audited(new_link: NewShareLink) -> None:
    response = visitor().get("/s/not-a-token-anyone-was-given/")

    assert response.status_code == 404
    assert_private(response)
    assert "This link isn't valid" in response.text
    [refused] = refusals()
    assert refused.patient_key is None
    assert refused.share_link_key is None
    assert refused.target == "unknown link"


# Access codes


def test_a_link_with_an_access_code_asks_for_it_before_anything(
    coded_link: NewShareLink,
) -> None:
    client = visitor()

    response = client.get(path_of(coded_link))
    download = client.get(path_of(coded_link, "pdf"))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Referrer-Policy"] == "same-origin"  # no-referrer would fail the CSRF check
    assert "This report needs an access code" in response.text
    for private in (*SYMPTOMS, "Dr Okafor"):
        assert private not in response.text
    assert download.status_code == 302
    assert download["Location"] == path_of(coded_link)
    assert not AuditEvent.objects.filter(
        action__in=[AuditAction.SHARE_OPENED, AuditAction.REPORT_DOWNLOADED]
    ).exists()


def test_the_right_code_opens_the_report_and_its_downloads(coded_link: NewShareLink) -> None:
    client = visitor()

    response = client.post(path_of(coded_link), {"code": coded_link.access_code})

    assert response.status_code == 302
    assert response["Location"] == path_of(coded_link)
    assert "Dizziness" in client.get(path_of(coded_link)).text
    assert client.get(path_of(coded_link, "pdf")).getvalue().startswith(b"%PDF")
    assert "Dizziness" not in visitor().get(path_of(coded_link)).text  # another browser


def test_a_wrong_code_is_refused_and_audited(patient: User, coded_link: NewShareLink) -> None:
    wrong = f"{(int(coded_link.access_code or 0) + 1) % 10**6:06d}"

    response = visitor().post(path_of(coded_link), {"code": wrong})

    assert response.status_code == 200
    assert "That code is not right." in response.text
    assert "Dizziness" not in response.text
    [refused] = refusals()
    assert refused.patient_key == patient.pk
    assert refused.share_link_key == coded_link.link.pk
    assert "wrong access code" in refused.target


def test_a_code_that_is_not_six_digits_is_refused_and_audited_too(
    coded_link: NewShareLink,
) -> None:
    response = visitor().post(path_of(coded_link), {"code": "12ab"})

    assert "Enter the 6 digits of the code." in response.text
    assert "That code is not right." not in response.text
    [refused] = refusals()
    assert "wrong access code" in refused.target


def test_a_code_unlocks_only_its_own_link(
    patient: User, report: Report, coded_link: NewShareLink
) -> None:
    other = share_link_create(
        report=report, recipient="Dr Ruiz", created_by=patient, with_access_code=True
    )
    client = visitor()
    client.post(path_of(coded_link), {"code": coded_link.access_code})

    assert "This report needs an access code" in client.get(path_of(other)).text


# Brute force


def test_after_ten_failures_an_address_is_turned_away_even_with_a_good_link(
    new_link: NewShareLink,
) -> None:
    client = visitor()
    for attempt in range(10):
        assert client.get(f"/s/guess-number-{attempt}-of-many/").status_code == 404

    limited = client.get("/s/guess-number-11-of-many/")
    good_link = client.get(path_of(new_link))

    assert limited.status_code == 429
    assert_private(limited)
    assert "Too many attempts; try again later" in limited.text
    assert good_link.status_code == 429
    assert "Dizziness" not in good_link.text
    assert visitor().get(path_of(new_link)).status_code == 200  # another address is not held
    refused = refusals()
    assert [event.target for event in refused] == ["unknown link"] * 10 + [
        "too many failed attempts"
    ]
    opened = AuditEvent.objects.filter(action=AuditAction.SHARE_OPENED)
    assert opened.count() == 1


def test_wrong_codes_count_towards_the_limit(coded_link: NewShareLink) -> None:
    client = visitor()
    wrong = f"{(int(coded_link.access_code or 0) + 1) % 10**6:06d}"
    for _ in range(10):
        client.post(path_of(coded_link), {"code": wrong})

    response = client.post(path_of(coded_link), {"code": coded_link.access_code})

    assert response.status_code == 429
    assert len([e for e in refusals() if "wrong access code" in e.target]) == 10


def test_wrong_codes_from_many_addresses_together_are_limited_per_link(
    coded_link: NewShareLink,
) -> None:
    wrong = f"{(int(coded_link.access_code or 0) + 1) % 10**6:06d}"
    for _ in range(10):
        visitor().post(path_of(coded_link), {"code": wrong})

    response = visitor().post(path_of(coded_link), {"code": coded_link.access_code})

    assert response.status_code == 429
    assert refusals()[-1].target.endswith("(too many wrong codes)")


# Revoking


def test_a_patient_revokes_a_link_from_the_report_page(
    patient: User, patient_client: Client, report: Report, new_link: NewShareLink
) -> None:
    response = patient_client.post(f"/journal/shares/{new_link.link.pk}/revoke/")

    assert response.status_code == 302
    assert response["Location"] == f"/journal/reports/{report.pk}/"
    new_link.link.refresh_from_db()
    assert new_link.link.revoked_at is not None
    page = patient_client.get(response["Location"]).text
    assert "The link for Dr Okafor, Riverside Clinic is revoked" in page
    assert "Revoked" in page
    revoked = AuditEvent.objects.get(action=AuditAction.SHARE_REVOKED)
    assert revoked.patient_key == patient.pk
    assert visitor().get(path_of(new_link)).status_code == 410


def test_revoking_from_the_sharing_page_returns_there(
    patient_client: Client, new_link: NewShareLink
) -> None:
    response = patient_client.post(
        f"/journal/shares/{new_link.link.pk}/revoke/", {"back": "sharing"}
    )

    assert response["Location"] == "/journal/sharing/"


def test_the_sharing_page_lists_each_link_with_its_status(
    patient: User,
    patient_client: Client,
    report: Report,
    new_link: NewShareLink,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    expired = share_link_create(report=report, recipient="Dr Expired", created_by=patient)
    ShareLink.objects.filter(pk=expired.link.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    revoked = share_link_create(report=report, recipient="Dr Revoked", created_by=patient)
    share_link_revoke(link=revoked.link, revoked_by=patient)
    patient_client.get("/journal/sharing/")  # warm the session and caches

    with django_assert_max_num_queries(30) as queries:
        text = patient_client.get("/journal/sharing/").text
    three_links = len(queries)
    for _ in range(5):
        share_link_create(report=report, recipient="Dr More", created_by=patient)
    with django_assert_max_num_queries(three_links):
        patient_client.get("/journal/sharing/")

    links = text.split('id="share-links"')[1].split("</section>")[0]
    for recipient, status in [
        ("Dr Okafor, Riverside Clinic", "Active"),
        ("Dr Expired", "Expired"),
        ("Dr Revoked", "Revoked"),
    ]:
        item = links.split(recipient)[1].split("</li>")[0]
        assert f'<span class="tag">{status}</span>' in item
        assert ("Revoke the link" in item) == (status == "Active")
    assert f"Report {report.period_start:%-d %b %Y}" in links


def test_the_sharing_page_says_when_there_are_no_links(patient_client: Client) -> None:
    text = patient_client.get("/journal/sharing/").text

    assert "You haven't shared a report through a link yet." in text


# Who may share


@pytest.fixture(
    params=["caregiver", "other_patient", "provider", "content_editor", "former_provider"]
)
def someone_else(request: pytest.FixtureRequest, patient: User) -> Client:
    user: User = request.getfixturevalue(request.param)
    client = logged_in_client(user)
    if request.param == "caregiver":
        acting_for(client, patient)
    return client


def test_no_one_but_the_patient_can_make_a_link(someone_else: Client, report: Report) -> None:
    response = someone_else.post(
        f"/journal/reports/{report.pk}/shares/", {"recipient": "Mallory", "days": "90"}
    )

    assert response.status_code == 404
    assert not ShareLink.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.SHARE_CREATED).exists()


def test_no_one_but_the_patient_can_revoke_a_link(
    someone_else: Client, new_link: NewShareLink
) -> None:
    response = someone_else.post(f"/journal/shares/{new_link.link.pk}/revoke/")

    assert response.status_code == 404
    new_link.link.refresh_from_db()
    assert new_link.link.revoked_at is None
    assert not AuditEvent.objects.filter(action=AuditAction.SHARE_REVOKED).exists()


def test_someone_not_logged_in_is_sent_to_log_in(report: Report, new_link: NewShareLink) -> None:
    client = visitor()

    made = client.post(f"/journal/reports/{report.pk}/shares/", {"recipient": "X", "days": "7"})
    revoked = client.post(f"/journal/shares/{new_link.link.pk}/revoke/")

    assert made.status_code == revoked.status_code == 302
    assert ShareLink.objects.count() == 1
    assert ShareLink.objects.get().revoked_at is None


def test_a_caregiver_reads_the_report_but_is_not_offered_sharing(
    caregiver: User, patient: User, report: Report
) -> None:
    client = acting_for(logged_in_client(caregiver), patient)

    response = client.get(f"/journal/reports/{report.pk}/")

    assert response.status_code == 200
    assert "Dizziness" in response.text
    assert "Share this report" not in response.text


# With Redis down


def test_with_redis_down_a_link_still_opens_and_a_wrong_code_is_still_refused(
    settings: Settings, coded_link: NewShareLink
) -> None:
    settings.CACHES = DEAD_REDIS_CACHES
    wrong = f"{(int(coded_link.access_code or 0) + 1) % 10**6:06d}"

    refused = visitor().post(path_of(coded_link), {"code": wrong})
    client = visitor()
    opened = client.post(path_of(coded_link), {"code": coded_link.access_code})

    assert refused.status_code == 200
    assert "That code is not right." in refused.text
    assert opened.status_code == 302
    assert "Dizziness" in client.get(path_of(coded_link)).text
