"""docker-compose.yml, read as a file: no Docker engine runs where the tests do."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml

from tools.bench.run import arguments as bench_arguments

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def command_of(service: dict[str, Any]) -> str:
    command = service["command"]
    return " ".join(command) if isinstance(command, list) else command


def test_it_runs_web_worker_beat_postgres_and_redis(compose: dict[str, Any]) -> None:
    services = compose["services"]

    assert {"web", "worker", "beat", "db", "redis"} <= set(services)
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert command_of(services["web"]).startswith("gunicorn config.wsgi")
    assert command_of(services["worker"]).startswith("celery -A config worker")
    assert command_of(services["beat"]).startswith("celery -A config beat")


def test_postgres_and_redis_keep_their_data_in_named_volumes(compose: dict[str, Any]) -> None:
    services = compose["services"]
    db_volume = services["db"]["volumes"][0].split(":")[0]
    redis_volume = services["redis"]["volumes"][0].split(":")[0]

    assert db_volume in compose["volumes"]
    assert redis_volume in compose["volumes"]
    assert "--appendonly" in command_of(services["redis"])


def test_migrations_finish_before_web_and_workers_start(compose: dict[str, Any]) -> None:
    services = compose["services"]

    assert command_of(services["migrate"]) == "python manage.py migrate --noinput"
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy"


@pytest.mark.parametrize("name", ["db", "redis", "web", "worker"])
def test_long_running_services_have_health_checks(compose: dict[str, Any], name: str) -> None:
    check = compose["services"][name]["healthcheck"]

    assert check["test"]
    assert check["retries"] >= 3


def test_the_web_health_check_asks_sidelogs_health_endpoint(compose: dict[str, Any]) -> None:
    test = " ".join(compose["services"]["web"]["healthcheck"]["test"])

    assert "http://127.0.0.1:8000/health/" in test


def test_every_setting_the_app_requires_reaches_the_app_services(compose: dict[str, Any]) -> None:
    """SECRET_KEY and ALLOWED_HOSTS come from .env; the service addresses are set here."""
    env_example = (ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^([A-Z_]+)=", env_example, flags=re.MULTILINE))
    settings_source = (ROOT / "config" / "settings.py").read_text()
    read_by_settings = set(re.findall(r'env(?:str|bool|int|list)\("([A-Z_]+)"', settings_source))

    assert read_by_settings - {"DEBUG"} <= documented
    for name in ("web", "worker", "beat", "migrate"):
        service = compose["services"][name]
        assert service["env_file"] == ".env"
        assert service["environment"]["DATABASE_URL"].startswith("postgres://sidelog:")
        assert service["environment"]["DATABASE_URL"].endswith("@db:5432/sidelog")
        assert service["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert {"SECRET_KEY", "AUDIT_KEY", "ALLOWED_HOSTS"} <= documented


def test_web_and_workers_share_the_media_volume_for_report_files(compose: dict[str, Any]) -> None:
    for name in ("web", "worker"):
        assert "media:/app/media" in compose["services"][name]["volumes"]
    assert "media" in compose["volumes"]


def test_web_and_workers_keep_audit_checkpoints_in_a_volume_the_database_cannot_reach(
    compose: dict[str, Any],
) -> None:
    env_example = (ROOT / ".env.example").read_text()
    path = re.search(r"^AUDIT_CHECKPOINT_PATH=(\S+)$", env_example, flags=re.MULTILINE)
    assert path is not None
    folder = PurePosixPath(path.group(1)).parent

    for name in ("web", "worker"):
        assert f"audit:{folder}" in compose["services"][name]["volumes"]
    assert "audit" in compose["volumes"]
    assert all(not volume.startswith("audit:") for volume in compose["services"]["db"]["volumes"])


def test_the_benchmark_serves_with_as_many_workers_as_the_web_service(
    compose: dict[str, Any],
) -> None:
    web = command_of(compose["services"]["web"])
    workers = re.search(r"--workers (\d+)", web)
    defaults = bench_arguments().parse_args([])

    assert workers is not None
    assert defaults.workers == int(workers.group(1))
