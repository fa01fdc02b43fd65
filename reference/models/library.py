"""The reference library: drugs, side effects, how often each drug reports each, red flags.

Every model keeps its full edit history (django-simple-history) so a content editor can
see who changed what, and every text field passes the dosing-advice guard (`clean`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from reference.helplines import fill_in, unknown_placeholders
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


def sentence_key(sentence: str) -> str:
    """How a flagged sentence is matched to its clearance: line breaks and spacing don't count."""
    return " ".join(sentence.split())


class DosageAdviceReview(NamedTuple):
    """What the dosing-advice guard, with second editors' clearances, says of some fields."""

    errors: dict[str, str]
    """A field error for each field with a flagged sentence that no second editor cleared."""
    uncleared: dict[str, list[str]]
    """Those sentences, by field."""
    cleared: list[AdviceClearance]
    """Confirmed clearances that let a flagged sentence through."""


def dosage_advice_review(instance: models.Model, field_names: list[str]) -> DosageAdviceReview:
    """Run every named text field of `instance` through the guard.

    The one place where a sentence that a second content editor confirmed is not dosing
    advice (an `AdviceClearance`) is let through; everything else the guard flags is
    refused with a field error.
    """
    flagged = {name: find_dosage_advice(getattr(instance, name) or "") for name in field_names}
    keys = {sentence_key(phrase) for phrases in flagged.values() for phrase in phrases}
    confirmed = {
        clearance.sentence: clearance
        for clearance in AdviceClearance.objects.confirmed()
        .filter(sentence__in=keys)
        .select_related("confirmed_by")
    }
    errors: dict[str, str] = {}
    uncleared: dict[str, list[str]] = {}
    cleared: dict[int, AdviceClearance] = {}
    for name, phrases in flagged.items():
        for phrase in phrases:
            clearance = confirmed.get(sentence_key(phrase))
            if clearance is None:
                uncleared.setdefault(name, []).append(phrase)
            else:
                cleared[clearance.pk] = clearance
        if name in uncleared:
            quoted = "; ".join(f"“{phrase}”" for phrase in uncleared[name])
            errors[name] = (
                f"This reads as dosing advice, which Sidelog never gives: {quoted}. "
                "Describe the effect and send people to their prescriber instead. "
                "If it is not advice, a second content editor must confirm that under "
                "“Advice clearances” before it can be saved."
            )
    return DosageAdviceReview(errors, uncleared, list(cleared.values()))


def dosage_advice_errors(instance: models.Model, field_names: list[str]) -> dict[str, str]:
    """Field errors for every text field of `instance` that reads as dosing advice (and
    that no second content editor has confirmed is not)."""
    return dosage_advice_review(instance, field_names).errors


def rule_errors(
    guidance: str | None, within_hours: int | None, drug_id: int | None
) -> dict[str, str]:
    """What red flags and measurement rules check alike: a dose window needs its drug, and
    the guidance may name only the numbers Sidelog fills in."""
    errors: dict[str, str] = {}
    if within_hours is not None and drug_id is None:
        errors["within_hours_of_dose"] = "Choose the drug whose dose this counts from."
    unknown = unknown_placeholders(guidance or "")
    if unknown:
        names = ", ".join(f"{{{name}}}" for name in unknown)
        errors["guidance"] = (
            f"Sidelog can't fill in {names}. Write {{emergency_number}} or {{crisis_line}}."
        )
    return errors


class GuardedContent(models.Model):
    """Content whose text fields must never give dosing advice."""

    guarded_fields: tuple[str, ...] = ()
    _change_reason: str
    """Read by django-simple-history when the row is saved: why this version exists."""

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        review = dosage_advice_review(self, list(self.guarded_fields))
        if review.errors:
            raise ValidationError(review.errors)
        newly_cleared = [c for c in review.cleared if not self._stored_text_has(c.sentence)]
        if newly_cleared:
            # Kept in this object's history: the save went through on a second editor's word.
            reason = "; ".join(clearance.history_note for clearance in newly_cleared)
            self._change_reason = reason if len(reason) <= 100 else reason[:99] + "…"

    def _stored_text_has(self, sentence: str) -> bool:
        """Whether the saved version of this row already holds `sentence` (so this save
        does not go through thanks to its clearance)."""
        if self.pk is None:
            return False
        stored = type(self)._default_manager.filter(pk=self.pk).values(*self.guarded_fields)
        row = stored.first() or {}
        return any(sentence_key(sentence) in sentence_key(text or "") for text in row.values())


