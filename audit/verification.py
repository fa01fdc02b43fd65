"""Checking the audit log: `manage.py audit_verify` and the tests call `audit_chain_verify`.

Each row must add up (its HMAC, and the hash of the row before it); the chain must end where
its sealed head says, and reach at least as far as the newest checkpoint kept outside the
database (audit.checkpoints). Each way it can fail is a ChainFault with a one-line message
for the operator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from django.db import connection, transaction

from audit.checkpoints import Checkpoint, CheckpointFile, checkpoints_read
from audit.models import GENESIS, AuditChainHead, AuditEvent


class ChainFault(StrEnum):
    ROW = "row"  # a row changed, or the row before it removed or inserted
    WIPED = "wiped"  # no row left, where the head or a checkpoint counted some
    TAIL_REMOVED = "tail-removed"  # fewer rows than the head or a checkpoint counted
    ROWS_ADDED = "rows-added"  # rows after the newest one the head seals
    ROWS_MISCOUNTED = "rows-miscounted"  # rows removed or inserted before a sealed end
    HEAD_MISSING = "head-missing"
    HEAD_FORGED = "head-forged"  # its HMAC does not match AUDIT_KEY
    HEAD_UNKNOWN = "head-unknown"  # it names a row that is not in the log
    HEAD_ROLLED_BACK = "head-rolled-back"  # it counts fewer rows than a checkpoint
    CHECKPOINT_LOST = "checkpoint-lost"  # the log no longer holds a checkpoint's newest row
    CHECKPOINT_UNREADABLE = "checkpoint-unreadable"


@dataclass(frozen=True)
class ChainProblem:
    fault: ChainFault
    message: str
    row_id: int | None = None


@dataclass(frozen=True)
class ChainCheck:
    rows: int
    checkpoints: CheckpointFile
    problems: tuple[ChainProblem, ...] = ()

    @property
    def intact(self) -> bool:
        return not self.problems

    @property
    def broken_at(self) -> int | None:
        """The id of the first row that does not add up; -1 when only the end does not."""
        if not self.problems:
            return None
        rows = [problem.row_id for problem in self.problems if problem.fault == ChainFault.ROW]
        return rows[0] if rows else -1

    @property
    def faults(self) -> list[ChainFault]:
        return [problem.fault for problem in self.problems]


@dataclass
class _Walk:
    """What walking the rows in order found: how many, the first that does not add up, and
    where the hashes the head and the checkpoint end at stand (1 for the first row)."""

    rows: int = 0
    last: AuditEvent | None = None
    first_broken: AuditEvent | None = None
    positions: dict[str, int] = field(default_factory=dict)


def _describe(event: AuditEvent) -> str:
    return f"row {event.pk} ({event.created_at:%Y-%m-%d %H:%M:%S} UTC, {event.action})"


def _row_adds_up(event: AuditEvent, previous: str) -> bool:
    if event.previous_hash != previous:
        return False
    if event.redacted_at is None:
        return event.computed_hash() == event.row_hash
    return event.computed_redaction_hash() == event.redaction_hash


def _rows_walk(*, looked_for: set[str]) -> _Walk:
    walk = _Walk()
    previous = GENESIS
    for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=2000):
        walk.rows += 1
        if walk.first_broken is None and not _row_adds_up(event, previous):
            walk.first_broken = event
        if event.row_hash in looked_for:
            walk.positions[event.row_hash] = walk.rows
        previous = event.row_hash
        walk.last = event
    return walk


def _position(walk: _Walk, last_hash: str) -> int | None:
    """Where the row with this hash stands in the chain: 0 for the start, None if absent."""
    if last_hash == GENESIS:
        return 0
    return walk.positions.get(last_hash)


def _tail_removed(walk: _Walk, *, counted_by: str, counted: int) -> ChainProblem:
    after = f"after {_describe(walk.last)}" if walk.last is not None else "(no row is left)"
    return ChainProblem(
        ChainFault.TAIL_REMOVED,
        f"The audit chain is broken: its newest rows were removed {after}: {counted_by} "
        f"counts {counted} rows, {walk.rows} are left.",
        row_id=-1,
    )


def _head_problems(head: AuditChainHead | None, walk: _Walk) -> list[ChainProblem]:
    if head is None:
        if not walk.rows:
            return []
        return [
            ChainProblem(
                ChainFault.HEAD_MISSING,
                f"The audit chain head is missing: {walk.rows} rows are left and nothing "
                "seals their end, so its newest rows may have been removed.",
            )
        ]
    if not head.sealed:
        return [
            ChainProblem(
                ChainFault.HEAD_FORGED,
                "The audit chain head was changed behind Sidelog's back: its HMAC does not "
                "match AUDIT_KEY, so its newest rows may have been removed (or AUDIT_KEY was "
                "changed).",
            )
        ]
    position = _position(walk, head.last_hash)
    if position is None:
        if walk.rows < head.row_count:
            return [_tail_removed(walk, counted_by="the chain head", counted=head.row_count)]
        return [
            ChainProblem(
                ChainFault.HEAD_UNKNOWN,
                f"The audit chain head names a row that is not in the log (row "
                f"{head.last_row_id}, ending {head.row_count} rows): the rows are not the ones it "
                "sealed.",
            )
        ]
    if position != head.row_count:
        return [
            ChainProblem(
                ChainFault.ROWS_MISCOUNTED,
                f"The audit chain head counts {head.row_count} rows up to row {head.last_row_id}, "
                f"but the log holds {position}: rows were removed or inserted before it.",
            )
        ]
    if walk.rows > position:
        added = AuditEvent.objects.filter(pk__gt=head.last_row_id or 0).order_by("pk").first()
        where = _describe(added) if added is not None else f"the row after {head.last_row_id}"
        return [
            ChainProblem(
                ChainFault.ROWS_ADDED,
                f"The audit chain is broken at {where}: it and the rows after it are not "
                f"sealed by the chain head, which ends at row {head.last_row_id}; they were "
                "added behind Sidelog's back, or the head was rolled back.",
                row_id=-1,
            )
        ]
    return []


def _checkpoint_problems(
    checkpoint: Checkpoint, head: AuditChainHead | None, walk: _Walk, *, tail_told: bool
) -> list[ChainProblem]:
    problems: list[ChainProblem] = []
    named = f"the checkpoint of {checkpoint.when}"
    position = _position(walk, checkpoint.last_hash)
    if position is None:
        if walk.rows < checkpoint.rows:
            if not tail_told:
                problems.append(_tail_removed(walk, counted_by=named, counted=checkpoint.rows))
        else:
            problems.append(
                ChainProblem(
                    ChainFault.CHECKPOINT_LOST,
                    f"The audit log no longer holds the row {named} ended at (row "
                    f"{checkpoint.last_row_id}, ending {checkpoint.rows} rows): rows were "
                    "removed and others written since, or the database was restored from an "
                    "older copy.",
                )
            )
    elif position != checkpoint.rows:
        problems.append(
            ChainProblem(
                ChainFault.ROWS_MISCOUNTED,
                f"The checkpoint of {checkpoint.when} counted {checkpoint.rows} rows up to row "
                f"{checkpoint.last_row_id}, but the log holds {position}: rows were removed "
                "or inserted before it.",
            )
        )
    if head is not None and head.sealed and head.row_count < checkpoint.rows:
        problems.append(
            ChainProblem(
                ChainFault.HEAD_ROLLED_BACK,
                f"The audit chain head was rolled back: it counts {head.row_count} rows, but "
                f"{named} already counted {checkpoint.rows}.",
            )
        )
    return problems


def _chain_problems(
    head: AuditChainHead | None, walk: _Walk, checkpoints: CheckpointFile
) -> list[ChainProblem]:
    problems: list[ChainProblem] = []
    if walk.first_broken is not None:
        problems.append(
            ChainProblem(
                ChainFault.ROW,
                f"The audit chain is broken at {_describe(walk.first_broken)}: this row was "
                "changed, or the row before it was removed or inserted.",
                row_id=walk.first_broken.pk,
            )
        )
    checkpoint = checkpoints.newest
    counted = [
        (f"the checkpoint of {checkpoint.when}", checkpoint.rows) if checkpoint else ("", 0),
        ("the chain head", head.row_count) if head is not None and head.sealed else ("", 0),
    ]
    counted_by, most = max(counted, key=lambda pair: pair[1])
    wiped = walk.rows == 0 and most > 0
    if wiped:
        gone = "no row and no chain head are" if head is None else "no row is"
        problems.append(
            ChainProblem(
                ChainFault.WIPED,
                f"The audit log was wiped: {gone} left, but {counted_by} counted {most} rows.",
                row_id=-1,
            )
        )
    else:
        problems.extend(_head_problems(head, walk))
    if checkpoint is not None:
        tail_told = any(p.fault in (ChainFault.WIPED, ChainFault.TAIL_REMOVED) for p in problems)
        problems.extend(_checkpoint_problems(checkpoint, head, walk, tail_told=tail_told))
    if walk.first_broken is not None:
        # A row removed or inserted before a sealed end already breaks the row after it.
        problems = [p for p in problems if p.fault != ChainFault.ROWS_MISCOUNTED]
    if checkpoints.bad_lines:
        problems.append(_bad_lines(checkpoints))
    if checkpoints.error:
        problems.append(
            ChainProblem(
                ChainFault.CHECKPOINT_UNREADABLE,
                f"The checkpoints in {checkpoints.path} cannot be read ({checkpoints.error}): "
                "the end of the audit chain was checked against its head alone.",
            )
        )
    return problems


def _bad_lines(checkpoints: CheckpointFile) -> ChainProblem:
    numbers = checkpoints.bad_lines
    listed = ", ".join(str(number) for number in numbers[:10]) + (
        ", ..." if len(numbers) > 10 else ""
    )
    which = f"Line {listed} of {checkpoints.path} is not a checkpoint"
    if len(numbers) > 1:
        which = f"Lines {listed} of {checkpoints.path} are not checkpoints"
    return ChainProblem(
        ChainFault.CHECKPOINT_UNREADABLE,
        f"{which} sealed with AUDIT_KEY: changed, or written under another key.",
    )


def audit_chain_verify(*, checkpoints_path: Path | None = None) -> ChainCheck:
    """Walk the whole chain in order and hold its end to the head and the newest checkpoint.

    The checkpoints are read first and the rows and head then in one snapshot, so that rows
    appended meanwhile by others are neither missed nor taken for forgeries.
    """
    checkpoints = checkpoints_read(path=checkpoints_path)
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        head = AuditChainHead.objects.filter(pk=1).first()
        looked_for = {head.last_hash} if head is not None else set()
        if checkpoints.newest is not None:
            looked_for.add(checkpoints.newest.last_hash)
        walk = _rows_walk(looked_for=looked_for)
        problems = _chain_problems(head, walk, checkpoints)
    return ChainCheck(rows=walk.rows, problems=tuple(problems), checkpoints=checkpoints)
