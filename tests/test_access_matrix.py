"""Every route that holds patient data, against every kind of user (PRODUCT.md §5, §7).

One world: Pat (a course with a dose and a check-in, a spare course, entries, a ready report
shared by link and with Dr Okafor), Olga (the same, her own), their caregivers, a provider,
a former provider and a content editor. Each case is one request by one user:

- allowed: the success status, and Pat's data only where that user may see it;
- refused: pages answer 404 (anonymous is sent to log in), the API 404 (anonymous 401 or
  403); the answer holds none of Pat's data; and nothing is written.

Routes to "whatever is the asker's own" (the dashboard, the Sharing page, the account, a
provider's inbox) answer each user with their own; Pat's data then appears only to Pat's
side. A form of Olga's that is sent one of Pat's ids refuses it as an unknown choice (200
with a field error, or 400 in the API), exactly as for an id that does not exist.

Invitation links are keys like share links. An already used one sends its own invitee on
and opens nothing for anyone else; the provider invitation's page answers 403 to a signed-in
non-provider ("this needs a provider account") and to another provider ("accepted by
another account"), which tells only the holder of the link what the link is.

The world is built once for the module inside a transaction that is rolled back at the
end (Django's `setUpTestData`); each case runs in a savepoint of its own, so allowed
writes are executed too and undone after. Sessions are logged in once, in the world.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import Enum
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Model
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve
from django.utils import timezone
from pytest_django.plugin import DjangoDbBlocker

from accounts.models import ApiToken, patient_zone
from accounts.services import api_token_create
from audit.models import AuditChainHead, AuditEvent, AuditOutcome
from questionnaires.services import questionnaire_response_create
from reports.models import Report
from sharing.models import CareRelationship, ProviderGrant, ShareLink, token_hash, token_new
from sharing.services import share_link_create, share_link_revoke
from tests.support import factories
from tests.support.clients import acting_for, logged_in_client
from tests.support.reports import ready_report

pytestmark = pytest.mark.django_db

# Who asks

ANONYMOUS = "anonymous"
PATIENT = "patient"
CAREGIVER = "caregiver"
OTHER_CAREGIVER = "other_caregiver"
PROVIDER = "provider"
FORMER_PROVIDER = "former_provider"
OTHER_PATIENT = "other_patient"
CONTENT_EDITOR = "content_editor"
USERS = (
    ANONYMOUS,
    PATIENT,
    CAREGIVER,
    OTHER_CAREGIVER,
    PROVIDER,
    FORMER_PROVIDER,
    OTHER_PATIENT,
    CONTENT_EDITOR,
)

NOBODY: frozenset[str] = frozenset()
EVERYONE = frozenset(USERS)
PAT_SIDE = frozenset({PATIENT, CAREGIVER})  # Pat, and Cara keeping Pat's journal
OLGA_SIDE = frozenset({OTHER_PATIENT, OTHER_CAREGIVER})
JOURNAL_KEEPERS = PAT_SIDE | OLGA_SIDE  # everyone with a journal open: their own
PATIENTS = frozenset({PATIENT, OTHER_PATIENT})  # patient-only pages and the journal API
PROVIDERS = frozenset({PROVIDER, FORMER_PROVIDER})
LOGGED_IN = EVERYONE - {ANONYMOUS}

# Text found only in Pat's (or Olga's) data: an answer to anyone who may not see it must
# hold none of it. The world adds the addresses of their rows (/journal/entries/<pk>/...).

PATS_DATA = "Pat's data"
OLGAS_DATA = "Olga's data"
PAT_NAME = "PAT-DISPLAY-NAME"  # the name Pat gives: providers and caregivers see it
PAT_NOTE = "PAT-SECRET-NOTE"  # the entry's notes; reports include them (include_notes)
PAT_DOSE_NOTE = "PAT-SECRET-DOSE-NOTE"
PAT_REGIMEN = "PAT-SECRET-REGIMEN"
# An entry of Pat's from before the report's period: no report or share link shows it.
PAT_OUTSIDE_NOTE = "PAT-OUTSIDE-NOTE"
PAT_TOKEN_NAME = "PAT-TOKEN-NAME"  # the name of the app Pat signed in with
OLGA_NAME = "OLGA-DISPLAY-NAME"
OLGA_NOTE = "OLGA-SECRET-NOTE"
OLGA_DOSE_NOTE = "OLGA-SECRET-DOSE-NOTE"
OLGA_REGIMEN = "OLGA-SECRET-REGIMEN"
OLGA_TOKEN_NAME = "OLGA-TOKEN-NAME"
# Every page a caregiver opens says whose journal they keep.
KNOWN_NAME = {CAREGIVER: PAT_NAME, OTHER_CAREGIVER: OLGA_NAME}
MARKERS = {
    PATS_DATA: (PAT_NAME, PAT_NOTE, PAT_DOSE_NOTE, PAT_REGIMEN, PAT_OUTSIDE_NOTE, PAT_TOKEN_NAME),
    OLGAS_DATA: (OLGA_NAME, OLGA_NOTE, OLGA_DOSE_NOTE, OLGA_REGIMEN, OLGA_TOKEN_NAME),
}
LOGIN = "/accounts/login/?next="
ADMIN_LOGIN = "/admin/login/?next="


class Kind(Enum):
    PAGE = "page"  # login_required pages: anonymous is sent to log in, others get 404
    API = "api"  # DRF: anonymous gets 401/403, others 404
    SHARE = "share"  # public share links: the link is the key, whoever holds it
    ADMIN = "admin"  # the admin: non-staff are sent to the admin's login


@dataclass(frozen=True)
class World:
    sessions: dict[str, str]  # who: the key of a session logged in as them
    tokens: dict[str, str]  # who: their API token
    ids: dict[str, Any]  # what the route templates below are filled with
    markers: dict[str, tuple[str, ...]]  # whose: text found only in their data


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # a template, filled from World.ids
    kind: Kind
    allowed: frozenset[str]
    ok: int = 200
    ok_for: Mapping[str, int] = field(default_factory=dict)  # who: a success of their own
    data: Mapping[str, Any] | None = None  # a template, like `path`
    pat_visible: frozenset[str] | None = None  # who may see Pat's data here; default `allowed`
    olga_visible: frozenset[str] = NOBODY
    # Refusals that are not the kind's usual one, e.g. a form that rejects a foreign id.
    refused: Mapping[str, int] = field(default_factory=dict)
    # Markers an allowed answer holds, for those who may see their owner's data: the proof
    # that the absence of a marker from a refused answer means something.
    shows: tuple[str, ...] = ()
    never: tuple[str, ...] = ()  # text no one may get here
    xfail: Mapping[str, str] = field(default_factory=dict)  # user: what is wrong

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    def may_see(self, who: str, whose: str) -> bool:
        """Whether `who` may be shown `whose` data (PATS_DATA or OLGAS_DATA) here."""
        if whose == OLGAS_DATA:
            return who in self.olga_visible
        visible = self.allowed if self.pat_visible is None else self.pat_visible
        return who in visible


def pats(method: str, path: str, kind: Kind = Kind.PAGE, **options: Any) -> Route:
    """A route to one of Pat's rows: by default Pat and Cara only."""
    options.setdefault("allowed", PAT_SIDE)
    return Route(method, path, kind, **options)


