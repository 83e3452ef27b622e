"""The layer rule of docs/architecture.md, checked on the code: a module imports only from its
own package and from lower layers, never from a higher one or a sibling of its own layer.

The one exception is a lazy import of an optional dependency inside a function, marked with a
``# lazy: <reason>`` comment on the import line or the line above it. ``TYPE_CHECKING``
imports count like any other: a type from a higher layer is still a dependency on it.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kaifang"
ARCHITECTURE = PACKAGE.parent / "docs" / "architecture.md"

# Lowest first. A module may import from its own package and from any package in a lower
# layer; packages of one layer do not import each other. Top-level modules count as packages.
LAYERS: list[tuple[str, set[str]]] = [
    ("errors", {"kaifang", "errors"}),
    ("base", {"settings", "sqlutil", "jsonable", "cron"}),
    ("libraries", {"reading", "openness", "keys"}),
    ("privacy", {"privacy"}),
    ("storage", {"storage"}),
    ("catalog", {"catalog"}),
    ("query", {"query", "scoring", "export"}),
    ("publish", {"publish"}),
    ("changes", {"diff"}),
    ("sources", {"sources", "harvest", "notify"}),
    ("service", {"service", "demo"}),
    ("interfaces", {"api", "web"}),
    ("application", {"app"}),
    ("server", {"server"}),
    ("cli", {"cli"}),
    ("entry point", {"__main__"}),
]
RANK = {package: rank for rank, (_name, packages) in enumerate(LAYERS) for package in packages}

# Imports that break the rule, each with why it is here and who removes it (a stale entry
# fails below).
ALLOWED: dict[tuple[str, str], str] = {
    # (importing module, imported module): reason. Empty: every import keeps the rule.
}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, dotted
    target: str  # the imported module, dotted
    line: int
    lazy: bool  # inside a function, with a '# lazy: <reason>' comment


def _module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join([*base, node.module] if node.module else base)


def _lazy_comment(lines: list[str], line: int) -> bool:
    here = lines[line - 1]
    above = lines[line - 2].strip() if line >= 2 else ""
    return "# lazy: " in here or above.startswith("# lazy: ")


def imports_of(path: Path, root: Path = PACKAGE) -> list[Import]:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    module = _module_name(path, root)
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            targets: list[str] = []
            if isinstance(child, ast.Import):
                targets = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom):
                target = _resolve(module, path.name == "__init__.py", child)
                # 'from kaifang import x' imports the module kaifang.x when there is one
                targets = [
                    f"{target}.{alias.name}" if target == "kaifang" else target
                    for alias in child.names
                ]
            for target in targets:
                if target == "kaifang" or target.startswith("kaifang."):
                    lazy = in_function and _lazy_comment(lines, child.lineno)
                    found.append(Import(module, target, child.lineno, lazy))
            visit(child, nested)

    visit(ast.parse(text, filename=str(path)), False)
    return found


def _package(dotted: str) -> str:
    parts = dotted.split(".")
    if len(parts) == 1:
        return "kaifang"
    return parts[1] if parts[1] in RANK else "kaifang"  # 'kaifang.__version__' and the like


def violations(root: Path = PACKAGE) -> dict[tuple[str, str], Import]:
    found: dict[tuple[str, str], Import] = {}
    for path in sorted(root.rglob("*.py")):
        for imp in imports_of(path, root):
            own, other = _package(imp.module), _package(imp.target)
            if own == other or imp.lazy:
                continue
            if RANK[other] >= RANK[own]:
                found.setdefault((imp.module, imp.target), imp)
    return found


def test_the_check_finds_upward_and_sibling_imports_and_honours_lazy(tmp_path: Path) -> None:
    root = tmp_path / "kaifang"
    for name, text in {
        "storage/__init__.py": "from kaifang.catalog import db\n",  # upward
        "catalog/__init__.py": "from kaifang.storage import store\nfrom . import db\n",
        "catalog/db.py": "from ..query import run_sql\n",  # upward, relative
        "api/__init__.py": "from kaifang.web import pages\n",  # sibling
        "web/__init__.py": "from kaifang import service\n",
        "query/__init__.py": (
            "def spark():\n"
            "    # lazy: Spark is optional\n"
            "    from kaifang.sources import x\n"
            "def other():\n"
            "    from kaifang.service import y\n"  # inside a function, but no reason given
        ),
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    assert sorted(violations(root)) == [
        ("kaifang.api", "kaifang.web"),
        ("kaifang.catalog.db", "kaifang.query"),
        ("kaifang.query", "kaifang.service"),
        ("kaifang.storage", "kaifang.catalog"),
    ]


def test_the_docs_draw_the_same_layers() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    block = text.split("## Layers", 1)[1].split("```", 2)[1]
    drawn: list[tuple[str, set[str]]] = []
    for line in block.strip().splitlines()[::-1]:  # the docs draw the highest layer first
        match = re.match(r"^(\S+(?: \S+)?)\s{2,}(.+?)(?:\s{2,}.*)?$", line)
        assert match, f"docs/architecture.md: cannot read the layer line {line!r}"
        names = {n.strip().removesuffix("/__init__") for n in re.split(r"[,│]", match[2])}
        drawn.append((match[1], names))
    assert drawn == LAYERS, "docs/architecture.md and LAYERS here must say the same"


def test_every_package_has_a_layer() -> None:
    packages = {
        p.stem if p.is_file() else p.name
        for p in PACKAGE.iterdir()
        if (p.is_dir() and (p / "__init__.py").exists()) or (p.suffix == ".py")
    } - {"__init__"}
    assert packages - set(RANK) == set(), "add the new package to LAYERS and the docs' drawing"


def test_no_module_imports_from_a_higher_layer() -> None:
    unexpected = [
        f"{imp.module} (line {imp.line}) imports {imp.target}: "
        f"{LAYERS[RANK[_package(imp.module)]][0]} may not import "
        f"{LAYERS[RANK[_package(imp.target)]][0]}"
        for key, imp in violations().items()
        if key not in ALLOWED
    ]
    assert unexpected == [], (
        "move the code down to the layer it needs, or pass the higher layer's object in; "
        "a lazy optional-dependency import inside a function needs '# lazy: <reason>':\n"
        + "\n".join(unexpected)
    )


def test_the_allowlist_holds_only_live_violations() -> None:
    stale = sorted(set(ALLOWED) - set(violations()))
    assert stale == [], f"these imports are gone or now allowed; remove them from ALLOWED: {stale}"


HTTP_LAYERS = ("api", "web")
REACHING_PAST = {"catalog", "store", "engine", "sql_engine", "page_engine", "resolver", "runner"}
"""Attributes of the service that are its own parts: routes and pages call its methods."""


@pytest.mark.parametrize("layer", HTTP_LAYERS)
def test_routes_and_pages_go_through_the_service(layer: str) -> None:
    problems: list[str] = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        name = _module_name(path)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in REACHING_PAST:
                problems.append(f"{name}:{node.lineno} uses .{node.attr}")
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "state"
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "app"
            ):
                problems.append(f"{name}:{node.lineno} reads app.state (use service_of)")
        for imp in imports_of(path):
            if imp.target.startswith(("kaifang.catalog.db", "kaifang.storage", "kaifang.query")):
                problems.append(f"{name}:{imp.line} imports {imp.target}")
    assert problems == [], "add a service method and call it:\n" + "\n".join(problems)
