"""Reminders under faults: `python -m tools.faults reminders` (`make faults` runs it after
the reports' drill; tests/reminders/test_reminder_faults.py runs it in CI).

Patients who asked for check-in reminders log esketamine doses whose 40-minute reminders
fall due one after another over about 40 seconds. Real Celery beat (every second) and a
worker (concurrency 2) on a Redis of the drill's own send them by SMTP to a mail server of
the drill's own (tools/faults/mailbox.py), which answers slowly. Meanwhile the worker is
killed with SIGKILL (another is started) and Redis is stopped for 20 seconds and started
again, empty. It prints how many reminders fell due, were delivered once, were lost and
were delivered twice, and how late the latest was; it exits non-zero if one was delivered
twice, or lost other than while a killed worker was handing it to the mail server (the one
case Sidelog, sending at most once, cannot tell and does not retry).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from contextlib import ExitStack
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from accounts.models import Profile
from journal.models import MedicationCourse
from journal.services import dose_create
from privacy.deletion import account_delete
from reference.models import Drug
from reminders.models import Reminder
from reminders.services import reminder_settings_update
from tools.faults.mailbox import Mailbox
from tools.faults.run import Outage, Processes, RedisServer
from tools.serving import database_ensure, production_env
from tools.start import ToolError

QUEUE = "sidelog-faults-reminders"
SETTINGS = {
    "REMINDERS_SEND_EVERY": "1",
    "REMINDER_CLAIM_STALE": "10",
    "CELERY_VISIBILITY_TIMEOUT": "30",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
}


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tools.faults reminders",
        description="Send due reminders while a worker is killed and Redis is stopped; none "
        "may be sent twice.",
    )
    parser.add_argument("--reminders", type=int, default=60)
    parser.add_argument("--patients", type=int, default=5)
    parser.add_argument("--over", type=float, default=40, help="seconds they fall due over")
    parser.add_argument("--kill-at", type=float, default=10, help="seconds from the start")
    parser.add_argument("--outage-at", type=float, default=18, help="seconds from the start")
    parser.add_argument("--outage", type=float, default=20, help="seconds Redis is down")
    parser.add_argument("--wait", type=float, default=120, help="most seconds to wait at the end")
    options = vars(parser.parse_args(argv))
    started = time.monotonic()
    database_ensure()
    patients: list[User] = []
    with tempfile.TemporaryDirectory(prefix="sidelog-faults-") as folder, ExitStack() as stack:
        stack.callback(lambda: [account_delete(user=patient) for patient in patients])
        failures = ReminderDrill(Path(folder), stack, patients, options).run()
    print(f"Run time: {time.monotonic() - started:.0f} s")
    if failures:
        raise ToolError("; ".join(failures))


class ReminderDrill:
    def __init__(
        self, work: Path, stack: ExitStack, patients: list[User], options: dict[str, Any]
    ) -> None:
        self.work = work
        self.stack = stack
        self.patients = patients
        self.options = options
        self.start = time.monotonic()

    def say(self, text: str) -> None:
        print(f"{time.monotonic() - self.start:6.1f} s  {text}")
        sys.stdout.flush()

    def run(self) -> list[str]:
        mailbox = Mailbox(reply_delay=0.2)
        mailbox.start()
        self.stack.callback(mailbox.stop)
        broker = RedisServer(self.work)
        broker.start()
        self.stack.callback(broker.stop)
        env = production_env(
            media_root=self.work / "media",
            REDIS_URL=broker.url,
            CELERY_QUEUE=QUEUE,
            EMAIL_PORT=str(mailbox.port),
            **SETTINGS,
        )
        processes = Processes(env, self.work)
        self.stack.callback(processes.stop_all)
        worker = processes.worker(1)
        processes.beat()
        self._wait_for_log(self.work / "worker-1.log", "ready.")
        self.start = time.monotonic()
        ids = self._doses_log()
        self.say(
            f"{len(ids)} reminders fall due over {self.options['over']:.0f} s; Redis on port "
            f"{broker.port}, beat every second, a worker with concurrency 2"
        )
        outage = Outage(broker, self.options["outage"], self.say)
        self._sleep_until(self.options["kill_at"])
        held = self._claim_seen(ids)
        Processes.kill(worker)
        self.say(
            f"killed the worker holding {held or 'nothing'} ({self._sent(ids)} reminders sent "
            "so far); starting another"
        )
        processes.worker(2)
        self._sleep_until(self.options["outage_at"])
        outage.start()
        outage.join()
        self._wait_until_settled(ids, mailbox)
        return self._verdict(ids, mailbox)

    def _doses_log(self) -> list[int]:
        """Doses whose 40-minute reminders fall due from 3 s from now, one after another."""
        esketamine = Drug.objects.get(slug="esketamine")
        courses = []
        for number in range(self.options["patients"]):
            patient = User.objects.create_user(
                username=f"faults-reminders-{number}-{time.time_ns()}",
                email=f"faults-reminders-{number}@example.org",
            )
            Profile.objects.create(user=patient, time_zone="Europe/London")
            self.patients.append(patient)
            reminder_settings_update(
                patient=patient,
                checkin_reminders=True,
                daily_reminder=False,
                daily_at=timezone.now().time(),
                quiet_start=None,
                quiet_end=None,
            )
            courses.append(
                MedicationCourse.objects.create(
                    patient=patient,
                    drug=esketamine,
                    started_on=date(2000, 1, 1),
                    route=MedicationCourse.Route.NASAL,
                )
            )
        count, over = self.options["reminders"], self.options["over"]
        first = timezone.now() + timedelta(seconds=3) - timedelta(minutes=40)
        for number in range(count):
            course = courses[number % len(courses)]
            dose_create(
                course=course,
                taken_at=first + timedelta(seconds=number * over / count),
                logged_by=course.patient,
            )
        return list(
            Reminder.objects.filter(patient__in=self.patients, point="40min").values_list(
                "pk", flat=True
            )
        )

    def _sleep_until(self, seconds: float) -> None:
        time.sleep(max(0.0, self.start + seconds - time.monotonic()))

    def _claim_seen(self, ids: list[int], seconds: float = 5) -> str:
        """Wait (a few seconds at most) until the worker holds a claim: the moment to kill."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            held = Reminder.objects.filter(pk__in=ids, status=Reminder.Status.CLAIMED).first()
            if held is not None:
                return f"a claim on reminder {held.pk}"
            time.sleep(0.01)
        return ""

    def _sent(self, ids: list[int]) -> int:
        return Reminder.objects.filter(pk__in=ids, status=Reminder.Status.SENT).count()

    def _wait_until_settled(self, ids: list[int], mailbox: Mailbox) -> None:
        """Until no reminder waits or is claimed, or --wait seconds have passed."""
        deadline = time.monotonic() + self.options["wait"]
        waiting = [Reminder.Status.PENDING, Reminder.Status.CLAIMED]
        while time.monotonic() < deadline:
            if not Reminder.objects.filter(pk__in=ids, status__in=waiting).exists():
                break
            time.sleep(0.5)
        time.sleep(3)  # a delivery under way finishes
        self.say(f"settled: {len(mailbox.messages)} emails in the mailbox")

    def _verdict(self, ids: list[int], mailbox: Mailbox) -> list[str]:
        received = mailbox.headers("X-Sidelog-Reminder")
        delivered = Counter(int(value) for value, _ in received)
        statuses = dict(Reminder.objects.filter(pk__in=ids).values_list("pk", "status"))
        due = dict(Reminder.objects.filter(pk__in=ids).values_list("pk", "due_at"))
        late = [at - due[int(value)].timestamp() for value, at in received]
        twice = sorted(pk for pk in ids if delivered[pk] > 1)
        missing = [pk for pk in ids if delivered[pk] == 0]
        unknowable = [pk for pk in missing if statuses[pk] == Reminder.Status.SENDING]
        lost = [pk for pk in missing if pk not in unknowable]
        once = sum(1 for pk in ids if delivered[pk] == 1)
        print(
            f"Reminders: due {len(ids)}, delivered once {once}, lost {len(lost)}, "
            f"delivered twice {len(twice)}, cut off while being handed to the mail server "
            f"{len(unknowable)}"
        )
        print(f"Statuses: {dict(sorted(Counter(statuses.values()).items()))}")
        if late:
            print(f"Delivered after their due time: at most {max(late):.0f} s (the outage's)")
        failures = []
        if twice:
            failures.append(f"delivered twice: {twice}")
        if lost:
            failures.append(f"lost: {lost} ({[statuses[pk] for pk in lost]})")
        if failures:
            for log in sorted(self.work.glob("*.log")):
                print(f"\n--- {log.name}\n" + log.read_text(errors="replace")[-3000:])
        return failures

    @staticmethod
    def _wait_for_log(log: Path, text: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if log.exists() and text in log.read_text(errors="replace"):
                return
            time.sleep(0.2)
        raise ToolError(f"{log.name} never said {text!r}:\n{log.read_text()[-3000:]}")
