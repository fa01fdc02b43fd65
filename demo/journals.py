"""A lived-in month of journal for the demo patient, built through the services.

Each write runs with the clock set to when the patient would have logged it, so
created, edited and history times read as they would in real use: most entries are
logged the same day, two are back-filled days later, one is edited after the fact. The
random choices are seeded, so the same `today` always gives the same journal.

Everything here is a record of what happened; no text in it suggests a change of dose.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial
from unittest import mock

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from accounts.selectors import patient_profile
from demo.vitals import demo_vitals_build
from journal import services
from journal.models import CheckInRating, DoseEvent, MedicationCourse, SymptomEntry
from journal.services import EntryInput, StepRating
from reference.models import Drug, SideEffect

DEMO_USERNAME = "demo"
DEMO_EMAIL = "demo@sidelog.invalid"
DEMO_TIME_ZONE = "Europe/London"
DEMO_DISPLAY_NAME = "Alex Rivera"  # the name on the demo reports
DAYS = 30

ESKETAMINE_REGIMEN = (
    "Spravato 56 mg (two 28 mg devices) twice a week, given in clinic. "
    "Observed for 2 hours after each session."
)
LAMOTRIGINE_REGIMEN = "Lamotrigine 50 mg tablet once a day, in the morning."
CLINIC_NOTES = (
    "Blood pressure checked before the spray and at 40 minutes.",
    "My partner drove me home.",
    "Quiet room this time; headphones and music helped.",
    "Took a taxi home and slept in the afternoon.",
    "",
    "",
)
HEADACHE_NOTES = (
    "Dull ache behind the eyes.",
    "Eased after a glass of water and an hour away from the screen.",
    "Came on during a long meeting.",
    "",
)

BEFORE = CheckInRating.Point.BEFORE
AFTER_40_MIN = CheckInRating.Point.AFTER_40_MIN
AFTER_2_H = CheckInRating.Point.AFTER_2_H
EVENING = CheckInRating.Point.EVENING


@contextmanager
def _clock_at(moment: datetime) -> Iterator[None]:
    """Run the services as if it were `moment`: the time the patient logged it."""
    with mock.patch.object(timezone, "now", return_value=moment):
        yield


@dataclass
class _Step:
    logged_at: datetime
    run: Callable[[], object]


def _journal_clear(patient: User) -> None:
    """Remove the demo patient's journal and its history, so a rebuild replaces it."""
    course_ids = list(
        MedicationCourse.history.filter(patient_id=patient.pk).values_list("id", flat=True)
    )
    SymptomEntry.objects.filter(patient=patient).delete()
    MedicationCourse.objects.filter(patient=patient).delete()
    SymptomEntry.history.filter(patient_id=patient.pk).delete()
    DoseEvent.history.filter(course_id__in=course_ids).delete()
    MedicationCourse.history.filter(patient_id=patient.pk).delete()


def demo_journal_build(*, patient: User, today: date) -> None:
    """Replace `patient`'s journal with a month of esketamine and lamotrigine ending `today`,
    with blood pressure readings around the latest session and two PHQ-9s."""
    with transaction.atomic():
        _journal_clear(patient)
        _DemoMonth(patient=patient, today=today).build()
        demo_vitals_build(patient=patient, today=today)


