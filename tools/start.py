"""How every tool starts: Django set up as `manage.py` does, then the tool's `main`."""

from __future__ import annotations

import importlib
import os
import sys

import django


class ToolError(Exception):
    """A run that cannot go on, or a missed goal: said on stderr, and the exit status is 1."""


def tool_run(module: str) -> None:
    """Set Django up, then call `main(arguments)` of `module`, which may import models."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    try:
        importlib.import_module(module).main(sys.argv[1:])
    except ToolError as error:
        sys.exit(f"{module.rsplit('.', 1)[0]}: {error}")
