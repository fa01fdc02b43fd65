"""The reference library: drugs, side effects, how often each drug reports each, red flags.

Every model keeps its full edit history (django-simple-history) so a content editor can
see who changed what, and every text field passes the dosing-advice guard (`clean`).
"""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from reference.safety import find_dosage_advice


class Severity(models.IntegerChoices):
    """How bad a symptom is, 0–4. Shared by journal entries and red-flag rules."""

    NONE = 0, "None"
    MILD = 1, "Mild"
    MODERATE = 2, "Moderate"
    SEVERE = 3, "Severe"
    VERY_SEVERE = 4, "Very severe"


class Interference(models.IntegerChoices):
    """How much a symptom got in the way of usual or daily activities, 0–4."""

    NOT_AT_ALL = 0, "Not at all"
    A_LITTLE_BIT = 1, "A little bit"
    SOMEWHAT = 2, "Somewhat"
    QUITE_A_BIT = 3, "Quite a bit"
    VERY_MUCH = 4, "Very much"


def dosage_advice_errors(instance: models.Model, field_names: list[str]) -> dict[str, str]:
    """Field errors for every text field of `instance` that reads as dosing advice."""
    errors: dict[str, str] = {}
    for name in field_names:
        phrases = find_dosage_advice(getattr(instance, name) or "")
        if phrases:
            quoted = "; ".join(f"“{phrase}”" for phrase in phrases)
            errors[name] = (
                f"This reads as dosing advice, which Sidelog never gives: {quoted}. "
                "Describe the effect and send people to their prescriber instead."
            )
    return errors


class GuardedContent(models.Model):
    """Content whose text fields must never give dosing advice."""

    guarded_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        errors = dosage_advice_errors(self, list(self.guarded_fields))
        if errors:
            raise ValidationError(errors)


class PublishedQuerySet(models.QuerySet):
    def published(self) -> PublishedQuerySet:
        return self.filter(is_published=True)


