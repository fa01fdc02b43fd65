"""schemathesis against the API schema: no 5xx, no answer outside the schema, no bad input taken.

Three runs over the schema at /api/schema/, in-process through the WSGI app: the patient's
journal, the provider's shared reports and, with no credentials, the public library and the
token endpoints. Every built-in check is on, in every phase schemathesis has (examples,
coverage, fuzzing, stateful). One is narrowed: `positive_data_acceptance` accepts a 400 from the
operations listed in RULES_BEYOND_THE_SCHEMA, whose input is valid or not by rules an OpenAPI
schema can't state (rows that must exist and be yours, dates that must fit other dates).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from accounts.services import api_token_create
from config.wsgi import application
from journal.models import DoseEvent, Measurement, MedicationCourse, SymptomEntry
from reference.models import Drug, SideEffect
from reports import services as report_services
from reports.models import Report
from sharing.models import ShareLink
from sharing.services import share_link_create
from tests.support import factories
from tests.support.fuzz import (
    FuzzResult,
    ThreadConnections,
    load_schema,
    run,
    wsgi_transport_fixed,
)
from tests.support.reports import ready_report

pytestmark = [
    pytest.mark.xdist_group("api_fuzz"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SEED = 20250501
MAX_EXAMPLES = 15
# The token endpoints are asked with no credentials only: signed in, the fuzzer would end the
# very token it sends (tests/accounts/test_api_tokens.py asks them signed in).
PUBLIC_PATHS = r"^/api/v1/(drugs|side-effects|auth)/"
# Runs select operations by excluding the rest: `include` lets the stateful phase reach others.
NOT_PUBLIC_PATHS = r"^/api/v1/(?!(drugs|side-effects|auth)/)"
NOT_PROVIDER_PATHS = r"^/api/v1/(?!provider/)"

# Schema-valid requests these may still refuse with the documented 400 and field errors.
RULES_BEYOND_THE_SCHEMA = [
    "v1_auth_token_create",  # the username and password must match an account
    "v1_courses_create",  # the drug must be in the library, the stop date after the start
    "v1_courses_update",  # ... and the dates must still cover the course's doses
    "v1_courses_partial_update",
    "v1_courses_destroy",  # a course with doses can't be deleted
    "v1_doses_create",  # the course must be yours, the time within its dates, not to come
    "v1_doses_update",  # ... and not after the symptoms linked to the dose
    "v1_doses_partial_update",
    "v1_doses_list",  # `from` and `to` must fall between 1900 and 9999 in your time zone
    "v1_doses_check_in_create",  # the step must be due, each symptom rated once
    "v1_entries_list",
    "v1_entries_create",  # a symptom from the library or described; resolved after onset
    "v1_entries_update",
    "v1_entries_partial_update",
    "v1_measurements_list",  # `from` and `to` as for doses
    "v1_measurements_create",  # values within the device's range for the kind; the dose's time
    "v1_measurements_update",
    "v1_measurements_partial_update",
    "v1_doses_clinic_session_update",  # ready to leave after the dose, not to come
    "v1_reports_create",  # a period of at most a year, not in the future; your own courses
    "v1_reports_shares_create",  # only a ready report can be shared
    "v1_profile_partial_update",  # a date of birth from 1900 to today in your time zone
    "v1_reminders_settings_update",  # quiet hours: both ends or neither, not the same time
    "v1_questionnaires_responses_create",  # one answer per item; library symptoms, rated once
]
# Real ids and slugs, drawn half of the time, so that reads find rows and writes get through.
BODY_VALUES = {
    "body.drug": "drugs",
    "body.side_effect": "symptoms",
    "query.side_effect": "symptoms",
    "body.course": "courses",
    "query.course": "courses",
    "body.courses[*]": "courses",
    "body.dose": "doses",
    "body.ratings[*].side_effect": "symptoms",
}
PATH_IDS = {
    "^/api/v1/courses/": "courses",
    "^/api/v1/doses/": "doses",
    "^/api/v1/entries/": "entries",
    "^/api/v1/measurements/": "measurements",
    "^/api/v1/reports/": "reports",
    "^/api/v1/shares/": "shares",
    "^/api/v1/provider/reports/": "reports",
}


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> Iterator[ThreadConnections]:
    wsgi_transport_fixed(monkeypatch)
    wrapped = ThreadConnections(application)
    yield wrapped
    wrapped.close()


@pytest.fixture(autouse=True)
def reports_stay_queued(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reports the fuzzer asks for stay queued, as until a worker takes them: building each
    would cost a second. The ready report of `journal_for` is built for real."""
    monkeypatch.setattr(report_services, "report_enqueue", lambda *, report_id: True)


def token_for(user: User) -> str:
    return f"Token {api_token_create(user=user, name='schemathesis').key}"


