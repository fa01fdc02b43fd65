"""A report as a FHIR R4 `document` Bundle, built as plain JSON-ready dicts.

The Composition comes first, then the Patient, a MedicationStatement per course, an
Observation per dose and an Observation per symptom entry, then the readings and
questionnaires (`reports.fhir_vitals`). Only elements and codes R4
defines are used; the tests validate bundles with the R4B models, building does not (speed).

* Document type: LOINC 51855-5 "Patient Note", since the patient wrote this record.
* A dose is an Observation ("Medication dose taken", the drug as its value, `partOf` its
  course's MedicationStatement): R4's Observation.derivedFrom may point at an Observation,
  not at a MedicationAdministration, and a symptom is `derivedFrom` the dose it followed.
* Ids are uuid5s of the site, report, resource kind and row id, so the same content gives
  the same bytes. The Composition's identifier is the report (stable across rebuilds); the
  Bundle's identifies this build (report and build time).
* Every narrative passes the dosing-advice guard or nothing is built. A symptom named in the
  patient's own words shows in narratives only if it passes on its own; its Observation
  keeps it verbatim.
"""

from __future__ import annotations

import gc
import html
import json
import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TextIO

from journal.models import DoseEvent
from reference.safety import find_dosage_advice
from reports.content import CourseSummary, DoseMark, EntryRow, ReportContent
from reports.fhir_vitals import (
    questionnaire_urls,
    reading_urls,
    scores_narrative,
    vitals_entries,
    vitals_narrative,
)
from reports.vitals import ReadingRow, ScoreRow

Json = dict[str, Any]
# A narrative's XHTML, and the statements in it that the dosing-advice guard reads.
Narrative = tuple[str, list[str]]

LOINC = "http://loinc.org"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
ATC = "http://www.whocc.no/atc"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
URI = "urn:ietf:rfc:3986"
XHTML = "http://www.w3.org/1999/xhtml"
DOCUMENT_TYPE = {"system": LOINC, "code": "51855-5", "display": "Patient Note"}
DOSE_TAKEN = "Medication dose taken"
INTERFERENCE = "Interference with daily activities"
MASKED_SYMPTOM = "Another symptom (in the patient's own words in its entry)"
NO_VALUE = "—"
# fmt: off
SUMMARY_HEADINGS = (
    "Symptom", "Episodes", "Days affected", "Worst severity (0–4)", "Median severity",
    "Median interference", "Median minutes from dose to onset", "Median duration (minutes)",
    "Resolved within 2 h", "Episodes in the previous period", "Change",
)
# fmt: on


class DosingAdviceInNarrative(ValueError):
    """A narrative Sidelog wrote reads as dosing advice: the report must not be issued."""


def fhir_bundle(content: ReportContent, *, base_url: str) -> dict[str, Any]:
    """The report as a FHIR R4 document Bundle (a dict ready for `json.dumps`)."""
    with collector_paused():
        return _Document(content, base_url).bundle()


def fhir_write(content: ReportContent, out: TextIO, *, base_url: str) -> None:
    """Write the bundle as compact JSON, one resource at a time: `fhir_bundle`'s JSON.

    A long report's bundle is about a hundred megabytes as dicts, but only a few kilobytes
    are held here at any moment.
    """
    with collector_paused():
        _Document(content, base_url).write(out)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector (left paused if it was already).

    Building a report makes millions of objects that reference counting frees, yet the
    collector rescans them over and over: the bundle here is all acyclic dicts (pausing
    halves its time), and a whole build spent 0.15 s in some 400 collections."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


_ENCODER = json.JSONEncoder(separators=(",", ":"))  # one for all: `json.dumps` makes one a call


def _json(value: Json) -> str:
    return _ENCODER.encode(value)


