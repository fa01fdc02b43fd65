"""Every route of the root URLconf, and a world of real rows to fill their parameters.

The routes come from the resolver, not from a list; the route-owner, security-header and
access tests ask each of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.contrib.auth.models import User
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from journal.models import DoseEvent, SymptomEntry
from reminders.models import CheckinLink, link_token_hash, link_token_new
from reports.models import Report
from sharing.models import CareRelationship, ProviderGrant, ShareLink
from sharing.services import share_link_create
from tests.support import factories
from tests.support.reports import ready_report

CONVERTER = re.compile(r"<(?:[^>:]+:)?(?P<name>[^>]+)>")
NAMED_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")
UNNAMED_GROUP = re.compile(r"\([^?][^)]*\)")
# Values for path parameters no world object fills: they match and name nothing.
DUMMY_VALUES = {
    "slug": "no-such-page",
    "token": "not-a-real-token",
    "kind": "pdf",
    "pk": "987654",
    "patient_id": "987654",
    "uidb64": "MQ",
    "object_id": "1",
    "content_type_id": "1",
    "url": "no-such-page/",
    "app_label": "reference",
}


@dataclass(frozen=True)
class Route:
    route: str  # as ResolverMatch.route spells it
    name: str | None  # with its namespaces: "journal:entry-detail"

    def url(self, values: dict[str, str]) -> str:
        def value(match: re.Match[str]) -> str:
            return values.get(match["name"], DUMMY_VALUES.get(match["name"], "1"))

        path = NAMED_GROUP.sub(value, self.route)  # before CONVERTER, which would match "<name>"
        path = CONVERTER.sub(value, path)
        path = UNNAMED_GROUP.sub("1", path)  # django-simple-history's history pages
        return "/" + path.removeprefix("^").removesuffix("$")

    @property
    def label(self) -> str:
        return f"{self.name or '(unnamed)'} /{self.route}"


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str, namespace: str | None
) -> Iterator[Route]:
    for pattern in patterns:
        # ResolverMatch.route drops a regex's "^" after the first piece; so do we.
        piece = str(pattern.pattern)
        route = prefix + (piece.removeprefix("^") if prefix else piece)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, route, inner)
        else:
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield Route(route=route, name=name)


def all_routes() -> list[Route]:
    """Every pattern of the root URLconf, once; patterns shadowed by an earlier one dropped."""
    seen: set[str] = set()
    routes = []
    for route in _walk(get_resolver().url_patterns, "", None):
        if route.route not in seen:
            seen.add(route.route)
            routes.append(route)
    return routes


@dataclass
class World:
    """A patient with one of everything, so that routes are asked about real rows."""

    patient: User
    provider: User
    caregiver: User
    report: Report
    share: ShareLink
    share_token: str
    grant: ProviderGrant
    care: CareRelationship
    values: dict[str, dict[str, str]]

    def url(self, route: Route) -> str:
        url = route.url(self.values.get(route.name or "", {}))
        # A wrongly filled route would be checked under another route's name.
        assert resolve(urlsplit(url).path).route == route.route, (route.label, url)
        return url


def world_create() -> World:
    patient = factories.PatientFactory.create(username="pat")
    provider = factories.ProviderFactory.create(username="dr_okafor")
    caregiver = factories.CaregiverFactory.create(username="cara")
    grant = factories.provider_grant(patient=patient, provider=provider)
    care = factories.care_relationship(patient=patient, caregiver=caregiver)
    course = factories.CourseFactory.create(patient=patient)
    dose = factories.DoseFactory.create(course=course, taken_at=timezone.now() - timedelta(days=2))
    entry = factories.EntryFactory.create(
        patient=patient, dose=dose, onset_at=dose.taken_at + timedelta(minutes=30)
    )
    report = ready_report(patient)
    new_link = share_link_create(report=report, recipient="Dr Okafor", created_by=patient)
    drug = {"slug": "esketamine"}
    values = {
        "reference:drug-detail": drug,
        "reference-api:drug-detail": drug,
        "reference:side-effect-detail": {"slug": "dizziness"},
        "sharing:share-open": {"token": new_link.token},
        "sharing:share-download": {"token": new_link.token, "kind": "pdf"},
        "sharing:care-switch": {"patient_id": str(patient.pk)},
        "sharing:share-revoke": {"pk": str(new_link.link.pk)},
        "sharing:share-reissue": {"pk": str(new_link.link.pk)},
        "sharing:grant-revoke": {"pk": str(grant.pk)},
        "sharing:caregiver-end": {"pk": str(care.pk)},
        "sharing-api:share-detail": {"pk": str(new_link.link.pk)},
    }
    rows = {"course": course.pk, "dose": dose.pk, "entry": entry.pk, "report": report.pk}
    by_name = {
        "course": ["journal:course-edit", "journal:course-delete", "journal:dose-taken-now"],
        "dose": ["journal:dose-edit", "journal:dose-delete", "journal:checkin"],
        "entry": ["journal:entry-detail", "journal:entry-edit", "journal:entry-delete"],
        "report": [
            "sharing:share-create",
            "reports:report-detail",
            "reports:report-retry",
            "reports:report-rename",
            "reports:report-delete",
            "reports:report-download",
            "sharing:provider-report",
            "sharing:provider-download",
            "reports-api:report-detail",
            "reports-api:report-file",
            "sharing-api:share-list",
            "sharing-api:provider-report-detail",
            "sharing-api:provider-report-file",
        ],
    }
    for row, names in by_name.items():
        for name in names:
            values[name] = {"pk": str(rows[row]), "kind": "pdf"}
    for resource in ("course", "dose", "entry"):
        values[f"journal-api:{resource}-detail"] = {"pk": str(rows[resource])}
    values["journal-api:dose-checkin"] = {"pk": str(dose.pk)}
    values["journal:checkin-step"] = {"pk": str(dose.pk), "point": "40min"}
    values.update(_checkin_link_values(dose=dose, entry=entry))
    return World(
        patient=patient,
        provider=provider,
        caregiver=caregiver,
        report=report,
        share=new_link.link,
        share_token=new_link.token,
        grant=grant,
        care=care,
        values=values,
    )


def _checkin_link_values(*, dose: DoseEvent, entry: SymptomEntry) -> dict[str, dict[str, str]]:
    """A live check-in reminder's link to the dose, for the routes it opens."""
    token = link_token_new()
    CheckinLink.objects.create(
        dose=dose,
        patient=dose.course.patient,
        point="40min",
        token_hash=link_token_hash(token),
        expires_at=timezone.now() + timedelta(hours=6),
    )
    return {
        "reminders:checkin-link": {"token": token},
        "reminders:checkin-link-steps": {"token": token},
        "reminders:checkin-link-step": {"token": token, "point": "2h"},
        "reminders:checkin-link-flag": {"token": token, "pk": str(entry.pk)},
    }
