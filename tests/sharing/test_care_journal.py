"""A caregiver keeping Pat's journal: switching in, logging for Pat, the audit, the limits."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from accounts.access import ACTING_FOR
from audit.models import AuditAction, AuditEvent
from journal.models import DoseEvent, MedicationCourse, SymptomEntry
from reports.models import Report
from sharing.models import CareRelationship, ProviderGrant, ShareLink
from tests.support.clients import acting_for, logged_in_client
from tests.support.factories import (
    CourseFactory,
    DoseFactory,
    EntryFactory,
    PatientFactory,
    care_relationship,
    seeded_drug,
)
from tests.support.signups import EMAIL_CHANGE_LINK, last_email_to, link_in

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


@dataclass
class Journal:
    course: MedicationCourse
    dose: DoseEvent
    entry: SymptomEntry


@pytest.fixture
def pats_journal(patient: User) -> Journal:
    course = CourseFactory.create(patient=patient)
    dose = DoseFactory.create(course=course)
    entry = EntryFactory.create(patient=patient, dose=dose, notes="Felt it in the car park.")
    return Journal(course=course, dose=dose, entry=entry)


@pytest.fixture
def caregiver_client(caregiver: User) -> Client:
    """Cara, switched into Pat's journal."""
    client = logged_in_client(caregiver)
    response = client.post(f"/care/switch/{caregiver.care_for.get().patient_id}/")
    assert response.status_code == 302
    return client


@pytest.fixture
def builds_run_on_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run in a transaction that never commits: run each enqueued build at once."""
    monkeypatch.setattr(transaction, "on_commit", lambda callback, *a, **k: callback())


def london(moment: datetime) -> str:
    return moment.astimezone(LONDON).strftime("%Y-%m-%dT%H:%M")


def entry_form(**changes: str) -> dict[str, str]:
    data = {
        "side_effect": "dizziness",
        "other_symptom": "",
        "onset_at": london(timezone.now() - timedelta(hours=1)),
        "resolved_at": "",
        "severity": "2",
        "interference": "1",
        "dose": "suggested",
        "notes": "",
    }
    data.update(changes)
    return data


def acted(caregiver: User, patient: User) -> list[str]:
    """What the audit log says the caregiver did in the patient's journal."""
    rows = AuditEvent.objects.filter(
        action=AuditAction.CAREGIVER_ACTED, actor_key=caregiver.pk, patient_key=patient.pk
    ).order_by("pk")
    return list(rows.values_list("target", flat=True))


# Switching in and out