def own(method: str, path: str, kind: Kind = Kind.PAGE, **options: Any) -> Route:
    """A route to whatever is the asker's own: each side sees its own patient's data."""
    allowed: frozenset[str] = options.setdefault("allowed", JOURNAL_KEEPERS)
    options.setdefault("pat_visible", allowed & PAT_SIDE)
    options.setdefault("olga_visible", allowed & OLGA_SIDE)
    return Route(method, path, kind, **options)


def olgas(method: str, path: str, kind: Kind = Kind.PAGE, **options: Any) -> Route:
    """A route to one of Olga's rows: by default Olga and Carl only."""
    allowed: frozenset[str] = options.setdefault("allowed", OLGA_SIDE)
    options.setdefault("pat_visible", NOBODY)
    options.setdefault("olga_visible", allowed)
    return Route(method, path, kind, **options)


def each(users: frozenset[str], status: int) -> dict[str, int]:
    return dict.fromkeys(users, status)


ME = frozenset({PATIENT})  # Pat alone: no caregiver
OLGA = frozenset({OTHER_PATIENT})
LIVE_PROVIDER = frozenset({PROVIDER})
# A report holds its own period of its patient's journal (nobody else's is in any answer).
NOT_IN_REPORT = (PAT_OUTSIDE_NOTE,)
# What each file of Pat's report shows (the PDF's text is compressed; the chart has none).
REPORT_FILES: dict[str, tuple[str, ...]] = {
    "pdf": (),
    "csv": (PAT_NOTE,),
    "fhir": (PAT_NOTE, PAT_REGIMEN),
    "chart": (),
}
API_FILE_KINDS = ("pdf", "csv", "fhir")
COURSE_FORM = {
    "drug": "{drug}",
    "route": "nasal",
    "started_on": "{started_on}",
    "regimen": "As written",
}
DOSE_FORM = {"course": "{course}", "setting": "home", "taken_at": "{dose_time}"}
ENTRY_FORM = {
    "side_effect": "nausea",
    "severity": "1",
    "interference": "1",
    "dose": "none",
    "onset_at": "{onset_time}",
    "notes": "edited",
}
READING_FORM = {
    "kind": "blood_pressure",
    "measured_at": "{onset_time}",
    "systolic": "140",
    "diastolic": "90",
    "unit": "C",
    "context": "after_40min",
    "dose": "none",
}
CHECK_IN_FORM = {
    "dissociation-severity": "1",
    "drowsiness-severity": "0",
    "dizziness-severity": "0",
    "nausea-severity": "2",
    "nausea-interference": "1",
}
GAD_7_FORM = {f"item_{number}": "1" for number in range(1, 8)}
# Olga's side sending one of Pat's ids to a form of their own journal: a field error.
OLGA_FORM_ERROR = each(OLGA_SIDE, 200)

PAGES = [
    own("GET", "/journal/", shows=(PAT_REGIMEN, OLGA_REGIMEN)),
    own("GET", "/journal/timeline/"),
    own("GET", "/journal/courses/", shows=(PAT_REGIMEN, OLGA_REGIMEN)),
    own("GET", "/journal/courses/new/"),
    own("POST", "/journal/courses/new/", ok=302, data=COURSE_FORM),
    pats("GET", "/journal/courses/{course}/", shows=(PAT_REGIMEN,)),
    pats("POST", "/journal/courses/{course}/", ok=302, data=COURSE_FORM),
    pats("POST", "/journal/courses/{spare_course}/delete/", ok=302),
    pats("POST", "/journal/courses/{course}/taken-now/", ok=302),
    own("GET", "/journal/doses/new/"),
    pats("GET", "/journal/doses/new/?course={course}"),
    pats(
        "POST",
        "/journal/doses/new/",
        ok=302,
        data=DOSE_FORM,
        olga_visible=OLGA_SIDE,
        refused=OLGA_FORM_ERROR,
    ),
    pats("GET", "/journal/doses/{dose}/", shows=(PAT_DOSE_NOTE,)),
    pats("POST", "/journal/doses/{dose}/", ok=302, data=DOSE_FORM),
    pats("GET", "/journal/doses/{dose}/delete/"),
    pats("POST", "/journal/doses/{dose}/delete/", ok=302),
    pats("GET", "/journal/doses/{dose}/check-in/"),
    pats("GET", "/journal/doses/{dose}/check-in/40min/"),
    pats(
        "POST",
        "/journal/doses/{dose}/check-in/40min/",
        ok=302,
        data=CHECK_IN_FORM,
    ),
    own("GET", "/journal/entries/new/"),
    pats(
        "POST",
        "/journal/entries/new/",
        ok=302,
        data={**ENTRY_FORM, "dose": "{dose}"},
        olga_visible=OLGA_SIDE,
        refused=OLGA_FORM_ERROR,
    ),
    own("GET", "/journal/entries/quick/"),
    own("POST", "/journal/entries/quick/", ok=302, data={"side_effect": "nausea", "severity": "1"}),
    own("GET", "/journal/entries/serious/"),
    # Undone by whoever logged it, while it lasts; otherwise a redirect to the entry saying so.
    pats("POST", "/journal/entries/{entry}/undo/", ok=302),
    pats("GET", "/journal/entries/{entry}/", shows=(PAT_NOTE,)),
    pats("GET", "/journal/entries/{entry}/edit/", shows=(PAT_NOTE,)),
    pats("POST", "/journal/entries/{entry}/edit/", ok=302, data=ENTRY_FORM),
    pats("GET", "/journal/entries/{entry}/delete/"),
    pats("POST", "/journal/entries/{entry}/delete/", ok=302),
    # Questionnaires: filled in by the patient or their caregiver; the schedule is the patient's.
    own("GET", "/journal/questionnaires/"),
    own("GET", "/journal/questionnaires/phq-9/"),
    own("POST", "/journal/questionnaires/gad-7/", ok=302, data=GAD_7_FORM),
    own("GET", "/journal/questionnaires/phq-9/responses/"),
    pats("GET", "/journal/questionnaires/responses/{pat_response}/"),
    own("GET", "/journal/questionnaires/schedule/", allowed=PATIENTS),
    own(
        "POST",
        "/journal/questionnaires/schedule/",
        allowed=PATIENTS,
        ok=302,
        data={"phq-9": "week", "gad-7": "never", "weekly-recall": "session"},
    ),
    own("GET", "/journal/measurements/new/"),
    pats(
        "POST",
        "/journal/measurements/new/",
        ok=302,
        data={**READING_FORM, "dose": "{dose}"},
        olga_visible=OLGA_SIDE,
        refused=OLGA_FORM_ERROR,
    ),
    pats("GET", "/journal/measurements/{measurement}/", shows=(PAT_NOTE,)),
    pats("GET", "/journal/measurements/{measurement}/edit/", shows=(PAT_NOTE,)),
    pats("POST", "/journal/measurements/{measurement}/edit/", ok=302, data=READING_FORM),
    pats("GET", "/journal/measurements/{measurement}/delete/"),
    pats("POST", "/journal/measurements/{measurement}/delete/", ok=302),
    pats("GET", "/journal/doses/{dose}/clinic-session/"),
    pats("POST", "/journal/doses/{dose}/clinic-session/", ok=302, data={"went_home": "driven"}),
    own("GET", "/journal/reports/"),
    pats(
        "POST",
        "/journal/reports/",
        ok=302,
        data={
            "period_start": "{period_start}",
            "period_end": "{today}",
            "courses": ["{course}"],
            "paper_size": "A4",
        },
        olga_visible=OLGA_SIDE,
        refused=OLGA_FORM_ERROR,
    ),
    pats("GET", "/journal/reports/{report}/", shows=(PAT_REGIMEN,), never=NOT_IN_REPORT),
    pats("POST", "/journal/reports/{report}/retry/", ok=302),
    pats("POST", "/journal/reports/{report}/name/", ok=302, data={"name": "Spring"}),
    pats("GET", "/journal/reports/{report}/delete/", allowed=ME),
    pats("POST", "/journal/reports/{report}/delete/", allowed=ME, ok=302),
    pats("GET", "/journal/reports/{report}/status/"),
    *[
        pats("GET", f"/journal/reports/{{report}}/{kind}/", shows=shown, never=NOT_IN_REPORT)
        for kind, shown in REPORT_FILES.items()
    ],
    # The patient's own: sharing, who saw my data, the account. Never a caregiver's.
    pats(
        "POST",
        "/journal/reports/{report}/shares/",
        allowed=ME,
        ok=200,  # the new link, shown this once
        data={"recipient": "Dr Test", "days": "14"},
    ),
    pats("POST", "/journal/shares/{link}/revoke/", allowed=ME, ok=302),
    # A link locked by wrong access codes is issued again: the new link, shown this once.
    pats("POST", "/journal/shares/{locked_link}/reissue/", allowed=ME, ok=200),
    own("GET", "/journal/sharing/", allowed=PATIENTS),
    pats(
        "POST",
        "/journal/sharing/providers/",
        allowed=ME,
        ok=302,
        data={
            "provider_email": "new.doctor@clinic.example",
            "scope": "chosen",
            "reports": ["{report}"],
        },
        olga_visible=frozenset({OTHER_PATIENT}),
        refused={OTHER_PATIENT: 200},
    ),
    pats("POST", "/journal/sharing/providers/{grant}/revoke/", allowed=ME, ok=302),
    own("GET", "/journal/sharing/caregivers/", allowed=PATIENTS),
    own(
        "POST",
        "/journal/sharing/caregivers/",
        allowed=PATIENTS,
        ok=302,
        data={"email": "helper@example.org"},
    ),
    # Pat ends Cara's access, or Cara stops helping: either side of the relationship.
    pats("POST", "/journal/sharing/caregivers/{care}/end/", ok=302),
    own("GET", "/journal/audit/", allowed=PATIENTS),
    own("GET", "/accounts/reminders/", allowed=PATIENTS),
    own("POST", "/accounts/reminders/", allowed=PATIENTS, ok=302, data={"daily_at": "20:00"}),
    own("GET", "/accounts/settings/", allowed=PATIENTS, shows=(PAT_TOKEN_NAME, OLGA_TOKEN_NAME)),
    # Signing out an app: the patient's own tokens only, never their caregiver's doing.
    pats("POST", "/accounts/settings/tokens/{pat_api_token}/end/", allowed=ME, ok=302),
    own("POST", "/accounts/settings/tokens/end-all/", allowed=PATIENTS, ok=302),
    own(
        "POST",
        "/accounts/settings/",
        allowed=PATIENTS,
        ok=302,
        data={"email": "new-address@example.org", "time_zone": "Europe/Paris"},
    ),
    own("GET", "/accounts/export/", allowed=PATIENTS),
    own("POST", "/accounts/export/", allowed=PATIENTS),  # a zip: its text is compressed
    own("GET", "/accounts/delete/", allowed=PATIENTS),
    own(
        "POST",
        "/accounts/delete/",
        allowed=PATIENTS,
        ok=200,  # "your account is deleted"
        data={"password": factories.PASSWORD},
    ),
    # A caregiver's own page lists whose journals they keep.
    own("GET", "/care/", allowed=LOGGED_IN, pat_visible=frozenset({CAREGIVER}), shows=(PAT_NAME,)),
    pats("POST", "/care/switch/{pat}/", allowed=frozenset({CAREGIVER}), ok=302),
    # A provider's own pages. One whose access ended still has an inbox, an empty one.
    own("GET", "/provider/", allowed=PROVIDERS, pat_visible=LIVE_PROVIDER, shows=(PAT_NAME,)),
    pats(
        "GET",
        "/provider/reports/{report}/",
        allowed=LIVE_PROVIDER,
        shows=(PAT_NAME, PAT_REGIMEN),
        never=NOT_IN_REPORT,
    ),
    *[
        pats(
            "GET",
            f"/provider/reports/{{report}}/{kind}/",
            allowed=LIVE_PROVIDER,
            shows=shown,
            never=NOT_IN_REPORT,
        )
        for kind, shown in REPORT_FILES.items()
    ],
]

