"""The record every event finder returns (kept apart so `events` and `idioms` share it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    """One change found in a clause, by word index."""

    start: int
    end: int
    lemma: str
    form: str
    """base, third, past, gerund or nominal."""
    kind: str
    """change; plain (take it, no change); weak (a timing that is a change only if
    conditional); nominal (a changed-amount noun phrase)."""
