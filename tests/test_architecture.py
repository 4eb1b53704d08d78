"""The package layout: lower layers never import higher ones, and modules import no cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "journal"
# Lowest first. A module may import its own layer and the layers before it, never a later one.
LAYERS = ("core", "school", "workbooks", "dataset", "intake", "reports", "year", "documents", "district",
          "demo", "cli")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, *, top_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("journal"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            if source.startswith("journal"):
                found.add(source)
                found.update(f"{source}.{a.name}" for a in node.names)
    return found


def _layer(module: str) -> int | None:
    parts = module.split(".")
    if len(parts) < 2 or parts[1] not in LAYERS:
        return None
    return LAYERS.index(parts[1])


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def test_every_module_is_in_a_layer() -> None:
    loose = [m for m in MODULES if m != "journal" and _layer(m) is None]
    assert loose == [], f"modules outside the layer packages {LAYERS}: {loose}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _layer(m) is not None))
def test_no_import_from_a_higher_layer(module: str) -> None:
    own = _layer(module)
    assert own is not None
    higher = sorted(i for i in _imports(MODULES[module], top_level_only=False)
                    if (layer := _layer(i)) is not None and layer > own)
    assert higher == [], f"{module} ({LAYERS[own]}) imports a higher layer: {higher}"


def test_no_import_cycles() -> None:
    graph = {m: {i for i in _imports(p, top_level_only=True) if i in MODULES and i != m}
             for m, p in MODULES.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt):], nxt]
                raise AssertionError("import cycle: " + " → ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)


def test_every_imported_module_exists() -> None:
    """Lazy imports inside functions are not checked by mypy here (ignore_missing_imports): check them."""
    missing = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            is_ours = isinstance(node, ast.ImportFrom) and (node.module or "").startswith("journal")
            if isinstance(node, ast.ImportFrom) and is_ours and not node.level:
                if node.module not in MODULES:
                    missing.append(f"{module}: from {node.module} import …")
                    continue
                if MODULES[node.module].name == "__init__.py":
                    package_dir = MODULES[node.module].parent
                    missing += [f"{module}: from {node.module} import {a.name}" for a in node.names
                                if f"{node.module}.{a.name}" not in MODULES
                                and a.name not in _defined_names(MODULES[node.module])
                                and not (package_dir / a.name).is_dir()]
            elif isinstance(node, ast.Import):
                missing += [f"{module}: import {a.name}" for a in node.names
                            if a.name.startswith("journal") and a.name not in MODULES]
    assert missing == []


def _defined_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom | ast.Import):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def test_no_module_imports_a_private_name_of_another() -> None:
    """A name with a leading underscore is its module's own: what two modules share is public."""
    found = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("journal")):
                found += [f"{module}: {node.module}.{alias.name}" for alias in node.names
                          if alias.name.startswith("_") and not alias.name.startswith("__")]
    assert found == []
