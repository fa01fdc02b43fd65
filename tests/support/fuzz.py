"""Run schemathesis against Sidelog's API in-process, and say what it found.

The engine is the one `schemathesis run` drives: the examples, coverage, fuzzing and stateful
phases, every built-in check. It calls the WSGI app from worker threads, so the requests use
database connections of their own; `ThreadConnections` closes them when the run is over.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qs

import pytest
import requests
import schemathesis
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from rest_framework import serializers
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import AcceptedNegativeData, Failure
from schemathesis.engine import events, from_schema
from schemathesis.engine.statistic import Statistic
from schemathesis.generation.case import Case
from schemathesis.schemas import BaseSchema
from schemathesis.transport import SerializationContext
from schemathesis.transport.requests import prepare_multipart_parts
from schemathesis.transport.wsgi import WSGI_TRANSPORT, WSGITransport

WsgiApp = Callable[..., Iterable[bytes]]
SCHEMA_PATH = "/api/schema/"


class ThreadConnections:
    """A WSGI wrapper that remembers the database connections opened by worker threads."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app
        self.opened: dict[int, BaseDatabaseWrapper] = {}
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        try:
            return self.app(environ, start_response)
        finally:
            if threading.current_thread() is not threading.main_thread():
                with self.lock:
                    for connection in connections.all(initialized_only=True):
                        self.opened[id(connection)] = connection

    def close(self) -> None:
        """Close them from this thread, so that the test database can be flushed and dropped."""
        with self.lock:
            for connection in self.opened.values():
                connection.inc_thread_sharing()
                try:
                    connection.close()
                finally:
                    connection.dec_thread_sharing()
            self.opened.clear()


SOCKET_SETTINGS = ("max_redirects", "verify", "cert", "proxies")
MULTIPART = "multipart/form-data"


