"""Readings and clinic sessions, read from the patient; the measurement rules a reading meets."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from journal.models import ClinicSession, DoseEvent, Measurement
from journal.selectors.red_flags import PatientRules
from reference.models import MeasurementRule, Reading
from reference.selectors import library_copy, measurement_rules_matching


def measurement_list(
    *,
    patient: User,
    start: datetime | None = None,
    end: datetime | None = None,
    kind: str | None = None,
    dose_id: int | None = None,
) -> QuerySet[Measurement]:
    """A patient's readings, newest first, with their doses (and the doses' drugs)."""
    rows = Measurement.objects.filter(patient=patient).select_related(
        "dose__course__drug", "logged_by__profile"
    )
    if start is not None:
        rows = rows.filter(measured_at__gte=start)
    if end is not None:
        rows = rows.filter(measured_at__lt=end)
    if kind:
        rows = rows.filter(kind=kind)
    if dose_id is not None:
        rows = rows.filter(dose_id=dose_id)
    return rows


def measurement_get(*, patient: User, pk: int) -> Measurement:
    return get_object_or_404(measurement_list(patient=patient), pk=pk)


def readings_of_dose(dose: DoseEvent) -> list[Measurement]:
    """The readings linked to a dose, in the order they were taken."""
    return list(
        Measurement.objects.filter(dose=dose)
        .select_related("logged_by__profile")
        .order_by("measured_at", "pk")
    )


def clinic_session_of(dose: DoseEvent) -> ClinicSession | None:
    return ClinicSession.objects.filter(dose=dose).select_related("logged_by__profile").first()


class MeasurementFlagger(PatientRules):
    """Matches a patient's readings to the library's published measurement rules.

    A rule with a drug applies when the patient was on that drug that day (a course active
    in their time zone, or the drug of the dose the reading is linked to), as for symptoms
    (`RedFlagMatcher`). Courses are read once, doses only when a rule asks.
    """

    def reading(self, measurement: Measurement) -> Reading:
        def on_drug(drug_id: int) -> bool:
            day = measurement.measured_at.astimezone(self.zone).date()
            if measurement.dose is not None and measurement.dose.course.drug_id == drug_id:
                return True
            return any(
                course.drug_id == drug_id and course.is_active_on(day) for course in self.courses
            )

        def hours_since_dose(drug_id: int | None) -> float | None:
            doses = DoseEvent.objects.filter(
                course__patient=self.patient, taken_at__lte=measurement.measured_at
            )
            if drug_id is not None:
                doses = doses.filter(course__drug_id=drug_id)
            latest = doses.order_by("-taken_at").values_list("taken_at", flat=True).first()
            if latest is None:
                return None
            return (measurement.measured_at - latest).total_seconds() / 3600

        return Reading(
            kind=measurement.kind,
            systolic=measurement.systolic,
            diastolic=measurement.diastolic,
            value=measurement.value,
            with_warning_signs=measurement.with_warning_signs,
            on_drug=on_drug,
            hours_since_dose=hours_since_dose,
        )

    def for_measurement(self, measurement: Measurement) -> list[MeasurementRule]:
        """Every rule the reading meets, the most urgent first."""
        return measurement_rules_matching(self.reading(measurement))


def measurement_flags_for(
    *, patient: User, measurements: Sequence[Measurement]
) -> dict[int, list[MeasurementRule]]:
    flagger = MeasurementFlagger(patient=patient)
    return {row.pk: flagger.for_measurement(row) for row in measurements}


def warning_signs_by_kind() -> dict[str, list[str]]:
    """The signs the library's rules ask about, in their own plain words, by kind."""
    signs: dict[str, list[str]] = {}
    for rule in library_copy().measurement_rules:
        if rule.needs_warning_signs and rule.signs not in signs.get(rule.kind, []):
            signs.setdefault(rule.kind, []).append(rule.signs)
    return signs
