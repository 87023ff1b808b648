"""The layering, read from every import in the tree: data flows one way, and no import runs back up.

cxrcore is at the bottom and imports nothing of ours; evaluation sits on cxrcore and NumPy alone; the
trainer sits on both; the converters on the trainer; the desktop app only on cxrcore (it ships without
the training stack). Inside the app, the screening engine, the reports and the app state are Qt-free,
so they can be tested and reused without a display. Module-level imports inside one package form no
cycle. Imports inside functions count for the layering (a lazy import is still a dependency) but not
for cycles (deferring one is how an optional extra such as pydicom stays optional).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
OURS = ("cxrcore", "evaluation", "trainer", "converters", "desktop", "studies", "benchmarks", "packaging")

#: package → the packages of ours it may import (itself always allowed).
ALLOWED: dict[str, set[str]] = {
    "cxrcore": set(),
    "evaluation": {"cxrcore"},
    "trainer": {"cxrcore", "evaluation"},
    "converters": {"cxrcore", "evaluation", "trainer"},
    "desktop": {"cxrcore"},
    "studies": {"cxrcore", "evaluation", "trainer", "converters", "desktop"},
    "benchmarks": {"cxrcore", "evaluation", "trainer", "converters", "desktop"},
    "packaging": {"cxrcore", "desktop"},
}
#: Third-party packages a layer may import; None means any. The app never loads the training stack.
THIRD_PARTY: dict[str, set[str] | None] = {
    "cxrcore": {"numpy", "PIL", "pydicom", "ai_edge_litert", "tflite_runtime", "nacl"},
    "evaluation": {"numpy"},
    "desktop": {"numpy", "PIL", "pydicom", "ai_edge_litert", "PySide6", "reportlab", "pynetdicom", "highdicom", "nacl"},
}
#: Parts of the app that must not touch Qt: the engine, the exports and the app state.
QT_FREE = ("desktop/screening", "desktop/reports", "desktop/network", "desktop/workspace.py", "desktop/events.py",
           "desktop/jobs.py", "desktop/result_list.py", "desktop/services.py", "desktop/intake.py", "desktop/i18n.py",
           "desktop/reasons.py")


def _modules(package: str) -> dict[str, Path]:
    """Dotted module name → file, for every ``.py`` under the package folder."""
    found = {}
    for path in sorted((REPO / package).rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(path: Path, module: str, top_level_only: bool = False) -> set[str]:
    """Absolute names imported by a file (relative imports resolved against ``module``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    if top_level_only:  # `if TYPE_CHECKING:` and try/except blocks at top level still run at import
        nodes = [child for node in nodes for child in ast.walk(node)
                 if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    names = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in nodes:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                names.add(f"{base}.{node.module}" if node.module else base)
            elif node.module:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _stdlib() -> set[str]:
    return set(sys.stdlib_module_names) | {"__future__"}


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_no_import_runs_the_wrong_way(package: str) -> None:
    allowed = ALLOWED[package] | {package}
    third_party = THIRD_PARTY.get(package)
    wrong = set()
    for module, path in _modules(package).items():
        for name in _imports(path, module):
            top = name.split(".")[0]
            if top in OURS and top not in allowed:
                wrong.add(f"{path.relative_to(REPO)} imports {name}")
            elif top not in OURS and third_party is not None and top not in third_party | _stdlib():
                wrong.add(f"{path.relative_to(REPO)} imports third-party {top}")
    assert not wrong, "\n".join(sorted(wrong))


def test_the_screening_engine_reports_and_app_state_are_qt_free() -> None:
    wrong = []
    for package in ("desktop",):
        for module, path in _modules(package).items():
            relative = path.relative_to(REPO).as_posix()
            if not relative.startswith(QT_FREE):
                continue
            for name in _imports(path, module):
                if name.split(".")[0] == "PySide6" or name.startswith("desktop.ui"):
                    wrong.append(f"{relative} imports {name}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_no_import_cycle_between_files(package: str) -> None:
    modules = _modules(package)
    graph = {module: {name for name in _imports(path, module, top_level_only=True) if name in modules and name != module}
             for module, path in modules.items()}
    # a package's __init__ is imported with each of its modules: an edge to it is not a cycle of files
    graph = {module: {name for name in targets if not module.startswith(name + ".")} for module, targets in graph.items()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycles.append(trail[trail.index(target):] + [target] if target in trail else [module, target])
            elif target not in state:
                visit(target, trail + [target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "\n".join(" -> ".join(cycle) for cycle in cycles)


def test_the_checker_sees_a_wrong_import(tmp_path: Path) -> None:
    """The checker itself: a cxrcore-style file importing the desktop is found, a lazy one too."""
    bad = tmp_path / "bad.py"
    bad.write_text("import numpy\n\ndef later():\n    from desktop.screening import pipeline\n")
    assert "desktop.screening" in _imports(bad, "cxrcore.bad")
    assert "desktop.screening" not in _imports(bad, "cxrcore.bad", top_level_only=True)