OLGA_ROUTES = [
    # The same doors into Olga's journal: there, Pat's side are the strangers.
    olgas("GET", "/journal/entries/{olga_entry}/", shows=(OLGA_NOTE,)),
    olgas("POST", "/journal/entries/{olga_entry}/delete/", ok=302),
    olgas("POST", "/journal/entries/{olga_entry}/undo/", ok=302),
    olgas("GET", "/journal/doses/{olga_dose}/", shows=(OLGA_DOSE_NOTE,)),
    olgas("GET", "/journal/measurements/{olga_measurement}/", shows=(OLGA_NOTE,)),
    olgas("GET", "/journal/doses/{olga_dose}/clinic-session/"),
    olgas("POST", "/journal/doses/{olga_dose}/check-in/40min/", ok=302, data=CHECK_IN_FORM),
    olgas("GET", "/journal/reports/{olga_report}/", shows=(OLGA_REGIMEN,)),
    olgas("GET", "/journal/reports/{olga_report}/csv/", shows=(OLGA_NOTE,)),
    olgas("POST", "/care/switch/{olga}/", allowed=frozenset({OTHER_CAREGIVER}), ok=302),
    olgas("GET", "/provider/reports/{olga_report}/", allowed=NOBODY),
    olgas("GET", "/provider/reports/{olga_report}/pdf/", allowed=NOBODY),
    olgas("GET", "/api/v1/entries/{olga_entry}/", Kind.API, allowed=OLGA, shows=(OLGA_NOTE,)),
    olgas("DELETE", "/api/v1/entries/{olga_entry}/", Kind.API, allowed=OLGA, ok=204),
    olgas(
        "GET",
        "/api/v1/measurements/{olga_measurement}/",
        Kind.API,
        allowed=OLGA,
        shows=(OLGA_NOTE,),
    ),
    olgas("GET", "/api/v1/doses/{olga_dose}/clinic-session/", Kind.API, allowed=OLGA),
    olgas("GET", "/api/v1/reports/{olga_report}/", Kind.API, allowed=OLGA),
    olgas("GET", "/api/v1/provider/reports/{olga_report}/", Kind.API, allowed=NOBODY),
]

API_COURSE = {"drug": "esketamine", "started_on": "{started_on}", "route": "nasal"}
API_DOSE = {"course": "{course}", "taken_at": "{dose_time_iso}", "setting": "home"}
API_ENTRY = {
    "side_effect": "nausea",
    "onset_at": "{onset_time_iso}",
    "severity": 1,
    "interference": 1,
}
API_READING = {
    "kind": "blood_pressure",
    "systolic": 140,
    "diastolic": 90,
    "measured_at": "{onset_time_iso}",
}
API_CHECK_IN = {"point": "40min", "ratings": [{"side_effect": "nausea", "severity": 1}]}
OLGA_BAD_INPUT = {OTHER_PATIENT: 400}