def journal_for(patient: User) -> Report:
    """A small journal: a course, doses, entries, readings and one ready report, shared by
    link."""
    course = factories.CourseFactory.create(patient=patient)
    now = timezone.now()
    for hours in (50, 26, 3):
        dose = factories.DoseFactory.create(course=course, taken_at=now - timedelta(hours=hours))
        factories.EntryFactory.create(
            patient=patient, dose=dose, onset_at=dose.taken_at + timedelta(minutes=40)
        )
        factories.MeasurementFactory.create(
            patient=patient, dose=dose, measured_at=dose.taken_at + timedelta(minutes=40)
        )
    report = ready_report(patient, days=14)
    share_link_create(report=report, recipient="Dr Okafor", created_by=patient)
    return report


def known_values(patient: User) -> dict[str, list[Any]]:
    return {
        "drugs": list(Drug.objects.published().values_list("slug", flat=True)),
        "symptoms": list(SideEffect.objects.published().values_list("slug", flat=True)),
        "courses": list(
            MedicationCourse.objects.filter(patient=patient).values_list("pk", flat=True)
        ),
        "doses": list(
            DoseEvent.objects.filter(course__patient=patient).values_list("pk", flat=True)
        ),
        "entries": list(SymptomEntry.objects.filter(patient=patient).values_list("pk", flat=True)),
        "measurements": list(
            Measurement.objects.filter(patient=patient).values_list("pk", flat=True)
        ),
        "reports": list(Report.objects.filter(patient=patient).values_list("pk", flat=True)),
        "shares": list(
            ShareLink.objects.filter(report__patient=patient).values_list("pk", flat=True)
        ),
    }


def peers_file(directory: Path, **tokens: str) -> str:
    """A Web Fuzzing Commons auth file: users who must not see each other's objects."""
    users = [
        {"name": name, "fixedHeaders": [{"name": "Authorization", "value": token}]}
        for name, token in tokens.items()
    ]
    path = directory / "peers.json"
    path.write_text(json.dumps({"auth": users}))
    return str(path)


def settings_for(
    authorization: str | None,
    values: dict[str, list[Any]] | None = None,
    *,
    peers: str | None = None,
) -> dict[str, Any]:
    """schemathesis's configuration, as `schemathesis.toml` would hold it."""
    operations: list[dict[str, Any]] = [
        {
            "include-operation-id": RULES_BEYOND_THE_SCHEMA,
            "checks": {
                "positive_data_acceptance": {
                    "expected-statuses": ["2xx", "400", "401", "403", "404", "409", "429"]
                }
            },
        }
    ]
    # An entry is written only when half a dozen fields agree; give it more tries.
    operations.append(
        {
            "include-operation-id": ["v1_entries_create", "v1_entries_update"],
            "generation": {"max-examples": 4 * MAX_EXAMPLES},
        }
    )
    settings: dict[str, Any] = {
        "seed": SEED,
        "cache": {"enabled": False},
        "workers": 1,
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        "checks": {"enabled": True},
        "operations": operations,
    }
    if peers is not None:
        # Sent as the first user; every read of theirs is tried again as the others.
        settings["auth"] = {
            "wfc": {"path": peers, "user": "patient", "peers": ["patient", "other"]}
        }
    elif authorization is not None:
        settings["auth"] = {"openapi": {"tokenAuth": {"api_key": authorization}}}
    if values:
        present = {name: found for name, found in values.items() if found}
        settings["dictionaries"] = {name: {"values": found} for name, found in present.items()}
        settings["parameters"] = {
            key: {"dictionary": name, "probability": 0.5}
            for key, name in BODY_VALUES.items()
            if name in present
        }
        operations.extend(
            {
                "include-path-regex": path,
                "parameters": {"path.id": {"dictionary": name, "probability": 0.5}},
            }
            for path, name in PATH_IDS.items()
            if name in present
        )
    return settings


def assert_clean(result: FuzzResult, record_property: Any) -> None:
    # Shown at the end of the run by conftest's terminal summary, xdist or not.
    record_property("schemathesis", result.summary())
    assert result.operations, "schemathesis tested no operation"
    assert result.cases > 0, "schemathesis generated no case"
    assert not result.failures, result.report()
    assert not result.errors, result.report()


def test_the_journal_api_holds_up_for_a_patient(
    patient: User,
    other_patient: User,
    app: ThreadConnections,
    tmp_path: Path,
    record_property: Any,
) -> None:
    journal_for(patient)
    journal_for(other_patient)
    peers = peers_file(tmp_path, patient=token_for(patient), other=token_for(other_patient))
    schema = load_schema(app, settings_for(None, known_values(patient), peers=peers))

    result = run(schema.exclude(tag="provider").exclude(path_regex=PUBLIC_PATHS), label="patient")

    assert_clean(result, record_property)


def test_the_provider_api_holds_up_for_a_provider(
    patient: User, provider: User, app: ThreadConnections, record_property: Any
) -> None:
    journal_for(patient)
    schema = load_schema(app, settings_for(token_for(provider), known_values(patient)))

    result = run(schema.exclude(path_regex=NOT_PROVIDER_PATHS), label="provider")

    assert_clean(result, record_property)


def test_the_public_api_holds_up_for_anyone(
    patient: User, app: ThreadConnections, record_property: Any
) -> None:
    schema = load_schema(app, settings_for(None))

    result = run(schema.exclude(path_regex=NOT_PUBLIC_PATHS), label="anonymous")

    assert_clean(result, record_property)
