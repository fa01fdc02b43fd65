"""Benchmarks and fault drills live in tools/, beside the product and never inside it."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BESIDE_THE_PRODUCT = {"tests", "tools"}


def product_modules() -> list[Path]:
    packages = [
        folder
        for folder in ROOT.iterdir()
        if (folder / "__init__.py").exists() and folder.name not in BESIDE_THE_PRODUCT
    ]
    return [ROOT / "manage.py"] + [path for folder in packages for path in folder.rglob("*.py")]


def imported_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_the_product_never_imports_the_tools() -> None:
    modules = product_modules()
    importing = [
        str(path.relative_to(ROOT))
        for path in modules
        if any(name == "tools" or name.startswith("tools.") for name in imported_names(path))
    ]

    assert any(path.parent.name == "journal" for path in modules)  # it read the apps
    assert importing == []


def test_no_app_keeps_a_benchmark_or_fault_drill() -> None:
    kept = [
        str(path.relative_to(ROOT))
        for path in product_modules()
        if path.stem in {"bench", "bench_report", "faults"}
    ]

    assert kept == []
