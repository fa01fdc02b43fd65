"""The reference library: drugs, side effects, how often each drug reports each, the red
flags on symptoms (`library`) and the rules on measurements (`measurements`)."""

from reference.models.library import (
    AdviceClearance,
    AdviceClearanceQuerySet,
    DangerSign,
    DosageAdviceReview,
    Drug,
    DrugSideEffect,
    GuardedContent,
    Interference,
    LibraryEntry,
    Presentation,
    PublishedQuerySet,
    RedFlag,
    Severity,
    SideEffect,
    dosage_advice_errors,
    dosage_advice_review,
    sentence_key,
)
from reference.models.measurements import MeasurementKind, MeasurementRule, Reading

__all__ = [
    "AdviceClearance",
    "AdviceClearanceQuerySet",
    "DangerSign",
    "DosageAdviceReview",
    "Drug",
    "DrugSideEffect",
    "GuardedContent",
    "Interference",
    "LibraryEntry",
    "MeasurementKind",
    "MeasurementRule",
    "Presentation",
    "PublishedQuerySet",
    "Reading",
    "RedFlag",
    "Severity",
    "SideEffect",
    "dosage_advice_errors",
    "dosage_advice_review",
    "sentence_key",
]
