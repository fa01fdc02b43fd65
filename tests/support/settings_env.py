"""Production settings from the environment, and `manage.py` run under them in a process of
its own (the test process's environment carries test-only settings)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-production-grade-secret-key-of-more-than-fifty-characters-0123456789",
    "AUDIT_KEY": "an-audit-key-of-its-own-kept-apart-from-the-secret-key-9876543210",
    "ALLOWED_HOSTS": "sidelog.example.org",
    "TRUSTED_PROXY_COUNT": "1",
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


def env_example() -> dict[str, str]:
    """The settings `cp .env.example .env` gives."""
    text = (ROOT / ".env.example").read_text()
    return dict(re.findall(r"^([A-Z_]+)=(.*)$", text, flags=re.MULTILINE))


def compose_web_env() -> dict[str, str]:
    """What docker-compose.yml's web service runs with: .env, then its own environment."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return {**env_example(), **compose["services"]["web"]["environment"]}