class Drug(GuardedContent):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    brand_names = models.CharField(
        max_length=200, blank=True, help_text="Comma-separated, e.g. “Spravato”."
    )
    drug_class = models.CharField("class", max_length=200)
    mechanism = models.TextField(help_text="How it works, in plain words.")
    treats = models.TextField("what it treats")
    routes = models.CharField("routes and forms", max_length=300)
    rxnorm_code = models.CharField("RxNorm code", max_length=20, blank=True)
    atc_code = models.CharField("ATC code", max_length=10, blank=True)
    summary = models.TextField()
    is_published = models.BooleanField("published", default=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = PublishedQuerySet.as_manager()

    guarded_fields = ("brand_names", "drug_class", "mechanism", "treats", "routes", "summary")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("reference:drug-detail", args=[self.slug])

    @property
    def brand_name_list(self) -> list[str]:
        return [name.strip() for name in self.brand_names.split(",") if name.strip()]


class SideEffect(GuardedContent):
    class Category(models.TextChoices):
        COMMON = "common", "Common"
        DISSOCIATIVE = "dissociative", "Dissociative"
        SERIOUS = "serious", "Serious"

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    category = models.CharField(max_length=20, choices=Category.choices)
    description = models.TextField(help_text="What it feels like, in plain words.")
    typical_course = models.TextField(
        blank=True, help_text="When it tends to start and how long it usually lasts."
    )
    self_care = models.TextField(
        blank=True, help_text="What helps while it lasts. Never anything about the dose."
    )
    is_published = models.BooleanField("published", default=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = PublishedQuerySet.as_manager()

    guarded_fields = ("name", "description", "typical_course", "self_care")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("reference:side-effect-detail", args=[self.slug])


class DrugSideEffect(GuardedContent):
    """How often a drug's label or studies report a side effect."""

    class Frequency(models.TextChoices):
        VERY_COMMON = "very_common", "Very common (10% or more)"
        COMMON = "common", "Common (1–10%)"
        UNCOMMON = "uncommon", "Uncommon (0.1–1%)"
        RARE = "rare", "Rare (under 0.1%)"
        REPORTED = "reported", "Reported (how often is not known)"

    drug = models.ForeignKey(Drug, on_delete=models.CASCADE, related_name="side_effect_links")
    side_effect = models.ForeignKey(SideEffect, on_delete=models.CASCADE, related_name="drug_links")
    frequency = models.CharField(max_length=20, choices=Frequency.choices)
    label_percent = models.DecimalField(
        "label %",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Share of people on the drug who reported it in trials, where known.",
    )
    notes = models.TextField(blank=True, help_text="What is specific to this drug.")
    history = HistoricalRecords()

    guarded_fields = ("notes",)

    class Meta:
        ordering = ["drug__name", "side_effect__name"]
        constraints = [
            models.UniqueConstraint(fields=["drug", "side_effect"], name="unique_drug_side_effect"),
            models.CheckConstraint(
                condition=models.Q(label_percent__isnull=True)
                | models.Q(label_percent__gte=0, label_percent__lte=100),
                name="label_percent_is_a_percentage",
            ),
        ]
        verbose_name = "drug side effect"

    def __str__(self) -> str:
        return f"{self.side_effect} on {self.drug}"

    @property
    def frequency_label(self) -> str:
        """What a reader sees: the label percentage where known, else the band."""
        if self.label_percent is not None:
            return f"{self.label_percent.normalize():f}% in trials"
        return self.get_frequency_display()


class RedFlag(GuardedContent):
    """A rule that, when a journal entry matches, sends the person to a human.

    A rule with no side effect matches any symptom at or above its minimum severity;
    one with no drug matches entries on any drug.
    """

    class Action(models.TextChoices):
        EMERGENCY = "emergency", "Call emergency services now"
        PRESCRIBER_TODAY = "prescriber_today", "Contact your prescriber today"
        NEXT_VISIT = "next_visit", "Mention it at your next visit"

    side_effect = models.ForeignKey(
        SideEffect,
        on_delete=models.CASCADE,
        related_name="red_flags",
        null=True,
        blank=True,
        help_text="Leave empty for a rule on any symptom (then set a minimum severity).",
    )
    drug = models.ForeignKey(
        Drug,
        on_delete=models.CASCADE,
        related_name="red_flags",
        null=True,
        blank=True,
        help_text="Leave empty for a rule on every drug.",
    )
    min_severity = models.PositiveSmallIntegerField(
        "minimum severity", choices=Severity.choices, null=True, blank=True
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    signs = models.TextField(help_text="The signs to watch for, in plain words.")
    guidance = models.TextField(
        help_text="What to do: who to contact and how. A person to call, never a dose change."
    )
    is_published = models.BooleanField("published", default=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = PublishedQuerySet.as_manager()

    guarded_fields = ("signs", "guidance")

    class Meta:
        ordering = ["side_effect__name", "drug__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(side_effect__isnull=False)
                | models.Q(min_severity__isnull=False),
                name="red_flag_has_side_effect_or_severity",
            ),
        ]

    def __str__(self) -> str:
        what = self.side_effect.name if self.side_effect else "Any symptom"
        if self.min_severity is not None:
            what += f" ({Severity(self.min_severity).label.lower()} or worse)"
        return f"{what} on {self.drug.name if self.drug else 'any drug'}"

    def clean(self) -> None:
        if self.side_effect_id is None and self.min_severity is None:
            raise ValidationError(
                {"min_severity": "A rule for any symptom needs a minimum severity."}
            )
        super().clean()

    def matches(
        self, *, side_effect_id: int | None, drug_ids: Collection[int], severity: int
    ) -> bool:
        """Does a symptom with these facts, felt while on `drug_ids`, meet this rule?"""
        if self.side_effect_id is not None and self.side_effect_id != side_effect_id:
            return False
        if self.drug_id is not None and self.drug_id not in drug_ids:
            return False
        return self.min_severity is None or severity >= self.min_severity
