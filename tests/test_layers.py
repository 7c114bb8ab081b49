"""The package layers: imports only run downwards, and no module imports itself back."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

HUB = Path(__file__).resolve().parents[1] / "hub"

# Lowest first. A package may import its own modules and any package of a lower rank,
# never a sibling of the same rank nor anything above it (docs/architecture.md).
RANK = {
    "errors": 0,
    "core": 1,
    "intents": 2, "store": 2, "settings": 2, "sensors": 2, "pump": 2, "panel": 2,
    "voice": 3,
    "daemon": 4,
    "hermes": 5,
    "sim": 6, "web": 6,
    "commands": 7,
    "cli": 8, "__main__": 9,
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(HUB.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every hub module `path` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "hub":
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                is_module = (HUB.parent / (candidate.replace(".", "/") + ".py")).exists() or (
                    HUB.parent / candidate.replace(".", "/")).is_dir()
                found.add(candidate if is_module else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "hub")
    return found


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


GRAPH = {_module_name(p): _imports(p) for p in sorted(HUB.rglob("*.py"))}


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_module_imports_only_lower_layers(module: str) -> None:
    package = _package(module)
    if package == "":
        return
    assert package in RANK, f"{module}: add its package to RANK and to docs/architecture.md"
    upward = sorted(
        target for target in GRAPH[module]
        if _package(target) not in ("", package) and RANK.get(_package(target), 99) >= RANK[package]
    )
    assert not upward, f"{module} imports upwards or sideways: {upward}"


def test_no_import_cycles() -> None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for target in sorted(GRAPH.get(module, ())):
            if target not in GRAPH or target == module or module.startswith(target + "."):
                continue
            if state.get(target) == 1:
                cycle = stack[stack.index(target):] + [target]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target)
        stack.pop()
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module)


def test_heard_is_one_class_the_voice_pipelines() -> None:
    """The daemon's input was once also called `Heard` (now `FamilyInput`); one name for two
    classes made imports and logs ambiguous."""
    found = sorted(str(path.relative_to(HUB)) for path in HUB.rglob("*.py")
                   if any(isinstance(node, ast.ClassDef) and node.name == "Heard"
                          for node in ast.walk(ast.parse(path.read_text()))))
    assert found == ["voice/pipeline.py"]
