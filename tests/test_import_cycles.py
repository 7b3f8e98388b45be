"""No import cycles: between modules, and between saidwho's subpackages (top-level modules
such as ``engine`` count as units of their own).

Imports are read with ``ast`` from every file under ``src/saidwho``, those inside functions
included (an import deferred to call time still ties the two modules together); only imports
under ``if TYPE_CHECKING:`` are left out, since they never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
ROOT = "saidwho"

#: Cycles between subpackages that are known and not yet broken. The one left: the trainers in
#: ``learn`` (``train*.py``, ``crossfit.py``, ``build_clusters.py``) import the engine, the
#: evaluation and the pipeline stages they train, while those import ``learn``'s runtime models;
#: it goes when the trainers move to a package of their own (docs/performance.md, "Import
#: structure"). ``ingest`` lies on it only through the evaluation, which reads real pages as
#: ingest does. The test fails on any other cycle, and on this one once it is gone.
KNOWN_UNIT_CYCLES: list[frozenset[str]] = [frozenset({"engine", "eval", "ingest", "learn", "pipeline"})]
#: The modules that make the known cycle: without them, no subpackage cycle at all.
TRAINERS = ("saidwho.learn.train", "saidwho.learn.crossfit", "saidwho.learn.build_clusters", "saidwho.learn.convert_models")


def module_names() -> dict[str, Path]:
    out = {}
    for path in sorted((SRC / ROOT).rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST):
    """Import nodes, leaving out the bodies of ``if TYPE_CHECKING:``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def import_graph() -> dict[str, set[str]]:
    """``module -> modules of saidwho it imports`` (a package stands for its ``__init__``)."""
    mods = module_names()
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for mod, path in mods.items():
        is_pkg = path.name == "__init__.py"
        package = mod if is_pkg else mod.rpartition(".")[0]
        for node in _imports(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - node.level + 1]
                    stem = ".".join(base + ([node.module] if node.module else []))
                else:
                    stem = node.module or ""
                # "from . import x" / "from .pkg import mod": the submodule itself; the
                # package when a name is not a submodule (defined in its __init__)
                subs = [f"{stem}.{a.name}" for a in node.names if f"{stem}.{a.name}" in mods]
                targets = subs + ([stem] if len(subs) < len(node.names) else [])
            for t in targets:
                while t and t not in mods:  # "saidwho.x.y.Name" -> the module that defines it
                    t = t.rpartition(".")[0]
                if t and t != mod and t.startswith(ROOT):
                    graph[mod].add(t)
    return graph


def unit_of(mod: str) -> str:
    """The subpackage (or top-level module) a module belongs to: ``saidwho.store.base`` ->
    ``store``, ``saidwho.engine`` -> ``engine``; ``saidwho`` itself -> ``saidwho``."""
    parts = mod.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def unit_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for mod, deps in graph.items():
        u = unit_of(mod)
        out.setdefault(u, set())
        for d in deps:
            # the package's own __init__ re-exports (``import saidwho``) are left out: every
            # module is inside it
            if d != ROOT and unit_of(d) != u:
                out[u].add(unit_of(d))
    return out


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components with more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on: set[str] = set()
    stack: list[str] = []
    out: list[frozenset[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on.add(start)
        while work:
            node, it = work[-1]
            nxt = next(it, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on.add(nxt)
                    work.append((nxt, iter(sorted(graph.get(nxt, ())))))
                elif nxt in on:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = set()
                while True:
                    x = stack.pop()
                    on.discard(x)
                    comp.add(x)
                    if x == node:
                        break
                if len(comp) > 1:
                    out.append(frozenset(comp))
    return out


def test_the_checker_finds_a_cycle_and_resolves_relative_imports(tmp_path):
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [frozenset("abc")]
    assert cycles({"a": {"b"}, "b": set()}) == []
    graph = import_graph()
    assert "saidwho.pipeline.extraction" in graph["saidwho.pipeline.attribute"]  # from .extraction import
    assert "saidwho.errors" in graph["saidwho.engine"]


def test_no_module_imports_itself_back():
    found = cycles(import_graph())
    assert found == [], "module import cycles: " + "; ".join(" <-> ".join(sorted(c)) for c in found)


def test_no_subpackage_cycle_beyond_the_known_ones():
    found = cycles(unit_graph(import_graph()))
    new = [c for c in found if not any(c <= k for k in KNOWN_UNIT_CYCLES)]
    assert new == [], "new subpackage import cycles: " + "; ".join(" -> ".join(sorted(c)) for c in new)
    gone = [k for k in KNOWN_UNIT_CYCLES if not any(k & c == k for c in found)]
    assert gone == [], f"cycles broken since: take them off KNOWN_UNIT_CYCLES: {gone}"


def test_the_runtime_code_has_no_subpackage_cycle():
    """The known cycle is the trainers' alone: the code that analyses text has none."""
    graph = {m: deps for m, deps in import_graph().items() if not m.startswith(TRAINERS)}
    found = cycles(unit_graph(graph))
    assert found == [], "subpackage import cycles in runtime code: " + "; ".join(" -> ".join(sorted(c)) for c in found)
