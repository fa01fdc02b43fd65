"""The dashboard's latest entries say which day as well as the time, in the patient's zone."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from tests.support.factories import EntryFactory

pytestmark = pytest.mark.django_db

# Wednesday 2 December 2026, 10:00 in London (UTC in winter), 05:00 in New York.
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def item_times(html: str) -> list[str]:
    latest = html[html.index('id="recent-heading"') :]
    return re.findall(r'<span class="item-time">([^<]*)</span>', latest)


def test_latest_entries_say_today_yesterday_or_the_day(
    patient: User, patient_client: Client
) -> None:
    for onset in (
        datetime(2026, 12, 2, 9, 5, tzinfo=UTC),
        datetime(2026, 12, 1, 9, 10, tzinfo=UTC),
        datetime(2026, 11, 30, 14, 5, tzinfo=UTC),
        datetime(2025, 12, 24, 8, 0, tzinfo=UTC),
    ):
        EntryFactory.create(patient=patient, onset_at=onset)

    with time_machine.travel(NOW, tick=False):
        html = patient_client.get("/journal/").text

    assert item_times(html) == [
        "Today 09:05",
        "Yesterday 09:10",
        "Mon 30 Nov 14:05",
        "Wed 24 Dec 2025 08:00",
    ]


def test_the_day_is_the_patients_own(patient: User, patient_client: Client) -> None:
    patient.profile.time_zone = "America/New_York"
    patient.profile.save()
    # 03:30 UTC on the 2nd is still the evening of the 1st in New York.
    EntryFactory.create(patient=patient, onset_at=datetime(2026, 12, 2, 3, 30, tzinfo=UTC))
    EntryFactory.create(patient=patient, onset_at=datetime(2026, 12, 1, 4, 30, tzinfo=UTC))

    with time_machine.travel(NOW, tick=False):
        html = patient_client.get("/journal/").text

    assert item_times(html) == ["Yesterday 22:30", "Mon 30 Nov 23:30"]


def test_the_timeline_keeps_times_alone_under_its_day_headings(
    patient: User, patient_client: Client
) -> None:
    EntryFactory.create(patient=patient, onset_at=datetime(2026, 12, 1, 9, 10, tzinfo=UTC))

    with time_machine.travel(NOW, tick=False):
        html = patient_client.get("/journal/timeline/").text

    assert '<span class="item-time">09:10</span>' in html
