"""Check the audit log: `python manage.py audit_verify [--checkpoints FILE]`.

Prints whether the chain is intact and, if not, one line for each thing that does not add up:
a row changed, removed or inserted, newest rows removed, the table wiped, or the chain head
forged or rolled back (held to the newest checkpoint in AUDIT_CHECKPOINT_PATH, or in FILE: a
copy kept elsewhere, or log lines holding "audit checkpoint"). Exits with status 1 when the
chain is broken, so that a cron job or a monitor can alert on it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.verification import audit_chain_verify


class Command(BaseCommand):
    help = (
        "Check that no audit row was changed, removed or inserted, and that the chain reaches "
        "its sealed head and newest checkpoint; exit 1 if not."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoints",
            type=Path,
            metavar="FILE",
            help="Checkpoints to hold the chain to (default: AUDIT_CHECKPOINT_PATH).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        check = audit_chain_verify(checkpoints_path=options["checkpoints"])
        if not check.intact:
            raise CommandError("\n".join(problem.message for problem in check.problems))
        self.stdout.write(f"The audit chain is intact: {check.rows} rows checked.")
        checkpoints = check.checkpoints
        newest = checkpoints.newest
        if newest is not None:
            self.stdout.write(
                f"It reaches its newest checkpoint ({newest.when}, {newest.rows} rows, "
                f"in {checkpoints.path})."
            )
        else:
            self.stdout.write(
                f"No checkpoint in {checkpoints.path} yet: one is written every "
                f"{settings.AUDIT_CHECKPOINT_EVERY} rows and daily."
            )
