"""Pat's journal with one of everything, for the export and deletion tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from journal import services
from journal.models import DoseEvent, MedicationCourse, SymptomEntry
from reports.models import Report
from sharing import services as sharing
from sharing.models import CareRelationship, ProviderGrant
from tests.support.factories import CourseFactory, DoseFactory, EntryFactory, seeded_side_effect
from tests.support.reports import ready_report

NOTES_FORMULA = '=HYPERLINK("http://evil.example","click")'


@dataclass
class PatsData:
    course: MedicationCourse
    dose: DoseEvent
    entries: list[SymptomEntry]
    ready: Report
    queued: Report
    link: sharing.NewShareLink
    grant: ProviderGrant
    invitation: CareRelationship


def pats_data_fill(patient: User) -> PatsData:
    """A journal with one of everything: courses, doses, a check-in, entries (one edited),
    a ready and a queued report, a share link, a provider grant and a caregiver invitation."""
    now = timezone.now()
    course = CourseFactory.create(patient=patient)
    CourseFactory.create(patient=patient, stopped_on=timezone.localdate())
    dose = DoseFactory.create(course=course, taken_at=now - timedelta(hours=5))
    DoseFactory.create(course=course, taken_at=now - timedelta(days=3), note="-2 sprays?")
    for point, severity in (("before", 0), ("40min", 3), ("2h", 1)):
        services.checkin_step_record(
            dose=dose,
            point=point,
            ratings=[
                services.StepRating(
                    side_effect=seeded_side_effect("dissociation"),
                    severity=severity,
                    interference=2 if severity else None,
                )
            ],
            logged_by=patient,
        )
    dizzy = EntryFactory.create(patient=patient, dose=dose, notes=NOTES_FORMULA)
    tingling = EntryFactory.create(
        patient=patient, side_effect=None, other_symptom="Tingling lips", dose=None
    )
    services.symptom_entry_update(
        entry=tingling,
        data=services.EntryInput(
            side_effect=None,
            other_symptom="Tingling lips",
            onset_at=tingling.onset_at,
            resolved_at=tingling.onset_at + timedelta(minutes=30),
            severity=3,
            interference=2,
            notes="+ worse after the second spray",
        ),
        dose=None,
    )
    ready = ready_report(patient, include_notes=True, courses=[course])
    today = timezone.localdate()
    queued = Report.objects.create(
        patient=patient, requested_by=patient, period_start=today, period_end=today
    )
    link = sharing.share_link_create(
        report=ready, recipient="Dr Okafor, Riverside Clinic", created_by=patient,
        with_access_code=True,
    )  # fmt: skip
    grant = sharing.provider_grant_create(
        patient=patient, provider_email="okafor@example.org", all_reports=False, reports=[ready]
    ).grant
    invitation = sharing.caregiver_invite(patient=patient, email="cara@example.org").relationship
    return PatsData(
        course=course,
        dose=dose,
        entries=[dizzy, tingling],
        ready=ready,
        queued=queued,
        link=link,
        grant=grant,
        invitation=invitation,
    )
