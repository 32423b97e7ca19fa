"""The layout rules of issue 13, checked on the source itself (``ast``, no imports run).

- the package root holds only the facade and the shared vocabularies;
- internal code never imports the public facade ``netral`` (it imports the part it needs);
- no private name (``_x``) is imported or reached into across top-level packages;
- the top-level packages import each other without cycles;
- no module of the detector or the review domain grows over 300 lines.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "netral"
# the facade, the version stamp and the vocabularies every part shares
ROOT_MODULES = {"__init__.py", "kinds.py", "item.py", "version.py"}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()
TREES = {name: ast.parse(path.read_text(encoding="utf-8"), str(path)) for name, path in MODULES.items()}


def _package(module: str) -> str:
    """``netral.detect.score`` -> ``detect``; root modules are their own package."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _imports(tree: ast.AST):
    """(line, imported module, imported names or None) for every netral import."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name == "netral" or a.name.startswith("netral."):
                    yield node.lineno, a.name, None, a.asname
        elif (isinstance(node, ast.ImportFrom) and node.module and node.level == 0
              and (node.module == "netral" or node.module.startswith("netral."))):
            yield node.lineno, node.module, [(a.name, a.asname) for a in node.names], None


def test_package_root_holds_only_the_facade_and_shared_vocabularies():
    files = {p.name for p in SRC.iterdir() if p.is_file() and p.suffix == ".py"}
    assert files <= ROOT_MODULES, f"modules in the package root: {sorted(files - ROOT_MODULES)}"


def test_internal_code_never_imports_the_facade():
    subpackages = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    subpackages |= {Path(m).stem for m in ROOT_MODULES}
    bad = []
    for name, tree in TREES.items():
        if name == "netral":
            continue
        for line, module, names, _ in _imports(tree):
            if module == "netral" and names is None:
                bad.append(f"{name}:{line} import netral")
            elif module == "netral":
                bad += [f"{name}:{line} from netral import {n}" for n, _ in names
                        if n not in subpackages]
    assert not bad, "\n".join(bad)


def test_no_private_name_crosses_a_package():
    bad = []
    for name, tree in TREES.items():
        here = _package(name)
        aliases: dict[str, str] = {}  # local name -> netral module it is bound to
        for line, module, names, asname in _imports(tree):
            if any(_is_private(p) for p in module.split(".")) and _package(module) != here:
                bad.append(f"{name}:{line} imports private module {module}")
            if names is None:
                aliases[asname or module.split(".")[0]] = module if asname else "netral"
                continue
            for n, alias in names:
                target = f"{module}.{n}"
                if target in MODULES:
                    aliases[alias or n] = target
                elif _is_private(n) and _package(module) != here:
                    bad.append(f"{name}:{line} imports {module}.{n}")
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and _is_private(node.attr)
                    and isinstance(node.value, ast.Name) and node.value.id in aliases):
                owner = aliases[node.value.id]
                if owner in MODULES and _package(owner) != here:
                    bad.append(f"{name}:{node.lineno} reaches into {owner}.{node.attr}")
    assert not bad, "\n".join(bad)


def test_top_level_packages_import_without_cycles():
    graph: dict[str, set[str]] = defaultdict(set)
    for name, tree in TREES.items():
        src = _package(name)
        for _, module, names, _ in _imports(tree):
            targets = {module}
            if module == "netral" and names:
                targets = {f"netral.{n}" for n, _ in names}
            for t in targets:
                dst = _package(t)
                if src and dst and dst != src and f"netral.{dst}" in MODULES:
                    graph[src].add(dst)
    # a cycle exists iff a depth-first walk meets a package still on its stack
    state: dict[str, int] = {}
    cycles: list[str] = []

    def walk(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*stack[stack.index(nxt):], node, nxt]))
            elif nxt not in state:
                walk(nxt, [*stack, node])
        state[node] = 2

    for pkg in sorted(graph):
        if pkg not in state:
            walk(pkg, [])
    assert not cycles, "import cycles between packages:\n" + "\n".join(cycles)


# packages split into modules with one job each: none of them grows back into a drawer
SMALL_MODULE_PACKAGES = ("detect", "review")


@pytest.mark.parametrize(
    "path", [p for pkg in SMALL_MODULE_PACKAGES for p in sorted((SRC / pkg).glob("*.py"))],
    ids=lambda p: f"{p.parent.name}/{p.name}")
def test_split_modules_stay_small(path: Path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 300
