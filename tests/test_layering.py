"""The layering of the code base, read from every module's imports (docs/architecture.md).

- Arrows point one way: the kernel `snp/` imports no domain, adapter or the composition root;
  `agenda` < `regulation` < `notifications` < the adapters (`sas`, `indicators`) and the
  patients' rights page (`rights`) < `composition`.
- A package is reached only through its `__init__`: no `agenda.service.directory` from another
  package, no `snp.auth.models` from the kernel's other modules. The kernel's single modules
  (`snp.db`, `snp.errors`, ...) are each public. The composition root may import the wiring
  modules of every package (routers, jobs, event handlers, tables, CLI sub-commands, demo data).
- No package reads another's tables: an ORM class never crosses a package boundary.
- An import inside a function says why, in a comment on its line or the line above.
Tests may import anything.
"""

from __future__ import annotations

import ast
import importlib
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOP_PACKAGES = (
    "snp",
    "agenda",
    "regulation",
    "notifications",
    "telephony",
    "sas",
    "indicators",
    "rights",
    "composition",
)
# The kernel's sub-packages are packages of their own: reached through their `__init__`.
KERNEL_PACKAGES = ("snp.auth", "snp.kit", "snp.territory")

# What each package must not import (besides the deep-import and table rules).
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "snp": (
        "agenda",
        "regulation",
        "notifications",
        "telephony",
        "sas",
        "indicators",
        "rights",
        "composition",
    ),
    "agenda": (
        "regulation",
        "notifications",
        "telephony",
        "sas",
        "indicators",
        "rights",
        "composition",
    ),
    "regulation": ("notifications", "telephony", "sas", "indicators", "rights", "composition"),
    "notifications": ("telephony", "sas", "indicators", "rights", "composition"),
    # Telephony is a domain on top of regulation; it does not need the SMS package.
    "telephony": ("notifications", "sas", "indicators", "rights", "composition"),
    "sas": ("indicators", "rights", "composition", "telephony"),
    "indicators": ("sas", "rights", "composition"),
    "rights": ("sas", "indicators", "composition"),
    "composition": (),
}

# Modules the composition root may import past a package's `__init__` to assemble the platform.
WIRING_MODULES = frozenset(
    {
        "api",
        "jobs",
        "handlers",
        "models",
        "cli",
        "demo",
        "reset_api",
        "reset_cli",
        "invitations_api",
        "mfa_api",
        "psc_api",
    }
)


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, dotted
    line: int
    target: str  # the imported module, dotted
    names: tuple[str, ...]  # for `from target import names`
    in_function: bool
    commented: bool


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files() -> list[Path]:
    files: list[Path] = []
    for package in TOP_PACKAGES:
        files += [
            path
            for path in sorted((ROOT / package).rglob("*.py"))
            if "migrations" not in path.relative_to(ROOT).parts
        ]
    return files


