"""A check-in reminder's link opens that dose's check-in for 6 hours, signed in or not, and
nothing else of the journal; every open is audited."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.test import Client
from django.utils.html import strip_tags

from accounts.models import Profile
from audit.models import AuditEvent
from journal.models import CheckInRating, DoseEvent, SymptomEntry
from reminders.models import CheckinLink
from reminders.services import reminders_send_due
from tests.support.clients import logged_in_client
from tests.support.factories import CourseFactory, EntryFactory
from tests.support.reminders import reminders_on

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
SENT = NOW + timedelta(minutes=40)


@pytest.fixture
def link(patient: User, patient_client: Client) -> Iterator[str]:
    """The path of the link in Pat's 40-minute reminder after a 14:00 esketamine dose."""
    with time_machine.travel(NOW, tick=False):
        reminders_on(patient)
        course = CourseFactory.create(patient=patient, started_on=date(2026, 1, 1))
        patient_client.post(f"/journal/courses/{course.pk}/taken-now/")
    with time_machine.travel(SENT, tick=False):
        reminders_send_due()
    found = re.search(r"https?://[^/]+(/r/[\w-]+/)", str(mail.outbox[0].body))
    assert found
    yield found.group(1)


SESSION_ROWS = {
    "dissociation-severity": "2",
    "drowsiness-severity": "1",
    "dizziness-severity": "0",
    "nausea-severity": "0",
}


def text_of(response: HttpResponseBase) -> str:
    """What a reader sees of the page's main part: no tags, one space between words."""
    assert isinstance(response, HttpResponse)
    main = response.content.decode().split("<main", 1)[-1]
    return " ".join(strip_tags(main).split())


def test_the_link_opens_the_step_it_reminded_of_signed_out(link: str) -> None:
    with time_machine.travel(SENT + timedelta(minutes=2), tick=False):
        response = Client().get(link)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>About 40 minutes after</h1>" in page
    assert "Esketamine, Tue 10 Mar, 14:00." in text_of(response)
    # The rating buttons of each session symptom, 0 to 4.
    for slug in ("dissociation", "drowsiness", "dizziness", "nausea"):
        for value in range(5):
            assert f'name="{slug}-severity" value="{value}"' in page
    assert "Save this step" in page
    assert f'href="{link}steps/"' in page
    assert response["Referrer-Policy"] == "same-origin"  # the token reaches no other site


def test_its_times_are_the_patients_wherever_the_reader_is(link: str, patient: User) -> None:
    patient.profile.time_zone = "Asia/Tokyo"
    patient.profile.save()

    with time_machine.travel(SENT + timedelta(minutes=2), tick=False):
        steps = Client().get(f"{link}steps/")

    # 14:00 UTC is 23:00 in Tokyo; its evening step is due 6 hours later.
    assert "Esketamine, Tuesday 10 March, 23:00." in text_of(steps)
    assert "In the evening Opens at Wed 11 Mar, 05:00." in text_of(steps)


def test_the_steps_list_stays_within_the_link(link: str) -> None:
    with time_machine.travel(SENT + timedelta(minutes=2), tick=False):
        response = Client().get(f"{link}steps/")

    assert response.status_code == 200
    page = response.content.decode()
    text = text_of(response)
    assert "Post-dose check-in" in text
    assert "About 40 minutes after Due now, since 14:40." in text
    assert "About 2 hours after Opens at Tue 10 Mar, 16:00." in text
    assert "In the evening Opens at Tue 10 Mar, 20:00." in text
    assert f'href="{link}40min/"' in page
    assert f'href="{link}before/"' in page
    assert "/journal/" not in page.split("<main", 1)[-1]


def test_another_step_opens_within_the_link_and_one_not_due_is_refused(link: str) -> None:
    visitor = Client()
    with time_machine.travel(SENT + timedelta(minutes=2), tick=False):
        before = visitor.get(f"{link}before/")
        later = visitor.get(f"{link}2h/")
        posted = visitor.post(f"{link}2h/", SESSION_ROWS)
        unknown = visitor.get(f"{link}lunch/")

    assert "<h1>Before the dose</h1>" in before.content.decode()
    assert "This step opens at Tue 10 Mar, 16:00. Come back then." in text_of(later)
    assert "This step is not due yet: it opens at 16:00" in posted.content.decode()
    assert not CheckInRating.objects.filter(point="2h").exists()
    assert unknown.status_code == 404


