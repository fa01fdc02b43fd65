"""Send due reminders without a worker: `python manage.py reminders_send_due [--every SECONDS]`.

Beat does this every minute where Redis is set; `make run` has no broker, so it runs this
command beside the development server, and the reminder emails appear in its console.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError

from reminders.services import reminders_send_due


class Command(BaseCommand):
    help = "Send every reminder due now, each at most once; with --every, keep doing so."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Run again every SECONDS seconds until stopped (default: once).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        every: int = options["every"]
        if not every:
            self.stdout.write(f"{reminders_send_due()} due reminders sent.")
            return
        while True:
            try:
                sent = reminders_send_due()
            except DatabaseError as error:
                # SQLite busy with the server's write: the next round sends what is due.
                self.stderr.write(f"Reminders not sent this round: {error}")
            else:
                if sent:
                    self.stdout.write(f"{sent} due reminders sent.")
            time.sleep(every)
