"""Questionnaires a patient fills in: the PHQ-9 and GAD-7 (their published wording and
scoring live in `questionnaires.instruments`) and Sidelog's weekly recall of the patient's
usual symptoms.

A response stores the answers as given and the score and band worked out when it was
saved; the instrument's text is not copied into each response.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from journal.models import DoseEvent


class Instrument(models.TextChoices):
    PHQ_9 = "phq-9", "PHQ-9"
    GAD_7 = "gad-7", "GAD-7"
    WEEKLY_RECALL = "weekly-recall", "Your usual symptoms this week"


class QuestionnaireResponse(models.Model):
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="questionnaire_responses"
    )
    instrument = models.CharField(max_length=20, choices=Instrument.choices)
    # PHQ-9, GAD-7: one 0–3 answer per item, in the instrument's order (and the PHQ-9's
    # optional "how difficult" answer under `difficulty`). Weekly recall: one object per
    # symptom, {"side_effect": id, "frequency": 0-4, "severity": 0-4, "interference": 0-4}.
    answers = models.JSONField()
    difficulty = models.PositiveSmallIntegerField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    band = models.CharField(max_length=40, blank=True)
    completed_at = models.DateTimeField()
    dose = models.ForeignKey(
        DoseEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questionnaire_responses",
        help_text="The session this was filled in for, if any.",
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-completed_at", "-pk"]
        indexes = [models.Index(fields=["patient", "instrument", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.get_instrument_display()} on {self.completed_at:%Y-%m-%d}"


class QuestionnaireSchedule(models.Model):
    """When the patient wants to be asked to fill in an instrument."""

    class Every(models.TextChoices):
        NEVER = "never", "Only when I choose"
        SESSION = "session", "At every ketamine or esketamine session"
        WEEK = "week", "Every week"

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="questionnaire_schedules"
    )
    instrument = models.CharField(max_length=20, choices=Instrument.choices)
    every = models.CharField(max_length=10, choices=Every.choices, default=Every.NEVER)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "instrument"], name="one_schedule_per_instrument"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_instrument_display()}: {self.get_every_display()}"
