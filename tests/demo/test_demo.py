"""The demo: a month of lived-in journal for the demo patient, rebuilt on every start."""

from __future__ import annotations

import re
from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from demo.journals import demo_journal_build
from journal import selectors
from journal.models import CheckInRating, DoseEvent, Measurement, MedicationCourse, SymptomEntry
from questionnaires.models import QuestionnaireResponse
from reference.models import RedFlag
from reference.safety import find_dosage_advice
from reports.content import report_content
from reports.models import Report
from sharing.selectors import patients_cared_for, provider_reports
from tests.support.factories import EntryFactory, PatientFactory

TODAY = date(2025, 3, 14)


@pytest.fixture
def demo_patient(db: None) -> User:
    user: User = PatientFactory.create(username="demo")
    return user


@pytest.fixture
def built(demo_patient: User) -> User:
    demo_journal_build(patient=demo_patient, today=TODAY)
    return demo_patient


def snapshot(patient: User) -> list[tuple[object, ...]]:
    entries = SymptomEntry.objects.filter(patient=patient).order_by("onset_at", "pk")
    doses = DoseEvent.objects.filter(course__patient=patient).order_by("taken_at", "pk")
    return [
        *(
            (e.symptom_name, e.onset_at, e.resolved_at, e.severity, e.interference, e.notes)
            for e in entries
        ),
        *((d.course.drug.slug, d.taken_at, d.setting, d.note) for d in doses),
    ]


@pytest.mark.django_db
def test_it_builds_an_esketamine_and_a_lamotrigine_course(built: User) -> None:
    courses = {c.drug.slug: c for c in MedicationCourse.objects.filter(patient=built)}

    assert set(courses) == {"esketamine", "lamotrigine"}
    assert courses["esketamine"].route == MedicationCourse.Route.NASAL
    assert courses["esketamine"].started_on == TODAY - timedelta(weeks=10)
    assert "twice a week" in courses["esketamine"].regimen
    assert courses["lamotrigine"].route == MedicationCourse.Route.ORAL


@pytest.mark.django_db
def test_it_logs_a_month_of_clinic_sessions_and_daily_tablets(built: User) -> None:
    doses = DoseEvent.objects.filter(course__patient=built)
    clinic = doses.filter(setting=DoseEvent.Setting.CLINIC, course__drug__slug="esketamine")
    home = doses.filter(setting=DoseEvent.Setting.HOME, course__drug__slug="lamotrigine")
    zone = built.profile.zone
    days = {dose.taken_at.astimezone(zone).date() for dose in doses}

    assert 8 <= clinic.count() <= 9
    assert {d.taken_at.astimezone(zone).weekday() for d in clinic} == {1, 4}
    assert 26 <= home.count() <= 30
    assert min(days) == TODAY - timedelta(days=29)
    assert max(days) == TODAY


@pytest.mark.django_db
def test_every_session_has_a_check_in_that_mostly_settles_by_the_two_hour_step(built: User) -> None:
    sessions = DoseEvent.objects.filter(course__patient=built, setting=DoseEvent.Setting.CLINIC)
    entries = list(
        SymptomEntry.objects.filter(patient=built, from_checkin=True).select_related("dose")
    )
    since_dose = [e.resolved_at - e.dose.taken_at for e in entries if e.dose and e.resolved_at]

    for session in sessions:
        ratings = CheckInRating.objects.filter(dose=session)
        assert ratings.filter(point=CheckInRating.Point.BEFORE).count() == 4
        peak = ratings.get(point=CheckInRating.Point.AFTER_40_MIN, side_effect__slug="dissociation")
        assert peak.severity >= 1
        assert SymptomEntry.objects.filter(dose=session, from_checkin=True).exists()
    assert len(since_dose) == len(entries) > 0
    # "Gone" is recorded when the step that says so is filled in: mostly the 2-hour one
    # (filled within a quarter of an hour of it), the rest by the evening's.
    by_two_hour_step = timedelta(hours=2, minutes=15)
    assert sum(elapsed <= by_two_hour_step for elapsed in since_dose) >= 0.7 * len(since_dose)
    assert max(since_dose) < timedelta(hours=11)


@pytest.mark.django_db
def test_a_rash_on_lamotrigine_raises_its_red_flag(built: User) -> None:
    entries = list(selectors.entry_list(patient=built))
    flags = selectors.red_flags_for(patient=built, entries=entries)
    rash = next(e for e in entries if e.side_effect and e.side_effect.slug == "skin-rash")

    assert rash.dose is not None and rash.dose.course.drug.slug == "lamotrigine"
    assert [flag.action for flag in flags[rash.pk]] == [RedFlag.Action.PRESCRIBER_TODAY]


@pytest.mark.django_db
def test_it_has_headaches_other_symptoms_backfilled_and_edited_entries(built: User) -> None:
    entries = list(SymptomEntry.objects.filter(patient=built))
    edited = [e for e in entries if e.is_edited]

    assert sum(e.side_effect is not None and e.side_effect.slug == "headache" for e in entries) >= 3
    assert {e.other_symptom for e in entries} >= {"Metallic taste", "Dry mouth"}
    assert sum(e.is_backfilled for e in entries) == 2
    assert [e.side_effect.slug for e in edited if e.side_effect] == ["skin-rash"]
    assert edited[0].history.count() == 2
    assert edited[0].resolved_at is not None
    # Everything else was logged within hours, as it happened.
    assert all(
        e.created_at - e.onset_at < timedelta(hours=8) for e in entries if not e.is_backfilled
    )


