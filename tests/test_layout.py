"""The project's layout: `config/` holds settings, URLs, the Celery app and WSGI, and nothing
else; what tests share lives in tests/support, and nothing else under `tests.` is imported,
neither by a test module, by a support module nor by a conftest.

A test module importing another runs the other's module-level code and fixtures in its own
namespace, and a helper in a test module is found by no one who looks for helpers; a
conftest that imports a test module collects it twice. Imports are read with `ast`, so an
import inside a function counts as well.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG_MODULES = frozenset(
    {"__init__.py", "settings.py", "settings_test.py", "urls.py", "celery.py", "wsgi.py"}
)
SUPPORT = "tests.support"
# Exceptions: (file, module it imports). None today; an entry that is no longer needed fails
# `test_no_exception_outlives_its_import`.
PENDING: frozenset[tuple[str, str]] = frozenset()


def strays_in_config(root: Path) -> list[str]:
    """Modules and packages in config/ that belong in an app."""
    return sorted(
        path.name
        for path in (root / "config").iterdir()
        if (path.suffix == ".py" and path.name not in CONFIG_MODULES)
        or (path.is_dir() and path.name != "__pycache__")
    )


def test_config_holds_only_settings_urls_celery_and_wsgi() -> None:
    assert strays_in_config(ROOT) == []


def test_a_module_added_to_config_is_found(tmp_path: Path) -> None:
    (tmp_path / "config" / "checks").mkdir(parents=True)
    for name in (*CONFIG_MODULES, "security.py", "checks/__init__.py", "README.md"):
        (tmp_path / "config" / name).write_text("")

    assert strays_in_config(tmp_path) == ["checks", "security.py"]


def module_of(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, root: Path, modules: set[str]) -> Iterator[tuple[int, str]]:
    """(line, module) for every import in the file, relative ones made absolute.

    `from package import name` counts as importing `package.name` when that is a module.
    """
    name = module_of(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            origin = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                origin = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                candidate = f"{origin}.{alias.name}"
                yield node.lineno, candidate if candidate in modules else origin


def layout_problems(root: Path) -> list[tuple[str, str, str]]:
    """(file, module, problem) for each import under `tests.` from outside tests.support."""
    files = sorted(p for p in (root / "tests").rglob("*.py") if "__pycache__" not in p.parts)
    modules = {module_of(path, root) for path in files}
    problems = []
    for path in files:
        for line, imported in imports_of(path, root, modules):
            if imported != "tests" and not imported.startswith("tests."):
                continue
            if imported == SUPPORT or imported.startswith(f"{SUPPORT}."):
                continue
            leaf = imported.rpartition(".")[2]
            if path.name == "conftest.py" and leaf.startswith("test_"):
                problem = f"a conftest imports the test module {imported}"
            elif path.name == "conftest.py":
                problem = f"a conftest imports {imported}, not from {SUPPORT}"
            else:
                problem = f"imports {imported}: shared test code belongs in {SUPPORT}"
            file = path.relative_to(root).as_posix()
            problems.append((file, imported, f"{file}:{line} {problem}"))
    return problems


def test_tests_import_shared_code_only_from_tests_support() -> None:
    problems = [
        problem
        for file, imported, problem in layout_problems(ROOT)
        if (file, imported) not in PENDING
    ]

    assert problems == [], "\n".join(problems)


def test_no_exception_outlives_its_import() -> None:
    found = {(file, imported) for file, imported, _ in layout_problems(ROOT)}

    assert PENDING - found == set(), "no longer imported: drop these from PENDING"
    if not any(imported == "tests.factories" for _, imported in PENDING):
        assert not (ROOT / "tests" / "factories.py").exists(), "delete the shim"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A small tests/ folder with support, a test package and a conftest."""
    for name in ("tests/__init__.py", "tests/support/__init__.py", "tests/journal/__init__.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    (tmp_path / "tests/support/factories.py").write_text("PASSWORD = 'x'\n")
    (tmp_path / "tests/support/reports.py").write_text("from .factories import PASSWORD\n")
    (tmp_path / "tests/journal/test_csv.py").write_text("def make_entry(): ...\n")
    (tmp_path / "tests/conftest.py").write_text("from tests.support import factories\n")
    (tmp_path / "tests/journal/test_good.py").write_text(
        "from tests.support.factories import PASSWORD\nimport tests.support.reports\n"
    )
    return tmp_path


def test_imports_from_tests_support_pass(tree: Path) -> None:
    assert layout_problems(tree) == []


@pytest.mark.parametrize(
    ("file", "source", "imported"),
    [
        ("tests/journal/test_fhir.py", "from tests.journal.test_csv import make_entry", "csv"),
        ("tests/journal/test_fhir.py", "from .test_csv import make_entry", "csv"),
        ("tests/journal/test_fhir.py", "from . import test_csv", "csv"),
        ("tests/journal/test_fhir.py", "def f():\n    import tests.journal.test_csv", "csv"),
        ("tests/test_pages.py", "from tests.conftest import logged_in_client", "conftest"),
        ("tests/test_pages.py", "from tests import conftest", "conftest"),
        ("tests/support/reports.py", "from tests.journal.test_csv import make_entry", "csv"),
        ("tests/conftest.py", "from tests.journal.test_csv import make_entry", "csv"),
        ("tests/journal/conftest.py", "from tests.conftest import patient", "conftest"),
    ],
)
def test_any_other_import_under_tests_fails(
    tree: Path, file: str, source: str, imported: str
) -> None:
    (tree / file).write_text(source + "\n")

    [(where, module, problem)] = layout_problems(tree)

    assert where == file
    assert module.endswith(imported)
    if file.endswith("conftest.py") and imported == "csv":
        assert "a conftest imports the test module tests.journal.test_csv" in problem
