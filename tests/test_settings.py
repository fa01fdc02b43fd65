"""The settings read the environment strictly, and production settings pass Django's checks."""

from __future__ import annotations

import pytest

from tests.support.settings_env import PRODUCTION_ENV, run_manage


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


@pytest.mark.parametrize("name", ["INVITATION_DAYS", "SHARE_CODE_ATTEMPTS_LIFETIME"])
def test_invitations_or_access_codes_limited_to_nothing_stop_start_up(name: str) -> None:
    result = run_manage("check", env={**PRODUCTION_ENV, name: "0"})

    assert result.returncode != 0
    assert "INVITATION_DAYS and SHARE_CODE_ATTEMPTS_LIFETIME must be 1 or more." in result.stderr


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
