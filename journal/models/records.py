"""Patients' journals: their medication courses, the doses they take, the symptoms they log.

Sidelog records facts as the patient gives them. The regimen is stored as the prescriber
wrote it and never interpreted; doses are records, never proposals.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from accounts.text_limits import DOSE_AMOUNT, SYMPTOM_WORDS
from reference.models import Drug, Interference, Severity, SideEffect

# An entry logged this long after the event it describes is shown as back-filled.
BACKFILL_AFTER = timedelta(hours=24)


class MedicationCourse(models.Model):
    """One medicine a patient takes, from a start date, as their prescriber wrote it."""

    class Route(models.TextChoices):
        ORAL = "oral", "By mouth (tablet, capsule or liquid)"
        NASAL = "nasal", "Nasal spray"
        INTRAVENOUS = "iv", "IV infusion"
        INTRAMUSCULAR = "im", "Injection into a muscle"
        OTHER = "other", "Other"

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="courses"
    )
    # PROTECT: retiring library content must never take a patient's records with it.
    drug = models.ForeignKey(Drug, on_delete=models.PROTECT, related_name="courses")
    started_on = models.DateField()
    stopped_on = models.DateField(null=True, blank=True)
    route = models.CharField(max_length=10, choices=Route.choices)
    regimen = models.TextField(
        blank=True,
        help_text="As your prescriber wrote it, e.g. “56 mg twice a week in clinic”. "
        "Sidelog stores it as written and never interprets it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stopped_on__isnull=True) | Q(stopped_on__gte=F("started_on")),
                name="course_stops_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.drug.name} from {self.started_on:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("journal:course-edit", args=[self.pk])

    def is_active_on(self, day: date) -> bool:
        return self.started_on <= day and (self.stopped_on is None or day <= self.stopped_on)


class LoggedRecord(models.Model):
    """What a patient or their caregiver logs: a dose or a symptom. A record logged long
    after what it describes is shown as back-filled, one changed since as edited."""

    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def happened_at(self) -> datetime:
        raise NotImplementedError

    @property
    def is_backfilled(self) -> bool:
        return self.created_at - self.happened_at > BACKFILL_AFTER

    @property
    def is_edited(self) -> bool:
        return self.edited_at is not None


class DoseEvent(LoggedRecord):
    """A dose that was taken or given: a record of fact, never a proposal."""

    class Setting(models.TextChoices):
        HOME = "home", "At home"
        CLINIC = "clinic", "In clinic"

    course = models.ForeignKey(MedicationCourse, on_delete=models.CASCADE, related_name="doses")
    taken_at = models.DateTimeField("taken or given at")
    # Left empty when written: where this medicine is usually given (`usual_setting`).
    setting = models.CharField(max_length=10, choices=Setting.choices, blank=True)
    # As the patient writes it ("56 mg", "2 devices"): shown, never read as a number.
    amount = models.CharField(max_length=DOSE_AMOUNT, blank=True)
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-taken_at", "-pk"]
        indexes = [models.Index(fields=["course", "taken_at"])]
        constraints = [
            # `save` fills in the usual setting; a row written around it must say one too.
            models.CheckConstraint(
                condition=Q(setting__in=["home", "clinic"]), name="dose_setting_is_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.course.drug.name} dose at {self.taken_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.setting:
            self.setting = usual_setting(self.course.drug.slug)
        super().save(*args, **kwargs)

    @property
    def happened_at(self) -> datetime:
        return self.taken_at

    @property
    def offers_checkin(self) -> bool:
        """Ketamine and esketamine sessions get the post-dose check-in."""
        return self.course.drug.slug in CHECKIN_DRUG_SLUGS


class SymptomEntry(LoggedRecord):
    """One symptom as the patient experienced it: what, when, how bad, after which dose."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="symptom_entries"
    )
    side_effect = models.ForeignKey(
        SideEffect,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="symptom_entries",
    )
    other_symptom = models.CharField(max_length=SYMPTOM_WORDS, blank=True)
    # The library symptom that `other_symptom` names, read from its words or set by the
    # patient; red flags treat the entry as that symptom.
    matched_side_effect = models.ForeignKey(
        SideEffect, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    match_set_by_patient = models.BooleanField(default=False)
    # Slugs of the symptom's danger signs the patient ticked (reference.DangerSign).
    danger_signs = models.JSONField(default=list, blank=True)
    onset_at = models.DateTimeField("started at")
    resolved_at = models.DateTimeField("resolved at", null=True, blank=True)
    severity = models.PositiveSmallIntegerField(choices=Severity.choices)
    interference = models.PositiveSmallIntegerField(
        "interference with daily activities", choices=Interference.choices
    )
    notes = models.TextField(blank=True)
    dose = models.ForeignKey(
        DoseEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="symptom_entries",
        help_text="The dose this followed.",
    )
    from_checkin = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-onset_at", "-pk"]
        verbose_name_plural = "symptom entries"
        indexes = [models.Index(fields=["patient", "onset_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(severity__gte=0, severity__lte=4), name="severity_is_0_to_4"
            ),
            models.CheckConstraint(
                condition=Q(interference__gte=0, interference__lte=4),
                name="interference_is_0_to_4",
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | Q(resolved_at__gte=F("onset_at")),
                name="entry_resolves_after_onset",
            ),
            models.CheckConstraint(
                condition=(Q(side_effect__isnull=False) & Q(other_symptom=""))
                | (Q(side_effect__isnull=True) & ~Q(other_symptom="")),
                name="entry_names_one_symptom",
            ),
            models.CheckConstraint(
                condition=Q(matched_side_effect__isnull=True) | Q(side_effect__isnull=True),
                name="entry_matched_only_from_own_words",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.symptom_name} at {self.onset_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("journal:entry-detail", args=[self.pk])

    @property
    def symptom_name(self) -> str:
        return self.side_effect.name if self.side_effect else self.other_symptom

    @property
    def triage_side_effect_id(self) -> int | None:
        """The library symptom red flags read this entry as."""
        return self.side_effect_id or self.matched_side_effect_id

    @property
    def is_ongoing(self) -> bool:
        return self.resolved_at is None

    @property
    def duration(self) -> timedelta | None:
        return None if self.resolved_at is None else self.resolved_at - self.onset_at

    @property
    def happened_at(self) -> datetime:
        return self.onset_at

    @cached_property
    def severity_label(self) -> str:
        return Severity(self.severity).label

    @cached_property
    def interference_label(self) -> str:
        return Interference(self.interference).label


class CheckInRating(models.Model):
    """A quick rating of one symptom at one step of the check-in around a ketamine or
    esketamine session (`journal.checkin` says when each step is due)."""

    class Point(models.TextChoices):
        BEFORE = "before", "Before the dose"
        AFTER_40_MIN = "40min", "About 40 minutes after"
        AFTER_2_H = "2h", "About 2 hours after"
        EVENING = "evening", "In the evening"
        NEXT_MORNING = "morning", "The next morning"

    dose = models.ForeignKey(DoseEvent, on_delete=models.CASCADE, related_name="checkin_ratings")
    side_effect = models.ForeignKey(SideEffect, on_delete=models.PROTECT, related_name="+")
    point = models.CharField(max_length=10, choices=Point.choices)
    severity = models.PositiveSmallIntegerField(choices=Severity.choices)
    interference = models.PositiveSmallIntegerField(
        choices=Interference.choices, null=True, blank=True
    )
    # When the patient said it was gone ("gone now" at this step); null if not said.
    resolved_at = models.DateTimeField(null=True, blank=True)
    # Given after the step's window had closed.
    recorded_late = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["dose", "side_effect__name", "point"]
        constraints = [
            models.UniqueConstraint(
                fields=["dose", "side_effect", "point"], name="one_rating_per_symptom_and_point"
            ),
            models.CheckConstraint(
                condition=Q(severity__gte=0, severity__lte=4), name="checkin_severity_is_0_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.side_effect} {self.get_point_display().lower()}: {self.severity}"


CHECKIN_DRUG_SLUGS = frozenset({"ketamine", "esketamine"})
# How a medicine is usually given, for a course whose route is left out: esketamine is a
# nasal spray used only in a certified clinic, ketamine for depression an IV infusion.
USUAL_ROUTES = {
    "esketamine": MedicationCourse.Route.NASAL,
    "ketamine": MedicationCourse.Route.INTRAVENOUS,
}
CLINIC_DRUG_SLUGS = frozenset({"ketamine", "esketamine"})


def usual_route(drug_slug: str) -> str:
    return USUAL_ROUTES.get(drug_slug, MedicationCourse.Route.ORAL)


def usual_setting(drug_slug: str) -> str:
    """Where a dose of this medicine is taken unless the patient says otherwise."""
    return DoseEvent.Setting.CLINIC if drug_slug in CLINIC_DRUG_SLUGS else DoseEvent.Setting.HOME


CHECKIN_SIDE_EFFECT_SLUGS = ("dissociation", "drowsiness", "dizziness", "nausea")
# The steps fixed by their time after the dose; `journal.checkin.checkin_due_at` gives
# every step's time, the evening's and the next morning's included.
CHECKIN_OFFSETS = {
    CheckInRating.Point.BEFORE: timedelta(0),
    CheckInRating.Point.AFTER_40_MIN: timedelta(minutes=40),
    CheckInRating.Point.AFTER_2_H: timedelta(hours=2),
}