def test_ratings_sent_signed_out_are_the_patients_and_on_their_timeline(
    link: str, patient: User
) -> None:
    with time_machine.travel(SENT + timedelta(minutes=2), tick=False):
        response = Client().post(link, SESSION_ROWS, follow=True)

    assert response.redirect_chain == [(f"{link}steps/", 302)]
    text = text_of(response)
    assert "Check-in saved: about 40 minutes after." in text
    assert "Dissociation and detachment 2, Drowsiness and sedation 1" in text
    dose = DoseEvent.objects.get()
    entries = SymptomEntry.objects.filter(dose=dose).order_by("severity")
    assert [(e.side_effect.slug, e.severity, e.from_checkin) for e in entries] == [  # type: ignore[union-attr]
        ("drowsiness", 1, True),
        ("dissociation", 2, True),
    ]
    assert {(e.patient, e.logged_by) for e in entries} == {(patient, patient)}
    assert CheckInRating.objects.filter(dose=dose, point="40min").count() == 4

    with time_machine.travel(SENT + timedelta(minutes=5), tick=False):
        timeline = logged_in_client(patient).get("/journal/timeline/")
    assert timeline.status_code == 200
    assert "Dissociation and detachment" in timeline.content.decode()
    assert "Drowsiness and sedation" in timeline.content.decode()


def test_a_red_flag_from_the_link_shows_who_to_contact_with_the_patients_numbers(
    link: str, patient: User
) -> None:
    Profile.objects.filter(user=patient).update(country="DE")
    visitor = Client()
    with time_machine.travel(SENT + timedelta(minutes=2), tick=False):
        response = visitor.post(link, {**SESSION_ROWS, "dizziness-severity": "4"})
        dizziness = SymptomEntry.objects.get(side_effect__slug="dizziness")
        assert response["Location"] == f"{link}flag/{dizziness.pk}/"
        flag = visitor.get(response["Location"])

    assert flag.status_code == 200
    text = text_of(flag)
    assert "Check-in saved" in text
    assert 'id="red-flag-heading"' in flag.content.decode()
    alert = text.split("Check-in saved", 1)[1]
    assert alert.startswith(" Contact your prescriber today Any symptom you rate as Very severe.")
    assert "Call 112 if it is getting worse or you feel unsafe." in alert
    assert "These are the numbers for Germany." in text
    assert "You rated dizziness 4" in text
    assert f'href="{link}steps/"' in flag.content.decode()
    assert flag["Referrer-Policy"] == "same-origin"


def test_the_flag_page_opens_no_entry_but_the_check_in_ratings_of_the_links_dose(
    link: str, patient: User, other_patient: User
) -> None:
    dose = CheckinLink.objects.get().dose
    with time_machine.travel(SENT, tick=False):
        earlier_dose = DoseEvent.objects.create(
            course=dose.course, taken_at=NOW - timedelta(days=3), logged_by=patient
        )
        not_reachable = [
            EntryFactory.create(patient=other_patient, severity=4),
            EntryFactory.create(patient=patient, dose=earlier_dose, from_checkin=True),
            EntryFactory.create(patient=patient, dose=dose, from_checkin=False),
        ]
        for entry in not_reachable:
            assert Client().get(f"{link}flag/{entry.pk}/").status_code == 404
        # Nor does a signed-in other patient reach more through it.
        signed_in_as_other = logged_in_client(other_patient)
        assert signed_in_as_other.get(f"{link}flag/{not_reachable[0].pk}/").status_code == 404


def test_opening_it_is_audited_for_the_patient(link: str, patient: User) -> None:
    with time_machine.travel(SENT + timedelta(minutes=2), tick=False):
        Client().get(link)

    event = AuditEvent.objects.get(action="checkin_link.opened")
    assert event.patient_key == patient.pk
    assert event.outcome == "allowed"
    assert event.actor_label == "Someone not logged in"


