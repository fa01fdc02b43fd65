"""Deleting a patient's account and their data for good.

Deleting an account removes every row that holds the patient's health data, including the
versions simple-history keeps of edited courses, doses, entries, measurements, clinic
sessions and questionnaire responses, which no foreign key cascades to. The audit log stays
whole: rows of the patient's own actions are redacted, rows of what others did with the
patient's data stay (they hold keys and labels only), and the hash chain still verifies.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from functools import partial

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import User
from django.core.files.storage import FileSystemStorage, Storage
from django.db import transaction
from django.db.models import FileField

from accounts.services import api_tokens_end
from audit.services import audit_redact_own_actions
from journal.models import ClinicSession, DoseEvent, Measurement, MedicationCourse, SymptomEntry
from questionnaires.models import QuestionnaireResponse
from reports.models import Report

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AccountDeletion:
    username: str
    audit_rows_redacted: int
    reports: int


def account_delete(*, user: User) -> AccountDeletion:
    """Delete a patient's account and every row of their health data, in one transaction.

    Report files go once the transaction has committed. Deleted before it, a transaction
    that then failed would leave the account in place with ready reports whose files are
    gone. Deleted after, the worst case is a file left behind by a storage error, which is
    logged; the sweep of the patient's folder also takes any file an earlier build left.
    """
    patient_id = user.pk
    username = user.get_username()
    with transaction.atomic():
        # Lock the account: another request writing to this journal waits, then fails.
        User.objects.select_for_update().filter(pk=patient_id).first()
        redacted = audit_redact_own_actions(patient_id=patient_id)
        reports = list(Report.objects.filter(patient_id=patient_id))
        course_ids = set(
            MedicationCourse.objects.filter(patient_id=patient_id).values_list("pk", flat=True)
        )
        course_ids |= set(
            MedicationCourse.history.filter(patient_id=patient_id).values_list("id", flat=True)
        )
        dose_ids = set(
            DoseEvent.objects.filter(course_id__in=course_ids).values_list("pk", flat=True)
        )
        dose_ids |= set(
            DoseEvent.history.filter(course_id__in=course_ids).values_list("id", flat=True)
        )
        api_tokens_end(user=user)
        # CASCADE: profile, courses, doses, entries, check-in ratings, measurements, clinic
        # sessions, questionnaire responses and schedules, reports and their share
        # links, provider grants, care relationships on both sides, reminder settings,
        # reminders and check-in links.
        user.delete()
        # simple-history's rows are not cascaded to, and deleting the live rows above has
        # just added one more version of each: delete them all now, after.
        dose_versions = DoseEvent.history.filter(course_id__in=course_ids)
        ClinicSession.history.filter(dose_id__in=dose_versions.values("id")).delete()
        dose_versions.delete()
        SymptomEntry.history.filter(patient_id=patient_id).delete()
        Measurement.history.filter(patient_id=patient_id).delete()
        MedicationCourse.history.filter(patient_id=patient_id).delete()
        _vitals_history_delete(patient_id=patient_id, dose_ids=dose_ids)
        # Entries this person logged as someone's caregiver stay that patient's; the live
        # rows lost their `logged_by` to SET_NULL, their versions lose it too.
        for logged in (DoseEvent, SymptomEntry, Measurement, ClinicSession, QuestionnaireResponse):
            logged.history.filter(logged_by_id=patient_id).update(logged_by=None)
        for access_model in (AccessAttempt, AccessLog, AccessFailureLog):
            access_model.objects.filter(username=username).delete()
        transaction.on_commit(
            partial(_report_files_delete, patient_id=patient_id, reports=reports), robust=True
        )
    return AccountDeletion(username=username, audit_rows_redacted=redacted, reports=len(reports))


def _vitals_history_delete(*, patient_id: int, dose_ids: set[int]) -> None:
    Measurement.history.filter(patient_id=patient_id).delete()
    ClinicSession.history.filter(dose_id__in=dose_ids).delete()
    QuestionnaireResponse.history.filter(patient_id=patient_id).delete()


def _report_storage() -> Storage:
    field = Report._meta.get_field("pdf")
    if not isinstance(field, FileField):
        raise TypeError("Report.pdf is expected to be a FileField.")
    return field.storage


def _report_files_delete(*, patient_id: int, reports: list[Report]) -> None:
    for report in reports:
        report.files_delete()
    storage = _report_storage()
    folder = f"reports/{patient_id}"
    left = _files_under(storage, folder)
    for name in left:
        storage.delete(name)
    if left:
        logger.info("Deleted %d more report files of a deleted account", len(left))
    if isinstance(storage, FileSystemStorage):
        _empty_folders_remove(storage.path(folder))


def _files_under(storage: Storage, folder: str) -> list[str]:
    if not storage.exists(folder):
        return []
    folders, files = storage.listdir(folder)
    found = [f"{folder}/{name}" for name in files]
    for name in folders:
        found += _files_under(storage, f"{folder}/{name}")
    return found


def _empty_folders_remove(root: str) -> None:
    for path, _folders, files in os.walk(root, topdown=False):
        if not files:
            try:
                os.rmdir(path)
            except OSError:
                logger.warning("Could not remove the folder %s of a deleted account", path)
