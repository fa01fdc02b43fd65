"""The settings read the environment strictly, and production settings pass Django's checks."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.support.settings_env import PRODUCTION_ENV, compose_web_env, env_example, run_manage


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


def seen_by_sidelog(env: dict[str, str], **meta: str) -> list[str]:
    """The client's address and whether the request counts as HTTPS, under these settings."""
    keys = {name: PRODUCTION_ENV[name] for name in ("SECRET_KEY", "AUDIT_KEY")}
    code = (
        "from django.test import RequestFactory; from accounts.client_ip import client_ip; "
        f"request = RequestFactory().get('/', **{meta!r}); "
        "print(client_ip(request), request.is_secure())"
    )
    result = run_manage("shell", "--no-imports", "-c", code, env={**env, **keys})
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_as_documented_forwarding_headers_count_only_behind_composes_proxy() -> None:
    """Run as .env.example says, a client that reaches Sidelog directly can't choose its address
    or claim HTTPS; run as docker-compose.yml says, the hop its proxy wrote counts."""
    forged = {"HTTP_X_FORWARDED_FOR": "203.0.113.9", "HTTP_X_FORWARDED_PROTO": "https"}

    direct = seen_by_sidelog(env_example(), REMOTE_ADDR="192.0.2.66", **forged)
    proxied = seen_by_sidelog(
        compose_web_env(),
        REMOTE_ADDR="172.18.0.5",
        HTTP_X_FORWARDED_FOR="203.0.113.9, 192.0.2.66",
        HTTP_X_FORWARDED_PROTO="https",
    )

    assert direct == ["192.0.2.66", "False"]
    assert proxied == ["192.0.2.66", "True"]


@pytest.mark.parametrize(
    ("count", "ssl_header"), [("0", "None"), ("2", "('HTTP_X_FORWARDED_PROTO', 'https')")]
)
def test_the_trusted_proxy_count_reaches_drf_and_the_https_header(
    count: str, ssl_header: str
) -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.TRUSTED_PROXY_COUNT, s.REST_FRAMEWORK['NUM_PROXIES'], s.SECURE_PROXY_SSL_HEADER)"
    )
    result = run_manage(
        "shell", "--no-imports", "-c", code, env={**PRODUCTION_ENV, "TRUSTED_PROXY_COUNT": count}
    )

    assert result.stdout.strip() == f"{count} {count} {ssl_header}"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT must be 0 or more, not -1"),
        ({"TRUSTED_PROXY_COUNT": "one"}, "TRUSTED_PROXY_COUNT must be a whole number, not 'one'"),
        (
            {"BEHIND_TLS_PROXY": "1"},
            "BEHIND_TLS_PROXY is no longer read: remove it and set TRUSTED_PROXY_COUNT",
        ),
    ],
)
def test_a_bad_or_retired_proxy_setting_stops_start_up_with_a_message(
    env: dict[str, str], message: str
) -> None:
    result = run_manage("check", env={**PRODUCTION_ENV, **env})

    assert result.returncode != 0
    assert message in result.stderr


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


def test_the_api_offers_json_only_even_with_debug_on() -> None:
    """`?format=api` (DRF's browsable API) is not offered: on Sidelog's views it answered 500."""
    result = run_manage(
        "shell",
        "-c",
        "from rest_framework.settings import api_settings; "
        "print(*[r.format for r in api_settings.DEFAULT_RENDERER_CLASSES])",
        env={"DEBUG": "1"},
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["json"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/api/v1/entries/", "/api/v1/doses/", "/api/v1/reports/", "/api/v1/profile/"]
)
def test_asking_for_the_browsable_api_finds_nothing(patient_client: Client, path: str) -> None:
    response = patient_client.get(path, {"format": "api"})

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
