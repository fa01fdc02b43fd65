"""docker-compose.yml, read as a file: no Docker engine runs where the tests do."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml

from tests.support.services import unavailable
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


def test_workers_keep_consuming_after_redis_restarts(compose: dict[str, Any]) -> None:
    """Gossip, mingle and heartbeat can leave a worker connected but idle for good after a
    Redis restart (celery/celery#8030); the fault drills run workers the same way."""
    worker = command_of(compose["services"]["worker"]).split()

    assert {"--without-gossip", "--without-mingle", "--without-heartbeat"} <= set(worker)


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
    read_by_settings = set(
        re.findall(r'env(?:str|bool|int|count|list)\("([A-Z_]+)"', settings_source)
    )

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


# The proxy: only it is published, and Sidelog trusts exactly the one hop it writes


def caddy_files() -> dict[str, str]:
    return {path.name: path.read_text() for path in (ROOT / "deploy" / "caddy").iterdir()}


def test_only_the_proxy_is_published_on_the_host(compose: dict[str, Any]) -> None:
    published = {name for name, service in compose["services"].items() if "ports" in service}
    targets = {str(port).split(":")[-1] for port in compose["services"]["proxy"]["ports"]}

    assert published == {"proxy"}
    assert targets == {"80", "443", "443/udp"}
    assert compose["services"]["web"]["expose"] == ["8000"]


def test_the_proxy_is_caddy_from_its_official_image_and_forwards_to_web(
    compose: dict[str, Any],
) -> None:
    proxy = compose["services"]["proxy"]
    shared = caddy_files()["sidelog.caddy"]

    assert proxy["image"].split(":")[0] == "caddy"
    assert "./deploy/caddy:/etc/caddy:ro" in proxy["volumes"]
    assert re.search(r"^reverse_proxy web:8000$", shared, flags=re.MULTILINE)
    assert "--bind 0.0.0.0:8000" in command_of(compose["services"]["web"])
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"


@pytest.mark.parametrize("certificate", ["automatic", "provided"])
def test_each_way_of_getting_a_certificate_has_a_caddyfile_for_sidelogs_domain(
    compose: dict[str, Any], certificate: str
) -> None:
    command = command_of(compose["services"]["proxy"])
    config = re.search(r"--config /etc/caddy/\$\{SIDELOG_CERTIFICATE:-(\w+)\}\.Caddyfile", command)
    caddyfile = caddy_files()[f"{certificate}.Caddyfile"]

    assert config is not None and config.group(1) == "automatic"
    assert "--adapter caddyfile" in command
    assert re.search(r"^\{\$SIDELOG_DOMAIN\} \{$", caddyfile, flags=re.MULTILINE)
    assert re.search(r"^\timport sidelog\.caddy$", caddyfile, flags=re.MULTILINE)
    assert compose["services"]["proxy"]["environment"]["SIDELOG_DOMAIN"] == (
        "${SIDELOG_DOMAIN:-localhost}"
    )


def test_a_provided_certificate_is_mounted_read_only_and_kept_out_of_git_and_the_image(
    compose: dict[str, Any],
) -> None:
    provided = caddy_files()["provided.Caddyfile"]
    dockerignore = (ROOT / ".dockerignore").read_text().split()
    gitignore = (ROOT / "deploy" / "certs" / ".gitignore").read_text().split()

    assert re.search(r"^\ttls /certs/cert\.pem /certs/key\.pem$", provided, flags=re.MULTILINE)
    assert "./deploy/certs:/certs:ro" in compose["services"]["proxy"]["volumes"]
    assert "deploy/certs" in dockerignore
    assert "*" in gitignore


def test_caddy_keeps_its_certificates_in_named_volumes(compose: dict[str, Any]) -> None:
    volumes = compose["services"]["proxy"]["volumes"]

    assert {"caddy_data:/data", "caddy_config:/config"} <= set(volumes)
    assert {"caddy_data", "caddy_config"} <= set(compose["volumes"])


def test_caddy_trusts_no_forwarding_header_a_client_sends() -> None:
    """With no trusted_proxies, Caddy replaces X-Forwarded-For with the address the client
    connected from: the one hop Sidelog is told to trust."""
    for name, text in caddy_files().items():
        directives = re.sub(r"#.*", "", text)
        assert "trusted_proxies" not in directives, name
        assert "header_up" not in directives, name


def test_the_app_services_trust_exactly_the_one_proxy(compose: dict[str, Any]) -> None:
    for name in ("web", "worker", "beat", "migrate"):
        assert compose["services"][name]["environment"]["TRUSTED_PROXY_COUNT"] == "1"


def test_the_documented_domain_is_an_allowed_host_and_the_sites_address() -> None:
    documented = dict(
        re.findall(r"^([A-Z_]+)=(.*)$", (ROOT / ".env.example").read_text(), flags=re.MULTILINE)
    )

    assert documented["SIDELOG_DOMAIN"] in documented["ALLOWED_HOSTS"].split(",")
    assert documented["SITE_URL"] == f"https://{documented['SIDELOG_DOMAIN']}"
    assert f"{documented['SIDELOG_CERTIFICATE']}.Caddyfile" in caddy_files()
    assert documented["TRUSTED_PROXY_COUNT"] == "0"  # compose sets its own


def compose_config(folder: Path, compose_text: str) -> subprocess.CompletedProcess[str]:
    """`docker-compose config`: the file checked against the Compose schema, no engine needed."""
    binary = shutil.which("docker-compose")
    if binary is None:
        unavailable("docker-compose is not installed (apt-get install docker-compose)")
    (folder / "docker-compose.yml").write_text(compose_text)
    shutil.copy(ROOT / ".env.example", folder / ".env")
    return subprocess.run(  # noqa: S603
        [str(binary), "config", "--quiet"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_file_is_valid_against_the_compose_schema(tmp_path: Path) -> None:
    result = compose_config(tmp_path, (ROOT / "docker-compose.yml").read_text())

    assert result.returncode == 0, result.stderr


def test_the_schema_check_refuses_a_file_with_a_mistake(tmp_path: Path) -> None:
    text = (ROOT / "docker-compose.yml").read_text().replace("    expose:", "    exposes:")

    result = compose_config(tmp_path, text)

    assert result.returncode != 0
    assert "exposes" in result.stderr
