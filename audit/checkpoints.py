"""Checkpoints of the audit chain's head, kept where the database cannot rewrite them.

Someone who can write to the database but does not hold AUDIT_KEY cannot forge a row or
seal a new head, but they can delete the newest rows and write back a head they copied
earlier, or empty the table and the head together. A checkpoint remembers how far the chain
had come: its row count, newest row and the head's HMAC, written as one JSON line to the
`audit.checkpoint` logger (stdout in production) and appended to AUDIT_CHECKPOINT_PATH.
`manage.py audit_verify` holds the rows to the checkpoint with the most rows.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings

from audit.models import AuditChainHead, head_mac

logger = logging.getLogger("audit.checkpoint")

# Log lines start with this; the file holds the JSON alone. Both can be read back.
LOG_PREFIX = "audit checkpoint "


@dataclass(frozen=True)
class Checkpoint:
    at: datetime
    rows: int
    last_row_id: int | None
    last_hash: str
    mac: str

    @classmethod
    def of_head(cls, head: AuditChainHead, *, at: datetime) -> Checkpoint:
        return cls(
            at=at,
            rows=head.row_count,
            last_row_id=head.last_row_id,
            last_hash=head.last_hash,
            mac=head.mac,
        )

    @classmethod
    def from_text(cls, text: str) -> Checkpoint:
        """Read one line of the file or of the log (what comes before the JSON is skipped)."""
        start = text.find("{")
        if start < 0:
            raise ValueError("no checkpoint on this line")
        values: dict[str, Any] = json.loads(text[start:])
        at = datetime.fromisoformat(values["at"])
        last_row_id = values["last_row_id"]
        if at.tzinfo is None or not isinstance(values["rows"], int):
            raise ValueError("not a checkpoint")
        if last_row_id is not None and not isinstance(last_row_id, int):
            raise ValueError("not a checkpoint")
        return cls(
            at=at,
            rows=values["rows"],
            last_row_id=last_row_id,
            last_hash=str(values["last_hash"]),
            mac=str(values["mac"]),
        )

    def to_json(self) -> str:
        values = {
            "at": self.at.astimezone(UTC).isoformat(),
            "rows": self.rows,
            "last_row_id": self.last_row_id,
            "last_hash": self.last_hash,
            "mac": self.mac,
        }
        return json.dumps(values, separators=(",", ":"))

    @property
    def sealed(self) -> bool:
        expected = head_mac(rows=self.rows, last_row_id=self.last_row_id, last_hash=self.last_hash)
        return hmac.compare_digest(self.mac, expected)

    @property
    def when(self) -> str:
        return f"{self.at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"


def checkpoint_write(checkpoint: Checkpoint, *, path: Path | None = None) -> None:
    """Log the checkpoint, then append it to the file: one write of one line, flushed to disk,
    so that web and worker processes appending at once never interleave."""
    line = checkpoint.to_json()
    logger.info("%s%s", LOG_PREFIX, line)
    target = Path(path or settings.AUDIT_CHECKPOINT_PATH)
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, f"{line}\n".encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@dataclass(frozen=True)
class CheckpointFile:
    path: Path
    exists: bool
    newest: Checkpoint | None = None  # the one with the most rows; the later of equals
    count: int = 0
    bad_lines: list[int] = field(default_factory=list)  # unreadable, or not sealed
    error: str = ""  # why the file could not be read at all


def checkpoints_read(*, path: Path | None = None) -> CheckpointFile:
    source = Path(path or settings.AUDIT_CHECKPOINT_PATH)
    try:
        lines = source.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return CheckpointFile(path=source, exists=False)
    except OSError as error:
        return CheckpointFile(path=source, exists=False, error=error.strerror or str(error))
    newest: Checkpoint | None = None
    count = 0
    bad_lines: list[int] = []
    for number, line in enumerate(lines, start=1):
        if not line.lstrip().startswith("{") and LOG_PREFIX not in line:
            continue  # a blank line, or another log line in a copy of the logs
        try:
            checkpoint = Checkpoint.from_text(line)
        except (ValueError, KeyError, TypeError):
            bad_lines.append(number)
            continue
        if not checkpoint.sealed:
            bad_lines.append(number)
            continue
        count += 1
        if newest is None or checkpoint.rows >= newest.rows:
            newest = checkpoint
    return CheckpointFile(path=source, exists=True, newest=newest, count=count, bad_lines=bad_lines)
