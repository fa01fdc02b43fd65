"""'Delete my account': the patient types their password, and every row of their health
data goes, in one transaction, with their report files once it commits.

Afterwards no journal table (historical versions included) refers to the patient, no file
of theirs is left, their share links open the "not valid" page, they cannot log in, and
the audit chain still verifies, keeping what others did (without health data).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessLog
from django.apps import apps
from django.contrib.auth.models import User
from django.db.models import Model
from django.test import Client
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from accounts.models import ApiToken
from accounts.services import api_token_create
from audit.models import AuditAction, AuditEvent
from audit.verification import audit_chain_verify
from journal.models import DoseEvent, MedicationCourse, SymptomEntry
from reports.models import Report
from sharing.models import CareRelationship, ProviderGrant, ShareLink
from tests.support.clients import acting_for, logged_in_client
from tests.support.factories import PASSWORD, EntryFactory, care_relationship
from tests.support.privacy import PatsData, pats_data_fill

pytestmark = pytest.mark.django_db

DELETE = "/accounts/delete/"


@pytest.fixture(autouse=True)
def media_root(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def pats_data(patient: User) -> PatsData:
    return pats_data_fill(patient)


def files_under(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()]


def rows_snapshot() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_app_config("journal").get_models()
    }


# Refusals


def test_the_page_asks_for_the_password(pats_data: PatsData, patient_client: Client) -> None:
    response = patient_client.get(DELETE)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="password"' in html
    assert 'autocomplete="current-password"' in html
    assert '<a href="/accounts/export/">Download all your data</a>' in html


@pytest.mark.parametrize("password", ["wrong horse battery", ""])
def test_a_wrong_password_deletes_nothing(
    pats_data: PatsData,
    patient: User,
    patient_client: Client,
    media_root: Path,
    password: str,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    before = rows_snapshot()
    files = files_under(media_root)
    assert files

    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post(DELETE, {"password": password})

    assert response.status_code == 200
    assert b'role="alert"' in response.content
    assert User.objects.filter(pk=patient.pk).exists()
    assert rows_snapshot() == before
    assert files_under(media_root) == files
    assert patient_client.get("/journal/").status_code == 200  # still logged in


@pytest.mark.parametrize("who", ["caregiver", "provider", "content_editor"])
def test_no_one_else_reaches_the_page(
    pats_data: PatsData, who: str, request: pytest.FixtureRequest
) -> None:
    client = logged_in_client(request.getfixturevalue(who))
    before = rows_snapshot()

    assert client.get(DELETE).status_code == 404
    assert client.post(DELETE, {"password": PASSWORD}).status_code == 404
    assert rows_snapshot() == before


def test_another_patient_deletes_only_their_own_account(
    pats_data: PatsData,
    patient: User,
    other_patient: User,
    other_patient_client: Client,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    EntryFactory.create(patient=other_patient)
    pats = pats_ids(patient)

    status, _ = pats_account_delete(other_patient_client, django_capture_on_commit_callbacks)

    assert status == 200
    assert not User.objects.filter(pk=other_patient.pk).exists()
    assert MedicationCourse.objects.filter(pk__in=pats[MedicationCourse]).count() == 2
    assert pats_ids(patient) == pats


def test_a_caregiver_keeping_pats_journal_cannot_delete_it(
    pats_data: PatsData, patient: User, caregiver: User
) -> None:
    client = acting_for(logged_in_client(caregiver), patient)

    assert client.get(DELETE).status_code == 404
    assert client.post(DELETE, {"password": PASSWORD}).status_code == 404
    assert User.objects.filter(pk=patient.pk).exists()


def test_anonymous_is_sent_to_log_in(client: Client) -> None:
    response = client.post(DELETE, {"password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/accounts/delete/")


# Deleting


@pytest.fixture
def pats_account_used_everywhere(
    pats_data: PatsData,
    patient: User,
    other_patient: User,
    provider: User,
    client: Client,
) -> PatsData:
    """Pat's journal as others have seen it, plus Pat's traces elsewhere.

    A provider opened Pat's report and a share link was opened (audited by their views);
    Pat keeps Olga's journal as her caregiver and logged an entry for her; Pat has an API
    token and login records.
    """
    report = pats_data.ready
    assert logged_in_client(provider).get(f"/provider/reports/{report.pk}/").status_code == 200
    share = Client()
    unlock = share.post(f"/s/{pats_data.link.token}/", {"code": pats_data.link.access_code})
    assert unlock.status_code == 302
    assert share.get(f"/s/{pats_data.link.token}/").status_code == 200
    care_relationship(patient=other_patient, caregiver=patient)
    olgas_entry = EntryFactory.create(patient=other_patient, logged_by=patient, notes="for Olga")
    olgas_entry.notes = "for Olga, corrected"
    olgas_entry.save()
    api_token_create(user=patient, name="phone")
    client.post("/accounts/login/", {"username": "pat", "password": "not it"})
    assert (
        client.post("/accounts/login/", {"username": "pat", "password": PASSWORD}).status_code
        == 302
    )
    assert AccessLog.objects.filter(username="pat").exists()
    return pats_data


def pats_ids(patient: User) -> dict[type[Model], set[int]]:
    """Every id of a row that is Pat's, by model (historical versions use their live ids)."""
    courses = set(MedicationCourse.objects.filter(patient=patient).values_list("pk", flat=True))
    return {
        User: {patient.pk},
        MedicationCourse: courses,
        DoseEvent: set(DoseEvent.objects.filter(course__in=courses).values_list("pk", flat=True)),
        SymptomEntry: set(
            SymptomEntry.objects.filter(patient=patient).values_list("pk", flat=True)
        ),
        Report: set(Report.objects.filter(patient=patient).values_list("pk", flat=True)),
        ShareLink: set(
            ShareLink.objects.filter(report__patient=patient).values_list("pk", flat=True)
        ),
        ProviderGrant: set(
            ProviderGrant.objects.filter(patient=patient).values_list("pk", flat=True)
        ),
        CareRelationship: set(
            CareRelationship.objects.filter(patient=patient).values_list("pk", flat=True)
        )
        | set(CareRelationship.objects.filter(caregiver=patient).values_list("pk", flat=True)),
    }