def _imports_of(path: Path) -> list[Import]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    importer = module_name(path)
    in_function: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            in_function |= {
                id(inner)
                for inner in ast.walk(node)
                if isinstance(inner, ast.Import | ast.ImportFrom)
            }
    found: list[Import] = []
    for node in ast.walk(tree):
        targets: list[tuple[str, tuple[str, ...]]]
        if isinstance(node, ast.Import):
            targets = [(alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            targets = [(node.module, tuple(alias.name for alias in node.names))]
        elif isinstance(node, ast.ImportFrom):  # relative: resolve against the importer
            base = importer.split(".")
            if path.name != "__init__.py":
                base = base[:-1]
            base = base[: len(base) - (node.level - 1)]
            target = ".".join([*base, *([node.module] if node.module else [])])
            targets = [(target, tuple(alias.name for alias in node.names))]
        else:
            continue
        around = " ".join(lines[max(0, node.lineno - 2) : node.end_lineno or node.lineno])
        for target, names in targets:
            found.append(
                Import(importer, node.lineno, target, names, id(node) in in_function, "#" in around)
            )
    return found


ALL_IMPORTS = [imp for path in source_files() for imp in _imports_of(path)]


def owning_package(module: str) -> str | None:
    """The package a module belongs to: a kernel sub-package, a top-level package, or None
    (third-party). A kernel single module (`snp.db`) belongs to `snp`."""
    for package in KERNEL_PACKAGES:
        if module == package or module.startswith(package + "."):
            return package
    top = module.split(".")[0]
    return top if top in TOP_PACKAGES else None


def is_module(dotted: str) -> bool:
    base = ROOT.joinpath(*dotted.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def reached_modules(imp: Import) -> list[str]:
    """The modules an import reaches: `from a.b import c` reaches `a.b.c` when `c` is one."""
    reached = [imp.target]
    reached += [f"{imp.target}.{name}" for name in imp.names if is_module(f"{imp.target}.{name}")]
    return reached


def top_of(package: str) -> str:
    return package.split(".")[0]


def test_the_layering_rules_see_the_whole_code_base() -> None:
    importers = {imp.module.split(".")[0] for imp in ALL_IMPORTS}
    assert set(TOP_PACKAGES) <= importers
    assert any(
        imp.target == "agenda" and imp.module.startswith("regulation") for imp in ALL_IMPORTS
    )


def test_arrows_point_one_way() -> None:
    violations = [
        f"{imp.module}:{imp.line} imports {imp.target}"
        for imp in ALL_IMPORTS
        if (importer := owning_package(imp.module)) is not None
        and (target := owning_package(imp.target)) is not None
        and top_of(target) in FORBIDDEN[top_of(importer)]
    ]
    assert violations == []


def _deep(imp: Import) -> list[str]:
    importer = owning_package(imp.module)
    deep: list[str] = []
    for reached in reached_modules(imp):
        target = owning_package(reached)
        if target is None or target == importer or reached == target:
            continue
        if target == "snp" and reached.count(".") == 1:
            continue  # the kernel's single modules are each public
        if importer == "composition" and reached.split(".")[-1] in WIRING_MODULES:
            continue
        deep.append(f"{imp.module}:{imp.line} reaches {reached}")
    return deep


def test_packages_are_reached_only_through_their_init() -> None:
    violations = [violation for imp in ALL_IMPORTS for violation in _deep(imp)]
    assert violations == []


def test_no_package_reads_another_packages_tables() -> None:
    violations: list[str] = []
    for imp in ALL_IMPORTS:
        importer = owning_package(imp.module)
        target = owning_package(imp.target)
        if target is None or target == importer or importer == "composition":
            continue
        if imp.target.split(".")[-1] == "models":
            violations.append(f"{imp.module}:{imp.line} imports {imp.target}")
            continue
        exporter = importlib.import_module(imp.target)
        for name in imp.names:
            value = getattr(exporter, name, None)
            if isinstance(value, type) and hasattr(value, "__table__"):
                violations.append(f"{imp.module}:{imp.line} imports the table {name}")
    assert violations == []


def test_imports_inside_functions_say_why() -> None:
    silent = [
        f"{imp.module}:{imp.line}" for imp in ALL_IMPORTS if imp.in_function and not imp.commented
    ]
    assert silent == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from agenda.service.directory import load_effector", ["reaches agenda.service"]),
        ("from snp.auth import service", ["reaches snp.auth.service"]),
        ("from agenda import list_effectors", []),
        ("from snp.db import utcnow", []),
    ],
)
def test_the_deep_import_rule_itself(source: str, expected: list[str]) -> None:
    imp = _imports_of_source("notifications.example", source)
    found = _deep(imp)
    assert len(found) == len(expected)
    for violation, fragment in zip(found, expected, strict=True):
        assert fragment in violation


def _imports_of_source(module: str, source: str) -> Import:
    node = ast.parse(source).body[0]
    assert isinstance(node, ast.ImportFrom)
    assert node.module is not None
    return Import(module, 1, node.module, tuple(a.name for a in node.names), False, False)


# `get_settings()` reads the environment: the composition root does, once; routes get the
# settings from the `SettingsDep` dependency, services as arguments, jobs and event handlers from
# their session (`snp.settings.settings_of`, filled by the composition root's `Database`).
SETTINGS_READERS = frozenset({"snp.settings", "snp.scheduler"})


def test_settings_are_read_from_the_environment_only_by_the_composition_root() -> None:
    readers: list[str] = []
    for path in source_files():
        module = module_name(path)
        if module.startswith("composition") or module in SETTINGS_READERS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        readers += [
            f"{module}:{node.lineno}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name | ast.Attribute)
            and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr)
            == "get_settings"
        ]
    assert readers == []
