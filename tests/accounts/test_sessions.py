"""Sessions end after 30 idle minutes or 12 hours in all; times show in the patient's zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.test import Client, RequestFactory
from django.utils import timezone

from accounts.models import Profile
from accounts.session_lifetime import ENDED_MESSAGE, LOGGED_IN_AT
from sharing.middleware import AccessMiddleware
from tests.support.factories import PASSWORD

SETTINGS_URL = "/accounts/settings/"


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Everything that asks `django.utils.timezone.now()` (sessions too) reads this clock."""
    clock = Clock(datetime(2025, 3, 14, 9, 0, tzinfo=UTC))
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


@pytest.fixture
def logged_in(client: Client, patient: User, clock: Clock) -> Client:
    response = client.post("/accounts/login/", {"username": "pat", "password": PASSWORD})
    assert response.status_code == 302
    return client


def is_sent_to_login(response: HttpResponseBase) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_logging_in_records_when(logged_in: Client, clock: Clock) -> None:
    assert logged_in.session[LOGGED_IN_AT] == int(clock.now.timestamp())


@pytest.mark.django_db
def test_activity_keeps_the_session_open(logged_in: Client, clock: Clock) -> None:
    for _ in range(4):
        clock.advance(minutes=29)
        assert logged_in.get(SETTINGS_URL).status_code == 200


def session_ends_at(client: Client) -> datetime:
    return Session.objects.get(pk=client.session.session_key).expire_date


@pytest.mark.django_db
def test_pages_read_within_a_minute_move_the_sessions_end_once(
    logged_in: Client, clock: Clock
) -> None:
    clock.advance(minutes=5)
    logged_in.get(SETTINGS_URL)
    moved_to = session_ends_at(logged_in)
    assert moved_to == clock.now + timedelta(minutes=30)

    clock.advance(seconds=30)
    logged_in.get(SETTINGS_URL)
    assert session_ends_at(logged_in) == moved_to

    clock.advance(seconds=30)
    logged_in.get(SETTINGS_URL)
    assert session_ends_at(logged_in) == clock.now + timedelta(minutes=30)


@pytest.mark.django_db
def test_31_minutes_idle_ends_the_session(logged_in: Client, clock: Clock) -> None:
    assert logged_in.get(SETTINGS_URL).status_code == 200

    clock.advance(minutes=31)
    response = logged_in.get(SETTINGS_URL)

    assert is_sent_to_login(response)
    assert response["Location"] == "/accounts/login/?next=/accounts/settings/"


def stay_active(client: Client, clock: Clock, *, until: datetime) -> list[int]:
    """A request every 20 minutes, well inside the idle limit, up to `until`."""
    statuses = []
    while clock.now + timedelta(minutes=20) <= until:
        clock.advance(minutes=20)
        statuses.append(client.get(SETTINGS_URL).status_code)
    return statuses


TWELVE_HOURS_AFTER_LOGIN = datetime(2025, 3, 14, 21, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_12_hours_after_login_the_session_ends_even_when_active(
    logged_in: Client, clock: Clock
) -> None:
    statuses = stay_active(logged_in, clock, until=TWELVE_HOURS_AFTER_LOGIN)
    assert statuses and set(statuses) == {200}

    clock.advance(minutes=1)
    response = logged_in.get(SETTINGS_URL)

    assert is_sent_to_login(response)
    assert response["Location"] == "/accounts/login/?next=/accounts/settings/"
    assert "_auth_user_id" not in logged_in.session
    login_page = logged_in.get(response["Location"])
    assert ENDED_MESSAGE in login_page.content.decode()


@pytest.mark.django_db
def test_a_form_posted_after_12_hours_changes_nothing_and_goes_to_login(
    logged_in: Client, clock: Clock
) -> None:
    stay_active(logged_in, clock, until=TWELVE_HOURS_AFTER_LOGIN)
    clock.advance(minutes=1)

    response = logged_in.post(SETTINGS_URL, {"email": "x@example.org", "time_zone": "UTC"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert User.objects.get(username="pat").email == "pat@example.org"


@pytest.mark.django_db
def test_a_session_without_a_login_time_is_given_one_on_first_sight(
    patient_client: Client, clock: Clock
) -> None:
    # force_login may run before the middleware's signal receiver is connected.
    session = patient_client.session
    session.pop(LOGGED_IN_AT, None)
    session.save()

    assert patient_client.get(SETTINGS_URL).status_code == 200

    assert patient_client.session[LOGGED_IN_AT] == int(clock.now.timestamp())


@pytest.mark.django_db
def test_logging_in_again_starts_a_new_12_hours(logged_in: Client, clock: Clock) -> None:
    stay_active(logged_in, clock, until=TWELVE_HOURS_AFTER_LOGIN - timedelta(minutes=30))
    logged_in.post("/accounts/logout/")
    logged_in.post("/accounts/login/", {"username": "pat", "password": PASSWORD})

    stay_active(logged_in, clock, until=TWELVE_HOURS_AFTER_LOGIN + timedelta(hours=1))

    assert logged_in.get(SETTINGS_URL).status_code == 200


# Time zones


def current_zone_seen_by_view(request: HttpRequest) -> tuple[str, str]:
    seen: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(timezone.get_current_timezone_name())
        return HttpResponse()

    AccessMiddleware(view)(request)
    return seen[0], timezone.get_current_timezone_name()


def request_for(user: User | AnonymousUser, rf: RequestFactory) -> HttpRequest:
    request = rf.get("/")
    request.user = user
    return request


@pytest.mark.django_db
def test_a_patients_requests_run_in_their_own_time_zone(patient: User, rf: RequestFactory) -> None:
    patient.profile.time_zone = "Asia/Tokyo"
    patient.profile.save()

    during, after = current_zone_seen_by_view(request_for(patient, rf))

    assert during == "Asia/Tokyo"
    assert after == "UTC"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["visitor", "content editor"])
def test_anyone_without_a_profile_sees_utc(
    who: str, content_editor: User, rf: RequestFactory
) -> None:
    user: User | AnonymousUser = AnonymousUser() if who == "visitor" else content_editor
    timezone.activate("Asia/Tokyo")  # left over from elsewhere in this thread

    during, _ = current_zone_seen_by_view(request_for(user, rf))

    assert during == "UTC"


@pytest.mark.django_db
def test_a_page_shows_the_time_in_the_patients_zone(
    patient_client: Client, patient: User, clock: Clock
) -> None:
    patient.profile.time_zone = "Asia/Tokyo"
    patient.profile.save()

    html = patient_client.get(SETTINGS_URL).content.decode()

    assert "Times are shown in <strong>Asia/Tokyo</strong>" in html
    assert ">18:00</time>" in html  # 09:00 UTC


@pytest.mark.django_db
def test_a_stored_zone_that_no_longer_exists_falls_back_to_utc(
    patient_client: Client, patient: User
) -> None:
    Profile.objects.filter(user=patient).update(time_zone="Mars/Olympus_Mons")

    response = patient_client.get(SETTINGS_URL)

    assert response.status_code == 200
    assert "Times are shown in <strong>UTC</strong>" in response.content.decode()
