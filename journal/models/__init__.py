"""Patients' journals, their reports, who they share them with, and the audit log."""

from journal.models.audit import AuditAction, AuditChainHead, AuditEvent, AuditOutcome
from journal.models.records import (
    BACKFILL_AFTER,
    CHECKIN_DRUG_SLUGS,
    CHECKIN_OFFSETS,
    CHECKIN_SIDE_EFFECT_SLUGS,
    CheckInRating,
    DoseEvent,
    MedicationCourse,
    Profile,
    SymptomEntry,
    patient_zone,
    usual_route,
    usual_setting,
    validate_time_zone,
)
from journal.models.reports import Report, report_upload_to
from journal.models.sharing import (
    CareRelationship,
    ProviderGrant,
    ShareLink,
    token_hash,
    token_new,
)

__all__ = [
    "BACKFILL_AFTER",
    "CHECKIN_DRUG_SLUGS",
    "CHECKIN_OFFSETS",
    "CHECKIN_SIDE_EFFECT_SLUGS",
    "AuditAction",
    "AuditChainHead",
    "AuditEvent",
    "AuditOutcome",
    "CareRelationship",
    "CheckInRating",
    "DoseEvent",
    "MedicationCourse",
    "Profile",
    "ProviderGrant",
    "Report",
    "ShareLink",
    "SymptomEntry",
    "patient_zone",
    "report_upload_to",
    "token_hash",
    "token_new",
    "usual_route",
    "usual_setting",
    "validate_time_zone",
]