def rows_referring_to(ids: dict[type[Model], set[int]]) -> list[str]:
    """Rows of any journal model, historical ones included, that point at one of `ids`."""
    found = []
    for model in apps.get_app_config("journal").get_models():
        if model is AuditEvent:
            continue  # checked on its own: rows of what others did stay by design
        manager = model._default_manager
        own_type = getattr(model, "instance_type", model)  # a historical model's live model
        if ids.get(own_type):
            key = "id" if own_type is not model else "pk"
            if manager.filter(**{f"{key}__in": ids[own_type]}).exists():
                found.append(f"{model._meta.label}.{key}")
        for field in model._meta.concrete_fields:
            target = field.related_model
            if (
                isinstance(target, type)
                and target in ids
                and manager.filter(**{f"{field.attname}__in": ids[target]}).exists()
            ):
                found.append(f"{model._meta.label}.{field.attname}")
    return found


def pats_account_delete(client: Client, capture: DjangoCaptureOnCommitCallbacks) -> tuple[int, str]:
    """Post the right password, running what waits for the commit (the test never commits)."""
    with capture(execute=True):
        response = client.post(DELETE, {"password": PASSWORD})
    return response.status_code, response.content.decode()


def test_deleting_leaves_no_row_of_pats_health_data(
    pats_account_used_everywhere: PatsData,
    patient: User,
    patient_client: Client,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    ids = pats_ids(patient)
    assert rows_referring_to(ids)  # the check finds Pat's rows while they exist
    assert SymptomEntry.history.filter(patient_id=patient.pk).count() >= 4

    status, html = pats_account_delete(patient_client, django_capture_on_commit_callbacks)

    assert status == 200
    assert "Your account is deleted" in html
    assert rows_referring_to(ids) == []
    assert not User.objects.filter(pk=patient.pk).exists()
    assert not ApiToken.objects.filter(user_id=patient.pk).exists()
    assert not AccessAttempt.objects.filter(username="pat").exists()
    assert not AccessLog.objects.filter(username="pat").exists()


def test_deleting_removes_every_report_file(
    pats_account_used_everywhere: PatsData,
    patient: User,
    patient_client: Client,
    media_root: Path,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    folder = media_root / "reports" / str(patient.pk)
    assert len(files_under(folder)) == 4
    (folder / "stray-from-an-earlier-build.pdf").write_bytes(b"%PDF old")

    pats_account_delete(patient_client, django_capture_on_commit_callbacks)

    assert files_under(folder) == []
    assert not folder.exists()


def test_report_files_stay_until_the_transaction_commits(
    pats_data: PatsData,
    patient: User,
    patient_client: Client,
    media_root: Path,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        patient_client.post(DELETE, {"password": PASSWORD})

    assert len(files_under(media_root / "reports" / str(patient.pk))) == 4
    assert len(callbacks) == 1


def test_the_audit_chain_still_verifies_and_keeps_what_others_did(
    pats_account_used_everywhere: PatsData,
    patient: User,
    patient_client: Client,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    symptoms = {entry.symptom_name for entry in SymptomEntry.objects.filter(patient=patient)}
    assert {"Dizziness", "Tingling lips"} <= symptoms

    pats_account_delete(patient_client, django_capture_on_commit_callbacks)

    assert audit_chain_verify().intact
    rows = list(AuditEvent.objects.filter(patient_key=patient.pk))
    others = [row for row in rows if row.actor_key != patient.pk]
    assert {row.action for row in others} >= {AuditAction.REPORT_VIEWED, AuditAction.SHARE_OPENED}
    assert all(row.redacted_at is None and row.actor_label for row in others)
    own = [row for row in rows if row.actor_key == patient.pk]
    assert own
    assert all((row.actor_label, row.target, row.ip_address) == ("", "", None) for row in own)
    assert all(row.redacted_at is not None for row in own)
    for row in rows:
        text = " ".join(str(value) for value in (row.actor_label, row.target, row.action))
        assert not any(symptom.lower() in text.lower() for symptom in symptoms), text


def test_entries_pat_logged_as_olgas_caregiver_stay_olgas(
    pats_account_used_everywhere: PatsData,
    other_patient: User,
    patient_client: Client,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    pats_account_delete(patient_client, django_capture_on_commit_callbacks)

    entry = SymptomEntry.objects.get(patient=other_patient)
    assert (entry.notes, entry.logged_by) == ("for Olga, corrected", None)
    versions = SymptomEntry.history.filter(patient_id=other_patient.pk)
    assert versions.count() == 2
    assert not versions.filter(logged_by__isnull=False).exists()
    assert not CareRelationship.objects.filter(patient=other_patient).exists()


def test_a_share_link_of_pats_opens_the_not_valid_page_afterwards(
    pats_account_used_everywhere: PatsData,
    patient_client: Client,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    token = pats_account_used_everywhere.link.token

    pats_account_delete(patient_client, django_capture_on_commit_callbacks)

    response = Client().get(f"/s/{token}/")
    assert response.status_code == 404
    assert response.templates[0].name == "sharing/share/invalid.html"
    assert Client().get(f"/s/{token}/pdf/").status_code == 404


def test_pat_is_logged_out_and_cannot_log_in_again(
    pats_data: PatsData,
    patient_client: Client,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    pats_account_delete(patient_client, django_capture_on_commit_callbacks)

    journal = patient_client.get("/journal/")
    assert journal.status_code == 302
    assert journal["Location"].startswith("/accounts/login/")
    login = Client().post("/accounts/login/", {"username": "pat", "password": PASSWORD})
    assert login.status_code == 200
    assert not login.wsgi_request.user.is_authenticated
    assert not User.objects.filter(username="pat").exists()


def test_pats_provider_and_other_patients_keep_their_accounts(
    pats_account_used_everywhere: PatsData,
    provider: User,
    other_patient: User,
    patient_client: Client,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    pats_account_delete(patient_client, django_capture_on_commit_callbacks)

    assert User.objects.filter(pk__in=[provider.pk, other_patient.pk]).count() == 2
    assert logged_in_client(provider).get("/provider/").status_code == 200
