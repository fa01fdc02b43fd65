"""When a reminder is due: wall-clock times in the patient's zone, and quiet hours.

Quiet hours run from `start` to `end` local time, across midnight when `end` is earlier. A
reminder that falls in them waits until they end. A check-in reminder that would then be
more than CHECKIN_QUIET_DELAY_LIMIT late is skipped: a reminder to rate the hour after a
session, sent the next morning, asks about something long past. A daily reminder always
waits.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

CHECKIN_QUIET_DELAY_LIMIT = timedelta(hours=3)


def local_datetime(day: date, at: time, zone: ZoneInfo) -> datetime:
    """`at` on `day` in `zone`, in UTC; a time skipped by a clock change counts as the
    moment after the change."""
    naive = datetime.combine(day, at)
    moment = naive.replace(tzinfo=zone)
    # zoneinfo reads a skipped time with the offset before the change; round-trip to land
    # after it.
    return moment.astimezone(UTC).astimezone(zone).astimezone(UTC)


def in_quiet_hours(moment: datetime, *, start: time, end: time, zone: ZoneInfo) -> bool:
    local = moment.astimezone(zone).time()
    if start < end:
        return start <= local < end
    return local >= start or local < end


def quiet_hours_end(moment: datetime, *, start: time, end: time, zone: ZoneInfo) -> datetime:
    """The first end of quiet hours after `moment` (which is in them)."""
    day = moment.astimezone(zone).date()
    for offset in range(3):
        candidate = local_datetime(day + timedelta(days=offset), end, zone)
        if candidate > moment:
            return candidate
    raise AssertionError("quiet hours end within two days")  # pragma: no cover


def due_outside_quiet_hours(
    due_at: datetime,
    *,
    start: time | None,
    end: time | None,
    zone: ZoneInfo,
    delay_limit: timedelta | None = None,
) -> datetime | None:
    """When to send a reminder due at `due_at`; None when it is to be skipped."""
    if start is None or end is None or start == end:
        return due_at
    if not in_quiet_hours(due_at, start=start, end=end, zone=zone):
        return due_at
    waited = quiet_hours_end(due_at, start=start, end=end, zone=zone)
    if delay_limit is not None and waited - due_at > delay_limit:
        return None
    return waited


def next_daily(now: datetime, *, at: time, zone: ZoneInfo) -> datetime:
    """The next `at` in `zone` after `now`."""
    today = now.astimezone(zone).date()
    for offset in range(3):
        candidate = local_datetime(today + timedelta(days=offset), at, zone)
        if candidate > now:
            return candidate
    raise AssertionError("a time of day comes within two days")  # pragma: no cover