# The journal API is for the patient's own token (or session): never a caregiver's.
API = [
    own("GET", "/api/v1/courses/", Kind.API, allowed=PATIENTS, shows=(PAT_REGIMEN, OLGA_REGIMEN)),
    own("POST", "/api/v1/courses/", Kind.API, allowed=PATIENTS, ok=201, data=API_COURSE),
    pats("GET", "/api/v1/courses/{course}/", Kind.API, allowed=ME, shows=(PAT_REGIMEN,)),
    pats("PUT", "/api/v1/courses/{course}/", Kind.API, allowed=ME, data=API_COURSE),
    pats("PATCH", "/api/v1/courses/{course}/", Kind.API, allowed=ME, data={"regimen": "new"}),
    pats("DELETE", "/api/v1/courses/{spare_course}/", Kind.API, allowed=ME, ok=204),
    own("GET", "/api/v1/doses/", Kind.API, allowed=PATIENTS, shows=(PAT_DOSE_NOTE, OLGA_DOSE_NOTE)),
    pats(
        "POST",
        "/api/v1/doses/",
        Kind.API,
        allowed=ME,
        ok=201,
        data=API_DOSE,
        olga_visible=OLGA,
        refused=OLGA_BAD_INPUT,
    ),
    pats("GET", "/api/v1/doses/{dose}/", Kind.API, allowed=ME, shows=(PAT_DOSE_NOTE,)),
    pats("PUT", "/api/v1/doses/{dose}/", Kind.API, allowed=ME, data=API_DOSE),
    pats("PATCH", "/api/v1/doses/{dose}/", Kind.API, allowed=ME, data={"note": "changed"}),
    pats("DELETE", "/api/v1/doses/{dose}/", Kind.API, allowed=ME, ok=204),
    pats("GET", "/api/v1/doses/{dose}/check-in/", Kind.API, allowed=ME),
    pats("POST", "/api/v1/doses/{dose}/check-in/", Kind.API, allowed=ME, ok=201, data=API_CHECK_IN),
    own("GET", "/api/v1/profile/", Kind.API, allowed=PATIENTS),
    own("PATCH", "/api/v1/profile/", Kind.API, allowed=PATIENTS, data={"country": "DE"}),
    own("GET", "/api/v1/entries/", Kind.API, allowed=PATIENTS, shows=(PAT_NOTE, OLGA_NOTE)),
    pats(
        "POST",
        "/api/v1/entries/",
        Kind.API,
        allowed=ME,
        ok=201,
        data={**API_ENTRY, "dose": "{dose}"},
        olga_visible=OLGA,
        refused=OLGA_BAD_INPUT,
    ),
    pats("GET", "/api/v1/entries/{entry}/", Kind.API, allowed=ME, shows=(PAT_NOTE,)),
    pats("PUT", "/api/v1/entries/{entry}/", Kind.API, allowed=ME, data=API_ENTRY),
    pats("PATCH", "/api/v1/entries/{entry}/", Kind.API, allowed=ME, data={"severity": 3}),
    pats("DELETE", "/api/v1/entries/{entry}/", Kind.API, allowed=ME, ok=204),
    own("GET", "/api/v1/measurements/", Kind.API, allowed=PATIENTS, shows=(PAT_NOTE, OLGA_NOTE)),
    pats(
        "POST",
        "/api/v1/measurements/",
        Kind.API,
        allowed=ME,
        ok=201,
        data={**API_READING, "dose": "{dose}"},
        olga_visible=OLGA,
        refused=OLGA_BAD_INPUT,
    ),
    pats("GET", "/api/v1/measurements/{measurement}/", Kind.API, allowed=ME, shows=(PAT_NOTE,)),
    pats("PUT", "/api/v1/measurements/{measurement}/", Kind.API, allowed=ME, data=API_READING),
    pats("PATCH", "/api/v1/measurements/{measurement}/", Kind.API, allowed=ME, data={"pulse": 70}),
    pats("DELETE", "/api/v1/measurements/{measurement}/", Kind.API, allowed=ME, ok=204),
    pats("GET", "/api/v1/doses/{dose}/clinic-session/", Kind.API, allowed=ME),
    pats(
        "PUT",
        "/api/v1/doses/{dose}/clinic-session/",
        Kind.API,
        allowed=ME,
        data={"went_home": "taxi"},
    ),
    own("GET", "/api/v1/reports/", Kind.API, allowed=PATIENTS),
    pats(
        "POST",
        "/api/v1/reports/",
        Kind.API,
        allowed=ME,
        ok=202,
        data={"period_start": "{period_start}", "period_end": "{today}", "courses": ["{course}"]},
        olga_visible=OLGA,
        refused=OLGA_BAD_INPUT,
    ),
    pats("GET", "/api/v1/reports/{report}/", Kind.API, allowed=ME),
    pats("PATCH", "/api/v1/reports/{report}/", Kind.API, allowed=ME, data={"name": "Spring"}),
    pats("DELETE", "/api/v1/reports/{report}/", Kind.API, allowed=ME, ok=204),
    *[
        pats(
            "GET",
            f"/api/v1/reports/{{report}}/{kind}",
            Kind.API,
            allowed=ME,
            shows=REPORT_FILES[kind],
            never=NOT_IN_REPORT,
        )
        for kind in API_FILE_KINDS
    ],
    pats("GET", "/api/v1/reports/{report}/shares/", Kind.API, allowed=ME),
    pats(
        "POST",
        "/api/v1/reports/{report}/shares/",
        Kind.API,
        allowed=ME,
        ok=201,
        data={"recipient": "Dr Test", "days": 7},
    ),
    pats("GET", "/api/v1/shares/{link}/", Kind.API, allowed=ME),
    pats("DELETE", "/api/v1/shares/{link}/", Kind.API, allowed=ME, ok=204),
    own("GET", "/api/v1/audit/", Kind.API, allowed=PATIENTS),
    own("GET", "/api/v1/questionnaires/", Kind.API, allowed=PATIENTS),
    own("GET", "/api/v1/questionnaires/phq-9/responses/", Kind.API, allowed=PATIENTS),
    own(
        "POST",
        "/api/v1/questionnaires/phq-9/responses/",
        Kind.API,
        allowed=PATIENTS,
        ok=201,
        data={"answers": [1, 1, 1, 1, 1, 1, 1, 1, 0]},
    ),
    own("GET", "/api/v1/reminders/", Kind.API, allowed=PATIENTS),
    own("GET", "/api/v1/reminders/settings/", Kind.API, allowed=PATIENTS),
    own(
        "PUT",
        "/api/v1/reminders/settings/",
        Kind.API,
        allowed=PATIENTS,
        data={"daily_reminder": True, "daily_at": "21:00"},
    ),
    # Everyone signed in lists and ends their own API tokens, and no one else's.
    own(
        "GET",
        "/api/v1/auth/tokens/",
        Kind.API,
        allowed=LOGGED_IN,
        pat_visible=ME,
        olga_visible=OLGA,
        shows=(PAT_TOKEN_NAME, OLGA_TOKEN_NAME),
    ),
    pats("DELETE", "/api/v1/auth/tokens/{pat_api_token}/", Kind.API, allowed=ME, ok=204),
    own(
        "GET",
        "/api/v1/provider/reports/",
        Kind.API,
        allowed=PROVIDERS,
        pat_visible=LIVE_PROVIDER,
        shows=(PAT_NAME,),
    ),
    pats(
        "GET",
        "/api/v1/provider/reports/{report}/",
        Kind.API,
        allowed=LIVE_PROVIDER,
        shows=(PAT_NAME, PAT_REGIMEN),
        never=NOT_IN_REPORT,
    ),
    *[
        pats(
            "GET",
            f"/api/v1/provider/reports/{{report}}/{kind}",
            Kind.API,
            allowed=LIVE_PROVIDER,
            shows=REPORT_FILES[kind],
            never=NOT_IN_REPORT,
        )
        for kind in API_FILE_KINDS
    ],
]

