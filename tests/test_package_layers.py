"""The project's packages import one another one way only: a loop between two of them
makes each impossible to change, test or reuse alone. Read from the source (every import,
also those inside functions), not from what happens to be loaded."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "audit",
    "fixtures",
    "steps",
    "simulator",
    "realstack",
    "processes",
    "benchmarks",
    "tests",
)


def imported_packages(package: str) -> set[str]:
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found |= {name.split(".")[0] for name in names} & set(PACKAGES)
    return found - {package}


def loops(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every path that comes back to where it started."""
    found = []

    def follow(path: list[str]) -> None:
        for nxt in sorted(graph[path[-1]]):
            if nxt == path[0]:
                found.append([*path, nxt])
            elif nxt not in path and nxt > path[0]:
                follow([*path, nxt])

    for start in sorted(graph):
        follow([start])
    return found


def test_no_loop_between_the_projects_packages() -> None:
    graph = {package: imported_packages(package) for package in PACKAGES}
    assert loops(graph) == [], graph


def test_a_loop_is_found() -> None:
    assert loops({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert loops({"a": {"b"}, "b": set()}) == []
