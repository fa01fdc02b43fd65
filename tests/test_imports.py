"""Imports run one way: each app imports only the apps above it in `LAYERS` (README, "Where
things live"), the API never imports an HTML view, and middleware imports no view.

A newcomer can then read the apps top to bottom, and a change to an app can break only the
apps below it. Imports are read with `ast`, so an import inside a function counts too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.imports import imports_of, module_of

ROOT = Path(__file__).resolve().parent.parent
# Lowest first: an app may import its own modules and those of the apps before it.
LAYERS = (
    "reference",
    "accounts",
    "audit",
    "journal",
    "questionnaires",
    "reminders",
    "reports",
    "sharing",
    "privacy",
    "demo",
)


def application_files() -> list[Path]:
    return sorted(
        path
        for app in LAYERS
        for path in (ROOT / app).rglob("*.py")
        if "__pycache__" not in path.parts and "migrations" not in path.parts
    )


def _is_api(module: str) -> bool:
    parts = module.split(".")
    return "api" in parts or any(part.startswith("api_") for part in parts)


def _is_html_views(module: str) -> bool:
    """One of Sidelog's page views (the API's own endpoint modules are not)."""
    parts = module.split(".")
    return parts[0] in LAYERS and "views" in parts and not _is_api(module)


def direction_problems(files: list[Path], root: Path) -> list[str]:
    modules = {module_of(path, root) for path in files}
    problems = []
    for path in files:
        module = module_of(path, root)
        app = module.split(".")[0]
        for line, imported in imports_of(path, root, modules):
            other = imported.split(".")[0]
            where = f"{path.relative_to(root).as_posix()}:{line} imports {imported}"
            if other in LAYERS and LAYERS.index(other) > LAYERS.index(app):
                problems.append(f"{where}, but {other} comes after {app} in LAYERS")
            elif _is_api(module) and _is_html_views(imported):
                problems.append(f"{where}: the API imports no HTML view")
            elif module.rpartition(".")[2] == "middleware" and _is_html_views(imported):
                problems.append(f"{where}: middleware imports no view")
    return problems


def test_every_app_imports_only_the_apps_above_it() -> None:
    assert direction_problems(application_files(), ROOT) == []


def test_every_app_is_in_the_layers() -> None:
    from django.conf import settings

    ours = [app for app in settings.INSTALLED_APPS if (ROOT / app / "apps.py").exists()]
    assert ours == list(LAYERS)


@pytest.mark.parametrize(
    ("file", "source", "problem"),
    [
        ("journal/services.py", "from sharing.models import ShareLink\n", "comes after journal"),
        ("reports/api.py", "from reports.views import report_list\n", "imports no HTML view"),
        ("sharing/middleware.py", "import sharing.views.overview\n", "imports no view"),
        (
            "accounts/forms.py",
            "def f():\n    from journal import services\n",
            "comes after accounts",
        ),
    ],
)
def test_an_import_the_wrong_way_is_found(
    tmp_path: Path, file: str, source: str, problem: str
) -> None:
    path = tmp_path / file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source)
    (problem_found,) = direction_problems([path], tmp_path)
    assert problem in problem_found