GONE = each(EVERYONE, 410)
SHARES = [
    # Whoever holds the link reads that one report, logged in or not, and nothing more.
    pats(
        "GET",
        "/s/{token}/",
        Kind.SHARE,
        allowed=EVERYONE,
        shows=(PAT_REGIMEN,),
        never=NOT_IN_REPORT,
    ),
    pats("POST", "/s/{token}/", Kind.SHARE, allowed=EVERYONE, ok=302),
    *[
        pats(
            "GET",
            f"/s/{{token}}/{kind}/",
            Kind.SHARE,
            allowed=EVERYONE,
            shows=shown,
            never=NOT_IN_REPORT,
        )
        for kind, shown in REPORT_FILES.items()
    ],
    # A revoked or expired link opens nothing, for anyone; an unknown one is not found.
    pats("GET", "/s/{revoked_token}/", Kind.SHARE, allowed=NOBODY, refused=GONE),
    pats("GET", "/s/{revoked_token}/pdf/", Kind.SHARE, allowed=NOBODY, refused=GONE),
    pats("GET", "/s/{revoked_token}/csv/", Kind.SHARE, allowed=NOBODY, refused=GONE),
    pats("GET", "/s/{expired_token}/", Kind.SHARE, allowed=NOBODY, refused=GONE),
    pats("GET", "/s/{expired_token}/fhir/", Kind.SHARE, allowed=NOBODY, refused=GONE),
    pats("GET", "/s/{expired_token}/csv/", Kind.SHARE, allowed=NOBODY, refused=GONE),
    pats("GET", "/s/{unknown_token}/", Kind.SHARE, allowed=NOBODY, refused=each(EVERYONE, 404)),
]

NOT_A_PROVIDER = LOGGED_IN - PROVIDERS
INVITATIONS = [
    # Invitation links are keys too. One already used lets its own invitee through (to
    # where they already are) and nobody else in; a revoked one opens nothing.
    *[
        pats(
            method,
            "/accounts/caregiver/invite/{care_token}/",
            Kind.SHARE,
            allowed=frozenset({CAREGIVER}),
            ok=302,
            pat_visible=NOBODY,
            refused=each(EVERYONE, 404),
        )
        for method in ("GET", "POST")
    ],
    *[
        pats(
            method,
            "/accounts/provider/invite/{grant_token}/",
            Kind.SHARE,
            # Anonymous is offered "log in or sign up as a provider" (no data): the invitee
            # may not be logged in yet.
            allowed=frozenset({PROVIDER, ANONYMOUS}),
            ok=302,
            ok_for={ANONYMOUS: 200},
            pat_visible=NOBODY,
            # The invitation page's own answers: "this needs a provider account" and "this
            # was accepted by another account". See the module's note on invitations.
            refused={**each(NOT_A_PROVIDER, 403), FORMER_PROVIDER: 403},
        )
        for method in ("GET", "POST")
    ],
    *[
        pats(
            method,
            "/accounts/provider/invite/{revoked_grant_token}/",
            Kind.SHARE,
            allowed=NOBODY,
            refused=each(EVERYONE, 404),
        )
        for method in ("GET", "POST")
    ],
]

EDITOR = frozenset({CONTENT_EDITOR})
ADMIN = [
    # Content editors work in the admin and see no journal data there (PRODUCT.md §7.2).
    Route(
        "GET",
        "/admin/",
        Kind.ADMIN,
        allowed=EDITOR,
        pat_visible=NOBODY,
        never=("/admin/journal/", "/admin/audit/", "/admin/auth/"),
    ),
    *[
        pats("GET", f"/admin/{app}/", Kind.ADMIN, allowed=NOBODY, refused={CONTENT_EDITOR: 404})
        for app in ("journal", "accounts", "reports", "sharing", "audit")
    ],
    pats(
        "GET",
        "/admin/audit/auditevent/",
        Kind.ADMIN,
        allowed=NOBODY,
        refused={CONTENT_EDITOR: 403},
    ),
    *[
        pats(
            "GET",
            f"/admin/{model}/",
            Kind.ADMIN,
            allowed=NOBODY,
            refused={CONTENT_EDITOR: 404},
        )
        for model in (
            "journal/medicationcourse",
            "journal/doseevent",
            "journal/symptomentry",
            "reports/report",
            "sharing/sharelink",
            "sharing/providergrant",
            "sharing/carerelationship",
            "accounts/profile",
        )
    ],
    pats("GET", "/admin/auth/user/", Kind.ADMIN, allowed=NOBODY, refused={CONTENT_EDITOR: 403}),
    pats(
        "GET",
        "/admin/auth/user/{pat}/change/",
        Kind.ADMIN,
        allowed=NOBODY,
        refused={CONTENT_EDITOR: 403},
    ),
]

ROUTES = [*PAGES, *OLGA_ROUTES, *API, *SHARES, *INVITATIONS, *ADMIN]


def cases() -> Iterator[Any]:
    for route in ROUTES:
        for who in USERS:
            marks = []
            if who in route.xfail:
                marks.append(pytest.mark.xfail(strict=True, reason=route.xfail[who]))
            yield pytest.param(route, who, id=f"{route.label} as {who}", marks=marks)


# The world


def journal_of(patient: User, marker: str) -> dict[str, Any]:
    """A course with a recent esketamine dose (so it has a check-in), an entry, a report."""
    patient.profile.display_name = f"{marker}-DISPLAY-NAME"
    patient.profile.save(update_fields=["display_name"])
    course = factories.CourseFactory.create(patient=patient, regimen=f"{marker}-SECRET-REGIMEN")
    dose = factories.DoseFactory.create(course=course, note=f"{marker}-SECRET-DOSE-NOTE")
    entry = factories.EntryFactory.create(patient=patient, dose=dose, notes=f"{marker}-SECRET-NOTE")
    reading = factories.MeasurementFactory.create(
        patient=patient, dose=dose, note=f"{marker}-SECRET-NOTE"
    )
    return {
        "course": course.pk,
        "dose": dose.pk,
        "entry": entry.pk,
        "measurement": reading.pk,
        "report": ready_report(patient, include_notes=True).pk,
    }


def addresses(journal: Mapping[str, int]) -> tuple[str, ...]:
    """The pages of these rows: a link to one gives away that it exists."""
    return tuple(f"/journal/{name.split('_')[-1]}s/{pk}/" for name, pk in journal.items())


def accepted_caregiver(*, patient: User, caregiver: User) -> tuple[CareRelationship, str]:
    """What factories.care_relationship makes, and the invitation's token."""
    token = token_new()
    relationship = CareRelationship.objects.create(
        patient=patient,
        caregiver=caregiver,
        caregiver_email=caregiver.email,
        invitation_hash=token_hash(token),
        accepted_at=timezone.now(),
    )
    return relationship, token


