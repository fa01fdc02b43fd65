"""What the journal's writes share: refusing impossible times, raising the errors found, and
`SUGGESTED`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Final

from django.core.exceptions import ValidationError
from django.utils import timezone

# Clocks on phones drift; a time this close to now is not "in the future".
CLOCK_TOLERANCE = timedelta(minutes=5)


class _Suggested:
    def __repr__(self) -> str:
        return "SUGGESTED"


# Pass as `dose` to link an entry to the latest dose within 24 h before its onset.
SUGGESTED: Final = _Suggested()


# Nothing Sidelog records happened before this; earlier dates are typing slips.
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)


def _refuse_implausible(
    errors: dict[str, str], field: str, moment: datetime | None, what: str
) -> None:
    if moment is None:
        return
    if moment > timezone.now() + CLOCK_TOLERANCE:
        errors[field] = f"{what} can't be in the future."
    elif moment < EARLIEST:
        errors[field] = f"{what} is too far in the past; check the year."


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)
