"""When each step of the post-dose check-in is due: the one place that says so.

A ketamine or esketamine dose has five steps (`CheckInRating.Point`):

| step | due at | then late after |
| --- | --- | --- |
| before the dose | the dose's time (rated just after logging it) | 1 h |
| about 40 minutes | dose + 40 min | 40 min |
| about 2 hours | dose + 2 h | 1 h |
| the evening | 20:00 local on the dose's day, or dose + 6 h if later | 3 h |
| the next morning (optional) | 08:00 local the next day, or dose + 12 h if later | 4 h |

"Local" is the patient's time zone (`accounts.models.patient_zone`).

A step is *upcoming* before it is due (shown with its time, not asked), *due* in its window,
*late* after it while not done, and *done* once rated (a late one can still be rated, and is
marked `recorded_late`). The reminders use `checkin_due_at` for when to remind.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from accounts.models import patient_zone
from journal.models import CHECKIN_OFFSETS, CheckInRating, DoseEvent

Point = CheckInRating.Point

# In the order a session goes through them.
CHECKIN_POINTS: tuple[Point, ...] = (
    Point.BEFORE,
    Point.AFTER_40_MIN,
    Point.AFTER_2_H,
    Point.EVENING,
    Point.NEXT_MORNING,
)
# The patient adds this one if they wish; no reminder needs to ask for it.
OPTIONAL_POINTS = frozenset({Point.NEXT_MORNING})
CHECKIN_WINDOWS = {
    Point.BEFORE: timedelta(hours=1),
    Point.AFTER_40_MIN: timedelta(minutes=40),
    Point.AFTER_2_H: timedelta(hours=1),
    Point.EVENING: timedelta(hours=3),
    Point.NEXT_MORNING: timedelta(hours=4),
}
# (local time of day, days after the dose's day, at least this long after the dose)
_CLOCK_POINTS = {
    Point.EVENING: (time(20, 0), 0, timedelta(hours=6)),
    Point.NEXT_MORNING: (time(8, 0), 1, timedelta(hours=12)),
}

UPCOMING = "upcoming"
DUE = "due"
DONE = "done"
LATE = "late"
STATUSES = (UPCOMING, DUE, DONE, LATE)


def checkin_due_at(*, dose: DoseEvent, point: str) -> datetime:
    """When this step of the dose's check-in is due (an aware datetime)."""
    step = Point(point)
    if step in CHECKIN_OFFSETS:
        return dose.taken_at + CHECKIN_OFFSETS[step]
    at, days_after, at_least = _CLOCK_POINTS[step]
    zone = patient_zone(dose.course.patient)
    day = dose.taken_at.astimezone(zone).date() + timedelta(days=days_after)
    # Built in the zone, so a change of clocks that day still gives 20:00 on the wall.
    on_the_clock = datetime.combine(day, at, tzinfo=zone)
    return max(on_the_clock, dose.taken_at + at_least)


def checkin_due_until(*, dose: DoseEvent, point: str) -> datetime:
    """The end of the step's window: not done by then, it is late."""
    return checkin_due_at(dose=dose, point=point) + CHECKIN_WINDOWS[Point(point)]


def checkin_status(*, dose: DoseEvent, point: str, done: bool, now: datetime) -> str:
    if done:
        return DONE
    if now < checkin_due_at(dose=dose, point=point):
        return UPCOMING
    if now < checkin_due_until(dose=dose, point=point):
        return DUE
    return LATE