def accepted_grant(
    *, patient: User, provider: User, revoked: bool = False
) -> tuple[ProviderGrant, str]:
    """What factories.provider_grant makes, and the invitation's token."""
    token = token_new()
    grant = ProviderGrant.objects.create(
        patient=patient,
        provider=provider,
        provider_email=provider.email,
        all_reports=True,
        invitation_hash=token_hash(token),
        revoked_at=timezone.now() if revoked else None,
    )
    return grant, token


def world_build() -> World:
    pat = factories.PatientFactory.create(username="pat")
    olga = factories.PatientFactory.create(username="olga")
    cara = factories.CaregiverFactory.create(username="cara")
    care, care_token = accepted_caregiver(patient=pat, caregiver=cara)
    carl = factories.CaregiverFactory.create(username="carl")
    factories.care_relationship(patient=olga, caregiver=carl)
    dr_okafor = factories.ProviderFactory.create(username="dr_okafor")
    grant, grant_token = accepted_grant(patient=pat, provider=dr_okafor)
    dr_ruiz = factories.ProviderFactory.create(username="dr_ruiz")
    _, revoked_grant_token = accepted_grant(patient=pat, provider=dr_ruiz, revoked=True)
    editor = factories.ContentEditorFactory.create()

    # For the delete routes: only a course with no doses can be deleted.
    spare_course = factories.CourseFactory.create(
        patient=pat, drug=factories.seeded_drug("memantine"), route="oral"
    )
    # Recorded before the report is built, so that leaving it out is the report's doing.
    outside_entry = factories.EntryFactory.create(
        patient=pat, onset_at=timezone.now() - timedelta(days=45), notes=PAT_OUTSIDE_NOTE
    )
    pats_journal = journal_of(pat, "PAT")
    olgas_journal = journal_of(olga, "OLGA")
    report = Report.objects.get(pk=pats_journal["report"])
    link = share_link_create(report=report, recipient="Dr Link", created_by=pat)
    revoked = share_link_create(report=report, recipient="Dr Revoked", created_by=pat)
    share_link_revoke(link=revoked.link, revoked_by=pat)
    locked = share_link_create(
        report=report, recipient="Dr Locked", created_by=pat, with_access_code=True
    )
    ShareLink.objects.filter(pk=locked.link.pk).update(code_locked_at=timezone.now())
    expired = share_link_create(report=report, recipient="Dr Expired", created_by=pat)
    ShareLink.objects.filter(pk=expired.link.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    pat_response, olga_response = (
        questionnaire_response_create(
            patient=patient, logged_by=patient, instrument="phq-9", answers=[0] * 9
        )
        for patient in (pat, olga)
    )
    markers = {
        PATS_DATA: (
            *MARKERS[PATS_DATA],
            *addresses(
                {**pats_journal, "spare_course": spare_course.pk, "outside_entry": outside_entry.pk}
            ),
            f"/journal/questionnaires/responses/{pat_response.pk}/",
        ),
        OLGAS_DATA: (
            *MARKERS[OLGAS_DATA],
            *addresses(olgas_journal),
            f"/journal/questionnaires/responses/{olga_response.pk}/",
        ),
    }

    zone = patient_zone(pat)
    # Before the dose's linked entry (3 h and 2 h ago), and after the dose, for new entries.
    dose_time = timezone.localtime(timezone.now() - timedelta(hours=4), zone)
    onset_time = timezone.localtime(timezone.now() - timedelta(hours=1), zone)
    today = timezone.localdate()
    users = {
        PATIENT: pat,
        CAREGIVER: cara,
        OTHER_CAREGIVER: carl,
        PROVIDER: dr_okafor,
        FORMER_PROVIDER: dr_ruiz,
        OTHER_PATIENT: olga,
        CONTENT_EDITOR: editor,
    }
    token_names = {PATIENT: PAT_TOKEN_NAME, OTHER_PATIENT: OLGA_TOKEN_NAME}
    tokens = {
        who: api_token_create(user=user, name=token_names.get(who, f"{who}'s app"))
        for who, user in users.items()
    }
    # Logged in once: each case's changes to its session are undone with its savepoint.
    clients = {who: logged_in_client(user) for who, user in users.items()}
    acting_for(clients[CAREGIVER], pat)
    acting_for(clients[OTHER_CAREGIVER], olga)
    return World(
        sessions={
            who: client.cookies[settings.SESSION_COOKIE_NAME].value
            for who, client in clients.items()
        },
        tokens={who: issued.key for who, issued in tokens.items()},
        ids={
            **pats_journal,
            **{f"olga_{name}": value for name, value in olgas_journal.items()},
            "pat": pat.pk,
            "olga": olga.pk,
            "spare_course": spare_course.pk,
            "pat_response": pat_response.pk,
            "pat_api_token": tokens[PATIENT].token.pk,
            "care": care.pk,
            "grant": grant.pk,
            "link": link.link.pk,
            "locked_link": locked.link.pk,
            "token": link.token,
            "revoked_token": revoked.token,
            "expired_token": expired.token,
            "outside_entry": outside_entry.pk,
            "care_token": care_token,
            "grant_token": grant_token,
            "revoked_grant_token": revoked_grant_token,
            "unknown_token": "x" * 32,
            "drug": factories.seeded_drug("esketamine").pk,
            "started_on": (today - timedelta(days=90)).isoformat(),
            "today": today.isoformat(),
            "period_start": (today - timedelta(days=29)).isoformat(),
            "dose_time": dose_time.strftime("%Y-%m-%dT%H:%M"),
            "dose_time_iso": dose_time.isoformat(),
            "onset_time": onset_time.strftime("%Y-%m-%dT%H:%M"),
            "onset_time_iso": onset_time.isoformat(),
        },
        markers=markers,
    )


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[World]:
    """Built once, in a transaction that every case's savepoint nests in; rolled back after."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = world_build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


# Asking


def client_for(world: World, who: str) -> Client:
    client = Client()
    if who != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[who]
    return client


def filled(template: Any, ids: Mapping[str, Any]) -> Any:
    """The template with the world's values; "{course}" alone stays a number (for JSON)."""
    if isinstance(template, str):
        name = template.removeprefix("{").removesuffix("}")
        if template == f"{{{name}}}" and name in ids:
            return ids[name]
        return template.format(**ids)
    if isinstance(template, list):
        return [filled(item, ids) for item in template]
    if isinstance(template, dict):
        return {key: filled(value, ids) for key, value in template.items()}
    return template


def send(client: Client, route: Route, ids: Mapping[str, Any]) -> HttpResponseBase:
    path = filled(route.path, ids)
    data = filled(route.data or {}, ids)
    if route.method == "GET":
        return client.get(path)
    if route.kind is Kind.API:
        body = json.dumps(data)
        if route.method == "POST":
            return client.post(path, body, content_type="application/json")
        if route.method == "PUT":
            return client.put(path, body, content_type="application/json")
        if route.method == "PATCH":
            return client.patch(path, body, content_type="application/json")
        assert route.method == "DELETE", route.method
        return client.delete(path)
    assert route.method == "POST", route.method
    return client.post(path, data)


def body_of(response: HttpResponseBase) -> str:
    # Reading a download to the end closes it the way the test client expects: a direct
    # close() would send request_finished, which ends a connection inside a transaction.
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")  # type: ignore[attr-defined]
    content = response.content  # type: ignore[attr-defined]
    return content.decode(errors="replace")


# Nothing written


SNAPSHOT_MODELS: list[type[Model]] = [
    *(
        model
        for model in apps.get_app_config("journal").get_models(include_auto_created=True)
        if model not in (AuditEvent, AuditChainHead)
    ),
    User,
    ApiToken,
]
# Columns a request may write whatever its answer: a token's use, once a minute.
SNAPSHOT_SKIPS: dict[type[Model], set[str]] = {ApiToken: {"last_used_at"}}


def snapshot() -> dict[str, Any]:
    """Every row of the journal, the users and API tokens, and the allowed audit rows.

    Counts find rows added or deleted; a digest of the values finds rows changed.
    """
    state: dict[str, Any] = {}
    # Plain SQL: 1,000 cases take two snapshots each, and the ORM would double their cost.
    with connection.cursor() as cursor:
        for model in SNAPSHOT_MODELS:
            table = connection.ops.quote_name(model._meta.db_table)
            pk = connection.ops.quote_name(model._meta.pk.column)
            skipped = SNAPSHOT_SKIPS.get(model, set())
            columns = ", ".join(
                connection.ops.quote_name(f.column)
                for f in model._meta.concrete_fields
                if f.column not in skipped
            )
            cursor.execute(f"SELECT {columns} FROM {table} ORDER BY {pk}")  # noqa: S608
            rows = cursor.fetchall()
            digest = hashlib.sha256(repr(rows).encode()).hexdigest()
            state[model._meta.label] = (len(rows), digest)
    state["audit rows allowed"] = AuditEvent.objects.filter(outcome=AuditOutcome.ALLOWED).count()
    return state


def refusal(route: Route, who: str) -> int:
    if who in route.refused:
        return route.refused[who]
    if route.kind is Kind.API:
        return 403 if who == ANONYMOUS else 404
    if route.kind is Kind.ADMIN:
        return 302  # non-staff, logged in or not, go to the admin's login
    if who == ANONYMOUS:
        return 302
    return 404


@pytest.mark.parametrize(("route", "who"), list(cases()))
def test_access(world: World, route: Route, who: str) -> None:
    client = client_for(world, who)
    allowed = who in route.allowed
    before = None if allowed else snapshot()

    response = send(client, route, world.ids)
    body = body_of(response)

    status = response.status_code
    if allowed:
        assert status == route.ok_for.get(who, route.ok), body[:500]
        for marker in route.shows:
            if route.may_see(who, OLGAS_DATA if marker in MARKERS[OLGAS_DATA] else PATS_DATA):
                assert marker in body, "the data this answer should show is not in it"
    else:
        expected = refusal(route, who)
        if route.kind is Kind.API and who == ANONYMOUS:
            assert status in (401, 403), body[:500]
        else:
            assert status == expected, body[:500]
        if status == 302 and route.kind is Kind.ADMIN:
            assert response["Location"].startswith(ADMIN_LOGIN)
        elif status == 302:
            assert response["Location"].startswith(LOGIN)
        assert snapshot() == before, "a refused request wrote to the database"

    for whose, markers in world.markers.items():
        if not route.may_see(who, whose):
            for marker in markers:
                if marker != KNOWN_NAME.get(who):
                    assert marker not in body, f"{who} was shown {whose}"
    for text in route.never:
        assert text not in body


# Every route is in the matrix, or left out here with the reason

LEFT_OUT = {
    # No one's health data: the reference library, the service's own pages, the API schema.
    "": "the reference library's home page: public, no patient data",
    "drugs/": "the reference library: public",
    "drugs/<slug:slug>/": "the reference library: public",
    "side-effects/": "the reference library: public",
    "side-effects/<slug:slug>/": "the reference library: public",
    "api/v1/drugs/": "the reference library: public",
    "api/v1/drugs/<slug:slug>/": "the reference library: public",
    "api/v1/side-effects/": "the reference library: public",
    "api/v1/side-effects/<slug:slug>/": "the reference library: public",
    "health/": "the service's health check: no data",
    "api/schema/": "the API's description: no data",
    "api/docs/": "the API's description: no data",
    # Signing in and up: the asker's own credentials, tested in tests/accounts/
    # and test_api_auth.py.
    "accounts/signup/": "makes a new account; reaches no one's data",
    "accounts/signup/provider/": "makes a new account; reaches no one's data",
    "accounts/signup/finish/<str:token>/": "finishes the new account the emailed link names",
    "accounts/settings/email/<str:token>/": "the asker's own email, confirmed by the new address",
    "accounts/login/": "signing in",
    "accounts/logout/": "signing out",
    "accounts/password_change/": "the asker's own password",
    "accounts/password_change/done/": "the asker's own password",
    "accounts/password_reset/": "the asker's own password, by email",
    "accounts/password_reset/done/": "the asker's own password, by email",
    "accounts/reset/<uidb64>/<token>/": "the asker's own password, by email",
    "accounts/reset/done/": "the asker's own password, by email",
    "api/v1/auth/token/": "swaps the asker's own password for a token, or ends the token sent",
    "care/leave/": "forgets, in the asker's session, whose journal they keep; reads nothing",
    "r/<str:token>/": "a reminder's check-in link: the token is the key, whoever holds it "
    "(tests/reminders/test_checkin_link.py)",
    "r/<str:token>/steps/": "the steps of the link's one dose, within the link "
    "(tests/reminders/test_checkin_link.py)",
    "r/<str:token>/<str:point>/": "another step of the link's one dose, within the link "
    "(tests/reminders/test_checkin_link.py)",
    "r/<str:token>/flag/<int:pk>/": "a red flag of the link's own dose's check-in, nothing else "
    "(tests/reminders/test_checkin_link.py)",
}
# The admin: its journal URLs and its index are in ADMIN above; the rest of it is the
# reference library (the content editors' own) and Django's users and groups.
LEFT_OUT_PREFIXES = ("admin/",)


def url_patterns(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern).removeprefix("^")
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, route)
        else:
            yield route


