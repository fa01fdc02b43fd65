"""Sidelog served as in production, for the bench and the fault drill.

A PostgreSQL database made and migrated when missing, static files collected, gunicorn on a
free port with production settings (keys of the run's own, HTTPS said by a proxy header),
and plain HTTP requests to it.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import OperationalError, connection
from psycopg import sql

from tools.start import ToolError

ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    """The URL of the database this process uses, for the processes it starts."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "postgres")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def database_ensure() -> None:
    """Create the PostgreSQL database if it is missing, then bring it up to date."""
    if connection.vendor != "postgresql":
        raise ToolError(
            "This needs PostgreSQL: set DATABASE_URL, e.g. "
            "postgres://postgres@127.0.0.1:5432/sidelog_bench"
        )
    try:
        connection.ensure_connection()
    except OperationalError as error:
        if "does not exist" not in str(error):
            raise
        db = connection.settings_dict
        with psycopg.connect(
            dbname="postgres",
            user=db["USER"],
            password=db["PASSWORD"] or None,
            host=db["HOST"] or "127.0.0.1",
            port=db["PORT"] or 5432,
            autocommit=True,
        ) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
        connection.close()
    call_command("migrate", interactive=False, verbosity=0)


def static_collect() -> None:
    """Production settings serve static files by hashed name: collect them when stale.

    STATIC_ROOT (git-ignored, what a deployment builds) is kept, because compressing the
    API docs' files takes collectstatic most of a minute.
    """
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    newest = max(
        Path(storage.path(path)).stat().st_mtime
        for finder in finders.get_finders()
        for path, storage in finder.list([])
    )
    if manifest.exists() and manifest.stat().st_mtime >= newest:
        return
    env = production_env(media_root=Path(settings.MEDIA_ROOT))
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def production_env(*, media_root: Path, **extra: str) -> dict[str, str]:
    """Production settings for a run: keys of its own, behind one proxy as in compose (which
    says HTTPS with its header)."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"REDIS_URL", "CELERY_QUEUE", "PYTEST_XDIST_WORKER"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        AUDIT_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        TRUSTED_PROXY_COUNT="1",
        DATABASE_URL=database_url(),
        MEDIA_ROOT=str(media_root),
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


# Every request to the server says it came through the TLS proxy, as in production.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def http_request(
    url: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: dict[str, Any] | None = None,
    timeout: float = 30,
) -> tuple[int, bytes]:
    """The status and body of one request; an error status is an answer, not an exception."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(  # noqa: S310 (our own server, http on 127.0.0.1)
        url,
        data=data,
        method=method,
        headers={**PROXY_HEADERS, "Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    description: str

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)


@contextmanager
def gunicorn_serving(
    env: dict[str, str], *, workers: int, threads: int, log: Path
) -> Iterator[Server]:
    """gunicorn on a free port of 127.0.0.1, stopped (with its workers) on the way out."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--graceful-timeout", "5", "--log-level", "warning"]
    if threads > 1:
        command += ["--worker-class", "gthread", "--threads", str(threads)]
        description = f"gunicorn, {workers} gthread workers x {threads} threads"
    else:
        description = f"gunicorn, {workers} sync workers"
    process = subprocess.Popen(  # noqa: S603 (our own fixed command)
        command,
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # so that the group, workers included, can be killed
    )
    server = Server(f"http://127.0.0.1:{port}", process, log, description)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise ToolError(f"gunicorn stopped at start:\n{log.read_text()[-3000:]}")
            try:
                if http_request(f"{server.url}/health/", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise ToolError(f"gunicorn did not answer:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield server
    finally:
        server.stop()
