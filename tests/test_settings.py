"""The settings read the environment strictly, and production settings pass Django's checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-production-grade-secret-key-of-more-than-fifty-characters-0123456789",
    "AUDIT_KEY": "an-audit-key-of-its-own-kept-apart-from-the-secret-key-9876543210",
    "ALLOWED_HOSTS": "sidelog.example.org",
    "BEHIND_TLS_PROXY": "1",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # Only the basics: the test process's own environment carries test-only settings.
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deployment_checks() -> None:
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_a_missing_secret_key_stops_start_up_when_debug_is_off() -> None:
    result = run_manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": ""})

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_a_missing_audit_key_stops_start_up_when_debug_is_off() -> None:
    result = run_manage("check", env={**PRODUCTION_ENV, "AUDIT_KEY": ""})

    assert result.returncode != 0
    assert "AUDIT_KEY must be set when DEBUG is off." in result.stderr


def test_a_bad_boolean_stops_start_up_with_a_message() -> None:
    result = run_manage("check", env={**PRODUCTION_ENV, "DEBUG": "maybe"})

    assert result.returncode != 0
    assert "DEBUG must be a boolean (1/0, true/false), not 'maybe'" in result.stderr


@pytest.mark.parametrize(
    ("value", "expected"), [("1", True), ("true", True), ("0", False), ("off", False), ("", True)]
)
def test_envbool_reads_the_usual_spellings(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: bool
) -> None:
    from config.settings import envbool

    monkeypatch.setenv("SIDELOG_FLAG", value)

    assert envbool("SIDELOG_FLAG", True) is expected


def test_real_settings_hash_passwords_with_argon2() -> None:
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.PASSWORD_HASHERS[0])",
        env=PRODUCTION_ENV,
    )

    assert result.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"