def test_each_page_opened_through_it_is_audited(link: str, patient: User) -> None:
    visitor = Client()
    with time_machine.travel(SENT + timedelta(minutes=2), tick=False):
        for path in (link, f"{link}steps/", f"{link}2h/"):
            assert visitor.get(path).status_code == 200

    opened = AuditEvent.objects.filter(action="checkin_link.opened", outcome="allowed")
    assert opened.count() == 3
    assert {event.patient_key for event in opened} == {patient.pk}
    assert any("about 2 hours after" in event.target for event in opened)


def test_it_works_for_6_hours_then_is_refused(link: str, patient: User) -> None:
    with time_machine.travel(SENT + timedelta(hours=5, minutes=59), tick=False):
        assert Client().get(link).status_code == 200
        Client().post(link, {**SESSION_ROWS, "dizziness-severity": "4"})
    entry = SymptomEntry.objects.get(side_effect__slug="dizziness")
    with time_machine.travel(SENT + timedelta(hours=6), tick=False):
        expired = [
            Client().get(path).status_code
            for path in (link, f"{link}steps/", f"{link}2h/", f"{link}flag/{entry.pk}/")
        ]
        posted = Client().post(f"{link}evening/", SESSION_ROWS)

    assert expired == [404, 404, 404, 404]
    assert posted.status_code == 404
    assert not CheckInRating.objects.filter(point="evening").exists()
    refused = AuditEvent.objects.filter(action="checkin_link.opened", outcome="refused")
    assert refused.count() == 5
    assert {event.patient_key for event in refused} == {patient.pk}


def test_an_unknown_token_opens_nothing(link: str) -> None:
    with time_machine.travel(SENT, tick=False):
        assert Client().get(link[:-3] + "xx/").status_code == 404


def test_the_link_opens_nothing_else_of_the_journal(link: str) -> None:
    dose = CheckinLink.objects.get().dose
    visitor = Client()
    with time_machine.travel(SENT, tick=False):
        visitor.get(link)
        visitor.post(link, {**SESSION_ROWS, "dizziness-severity": "4"})
        entry = SymptomEntry.objects.get(side_effect__slug="dizziness")
        journal_pages = [
            "/journal/",
            "/journal/timeline/",
            f"/journal/doses/{dose.pk}/check-in/",
            f"/journal/doses/{dose.pk}/check-in/40min/",
            f"/journal/entries/{entry.pk}/",
        ]
        responses = [visitor.get(path) for path in journal_pages]
        doses = visitor.get("/api/v1/doses/")

    for response in responses:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert doses.status_code in (401, 403)


def test_it_opens_its_own_dose_not_another_patients(
    link: str, patient: User, other_patient: User
) -> None:
    with time_machine.travel(NOW, tick=False):
        other_course = CourseFactory.create(patient=other_patient, started_on=date(2026, 1, 1))
        DoseEvent.objects.create(
            course=other_course, taken_at=NOW - timedelta(hours=1), logged_by=other_patient
        )
    signed_in_as_other = logged_in_client(other_patient)

    with time_machine.travel(SENT, tick=False):
        page = signed_in_as_other.get(link).content.decode()

    assert "10 Mar, 14:00" in page
    assert "13:00" not in page
    assert CheckinLink.objects.get().dose.course.patient == patient


def test_only_the_tokens_hash_is_stored(link: str) -> None:
    token = link.strip("/").split("/")[-1]

    stored = CheckinLink.objects.get()

    assert token not in stored.token_hash
    assert len(stored.token_hash) == 64


def test_deleting_the_dose_ends_its_link(link: str, patient: User) -> None:
    dose = DoseEvent.objects.get()
    with time_machine.travel(SENT, tick=False):
        logged_in_client(patient).post(f"/journal/doses/{dose.pk}/delete/")
        assert not DoseEvent.objects.exists()
        assert Client().get(link).status_code == 404
