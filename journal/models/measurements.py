"""What a patient measures beside their symptoms: blood pressure, pulse, oxygen saturation and
temperature, and the record of a session given in a clinic.

A reading is a number as the cuff, oximeter or thermometer showed it. Sidelog checks it is a
number such a device can show, stores it (a temperature in °C, whatever the patient typed),
and matches it against the library's measurement rules (`reference.MeasurementRule`),
which send the patient to a person; it never reads a reading as a reason to change a dose.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from journal.models.records import DoseEvent, LoggedRecord
from reference.models import MeasurementKind


class Bounds(NamedTuple):
    """The lowest and highest value a device shows and a living patient can have."""

    low: Decimal
    high: Decimal
    unit: str


# Checked by the model, the pages and the API alike: a reading outside is refused, with
# nothing saved. Wide on purpose: a reading that is real but alarming must go through and
# raise its red flag, never be refused.
SYSTOLIC = Bounds(Decimal(50), Decimal(300), "mmHg")
DIASTOLIC = Bounds(Decimal(20), Decimal(200), "mmHg")
PULSE = Bounds(Decimal(20), Decimal(250), "beats per minute")
OXYGEN_SATURATION = Bounds(Decimal(50), Decimal(100), "%")
BODY_TEMPERATURE_C = Bounds(Decimal("30.0"), Decimal("45.0"), "°C")
VALUE_BOUNDS = {
    MeasurementKind.HEART_RATE: PULSE,
    MeasurementKind.OXYGEN_SATURATION: OXYGEN_SATURATION,
    MeasurementKind.BODY_TEMPERATURE: BODY_TEMPERATURE_C,
}


def celsius_from_fahrenheit(value: Decimal) -> Decimal:
    return ((value - 32) * 5 / 9).quantize(Decimal("0.1"))


def fahrenheit_from_celsius(value: Decimal) -> Decimal:
    return (value * 9 / 5 + 32).quantize(Decimal("0.1"))


class Measurement(LoggedRecord):
    """One reading: blood pressure (with an optional pulse), heart rate, oxygen saturation
    or body temperature, at a time, perhaps around a dose."""

    Kind = MeasurementKind

    class Context(models.TextChoices):
        BEFORE_DOSE = "before_dose", "Before the dose"
        AFTER_40_MIN = "after_40min", "About 40 minutes after the dose"
        DISCHARGE = "discharge", "Before leaving the clinic"
        HOME = "home", "At home"

    class TemperatureUnit(models.TextChoices):
        CELSIUS = "C", "°C"
        FAHRENHEIT = "F", "°F"

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="measurements"
    )
    kind = models.CharField(max_length=20, choices=MeasurementKind.choices)
    measured_at = models.DateTimeField("measured at")
    # Blood pressure, mmHg; `pulse` is the rate the cuff showed with it, if any.
    systolic = models.PositiveSmallIntegerField(null=True, blank=True)
    diastolic = models.PositiveSmallIntegerField(null=True, blank=True)
    pulse = models.PositiveSmallIntegerField(null=True, blank=True)
    # Heart rate (beats per minute), oxygen saturation (%) or body temperature (°C).
    value = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    # The unit the patient typed a temperature in: shown back to them in it.
    entered_unit = models.CharField(
        max_length=1, choices=TemperatureUnit.choices, blank=True, default=""
    )
    context = models.CharField(max_length=20, choices=Context.choices, default=Context.HOME)
    # The patient said they had warning signs with the reading (the rule's `signs`, e.g.
    # chest pain or a sudden severe headache with a high blood pressure).
    with_warning_signs = models.BooleanField(default=False)
    dose = models.ForeignKey(
        DoseEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measurements",
        help_text="The dose this reading was taken around.",
    )
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-measured_at", "-pk"]
        indexes = [models.Index(fields=["patient", "measured_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="blood_pressure",
                        systolic__gte=SYSTOLIC.low,
                        systolic__lte=SYSTOLIC.high,
                        diastolic__gte=DIASTOLIC.low,
                        diastolic__lte=DIASTOLIC.high,
                        value__isnull=True,
                    )
                    & (Q(pulse__isnull=True) | Q(pulse__gte=PULSE.low, pulse__lte=PULSE.high))
                )
                | (
                    ~Q(kind="blood_pressure")
                    & Q(
                        value__isnull=False,
                        systolic__isnull=True,
                        diastolic__isnull=True,
                        pulse__isnull=True,
                    )
                ),
                name="measurement_has_its_kinds_values",
            ),
            models.CheckConstraint(
                condition=~Q(kind="heart_rate") | Q(value__gte=PULSE.low, value__lte=PULSE.high),
                name="heart_rate_in_range",
            ),
            models.CheckConstraint(
                condition=~Q(kind="oxygen_saturation")
                | Q(value__gte=OXYGEN_SATURATION.low, value__lte=OXYGEN_SATURATION.high),
                name="oxygen_saturation_in_range",
            ),
            models.CheckConstraint(
                condition=~Q(kind="body_temperature")
                | Q(value__gte=BODY_TEMPERATURE_C.low, value__lte=BODY_TEMPERATURE_C.high),
                name="body_temperature_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reading} at {self.measured_at:%Y-%m-%d %H:%M}"

    @property
    def happened_at(self) -> datetime:
        return self.measured_at

    @property
    def reading(self) -> str:
        """As a person reads it: "176/104 mmHg, pulse 92", "38.6 °C", "94 %"."""
        if self.kind == MeasurementKind.BLOOD_PRESSURE:
            text = f"{self.systolic}/{self.diastolic} mmHg"
            return text if self.pulse is None else f"{text}, pulse {self.pulse}"
        if self.value is None:
            return ""
        if self.kind == MeasurementKind.BODY_TEMPERATURE:
            if self.entered_unit == self.TemperatureUnit.FAHRENHEIT:
                return f"{fahrenheit_from_celsius(self.value)} °F"
            return f"{self.value} °C"
        if self.kind == MeasurementKind.HEART_RATE:
            return f"{self.value.normalize():f} beats per minute"
        return f"{self.value.normalize():f} %"


class ClinicSession(models.Model):
    """What the clinic said about a ketamine or esketamine session given there, as the
    patient (or their caregiver) copies it down. The clinic's blood pressure readings are
    `Measurement`s linked to the dose, with their context."""

    class WentHome(models.TextChoices):
        DRIVEN = "driven", "Someone drove me"
        TAXI = "taxi", "Taxi or ride service"
        PUBLIC_TRANSPORT = "public_transport", "Public transport with someone"
        WALKED = "walked", "Walked with someone"
        OTHER = "other", "Other"

    dose = models.OneToOneField(DoseEvent, on_delete=models.CASCADE, related_name="clinic_session")
    ready_to_leave_at = models.DateTimeField(
        "the clinic said I was ready to leave at", null=True, blank=True
    )
    went_home = models.CharField(
        "how I got home", max_length=20, choices=WentHome.choices, blank=True
    )
    note = models.TextField(blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Clinic session for {self.dose}"
