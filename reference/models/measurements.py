"""Measurement rules: when a reading a patient logs (blood pressure, pulse, oxygen
saturation, temperature) sends them to a person, as red flags do for symptoms.

Content editors keep them in the admin like the red flags; each names its source in the
prescribing information or public guidance, and its guidance passes the dosing guard.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from reference.helplines import fill_in
from reference.models.library import (
    Drug,
    GuardedContent,
    PublishedQuerySet,
    RedFlag,
    rule_errors,
)


class MeasurementKind(models.TextChoices):
    BLOOD_PRESSURE = "blood_pressure", "Blood pressure"
    HEART_RATE = "heart_rate", "Heart rate"
    OXYGEN_SATURATION = "oxygen_saturation", "Oxygen saturation"
    BODY_TEMPERATURE = "body_temperature", "Body temperature"


@dataclass(frozen=True)
class Reading:
    """A reading as a rule sees it, with the context a rule can ask about."""

    kind: str
    # Blood pressure: systolic and diastolic (mmHg). Other kinds: `value` (beats per
    # minute, %, or °C).
    systolic: int | None
    diastolic: int | None
    value: Decimal | None
    with_warning_signs: bool
    # Asked only when a rule gets that far, as for `Presentation`.
    on_drug: Callable[[int], bool]
    hours_since_dose: Callable[[int | None], float | None]


class MeasurementRule(GuardedContent):
    """A rule that, when a reading meets it, sends the patient to a person.

    A reading meets the rule when it is at or above the rule's high mark or below its low
    mark (for blood pressure: the systolic or the diastolic at or above its mark), and,
    where the rule says so, the patient has warning signs, is on the rule's drug, and took a
    dose of it within the hours given.
    """

    Action = RedFlag.Action

    kind = models.CharField(max_length=20, choices=MeasurementKind.choices)
    drug = models.ForeignKey(
        Drug,
        on_delete=models.CASCADE,
        related_name="measurement_rules",
        null=True,
        blank=True,
        help_text="Leave empty for a rule on every drug.",
    )
    at_or_above = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Fires at this value or higher: systolic mmHg for blood pressure, beats per "
        "minute, % or °C.",
    )
    diastolic_at_or_above = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Blood pressure only: also fires at this diastolic mmHg or higher.",
    )
    below = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Fires below this value.",
    )
    needs_warning_signs = models.BooleanField(
        default=False,
        help_text="Fires only when the patient says they have the warning signs in “signs”.",
    )
    within_hours_of_dose = models.PositiveSmallIntegerField(
        "within hours of a dose",
        null=True,
        blank=True,
        help_text="Fires only on a reading within this many hours after a dose of the rule's "
        "drug. Leave empty for any time.",
    )
    action = models.CharField(max_length=20, choices=RedFlag.Action.choices)
    signs = models.TextField(help_text="The signs to watch for, in plain words.")
    guidance = models.TextField(
        help_text="What to do: who to contact and how. A person to call, never a dose change. "
        "Write {emergency_number} and {crisis_line}: each patient reads their own country's."
    )
    sources = models.TextField(
        help_text="Where the rule comes from: the prescribing information or Medication Guide "
        "(section and revision date) or the guidance it follows, one per line.",
    )
    is_published = models.BooleanField("published", default=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = PublishedQuerySet.as_manager()

    guarded_fields = ("signs", "guidance")

    class Meta:
        ordering = ["kind", "drug__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(at_or_above__isnull=False)
                | models.Q(diastolic_at_or_above__isnull=False)
                | models.Q(below__isnull=False),
                name="measurement_rule_has_a_mark",
            ),
        ]

    def __str__(self) -> str:
        marks = []
        if self.at_or_above is not None:
            marks.append(f"≥ {self.at_or_above.normalize():f}")
        if self.diastolic_at_or_above is not None:
            marks.append(f"diastolic ≥ {self.diastolic_at_or_above.normalize():f}")
        if self.below is not None:
            marks.append(f"< {self.below.normalize():f}")
        text = f"{self.get_kind_display()} {' or '.join(marks)}"
        text += f" on {self.drug.name if self.drug else 'any drug'}"
        if self.needs_warning_signs:
            text += ", with warning signs"
        if self.within_hours_of_dose is not None:
            text += f", within {self.within_hours_of_dose} h of a dose"
        return text

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.at_or_above is None and self.diastolic_at_or_above is None and self.below is None:
            errors["at_or_above"] = "Give a mark: at or above, or below."
        if self.diastolic_at_or_above is not None and self.kind != MeasurementKind.BLOOD_PRESSURE:
            errors["diastolic_at_or_above"] = "Only a blood pressure rule has a diastolic mark."
        errors.update(rule_errors(self.guidance, self.within_hours_of_dose, self.drug_id))
        if errors:
            raise ValidationError(errors)
        super().clean()

    def guidance_for(self, country: str | None) -> str:
        """The guidance with the emergency and crisis numbers of the patient's country."""
        return fill_in(self.guidance, country)

    def matches(self, reading: Reading) -> bool:
        if reading.kind != self.kind or not self._beyond_mark(reading):
            return False
        if self.needs_warning_signs and not reading.with_warning_signs:
            return False
        if self.drug_id is not None and not reading.on_drug(self.drug_id):
            return False
        if self.within_hours_of_dose is not None:
            hours = reading.hours_since_dose(self.drug_id)
            if hours is None or hours > self.within_hours_of_dose:
                return False
        return True

    def _beyond_mark(self, reading: Reading) -> bool:
        primary = (
            reading.systolic if reading.kind == MeasurementKind.BLOOD_PRESSURE else reading.value
        )
        if primary is None:
            return False
        if self.at_or_above is not None and primary >= self.at_or_above:
            return True
        if (
            self.diastolic_at_or_above is not None
            and reading.diastolic is not None
            and reading.diastolic >= self.diastolic_at_or_above
        ):
            return True
        return self.below is not None and primary < self.below