def test_every_route_is_in_the_matrix_or_left_out_for_a_reason(world: World) -> None:
    covered = {resolve(filled(route.path, world.ids).split("?")[0]).route for route in ROUTES}
    every = set(url_patterns(get_resolver().url_patterns))
    unexplained = {
        route
        for route in every - covered - LEFT_OUT.keys()
        if not route.startswith(LEFT_OUT_PREFIXES)
    }
    assert not unexplained, "add these routes to the matrix, or to LEFT_OUT with the reason"


# A row of someone else's is answered exactly as a row that does not exist

MISSING = 2**31 - 1


@dataclass(frozen=True)
class Probe:
    method: str
    path: str
    kind: Kind
    foreign: str  # which of Olga's rows fills {foreign}, in the address or in the body
    data: Mapping[str, Any] | None = None

    @property
    def label(self) -> str:
        return f"{self.method} {self.path} naming {self.foreign}"


REPORT_FORM = {"period_start": "{period_start}", "period_end": "{today}", "paper_size": "A4"}
# Pat asks, naming one of Olga's rows.
PROBES = [
    Probe("GET", "/journal/entries/{foreign}/", Kind.PAGE, "olga_entry"),
    Probe("GET", "/journal/doses/{foreign}/check-in/", Kind.PAGE, "olga_dose"),
    Probe(
        "POST", "/journal/doses/{foreign}/check-in/40min/", Kind.PAGE, "olga_dose", CHECK_IN_FORM
    ),
    Probe("GET", "/api/v1/doses/{foreign}/check-in/", Kind.API, "olga_dose"),
    Probe("GET", "/journal/reports/{foreign}/csv/", Kind.PAGE, "olga_report"),
    Probe("GET", "/journal/doses/new/?course={foreign}", Kind.PAGE, "olga_course"),
    Probe(
        "POST",
        "/journal/doses/new/",
        Kind.PAGE,
        "olga_course",
        {**DOSE_FORM, "course": "{foreign}"},
    ),
    Probe(
        "POST", "/journal/entries/new/", Kind.PAGE, "olga_dose", {**ENTRY_FORM, "dose": "{foreign}"}
    ),
    Probe(
        "POST",
        "/journal/entries/{entry}/edit/",
        Kind.PAGE,
        "olga_dose",
        {**ENTRY_FORM, "dose": "{foreign}"},
    ),
    Probe(
        "POST",
        "/journal/doses/{dose}/",
        Kind.PAGE,
        "olga_course",
        {**DOSE_FORM, "course": "{foreign}"},
    ),
    Probe(
        "POST",
        "/journal/reports/",
        Kind.PAGE,
        "olga_course",
        {**REPORT_FORM, "courses": ["{foreign}"]},
    ),
    Probe(
        "POST",
        "/journal/sharing/providers/",
        Kind.PAGE,
        "olga_report",
        {"provider_email": "x@clinic.example", "scope": "chosen", "reports": ["{foreign}"]},
    ),
    Probe(
        "POST",
        "/journal/measurements/new/",
        Kind.PAGE,
        "olga_dose",
        {**READING_FORM, "dose": "{foreign}"},
    ),
    Probe("GET", "/api/v1/entries/{foreign}/", Kind.API, "olga_entry"),
    Probe("GET", "/api/v1/measurements/{foreign}/", Kind.API, "olga_measurement"),
    Probe(
        "POST", "/api/v1/measurements/", Kind.API, "olga_dose", {**API_READING, "dose": "{foreign}"}
    ),
    Probe("GET", "/api/v1/doses/{foreign}/clinic-session/", Kind.API, "olga_dose"),
    Probe("DELETE", "/api/v1/entries/{foreign}/", Kind.API, "olga_entry"),
    Probe("GET", "/api/v1/reports/{foreign}/shares/", Kind.API, "olga_report"),
    Probe("POST", "/api/v1/doses/", Kind.API, "olga_course", {**API_DOSE, "course": "{foreign}"}),
    Probe("POST", "/api/v1/entries/", Kind.API, "olga_dose", {**API_ENTRY, "dose": "{foreign}"}),
    Probe("PATCH", "/api/v1/entries/{entry}/", Kind.API, "olga_dose", {"dose": "{foreign}"}),
    Probe("PATCH", "/api/v1/doses/{dose}/", Kind.API, "olga_course", {"course": "{foreign}"}),
    Probe(
        "POST",
        "/api/v1/reports/",
        Kind.API,
        "olga_course",
        {"period_start": "{period_start}", "period_end": "{today}", "courses": ["{foreign}"]},
    ),
]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
# A form's refusal repeats the id it was sent; that is all that may differ.
ECHOED_ID = re.compile(r"Select a valid choice\. [0-9]+ is not")