def wsgi_transport_fixed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Work around two faults of the in-process transport, neither of them Sidelog's.

    - schemathesis 4.32.5: probes (`ignored_auth` resending without credentials) drop the
      requests session but keep `max_redirects` and the like, which werkzeug's client refuses.
    - werkzeug 3.1: an empty multipart field is encoded without the CRLF before the next
      boundary, so Django never sees it; a PATCH with `taken_at=""` looked accepted. Multipart
      bodies are encoded by `requests` instead, as a real client would send them.
    """
    send = WSGITransport.send
    encode_multipart = WSGI_TRANSPORT._serializers[MULTIPART]

    def multipart_as_sent_by_requests(ctx: SerializationContext, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            return encode_multipart(ctx, value)
        files, data = prepare_multipart_parts(ctx, value)
        if not files and not data:
            return encode_multipart(ctx, value)
        request = requests.PreparedRequest()
        request.prepare_headers(None)
        request.prepare_body(data, files)
        return {"data": request.body, "content_type": request.headers["Content-Type"]}

    def without_socket_settings(
        transport: WSGITransport, case: Case, *, session: Any = None, **kwargs: Any
    ) -> Any:
        if session is None:
            for name in SOCKET_SETTINGS:
                kwargs.pop(name, None)
        return send(transport, case, session=session, **kwargs)

    monkeypatch.setattr(WSGITransport, "send", without_socket_settings)
    monkeypatch.setitem(WSGI_TRANSPORT._serializers, MULTIPART, multipart_as_sent_by_requests)


URLENCODED = "application/x-www-form-urlencoded"
# How DRF (and Django's forms) read a boolean sent as form text.
FORM_BOOLEANS = {str(text).lower(): True for text in serializers.BooleanField.TRUE_VALUES} | {
    str(text).lower(): False for text in serializers.BooleanField.FALSE_VALUES
}


def _sent_form_fields(response: Any) -> dict[str, list[str]] | None:
    """The fields of the form body as sent, as Django parses them; None if not a form."""
    request = response.request
    body = request.body or b""
    if isinstance(body, str):
        body = body.encode()
    content_type = request.headers.get("Content-Type", "")
    if content_type.startswith(URLENCODED):
        return parse_qs(body.decode(errors="replace"), keep_blank_values=True)
    if not content_type.startswith(MULTIPART):
        return None
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    fields: dict[str, list[str]] = defaultdict(list)
    for part in message.iter_parts() if message.is_multipart() else []:
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if isinstance(name, str) and isinstance(payload, bytes):
            fields[name].append(payload.decode(errors="replace"))
    return fields


ABSENT = object()


def _form_readings(texts: list[str]) -> list[Any]:
    """What a form field may stand for: its text; a number or a boolean written as text; for
    an empty field, null or no field at all (as DRF reads one that is nullable or optional);
    or a list of those."""
    readings: list[Any] = []
    for text in texts:
        with contextlib.suppress(ValueError):
            readings.append(json.loads(text))
        if text.lower() in FORM_BOOLEANS:
            readings.append(FORM_BOOLEANS[text.lower()])
        if text == "":
            readings.append(None)
    absent = [ABSENT] if "" in texts else []
    return [texts[-1], *readings, texts, *([reading] for reading in readings), *absent]


def _valid_as_a_form_reads_it(case: Case, response: Any) -> bool:
    """Whether the form fields as sent match the schema, read as the server reads form text.

    A form carries no types: the "wrong type" `0` sent for a boolean arrives as "0", which is
    how forms spell false; an empty field is how a form sends null; a JSON array sent as a
    form is no field at all. Such a case is not negative by the time it reaches the server.
    """
    fields = _sent_form_fields(response)
    if fields is None or not case.media_type:  # no body: a query's negative data is negative
        return False
    declared = case.operation.get_body_for_media_type(case.media_type)
    if declared is None:
        return False
    validator = declared.get_validator()

    def errors(instance: dict[str, Any]) -> int:
        return sum(1 for _ in validator.iter_errors(instance))

    read: dict[str, Any] = {}
    for name, texts in fields.items():
        candidates = [
            {**read, name: reading} if reading is not ABSENT else dict(read)
            for reading in _form_readings(texts)
        ]
        read = min(candidates, key=errors)  # the first of the best, so text before readings
    return bool(validator.is_valid(read))


def filter_failure(
    context: schemathesis.HookContext, failure: Failure, case: Case, response: Any
) -> bool:
    """Keep every failure except negative form bodies that are valid as a form reads them."""
    negative = isinstance(failure, AcceptedNegativeData)
    return not (negative and _valid_as_a_form_reads_it(case, response))


@dataclass
class FuzzResult:
    label: str
    operations: set[str] = field(default_factory=set)
    cases: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    statistic: Statistic = field(default_factory=Statistic)
    statuses: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    phases: Counter[str] = field(default_factory=Counter)
    identities: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        return (
            f"schemathesis [{self.label}]: {len(self.operations)} operations, {self.cases} cases, "
            f"{len(self.failures)} failures, {len(self.errors)} errors, "
            f"{self.statistic.filtered_failures} dropped as valid form text, {self.seconds:.1f}s "
            f"({', '.join(f'{phase} {n}' for phase, n in self.phases.items())})"
        )

    def status_table(self) -> str:
        sent_as = ", ".join(f"{name} {n}" for name, n in sorted(self.identities.items()))
        return f"  requests sent as: {sent_as}\n" + "\n".join(
            f"  {label}: " + ", ".join(f"{code}×{n}" for code, n in sorted(counts.items()))
            for label, counts in sorted(self.statuses.items())
        )

    def report(self) -> str:
        return "\n\n".join([self.summary(), self.status_table(), *self.failures, *self.errors])


def load_schema(app: WsgiApp, settings: dict[str, Any]) -> BaseSchema:
    config = SchemathesisConfig.from_dict(settings)
    schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, app, config=config)
    schema.hook(filter_failure)
    return schema


def _failures(statistic: Statistic) -> Iterator[str]:
    for label, groups in statistic.failures.items():
        for group in groups.values():
            for failure in group.failures:
                response = group.response
                status = f" -> {response.status_code}" if response is not None else ""
                body = ""
                if response is not None and response.content:
                    body = "\n    " + response.content[:300].decode(errors="replace")
                sample = f"\n    {group.code_sample}" if group.code_sample else ""
                yield f"{label}{status}: {failure.title}\n    {failure.message}{body}{sample}"


def run(schema: BaseSchema, *, label: str) -> FuzzResult:
    result = FuzzResult(label=label)
    started = time.monotonic()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            result.statistic.on_scenario_finished(event.recorder)
            for case_id, node in event.recorder.cases.items():
                result.operations.add(node.value.operation.label)
                result.identities[node.value.auth_identity or "(configured)"] += 1
                interaction = event.recorder.interactions.get(case_id)
                if interaction is not None and interaction.response is not None:
                    method = interaction.request.method
                    label = f"{method} {node.value.operation.path}"
                    result.statuses[label][interaction.response.status_code] += 1
            result.cases += len(event.recorder.cases)
            result.phases[event.phase.value] += len(event.recorder.cases)
        elif isinstance(event, events.NonFatalError):
            result.errors.append(f"{event.label}: {event.info.title}\n    {event.info.message}")
        elif isinstance(event, events.FatalError):
            result.errors.append(f"fatal: {event.exception!r}")
        elif isinstance(event, events.EngineFinished) and event.failures:
            result.statistic.record_run_check_failures(event.failures, label="run")
    result.seconds = time.monotonic() - started
    result.failures = list(_failures(result.statistic))
    return result