class AdviceClearanceQuerySet(models.QuerySet["AdviceClearance"]):
    def confirmed(self) -> AdviceClearanceQuerySet:
        return self.filter(confirmed_at__isnull=False)

    def pending(self) -> AdviceClearanceQuerySet:
        return self.filter(confirmed_at__isnull=True)


class AdviceClearance(models.Model):
    """A sentence the dosing-advice guard flagged in an editor's text, and a second content
    editor's word that it is not dosing advice.

    Asked for by the admin when it refuses an editor's save; until another content editor
    confirms it (with a reason) the sentence stays refused. Once confirmed, the guard lets
    that sentence through in content editors' text, and the save it lets through says so in
    the saved object's history.
    """

    sentence = models.TextField(help_text="The flagged sentence, as the guard quoted it.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="advice_clearances_requested",
    )
    requested_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="advice_clearances_confirmed",
        null=True,
        blank=True,
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(
        blank=True, help_text="Why this sentence is not dosing advice, in a line or two."
    )
    history = HistoricalRecords()

    objects = AdviceClearanceQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(confirmed_by__isnull=True, confirmed_at__isnull=True)
                | (
                    models.Q(confirmed_by__isnull=False, confirmed_at__isnull=False)
                    & ~models.Q(reason="")
                    & ~models.Q(confirmed_by=models.F("requested_by"))
                ),
                name="advice_clearance_confirmed_by_another_editor_with_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.sentence if len(self.sentence) <= 80 else self.sentence[:79] + "…"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def history_note(self) -> str:
        """What the history of an object saved thanks to this clearance says."""
        if self.confirmed_by is None or self.confirmed_at is None:
            return ""
        day = timezone.localdate(self.confirmed_at).isoformat()
        return f"Confirmed not dosing advice by {self.confirmed_by} on {day}: {self.reason}"


class PublishedQuerySet(models.QuerySet):
    def published(self) -> PublishedQuerySet:
        return self.filter(is_published=True)


