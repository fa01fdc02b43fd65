"""What the export's tables are made of, shared by `privacy.export` and
`privacy.export_vitals`: a table, and times, people and history versions as cells."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User

from audit.services import actor_label

HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass(frozen=True)
class Table:
    """One kind of record, written as `<name>.json` (a list of objects) and `<name>.csv`."""

    name: str
    description: str
    columns: tuple[str, ...]
    rows: list[dict[str, Any]]
    # Columns too rich for a CSV cell (a report's stored content): in the JSON file only.
    json_only: tuple[str, ...] = ()

    @property
    def csv_columns(self) -> tuple[str, ...]:
        return tuple(column for column in self.columns if column not in self.json_only)


def moment(value: datetime | None, zone: ZoneInfo) -> str | None:
    return None if value is None else value.astimezone(zone).isoformat(timespec="seconds")


def day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def person(user: User | None) -> str:
    """Who did something, as the audit log names people; empty for a deleted account."""
    return actor_label(user) if user is not None else ""


def history_columns(columns: tuple[str, ...]) -> tuple[str, ...]:
    return ("history_id", "history_date", "history_type", "changed_by", *columns)


def history_fields(version: Any, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "history_id": version.history_id,
        "history_date": moment(version.history_date, zone),
        "history_type": HISTORY_TYPES.get(version.history_type, version.history_type),
        "changed_by": person(version.history_user),
    }