@pytest.mark.django_db
def test_none_of_its_text_gives_dosing_advice(built: User) -> None:
    texts = [
        *MedicationCourse.objects.filter(patient=built).values_list("regimen", flat=True),
        *DoseEvent.objects.filter(course__patient=built).values_list("note", flat=True),
        *SymptomEntry.objects.filter(patient=built).values_list("notes", flat=True),
        *SymptomEntry.objects.filter(patient=built).values_list("other_symptom", flat=True),
    ]

    assert any(texts)
    assert [text for text in texts if find_dosage_advice(text)] == []


@pytest.mark.django_db
def test_building_again_replaces_the_journal_instead_of_adding_to_it(built: User) -> None:
    first = snapshot(built)
    entry_history = SymptomEntry.history.filter(patient_id=built.pk).count()

    demo_journal_build(patient=built, today=TODAY)

    assert snapshot(built) == first
    assert MedicationCourse.objects.filter(patient=built).count() == 2
    assert SymptomEntry.history.filter(patient_id=built.pk).count() == entry_history


@pytest.mark.django_db
def test_it_leaves_other_patients_journals_alone(built: User, other_patient: User) -> None:
    theirs = EntryFactory.create(patient=other_patient)

    demo_journal_build(patient=built, today=TODAY)

    assert SymptomEntry.objects.filter(pk=theirs.pk).exists()


@pytest.mark.django_db
def test_built_for_today_it_records_nothing_in_the_future(demo_patient: User) -> None:
    today = timezone.localdate(timezone=demo_patient.profile.zone)

    demo_journal_build(patient=demo_patient, today=today)

    now = timezone.now()
    doses = DoseEvent.objects.filter(course__patient=demo_patient)
    entries = SymptomEntry.objects.filter(patient=demo_patient)
    assert doses.filter(taken_at__gt=now).count() == 0
    assert entries.filter(onset_at__gt=now).count() == 0
    assert entries.filter(created_at__gt=now).count() == 0


@pytest.mark.django_db
def test_it_needs_a_patient(content_editor: User) -> None:
    with pytest.raises(ValueError, match="the demo needs a patient"):
        demo_journal_build(patient=content_editor, today=TODAY)


# The management command


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def printed_password(output: str, username: str) -> str:
    match = re.search(rf"^\s+\S.*?\s{username}\s+(\S+)$", output, re.MULTILINE)
    assert match, output
    return match.group(1)


@pytest.mark.django_db
def test_the_command_creates_the_demo_patient_who_can_log_in(
    settings: Settings, client: Client
) -> None:
    settings.DEBUG = True

    output = run_demo()

    demo = User.objects.get(username="demo")
    assert demo.profile.time_zone == "Europe/London"
    assert SymptomEntry.objects.filter(patient=demo).exists()
    for username in ("editor", "admin", "demo"):
        assert User.objects.get(username=username).check_password(
            printed_password(output, username)
        )
    response = client.post(
        "/accounts/login/", {"username": "demo", "password": printed_password(output, "demo")}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_running_the_command_again_refreshes_rather_than_duplicates(
    settings: Settings,
) -> None:
    settings.DEBUG = True
    run_demo()
    counts = SymptomEntry.objects.count(), DoseEvent.objects.count(), User.objects.count()

    output = run_demo()

    assert (SymptomEntry.objects.count(), DoseEvent.objects.count(), User.objects.count()) == counts
    assert User.objects.get(username="demo").check_password(printed_password(output, "demo"))


@pytest.mark.django_db
def test_the_command_refuses_to_run_without_debug(settings: Settings) -> None:
    settings.DEBUG = False

    with pytest.raises(CommandError, match="local development only"):
        run_demo()

    assert not User.objects.filter(username="demo").exists()


@pytest.mark.django_db
def test_the_demo_command_gives_each_kind_of_user_something_to_try(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.DEBUG = True
    call_command("demo")
    printed = capsys.readouterr().out

    for username in ("editor", "admin", "demo", "drokafor", "sam"):
        assert f" {username} " in printed
    provider = User.objects.get(username="drokafor")
    caregiver = User.objects.get(username="sam")
    shared = list(provider_reports(provider=provider))
    assert [r.patient.username for r in shared] == ["demo"]
    assert shared[0].status == Report.Status.READY
    assert [c.patient.username for c in patients_cared_for(caregiver=caregiver)] == ["demo"]


@pytest.mark.django_db
def test_the_latest_session_has_the_clinics_blood_pressure_and_two_phq9s(built: User) -> None:
    report = Report.objects.create(
        patient=built, period_start=TODAY - timedelta(days=29), period_end=TODAY
    )

    content = report_content(report=report)

    session = content.sessions[-1]
    assert (session.before, session.at_40_min, session.discharge) == (
        "138/86",
        "176/104",
        "142/88",
    )
    assert (session.went_home, session.high_for) == (
        "Someone drove me",
        "Still high at the last reading",
    )
    assert len([r for r in content.readings if r.context == "home" and r.is_blood_pressure]) == 3
    assert [(s.instrument_label, s.score, s.band) for s in content.scores] == [
        ("PHQ-9", 13, "Moderate"),
        ("PHQ-9", 7, "Mild"),
    ]


@pytest.mark.django_db
def test_building_again_replaces_the_readings_too(built: User) -> None:
    readings = Measurement.objects.filter(patient=built).count()

    demo_journal_build(patient=built, today=TODAY)

    assert Measurement.objects.filter(patient=built).count() == readings
    assert QuestionnaireResponse.objects.filter(patient=built).count() == 2