def test_the_care_page_lists_each_journal_kept_in_as_many_queries_as_for_one(
    patient: User, caregiver: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client = logged_in_client(caregiver)
    client.get("/care/")  # refreshes the session, as one request a minute does
    with CaptureQueriesContext(connection) as one_patient:
        client.get("/care/")
    for name in ("sue", "tom"):
        care_relationship(patient=PatientFactory.create(username=name), caregiver=caregiver)

    with django_assert_num_queries(len(one_patient)):
        response = client.get("/care/")

    assert response.status_code == 200
    assert response.text.count("Open journal") == 3
    assert f'action="/care/switch/{patient.pk}/"' in response.text


@pytest.mark.parametrize("page", ["/journal/", "/journal/timeline/", "/journal/entries/new/"])
def test_a_caregivers_page_looks_up_their_care_relationship_once(
    caregiver_client: Client, pats_journal: Journal, page: str
) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = caregiver_client.get(page)

    assert response.status_code == 200
    asked = [query["sql"] for query in queries if "journal_carerelationship" in query["sql"]]
    assert len(asked) == 1, asked


def test_opening_pats_journal_shows_pats_data_and_says_whose_it_is(
    patient: User, caregiver: User, pats_journal: Journal
) -> None:
    client = logged_in_client(caregiver)

    response = client.post(f"/care/switch/{patient.pk}/")

    assert response.status_code == 302
    assert response["Location"] == "/journal/"
    assert client.session[ACTING_FOR] == patient.pk
    dashboard = client.get("/journal/")
    assert dashboard.status_code == 200
    assert "You are keeping <strong>pat</strong>" in dashboard.text
    assert "Esketamine" in dashboard.text
    timeline = client.get("/journal/timeline/")
    assert f"/journal/entries/{pats_journal.entry.pk}/" in timeline.text
    assert acted(caregiver, patient) == ["opened the journal"]


def test_opening_a_journal_needs_a_post(patient: User, caregiver: User) -> None:
    client = logged_in_client(caregiver)

    response = client.get(f"/care/switch/{patient.pk}/")

    assert response.status_code == 405
    assert ACTING_FOR not in client.session


def test_leaving_returns_the_caregiver_to_their_own_account(
    patient: User, caregiver_client: Client
) -> None:
    response = caregiver_client.post("/care/leave/")

    assert response.status_code == 302
    assert response["Location"] == "/care/"
    assert ACTING_FOR not in caregiver_client.session
    assert caregiver_client.get("/journal/").status_code == 404  # Cara keeps no journal of her own


def test_a_patient_who_cares_for_someone_returns_to_their_own_journal_on_leaving(
    patient: User, other_patient: User, pats_journal: Journal
) -> None:
    care_relationship(patient=other_patient, caregiver=patient)
    client = logged_in_client(patient)
    client.post(f"/care/switch/{other_patient.pk}/")
    assert f"/journal/entries/{pats_journal.entry.pk}/" not in client.get("/journal/timeline/").text

    response = client.post("/care/leave/")

    assert response["Location"] == "/journal/"
    assert f"/journal/entries/{pats_journal.entry.pk}/" in client.get("/journal/timeline/").text


def test_someone_not_logged_in_is_sent_to_log_in_from_the_care_pages(
    client: Client, patient: User
) -> None:
    for url in ("/care/", f"/care/switch/{patient.pk}/", "/care/leave/"):
        response = client.post(url) if url != "/care/" else client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


# Logging for Pat


def test_a_symptom_the_caregiver_logs_is_pats_and_shows_who_logged_it(
    patient: User, caregiver: User, caregiver_client: Client, pats_journal: Journal
) -> None:
    response = caregiver_client.post("/journal/entries/new/", entry_form(), follow=True)

    entry = SymptomEntry.objects.exclude(pk=pats_journal.entry.pk).get()
    assert entry.patient == patient
    assert entry.logged_by == caregiver
    assert entry.dose == pats_journal.dose
    assert response.redirect_chain[-1][0] == f"/journal/entries/{entry.pk}/"
    assert "by you" in response.text  # Cara reads it; Pat reads "by cara"
    assert "logged a symptom entry" in acted(caregiver, patient)


def test_a_dose_the_caregiver_records_is_pats_and_the_timeline_shows_who_logged_it(
    patient: User, caregiver: User, caregiver_client: Client, pats_journal: Journal
) -> None:
    response = caregiver_client.post(
        "/journal/doses/new/",
        {
            "course": str(pats_journal.course.pk),
            "taken_at": london(timezone.now() - timedelta(minutes=30)),
            "setting": "home",
            "note": "",
        },
    )

    assert response.status_code == 302
    dose = DoseEvent.objects.exclude(pk=pats_journal.dose.pk).get()
    assert dose.course.patient == patient
    assert dose.logged_by == caregiver
    assert "Logged by you" in caregiver_client.get("/journal/timeline/").text
    assert "recorded a dose" in acted(caregiver, patient)


def test_pat_sees_which_entries_the_caregiver_logged(
    patient: User, caregiver: User, patient_client: Client, pats_journal: Journal
) -> None:
    entry = EntryFactory.create(patient=patient, logged_by=caregiver)

    assert "by cara" in patient_client.get(f"/journal/entries/{entry.pk}/").text
    own = patient_client.get(f"/journal/entries/{pats_journal.entry.pk}/").text
    assert "by you" in own and "by cara" not in own


def item_lines(html: str) -> list[str]:
    """The line under each item of a page, as a reader sees it (tags and spacing gone)."""
    lines = re.findall(r'<p class="item-meta">(.*?)</p>', html, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", line).split()) for line in lines]


def test_the_timeline_says_who_logged_what_to_each_reader(
    patient: User, caregiver: User, patient_client: Client, caregiver_client: Client
) -> None:
    course = CourseFactory.create(patient=patient)
    moment = timezone.now() - timedelta(hours=2)
    EntryFactory.create(
        patient=patient, logged_by=caregiver, onset_at=moment, resolved_at=None, interference=1
    )
    DoseFactory.create(course=course, logged_by=patient, taken_at=moment - timedelta(hours=1))

    pats = item_lines(patient_client.get("/journal/timeline/").text)
    caras = item_lines(caregiver_client.get("/journal/timeline/").text)

    assert pats == [
        "Still going · Interference: a little bit · Logged by cara",
        "Logged by you · Post-dose check-in",
    ]
    assert caras == [
        "Still going · Interference: a little bit · Logged by you",
        "Logged by pat (the patient) · Post-dose check-in",
    ]


def test_a_row_whose_logger_left_sidelog_says_so(
    patient: User, caregiver: User, patient_client: Client
) -> None:
    EntryFactory.create(patient=patient, logged_by=caregiver, resolved_at=None, interference=0)
    caregiver.delete()

    lines = item_lines(patient_client.get("/journal/timeline/").text)

    assert lines == [
        "Still going · Interference: not at all · Logged by someone no longer in Sidelog"
    ]


def caregiver_writes(patient: User, j: Journal) -> dict[str, tuple[str, dict[str, str]]]:
    """Every journal write a caregiver can make, by what the audit log calls it."""
    unused_course = CourseFactory.create(patient=patient, drug=seeded_drug("memantine"))
    failed = Report.objects.create(
        patient=patient,
        requested_by=patient,
        period_start=timezone.localdate() - timedelta(days=29),
        period_end=timezone.localdate(),
        status=Report.Status.FAILED,
        error="The worker stopped.",
    )
    course_form = {
        "drug": str(j.course.drug_id),
        "route": "nasal",
        "started_on": str(j.course.started_on),
        "regimen": "84 mg twice a week in clinic",
    }
    dose_form = {
        "course": str(j.course.pk),
        "taken_at": london(timezone.now() - timedelta(hours=4)),
        "setting": "clinic",
        "note": "",
    }
    report_form = {
        "period_start": str(timezone.localdate() - timedelta(days=29)),
        "period_end": str(timezone.localdate()),
        "paper_size": "A4",
    }
    return {
        "added a medicine": (
            "/journal/courses/new/",
            {**course_form, "drug": str(seeded_drug("lamotrigine").pk), "route": "oral"},
        ),
        "changed a medicine": (f"/journal/courses/{j.course.pk}/", course_form),
        "recorded a dose": ("/journal/doses/new/", dose_form),
        "recorded a dose taken now": (f"/journal/courses/{j.course.pk}/taken-now/", {}),
        "changed a dose": (f"/journal/doses/{j.dose.pk}/", dose_form),
        "recorded a post-dose check-in": (
            f"/journal/doses/{j.dose.pk}/check-in/40min/",
            {
                "dissociation-severity": "0",
                "drowsiness-severity": "0",
                "dizziness-severity": "0",
                "nausea-severity": "2",
                "nausea-interference": "1",
            },
        ),
        "logged a symptom entry": ("/journal/entries/new/", entry_form()),
        "changed a symptom entry": (f"/journal/entries/{j.entry.pk}/edit/", entry_form()),
        "asked for a report": ("/journal/reports/", report_form),
        "asked to build a report again": (f"/journal/reports/{failed.pk}/retry/", {}),
        "deleted a symptom entry": (f"/journal/entries/{j.entry.pk}/delete/", {}),
        "deleted a dose": (f"/journal/doses/{j.dose.pk}/delete/", {}),
        "removed a medicine": (f"/journal/courses/{unused_course.pk}/delete/", {}),
    }


WRITES = [
    "added a medicine",
    "changed a medicine",
    "recorded a dose",
    "recorded a dose taken now",
    "changed a dose",
    "recorded a post-dose check-in",
    "logged a symptom entry",
    "changed a symptom entry",
    "asked for a report",
    "asked to build a report again",
    "deleted a symptom entry",
    "deleted a dose",
    "removed a medicine",
]


@pytest.mark.parametrize("action", WRITES)
def test_each_write_a_caregiver_makes_is_audited_once(
    action: str,
    patient: User,
    caregiver: User,
    caregiver_client: Client,
    pats_journal: Journal,
) -> None:
    url, data = caregiver_writes(patient, pats_journal)[action]

    response = caregiver_client.post(url, data)

    assert response.status_code == 302
    assert acted(caregiver, patient) == ["opened the journal", action]
    row = AuditEvent.objects.filter(action=AuditAction.CAREGIVER_ACTED, target=action).get()
    assert row.actor_label == "cara (caregiver)"


@pytest.mark.parametrize("action", ["recorded a dose taken now", "asked for a report"])
def test_a_caregivers_write_is_audited_with_the_address_it_came_from(
    action: str, patient: User, caregiver_client: Client, pats_journal: Journal
) -> None:
    url, data = caregiver_writes(patient, pats_journal)[action]

    caregiver_client.post(url, data, REMOTE_ADDR="203.0.113.7")

    row = AuditEvent.objects.filter(action=AuditAction.CAREGIVER_ACTED, target=action).get()
    assert row.ip_address == "203.0.113.7"


def test_the_patients_own_writes_are_not_recorded_as_a_caregivers(
    patient: User, patient_client: Client, pats_journal: Journal
) -> None:
    for url, data in caregiver_writes(patient, pats_journal).values():
        assert patient_client.post(url, data).status_code == 302, url

    assert not AuditEvent.objects.filter(action=AuditAction.CAREGIVER_ACTED).exists()


def test_a_write_with_invalid_input_is_not_audited(
    patient: User, caregiver: User, caregiver_client: Client
) -> None:
    response = caregiver_client.post("/journal/entries/new/", entry_form(severity="9"))

    assert response.status_code == 200
    assert not SymptomEntry.objects.exists()
    assert acted(caregiver, patient) == ["opened the journal"]


def test_a_write_the_journal_refuses_is_not_audited(
    patient: User, caregiver: User, caregiver_client: Client, pats_journal: Journal
) -> None:
    # A course with recorded doses can't be removed: the page says so and redirects.
    response = caregiver_client.post(
        f"/journal/courses/{pats_journal.course.pk}/delete/", follow=True
    )

    assert "can&#x27;t be deleted" in response.text
    assert MedicationCourse.objects.filter(pk=pats_journal.course.pk).exists()
    assert acted(caregiver, patient) == ["opened the journal"]


# Reports


@pytest.mark.usefixtures("builds_run_on_commit")
def test_a_caregiver_builds_a_report_for_pat_and_each_read_is_audited(
    patient: User, caregiver: User, caregiver_client: Client, pats_journal: Journal
) -> None:
    today = timezone.localdate()
    response = caregiver_client.post(
        "/journal/reports/",
        {
            "period_start": str(today - timedelta(days=29)),
            "period_end": str(today),
            "paper_size": "A4",
        },
    )

    report = Report.objects.get()
    assert response["Location"] == f"/journal/reports/{report.pk}/"
    assert (report.patient, report.requested_by, report.status) == (
        patient,
        caregiver,
        Report.Status.READY,
    )
    page = caregiver_client.get(f"/journal/reports/{report.pk}/")
    assert page.status_code == 200
    assert "Dizziness" in page.text
    chart = caregiver_client.get(f"/journal/reports/{report.pk}/chart/")
    assert chart.getvalue().startswith(b"<?xml")
    pdf = caregiver_client.get(f"/journal/reports/{report.pk}/pdf/")
    assert pdf.getvalue().startswith(b"%PDF-")

    reads = AuditEvent.objects.filter(
        patient_key=patient.pk,
        actor_key=caregiver.pk,
        action__in=[AuditAction.REPORT_VIEWED, AuditAction.REPORT_DOWNLOADED],
    ).order_by("pk")
    period = f"report of {report.period_start:%d %b %Y} to {report.period_end:%d %b %Y}"
    assert [(row.action, row.target) for row in reads] == [
        (AuditAction.REPORT_VIEWED, period),
        (AuditAction.REPORT_DOWNLOADED, f"{period}, PDF"),
    ]


@pytest.mark.usefixtures("builds_run_on_commit")
def test_pat_reading_their_own_report_is_not_audited_as_someone_elses_read(
    patient: User, patient_client: Client, pats_journal: Journal
) -> None:
    today = timezone.localdate()
    patient_client.post(
        "/journal/reports/",
        {
            "period_start": str(today - timedelta(days=29)),
            "period_end": str(today),
            "paper_size": "A4",
        },
    )
    report = Report.objects.get()

    assert patient_client.get(f"/journal/reports/{report.pk}/").status_code == 200
    assert (
        "Dizziness" in patient_client.get(f"/journal/reports/{report.pk}/csv/").getvalue().decode()
    )

    assert not AuditEvent.objects.filter(
        action__in=[AuditAction.REPORT_VIEWED, AuditAction.REPORT_DOWNLOADED]
    ).exists()


# What a caregiver may not do


def test_a_caregiver_cannot_reach_pats_account_settings(
    caregiver_client: Client, patient: User
) -> None:
    response = caregiver_client.post(
        "/accounts/settings/", {"email": "cara-took-over@example.org", "time_zone": "UTC"}
    )

    assert response.status_code == 404
    patient.refresh_from_db()
    assert patient.email == "pat@example.org"
    assert patient.profile.time_zone == "Europe/London"


def test_a_patient_keeping_pats_journal_changes_only_their_own_settings(
    patient: User, other_patient: User
) -> None:
    care_relationship(patient=patient, caregiver=other_patient)
    client = acting_for(logged_in_client(other_patient), patient)

    page = client.get("/accounts/settings/")
    client.post("/accounts/settings/", {"email": "olga@example.net", "time_zone": "UTC"})
    client.get(link_in(last_email_to("olga@example.net"), EMAIL_CHANGE_LINK))

    assert "pat@example.org" not in page.text
    patient.refresh_from_db()
    other_patient.refresh_from_db()
    assert patient.email == "pat@example.org"
    assert patient.profile.time_zone == "Europe/London"
    assert other_patient.email == "olga@example.net"


@pytest.mark.usefixtures("builds_run_on_commit")
def test_a_caregiver_cannot_open_pats_sharing_page_or_share_pats_reports(
    patient: User, caregiver_client: Client, pats_journal: Journal
) -> None:
    caregiver_client.post(
        "/journal/reports/",
        {
            "period_start": str(timezone.localdate() - timedelta(days=29)),
            "period_end": str(timezone.localdate()),
            "paper_size": "A4",
        },
    )
    report = Report.objects.get(status=Report.Status.READY)

    assert caregiver_client.get("/journal/sharing/").status_code == 404
    link = caregiver_client.post(
        f"/journal/reports/{report.pk}/shares/", {"recipient": "Dr Who", "days": "14"}
    )
    grant = caregiver_client.post(
        "/journal/sharing/providers/",
        {"provider_email": "dr@example.org", "all_reports": "on", "reports": [str(report.pk)]},
    )

    assert link.status_code == 404
    assert grant.status_code == 404
    assert not ShareLink.objects.exists()
    assert not ProviderGrant.objects.exists()


def test_the_navigation_offers_a_caregiver_no_sharing_or_account_pages(
    caregiver_client: Client,
) -> None:
    text = caregiver_client.get("/journal/").text

    assert 'href="/journal/sharing/"' not in text
    assert 'href="/accounts/settings/"' not in text
    assert 'href="/journal/entries/new/"' in text


# Someone else's caregiver, and an access that has ended


def test_the_caregiver_of_another_patient_cannot_switch_into_pats_journal(
    patient: User, other_caregiver: User, pats_journal: Journal
) -> None:
    client = logged_in_client(other_caregiver)

    response = client.post(f"/care/switch/{patient.pk}/")

    assert response.status_code == 404
    assert ACTING_FOR not in client.session
    assert not AuditEvent.objects.filter(actor_key=other_caregiver.pk).exists()


def test_a_forged_session_does_not_open_pats_journal(
    patient: User, other_caregiver: User, pats_journal: Journal
) -> None:
    client = acting_for(logged_in_client(other_caregiver), patient)
    entries_before = SymptomEntry.objects.count()

    pages = [
        "/journal/",
        "/journal/timeline/",
        f"/journal/entries/{pats_journal.entry.pk}/",
        f"/journal/doses/{pats_journal.dose.pk}/",
    ]
    for url in pages:
        assert client.get(url).status_code == 404, url
    assert client.post("/journal/entries/new/", entry_form()).status_code == 404

    assert SymptomEntry.objects.count() == entries_before
    assert ACTING_FOR not in client.session
    assert not AuditEvent.objects.filter(actor_key=other_caregiver.pk).exists()


def test_once_pat_ends_the_access_the_caregivers_next_request_is_refused(
    patient: User,
    caregiver: User,
    caregiver_client: Client,
    patient_client: Client,
    pats_journal: Journal,
) -> None:
    relationship = CareRelationship.objects.get(caregiver=caregiver)
    assert caregiver_client.get("/journal/").status_code == 200

    patient_client.post(f"/journal/sharing/caregivers/{relationship.pk}/end/")
    write = caregiver_client.post("/journal/entries/new/", entry_form())

    assert write.status_code == 404
    assert SymptomEntry.objects.count() == 1
    assert ACTING_FOR not in caregiver_client.session
    assert caregiver_client.get(f"/journal/entries/{pats_journal.entry.pk}/").status_code == 404
    assert caregiver_client.post(f"/care/switch/{patient.pk}/").status_code == 404
    assert "Open journal" not in caregiver_client.get("/care/").text


def test_once_pat_ends_the_access_a_caregiver_who_is_a_patient_too_writes_into_no_journal(
    patient: User, other_patient: User, patient_client: Client
) -> None:
    relationship = care_relationship(patient=patient, caregiver=other_patient)
    olga = logged_in_client(other_patient)
    olga.post(f"/care/switch/{patient.pk}/")

    patient_client.post(f"/journal/sharing/caregivers/{relationship.pk}/end/")
    response = olga.post("/journal/entries/new/", entry_form())

    assert response.status_code in (302, 404)
    assert not SymptomEntry.objects.exists()