class _DemoMonth:
    def __init__(self, *, patient: User, today: date) -> None:
        self.patient = patient
        self.today = today
        profile = patient_profile(patient)
        if profile is None:
            raise ValueError(f"{patient} has no journal: the demo needs a patient.")
        self.zone = profile.zone
        # Seeded, not secret: the demo must come out the same on every run.
        self.rng = random.Random(f"sidelog-demo-{today.isoformat()}")  # noqa: S311
        self.days = [today - timedelta(days=back) for back in range(DAYS - 1, -1, -1)]
        self.steps: list[_Step] = []
        self.lamotrigine_doses: dict[date, DoseEvent] = {}
        self.side_effects = {
            side_effect.slug: side_effect for side_effect in SideEffect.objects.all()
        }

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=self.zone)

    def later(self, run: Callable[[], object], *, logged_at: datetime) -> None:
        self.steps.append(_Step(logged_at=logged_at, run=run))

    def build(self) -> None:
        esketamine, lamotrigine = self.courses()
        self.plan_clinic_sessions(esketamine)
        self.plan_lamotrigine_doses(lamotrigine)
        self.plan_entries()
        # Only what has already happened: with today's date, later steps would be the future.
        real_now = timezone.now()
        for step in sorted(self.steps, key=lambda step: step.logged_at):
            if step.logged_at <= real_now:
                with _clock_at(step.logged_at):
                    step.run()

    # Courses and doses

    def courses(self) -> tuple[MedicationCourse, MedicationCourse]:
        esketamine_start = self.today - timedelta(weeks=10)
        with _clock_at(self.at(esketamine_start, 18, 30)):
            esketamine = services.course_create(
                patient=self.patient,
                data=services.CourseInput(
                    drug=Drug.objects.get(slug="esketamine"),
                    started_on=esketamine_start,
                    route=MedicationCourse.Route.NASAL,
                    regimen=ESKETAMINE_REGIMEN,
                ),
            )
        lamotrigine_start = self.today - timedelta(days=40)
        with _clock_at(self.at(lamotrigine_start, 20, 5)):
            lamotrigine = services.course_create(
                patient=self.patient,
                data=services.CourseInput(
                    drug=Drug.objects.get(slug="lamotrigine"),
                    started_on=lamotrigine_start,
                    route=MedicationCourse.Route.ORAL,
                    regimen=LAMOTRIGINE_REGIMEN,
                ),
            )
        return esketamine, lamotrigine

    def plan_clinic_sessions(self, course: MedicationCourse) -> None:
        session_days = [day for day in self.days if day.weekday() in (1, 4)]  # Tue, Fri
        for number, day in enumerate(session_days):
            taken_at = self.at(day, 10, self.rng.choice([0, 5, 10, 20, 30, 40]))
            # Dissociation eases a little as the weeks go by, as it often does.
            settling = 1 if number >= len(session_days) * 2 // 3 else 0
            steps = self.checkin_plan(taken_at, settling=settling)
            session: dict[str, DoseEvent] = {}
            self.later(
                partial(
                    self.clinic_dose_record,
                    session,
                    course=course,
                    taken_at=taken_at,
                    note=self.rng.choice(CLINIC_NOTES),
                ),
                logged_at=taken_at + timedelta(minutes=3),
            )
            due = {
                BEFORE: taken_at,
                AFTER_40_MIN: taken_at + timedelta(minutes=40),
                AFTER_2_H: taken_at + timedelta(hours=2),
                EVENING: self.at(day, 20, 0),  # journal.checkin: 20:00 on the dose's day
            }
            for point, ratings in steps.items():
                self.later(
                    partial(self.checkin_step_save, session, point=point, ratings=ratings),
                    logged_at=due[point] + timedelta(minutes=self.rng.randint(4, 15)),
                )
            if number in (1, 5):
                self.entry(
                    symptom="Metallic taste",
                    onset_at=taken_at + timedelta(minutes=15),
                    duration=timedelta(minutes=self.rng.randint(30, 60)),
                    severity=1,
                    interference=0,
                    notes="A sour, metallic taste at the back of the throat after the spray.",
                )

    def clinic_dose_record(
        self,
        session: dict[str, DoseEvent],
        *,
        course: MedicationCourse,
        taken_at: datetime,
        note: str,
    ) -> None:
        session["dose"] = services.dose_create(
            course=course,
            taken_at=taken_at,
            logged_by=self.patient,
            setting=DoseEvent.Setting.CLINIC,
            note=note,
        )

    def checkin_step_save(
        self, session: dict[str, DoseEvent], *, point: str, ratings: list[StepRating]
    ) -> None:
        services.checkin_step_record(
            dose=session["dose"], point=point, ratings=ratings, logged_by=self.patient
        )

    def checkin_plan(
        self, taken_at: datetime, *, settling: int
    ) -> dict[CheckInRating.Point, list[StepRating]]:
        """Ratings at each step of the session: they peak at about 40 minutes and have
        mostly gone by 2 hours; what lingers is gone by the evening."""
        peaks = {
            "dissociation": max(1, self.rng.choice([2, 3, 3, 2]) - settling),
            "drowsiness": self.rng.choice([1, 2, 2]),
            "dizziness": self.rng.choice([0, 1, 1, 2]),
            "nausea": self.rng.choice([0, 0, 1]),
        }
        lingering = {
            "dissociation": self.rng.random() < 0.2,
            "drowsiness": self.rng.random() < 0.3,
            "dizziness": False,
            "nausea": False,
        }
        steps: dict[CheckInRating.Point, list[StepRating]] = {
            BEFORE: [],
            AFTER_40_MIN: [],
            AFTER_2_H: [],
        }
        for slug, peak in peaks.items():
            effect = self.side_effects[slug]
            interference = min(3, peak + self.rng.choice([0, 0, 1])) if peak else 0
            lingers = bool(peak and lingering[slug])
            steps[BEFORE].append(StepRating(side_effect=effect, severity=0))
            steps[AFTER_40_MIN].append(
                StepRating(side_effect=effect, severity=peak, interference=interference)
            )
            steps[AFTER_2_H].append(
                StepRating(
                    side_effect=effect, severity=int(lingers), gone=bool(peak) and not lingers
                )
            )
            if lingers:
                steps.setdefault(EVENING, []).append(
                    StepRating(side_effect=effect, severity=0, gone=True)
                )
        return steps

    def plan_lamotrigine_doses(self, course: MedicationCourse) -> None:
        # Two mornings the patient did not log (the journal holds only what is entered).
        unlogged = set(self.rng.sample(self.days[2:-12], 2))
        for day in self.days:
            if day in unlogged:
                continue
            taken_at = self.at(day, 7, 45) + timedelta(minutes=self.rng.randint(0, 60))
            # Logged with "taken now", a minute after the tablet.
            self.later(
                partial(self.home_dose_record, course=course, day=day, taken_at=taken_at),
                logged_at=taken_at + timedelta(minutes=1),
            )

    def home_dose_record(self, *, course: MedicationCourse, day: date, taken_at: datetime) -> None:
        self.lamotrigine_doses[day] = services.dose_create(
            course=course, taken_at=taken_at, logged_by=self.patient
        )

    # Symptom entries

    def entry(
        self,
        *,
        symptom: str,
        onset_at: datetime,
        duration: timedelta | None,
        severity: int,
        interference: int,
        notes: str = "",
        logged_at: datetime | None = None,
    ) -> None:
        side_effect = self.side_effects.get(symptom)
        data = EntryInput(
            side_effect=side_effect,
            other_symptom="" if side_effect else symptom,
            onset_at=onset_at,
            resolved_at=onset_at + duration if duration is not None else None,
            severity=severity,
            interference=interference,
            notes=notes,
        )
        if logged_at is None:
            logged_at = (data.resolved_at or onset_at) + timedelta(minutes=self.rng.randint(10, 50))

        self.later(
            partial(
                services.symptom_entry_create,
                patient=self.patient,
                logged_by=self.patient,
                data=data,
            ),
            logged_at=logged_at,
        )

    def plan_entries(self) -> None:
        for back in (26, 12, 4):
            day = self.today - timedelta(days=back)
            self.entry(
                symptom="headache",
                onset_at=self.at(day, 14, self.rng.randint(0, 59)),
                duration=timedelta(minutes=self.rng.randint(120, 300)),
                severity=self.rng.choice([1, 2]),
                interference=self.rng.choice([0, 1, 2]),
                notes=self.rng.choice(HEADACHE_NOTES),
            )
        late = self.today - timedelta(days=19)
        self.entry(
            symptom="headache",
            onset_at=self.at(late, 16, 20),
            duration=timedelta(hours=3, minutes=30),
            severity=2,
            interference=2,
            notes="Adding this a couple of days late. Lay down in a dark room until it eased.",
            logged_at=self.at(late + timedelta(days=2), 21, 10),
        )
        dizzy = self.today - timedelta(days=15)
        self.entry(
            symptom="dizziness",
            onset_at=self.at(dizzy, 7, 25),
            duration=timedelta(minutes=10),
            severity=1,
            interference=1,
            notes="Unsteady for a few minutes after standing up quickly. Logged a few days later.",
            logged_at=self.at(dizzy + timedelta(days=3), 12, 40),
        )
        sleepy = self.today - timedelta(days=22)
        self.entry(
            symptom="drowsiness",
            onset_at=self.at(sleepy, 15, 10),
            duration=timedelta(hours=1, minutes=45),
            severity=1,
            interference=1,
            notes="Hard to concentrate mid-afternoon.",
        )
        self.entry(
            symptom="Dry mouth",
            onset_at=self.at(self.today - timedelta(days=7), 20, 30),
            duration=timedelta(hours=2),
            severity=1,
            interference=0,
        )
        self.plan_rash()

    def plan_rash(self) -> None:
        """A mild rash in the fifth week of lamotrigine: a red flag, edited once it cleared."""
        day = self.today - timedelta(days=9)
        onset_at = self.at(day, 19, 15)
        first_notes = (
            "Small itchy red patch on the inside of my left forearm. No blisters, no fever. "
            "Phoned my prescriber's office and sent them a photo."
        )
        holder: dict[str, SymptomEntry] = {}

        def data(*, resolved_at: datetime | None, notes: str) -> EntryInput:
            return EntryInput(
                side_effect=self.side_effects["skin-rash"],
                other_symptom="",
                onset_at=onset_at,
                resolved_at=resolved_at,
                severity=1,
                interference=1,
                notes=notes,
            )

        def record() -> None:
            # Linked to that morning's tablet: the rash followed lamotrigine.
            holder["entry"] = services.symptom_entry_create(
                patient=self.patient,
                logged_by=self.patient,
                data=data(resolved_at=None, notes=first_notes),
                dose=self.lamotrigine_doses.get(day),
            )

        def edit() -> None:
            entry = holder["entry"]
            services.symptom_entry_update(
                entry=entry,
                data=data(
                    resolved_at=self.at(day + timedelta(days=3), 9, 0),
                    notes=first_notes + " Seen by my prescriber the next morning. "
                    "It faded over three days.",
                ),
                dose=entry.dose,
            )

        self.later(record, logged_at=onset_at + timedelta(minutes=40))
        self.later(edit, logged_at=self.at(day + timedelta(days=4), 20, 0))