def asked(world: World, probe: Probe, foreign: Any) -> tuple[int, str]:
    ids = {**world.ids, "foreign": foreign}
    route = Route(probe.method, probe.path, probe.kind, allowed=NOBODY, data=probe.data)
    response = send(client_for(world, PATIENT), route, ids)
    body = CSRF.sub("", body_of(response))
    return response.status_code, ECHOED_ID.sub("Select a valid choice. <id> is not", body)


@pytest.mark.parametrize("probe", PROBES, ids=[probe.label for probe in PROBES])
def test_someone_elses_row_is_answered_as_a_missing_one(world: World, probe: Probe) -> None:
    before = snapshot()
    theirs = asked(world, probe, world.ids[probe.foreign])
    assert snapshot() == before, "a request naming someone else's row wrote to the database"
    missing = asked(world, probe, MISSING)

    assert theirs[0] in (200, 400, 404)
    assert theirs == missing
    for marker in world.markers[OLGAS_DATA]:
        assert marker not in theirs[1]


# Forms in one journal offer none of another's rows


CHOICES = [
    ("/journal/entries/new/", "dose", "dose"),
    ("/journal/measurements/new/", "dose", "dose"),
    ("/journal/doses/new/", "course", "course"),
    ("/journal/reports/", "courses", "course"),
    ("/journal/timeline/", "course", "course"),
]


@pytest.mark.parametrize("who", sorted(JOURNAL_KEEPERS))
@pytest.mark.parametrize(
    ("path", "field_name", "row"), CHOICES, ids=[f"GET {path}" for path, *_ in CHOICES]
)
def test_a_journals_forms_offer_only_its_own_rows(
    world: World, who: str, path: str, field_name: str, row: str
) -> None:
    own, other = (row, f"olga_{row}") if who in PAT_SIDE else (f"olga_{row}", row)

    response = client_for(world, who).get(path)

    form = response.context["form"]
    choices = {str(value) for value, _ in form.fields[field_name].choices}
    assert str(world.ids[own]) in choices
    assert str(world.ids[other]) not in choices


# The API by token, as its clients use it: the journal is for the patient's own token only

TOKEN_CASES = [
    (PATIENT, "GET", "/api/v1/entries/{entry}/", 200),
    (PATIENT, "GET", "/api/v1/provider/reports/{report}/", 404),
    (OTHER_PATIENT, "GET", "/api/v1/entries/{entry}/", 404),
    (OTHER_PATIENT, "DELETE", "/api/v1/entries/{entry}/", 404),
    (CAREGIVER, "GET", "/api/v1/entries/{entry}/", 404),
    (CAREGIVER, "GET", "/api/v1/entries/", 404),
    (CAREGIVER, "DELETE", "/api/v1/entries/{entry}/", 404),
    (PROVIDER, "GET", "/api/v1/entries/{entry}/", 404),
    (PROVIDER, "GET", "/api/v1/provider/reports/{report}/", 200),
    (FORMER_PROVIDER, "GET", "/api/v1/provider/reports/{report}/", 404),
    (CONTENT_EDITOR, "GET", "/api/v1/entries/", 404),
    (PATIENT, "GET", "/api/v1/auth/tokens/", 200),
    (OTHER_PATIENT, "DELETE", "/api/v1/auth/tokens/{pat_api_token}/", 404),
    (CAREGIVER, "DELETE", "/api/v1/auth/tokens/{pat_api_token}/", 404),
    (PROVIDER, "DELETE", "/api/v1/auth/tokens/{pat_api_token}/", 404),
]


@pytest.mark.parametrize(
    ("who", "method", "path", "status"),
    TOKEN_CASES,
    ids=[f"{method} {path} by {who}'s token" for who, method, path, _ in TOKEN_CASES],
)
def test_the_api_by_token(world: World, who: str, method: str, path: str, status: int) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Token {world.tokens[who]}")
    before = snapshot()

    response = client.generic(method, filled(path, world.ids))

    body = body_of(response)
    assert response.status_code == status, body[:500]
    if status == 404:
        assert snapshot() == before
        for marker in world.markers[PATS_DATA]:
            assert marker not in body
    else:
        assert PAT_NAME in body or PAT_NOTE in body or PAT_TOKEN_NAME in body