class LibraryEntry(GuardedContent):
    """A page of the reference library: a drug or a side effect, by name, with its history;
    shown to the public once published."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    is_published = models.BooleanField("published", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Drug(LibraryEntry):
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
    history = HistoricalRecords()

    guarded_fields = ("brand_names", "drug_class", "mechanism", "treats", "routes", "summary")

    def get_absolute_url(self) -> str:
        return reverse("reference:drug-detail", args=[self.slug])

    @property
    def brand_name_list(self) -> list[str]:
        return [name.strip() for name in self.brand_names.split(",") if name.strip()]


class SideEffect(LibraryEntry):
    class Category(models.TextChoices):
        COMMON = "common", "Common"
        DISSOCIATIVE = "dissociative", "Dissociative"
        SERIOUS = "serious", "Serious"

    category = models.CharField(max_length=20, choices=Category.choices)
    description = models.TextField(help_text="What it feels like, in plain words.")
    typical_course = models.TextField(
        blank=True, help_text="When it tends to start and how long it usually lasts."
    )
    self_care = models.TextField(
        blank=True, help_text="What helps while it lasts. Never anything about the dose."
    )
    synonyms = models.TextField(
        blank=True,
        help_text="Other words people type for it, one per line (“blisters on the lips”, "
        "“pins and needles”). A symptom described in the patient's own words is matched to "
        "this one by its name and these, in any word form and any order.",
    )
    history = HistoricalRecords()

    guarded_fields = ("name", "description", "typical_course", "self_care", "synonyms")

    def get_absolute_url(self) -> str:
        return reverse("reference:side-effect-detail", args=[self.slug])

    @property
    def synonym_list(self) -> list[str]:
        return [line.strip() for line in self.synonyms.splitlines() if line.strip()]


class DangerSign(GuardedContent):
    """A sign that makes a symptom more urgent ("blisters" with a rash, "stiff neck" with a
    headache). The entry form offers a symptom's signs as checkboxes; a red flag can ask
    for one of them."""

    side_effect = models.ForeignKey(
        SideEffect, on_delete=models.CASCADE, related_name="danger_signs"
    )
    slug = models.SlugField(
        max_length=60, help_text="Kept with every entry that ticks it: don't change it later."
    )
    label = models.CharField(max_length=200, help_text="As the patient reads it, e.g. “Blisters”.")
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    guarded_fields = ("label",)

    class Meta:
        ordering = ["side_effect__name", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["side_effect", "slug"], name="danger_sign_slug_unique_per_side_effect"
            )
        ]

    def __str__(self) -> str:
        return f"{self.side_effect.name}: {self.label}"


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
    danger_signs = models.ManyToManyField(
        DangerSign,
        blank=True,
        related_name="red_flags",
        help_text="Fires only when the patient ticks at least one of these. "
        "Leave empty for a rule that doesn't depend on them.",
    )
    within_hours_of_dose = models.PositiveSmallIntegerField(
        "within hours of a dose",
        null=True,
        blank=True,
        help_text="Fires only when the symptom started within this many hours after a dose of "
        "the rule's drug. Leave empty for any time.",
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    signs = models.TextField(help_text="The signs to watch for, in plain words.")
    guidance = models.TextField(
        help_text="What to do: who to contact and how. A person to call, never a dose change. "
        "Write {emergency_number} and {crisis_line}: each patient reads their own country's."
    )
    sources = models.TextField(
        default="",
        help_text="Where the rule comes from: the prescribing information or Medication Guide "
        "(section and revision date) or the guidance it follows, one per line.",
    )
    is_published = models.BooleanField("published", default=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[danger_signs])

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
        what += f" on {self.drug.name if self.drug else 'any drug'}"
        if self.within_hours_of_dose is not None:
            what += f", within {self.within_hours_of_dose} h of a dose"
        return what

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.side_effect_id is None and self.min_severity is None:
            errors["min_severity"] = "A rule for any symptom needs a minimum severity."
        errors.update(rule_errors(self.guidance, self.within_hours_of_dose, self.drug_id))
        if errors:
            raise ValidationError(errors)
        super().clean()

    def guidance_for(self, country: str | None) -> str:
        """The guidance with the emergency and crisis numbers of the patient's country."""
        return fill_in(self.guidance, country)

    @cached_property
    def danger_sign_ids(self) -> frozenset[int]:
        return frozenset(sign.pk for sign in self.danger_signs.all())

    def matches(self, presentation: Presentation) -> bool:
        """Does a symptom as the patient reported it, in its context, meet this rule?"""
        if (
            self.side_effect_id is not None
            and self.side_effect_id not in presentation.side_effect_ids
        ):
            return False
        if self.min_severity is not None and presentation.severity < self.min_severity:
            return False
        if self.danger_sign_ids and not self.danger_sign_ids & presentation.danger_sign_ids:
            return False
        if self.drug_id is not None and not presentation.on_drug(self.drug_id):
            return False
        if self.within_hours_of_dose is not None:
            hours = presentation.hours_since_dose(self.drug_id)
            if hours is None or hours > self.within_hours_of_dose:
                return False
        return True


@dataclass(frozen=True)
class Presentation:
    """A symptom as a patient reported it, with the context a red-flag rule can ask about."""

    side_effect_ids: frozenset[int]  # the symptom chosen, or those read from their own words
    severity: int
    danger_sign_ids: frozenset[int]
    # Asked only when a rule gets that far: was the patient on this drug when it started,
    # and how many hours before had they taken the latest dose of it (None: no dose)?
    on_drug: Callable[[int], bool]
    hours_since_dose: Callable[[int | None], float | None]