class _Document:
    """One report's bundle: its identities, resources and narratives."""

    def __init__(self, content: ReportContent, base_url: str) -> None:
        self.content = content
        self.base = base_url.rstrip("/")
        self.zone = content.zone
        self.namespace = uuid.uuid5(
            uuid.NAMESPACE_URL, f"{self.base}/fhir/report/{content.report_id}"
        )
        self.urls: dict[str, str] = {}
        self.patient_url = self.url("Patient", content.patient_id)
        self.shown_names: dict[str, str] = {}
        self.courses_by_drug = {course.drug_name: course for course in content.courses}

    # Identities and small values

    def url(self, kind: str, row_id: object) -> str:
        key = f"{kind}/{row_id}"
        if key not in self.urls:  # thousands of entries point at the same few doses
            self.urls[key] = f"urn:uuid:{uuid.uuid5(self.namespace, key)}"
        return self.urls[key]

    def system(self, name: str) -> str:
        return f"{self.base}/fhir/{name}"

    def time(self, value: datetime) -> str:
        return value.astimezone(self.zone).isoformat(timespec="seconds")

    def identifier(self, kind: str, row_id: int) -> Json:
        return {"system": self.system(kind), "value": str(row_id)}

    def patient(self) -> Json:
        return {"reference": self.patient_url}

    def coded(self, system: str, code: str, display: str) -> Json:
        return {
            "coding": [{"system": self.system(system), "code": code, "display": display}],
            "text": display,
        }

    def rating(self, code: str, display: str, value: int, label: str) -> Json:
        """A 0–4 rating as an Observation component; its words are the interpretation."""
        return {
            "code": self.coded("observation", code, display),
            "valueInteger": value,
            "interpretation": [{"text": label}],
        }

    def medication(self, course: CourseSummary) -> Json:
        codings = [
            {"system": system, "code": code}
            for system, code in ((RXNORM, course.rxnorm_code), (ATC, course.atc_code))
            if code
        ]
        return {**({"coding": codings} if codings else {}), "text": course.drug_name}

    def medication_named(self, drug_name: str) -> Json:
        course = self.courses_by_drug.get(drug_name)
        return self.medication(course) if course else {"text": drug_name}

    # The bundle

    def head(self) -> Json:
        """The bundle without its entries."""
        content = self.content
        build = f"{content.report_id}/{content.generated_at.isoformat()}"
        return {
            "resourceType": "Bundle",
            "identifier": {"system": URI, "value": self.url("Build", build)},
            "type": "document",
            "timestamp": self.time(content.generated_at),
        }

    def bundle(self) -> Json:
        return {**self.head(), "entry": list(self.entries())}

    def write(self, out: TextIO) -> None:
        out.write(_json(self.head())[:-1] + ',"entry":[')
        for index, entry in enumerate(self.entries()):
            out.write(("," if index else "") + _json(entry))
        out.write("]}")

    def entries(self) -> Iterator[Json]:
        """The bundle's entries in order, each made only when it is wanted."""
        content = self.content
        statements = [self.statement(course) for course in content.courses]
        doses = self.doses_shown()
        dose_urls = [self.url("Dose", dose[0]) for dose in doses]
        symptom_urls = [self.url("Observation", entry.id) for entry in content.entries]
        yield self.composition(_urls(statements), dose_urls, symptom_urls)
        yield self.patient_resource()
        yield from statements
        for dose, url in zip(doses, dose_urls, strict=True):
            yield self.dose_observation(*dose, full_url=url)
        for entry, url in zip(content.entries, symptom_urls, strict=True):
            yield self.symptom_observation(entry, full_url=url)
        yield from vitals_entries(self)

    def bundle_entry(self, resource_type: str, full_url: str, **fields: Any) -> Json:
        """A bundle entry: the resource, with its id, under its full URL."""
        resource_id = full_url.removeprefix("urn:uuid:")
        return {
            "fullUrl": full_url,
            "resource": {"resourceType": resource_type, "id": resource_id, **fields},
        }

    def patient_resource(self) -> Json:
        born = self.content.patient_birth_date
        return self.bundle_entry(
            "Patient",
            self.patient_url,
            identifier=[self.identifier("patient", self.content.patient_id)],
            name=[{"text": self.content.patient_name}],
            **({"birthDate": born.isoformat()} if born else {}),
        )

    def statement(self, course: CourseSummary) -> Json:
        today = self.content.generated_at.astimezone(self.zone).date()
        finished = course.stopped_on is not None and course.stopped_on < today
        period = {"start": course.started_on.isoformat()}
        if course.stopped_on is not None:
            period["end"] = course.stopped_on.isoformat()
        dosage: Json = {"route": {"text": course.route_label}}
        if course.regimen:
            dosage = {"text": course.regimen, **dosage}  # the prescriber's words, verbatim
        logged = course.doses_logged
        return self.bundle_entry(
            "MedicationStatement",
            self.url("MedicationStatement", course.id),
            identifier=[self.identifier("course", course.id)],
            status="completed" if finished else "active",
            medicationCodeableConcept=self.medication(course),
            subject=self.patient(),
            effectivePeriod=period,
            informationSource=self.patient(),
            dosage=[dosage],
            note=[{"text": f"{_count(logged, 'dose')} logged in Sidelog in this period."}],
        )

    def doses_shown(self) -> list[tuple[int, datetime, str, DoseMark | None]]:
        """Every dose in the period, and any earlier dose an entry in the period followed."""
        doses: list[tuple[int, datetime, str, DoseMark | None]] = [
            (dose.id, dose.taken_at, dose.drug_name, dose) for dose in self.content.doses
        ]
        seen = {dose.id for dose in self.content.doses}
        linked: list[EntryRow | ReadingRow | ScoreRow] = [
            *self.content.entries,
            *self.content.readings,
            *self.content.scores,
        ]
        for row in linked:
            if row.dose_id is not None and row.dose_id not in seen and row.dose_taken_at:
                seen.add(row.dose_id)
                drug_name = row.drug_name or "Medicine not recorded"
                doses.append((row.dose_id, row.dose_taken_at, drug_name, None))
        return doses

    def dose_observation(
        self, dose_id: int, taken_at: datetime, drug_name: str, mark: DoseMark | None, full_url: str
    ) -> Json:
        fields: Json = {
            "identifier": [self.identifier("dose", dose_id)],
            "status": "amended" if mark is not None and mark.is_edited else "final",
            "code": self.coded("observation", "dose-taken", DOSE_TAKEN),
            "subject": self.patient(),
            "effectiveDateTime": self.time(taken_at),
            "valueCodeableConcept": self.medication_named(drug_name),
        }
        if mark is not None:  # a dose in the period: its course and setting are known
            fields["partOf"] = [{"reference": self.url("MedicationStatement", mark.course_id)}]
            fields["note"] = [{"text": DoseEvent.Setting(mark.setting).label}]
            if mark.amount:
                fields["note"].append({"text": f"Amount as written by the patient: {mark.amount}"})
            if mark.is_backfilled:
                backfilled = "Back-filled: logged more than 24 hours after it was taken."
                fields["note"].append({"text": backfilled})
        return self.bundle_entry("Observation", full_url, **fields)

    def symptom_observation(self, entry: EntryRow, full_url: str) -> Json:
        slug = entry.side_effect_slug
        code = self.coded("side-effect", slug, entry.symptom) if slug else {"text": entry.symptom}
        period = {"start": self.time(entry.onset_at)}
        if entry.resolved_at is not None:
            period["end"] = self.time(entry.resolved_at)
        fields: Json = {
            "identifier": [self.identifier("symptom-entry", entry.id)],
            "status": "amended" if entry.is_edited else "final",
            "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey"}]}],
            "code": code,
            "subject": self.patient(),
            "effectivePeriod": period,
            "issued": self.time(entry.created_at),
            "performer": [self.patient()],
        }
        if entry.dose_id is not None:
            fields["derivedFrom"] = [{"reference": self.url("Dose", entry.dose_id)}]
        fields["component"] = [
            self.rating("severity", "Severity", entry.severity, entry.severity_label),
            self.rating("interference", INTERFERENCE, entry.interference, entry.interference_label),
            # A danger sign the patient ticked: present.
            *[{"code": {"text": sign}, "valueBoolean": True} for sign in entry.danger_signs],
        ]
        notes = self.entry_notes(entry)
        if notes:
            fields["note"] = notes
        return self.bundle_entry("Observation", full_url, **fields)

    def entry_notes(self, entry: EntryRow) -> list[Json]:
        notes: list[Json] = []
        if entry.is_backfilled:
            notes.append({"text": "Back-filled: logged more than 24 hours after it started."})
        if entry.edited_at is not None:
            notes.append(
                {"time": self.time(entry.edited_at), "text": "Edited after it was first logged."}
            )
        if entry.read_as:
            notes.append(
                {"text": f"Described in the patient's own words; read as: {entry.read_as}."}
            )
        if entry.danger_signs:
            notes.append({"text": "Danger signs ticked: " + "; ".join(entry.danger_signs) + "."})
        if entry.red_flag:
            notes.append(
                {"text": f"Matched a red-flag rule; the patient was shown: {entry.red_flag}"}
            )
        if self.content.notes_included and entry.notes:
            notes.append({"authorReference": self.patient(), "text": entry.notes})
        return notes

    # The composition and its narratives

    def composition(self, statements: list[str], doses: list[str], symptoms: list[str]) -> Json:
        """The document's first entry: its sections, and the entries each section lists."""
        content = self.content
        start, end = content.period_start.isoformat(), content.period_end.isoformat()
        red_flag_urls = [self.url("Observation", entry.id) for entry in content.red_flag_events]
        sections = [
            self.section("Summary", self.summary_table()),
            self.section("Red-flag events", self.red_flag_table(), red_flag_urls)
            if red_flag_urls
            else None,
            self.section("Medications", self.medication_table(), statements),
            self.section("Doses taken", self.doses_text(len(doses)), doses) if doses else None,
            self.section("Symptoms", self.symptoms_text(), symptoms),
            self.section("Vital signs", vitals_narrative(content), reading_urls(self))
            if content.readings
            else None,
            self.section("Questionnaires", scores_narrative(self), questionnaire_urls(self))
            if questionnaire_urls(self)
            else None,
            self.section("About this report", _paragraph(content.footer)),
        ]
        return self.bundle_entry(
            "Composition",
            self.url("Composition", content.report_id),
            identifier=self.identifier("report", content.report_id),
            status="final",
            type={"coding": [dict(DOCUMENT_TYPE)], "text": "Side-effect report"},
            subject=self.patient(),
            date=self.time(content.generated_at),
            author=[self.patient()],
            title=f"Side-effect report {start} to {end}",
            event=[{"period": {"start": start, "end": end}}],
            section=[section for section in sections if section is not None],
        )

    def section(self, title: str, narrative: Narrative, entries: Iterable[str] = ()) -> Json:
        """A section whose narrative has passed the dosing-advice guard, statement by statement.

        Each paragraph and table row is checked on its own: the guard's cost grows faster
        than the length of the text, and a row is the unit that says one thing.
        """
        markup, statements = narrative
        # Rows differ only in their dates and numbers; check each wording once.
        wordings = {re.sub(r"\d", "0", statement) for statement in statements}
        if any(find_dosage_advice(wording) for wording in wordings):
            raise DosingAdviceInNarrative(f"The “{title}” section reads as dosing advice.")
        section: Json = {
            "title": title,
            "text": {"status": "generated", "div": f'<div xmlns="{XHTML}">{markup}</div>'},
        }
        references = [{"reference": url} for url in entries]
        if references:
            section["entry"] = references
        return section

    def shown_name(self, symptom: str, slug: str | None) -> str:
        """A symptom's name for a narrative: the patient's own words only if they pass the guard."""
        if slug is not None:
            return symptom  # library names pass the guard when they are saved
        if symptom not in self.shown_names:
            self.shown_names[symptom] = MASKED_SYMPTOM if find_dosage_advice(symptom) else symptom
        return self.shown_names[symptom]

    def summary_table(self) -> Narrative:
        if not self.content.symptoms:
            return _paragraph("No symptoms were recorded in this period.")
        rows = [
            (
                self.shown_name(s.symptom, s.side_effect_slug),
                str(s.episodes),
                str(s.days_affected),
                f"{s.worst_severity} ({s.worst_severity_label})",
                _number(s.median_severity),
                _number(s.median_interference),
                _number(s.median_minutes_from_dose),
                _number(s.median_duration_minutes),
                _percent(s.share_resolved_within_2h),
                str(s.previous_episodes),
                s.change,
            )
            for s in self.content.symptoms
        ]
        return _table(SUMMARY_HEADINGS, rows)

    def red_flag_table(self) -> Narrative:
        rows = [
            (
                self.time(entry.onset_at),
                self.shown_name(entry.symptom, entry.side_effect_slug),
                f"{entry.severity} ({entry.severity_label})",
                entry.red_flag or "",
            )
            for entry in self.content.red_flag_events
        ]
        return _table(("Started", "Symptom", "Severity (0–4)", "What the patient was shown"), rows)

    def medication_table(self) -> Narrative:
        if not self.content.courses:
            return _paragraph("No medication courses are part of this report.")
        rows = [
            (
                course.drug_name,
                course.route_label,
                course.started_on.isoformat(),
                course.stopped_on.isoformat() if course.stopped_on else "ongoing",
                str(course.doses_logged),
            )
            for course in self.content.courses
        ]
        return _table(("Medicine", "Route", "Started", "Stopped", "Doses logged"), rows)

    def doses_text(self, shown: int) -> Narrative:
        in_period = len(self.content.doses)
        earlier = f", and {_count(shown - in_period, 'earlier dose')} that a symptom followed"
        return _paragraph(
            f"{_count(in_period, 'dose')} recorded as taken in this period"
            f"{earlier if shown > in_period else ''} (time zone {self.content.time_zone})."
        )

    def symptoms_text(self) -> Narrative:
        entries = self.content.entries
        if not entries:
            return _paragraph("No symptom entries were recorded in this period.")
        backfilled = sum(1 for entry in entries if entry.is_backfilled)
        edited = sum(1 for entry in entries if entry.is_edited)
        return _paragraph(
            f"{_count(len(entries), 'symptom entry', 'symptom entries')} recorded in this "
            f"period (time zone {self.content.time_zone}): {backfilled} back-filled "
            f"(logged more than 24 hours after onset) and {edited} edited after they were "
            "first logged."
        )


def _urls(entries: list[Json]) -> list[str]:
    return [entry["fullUrl"] for entry in entries]


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def _number(value: float | None) -> str:
    if value is None:
        return NO_VALUE
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _percent(share: float | None) -> str:
    return NO_VALUE if share is None else f"{round(share * 100)}%"


def _paragraph(text: str) -> Narrative:
    return f"<p>{html.escape(text)}</p>", [text]


def _table(headings: Sequence[str], rows: Sequence[Sequence[str]]) -> Narrative:
    def cells(tag: str, row: Sequence[str]) -> str:
        return "<tr>" + "".join(f"<{tag}>{html.escape(cell)}</{tag}>" for cell in row) + "</tr>"

    body = "".join(cells("td", row) for row in rows)
    markup = f"<table><thead>{cells('th', headings)}</thead><tbody>{body}</tbody></table>"
    return markup, [" ".join(headings), *(" ".join(row) for row in rows)]
