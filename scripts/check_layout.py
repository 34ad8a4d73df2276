#!/usr/bin/env python3
"""The house rules that import-linter cannot state: no import cycle between modules, no module over the
size limit, no folder with more modules than a reader can scan.

    python scripts/check_layout.py        prints every breach and exits 1 when there is one

The packages checked are import-linter's `root_packages` in pyproject.toml, so a new package is covered
as soon as it has a layering contract. Imports under `if TYPE_CHECKING:` never run and are not cycles.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_MODULE_LINES = 400
MAX_MODULES_PER_FOLDER = 12  # __init__.py not counted; the issue asks for about ten
EXEMPT_FOLDERS = ("migrations",)  # Alembic revisions: one file per schema change, by design


@dataclass(frozen=True)
class Breach:
    rule: str
    where: str
    detail: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.where}: {self.detail}"


def root_packages(root: Path = ROOT) -> list[str]:
    """The packages import-linter checks, read from pyproject.toml."""
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    return list(config["tool"]["importlinter"]["root_packages"])


def _exempt(path: Path, root: Path) -> bool:
    return any(part in EXEMPT_FOLDERS for part in path.relative_to(root).parts)


def _python_files(root: Path, packages: Iterable[str]) -> Iterator[Path]:
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            if not _exempt(path, root):
                yield path


def oversized_modules(root: Path = ROOT, packages: Iterable[str] | None = None) -> list[Breach]:
    """Modules longer than MAX_MODULE_LINES, with their length."""
    breaches = []
    top_level = sorted(p for p in root.glob("*.py"))
    for path in [*_python_files(root, packages or root_packages(root)), *top_level]:
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            where = path.relative_to(root).as_posix()
            breaches.append(Breach("module too long", where, f"{lines} lines (limit {MAX_MODULE_LINES})"))
    return breaches


def crowded_folders(root: Path = ROOT, packages: Iterable[str] | None = None) -> list[Breach]:
    """Package folders holding more than MAX_MODULES_PER_FOLDER modules at one level."""
    breaches = []
    folders = {p.parent for p in _python_files(root, packages or root_packages(root))}
    for folder in sorted(folders):
        modules = [p for p in folder.glob("*.py") if p.name != "__init__.py"]
        if len(modules) > MAX_MODULES_PER_FOLDER:
            where = folder.relative_to(root).as_posix() + "/"
            detail = f"{len(modules)} modules (limit {MAX_MODULES_PER_FOLDER})"
            breaches.append(Breach("folder too crowded", where, detail))
    return breaches


def strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iteratively: every component of more than one module, or a module importing itself."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in edges.get(node, ()):
                    components.append(sorted(component))
    return components


def import_edges(packages: Iterable[str]) -> dict[str, set[str]]:
    """Module -> modules it imports (ours only, run-time imports only, function-level imports included)."""
    import grimp  # a dependency of import-linter, installed with the test tools

    names = list(packages)
    graph = grimp.build_graph(*names, exclude_type_checking_imports=True, cache_dir=None)
    return {module: set(graph.find_modules_directly_imported_by(module)) for module in graph.modules}


def import_cycles(packages: Iterable[str] | None = None) -> list[Breach]:
    """Every set of modules that import each other, directly or through others."""
    breaches = []
    for component in strongly_connected(import_edges(packages or root_packages())):
        breaches.append(Breach("import cycle", component[0], " <-> ".join(component)))
    return breaches


def main() -> int:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    breaches = [*import_cycles(), *oversized_modules(), *crowded_folders()]
    for breach in breaches:
        print(breach)
    packages = ", ".join(root_packages())
    if breaches:
        print(f"{len(breaches)} layout rule(s) broken in {packages}")
        return 1
    print(
        f"layout: no import cycle, no module over {MAX_MODULE_LINES} lines, no folder over "
        f"{MAX_MODULES_PER_FOLDER} modules ({packages})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
