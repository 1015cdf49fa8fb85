"""Issue 14 ("imports inside functions"): an import belongs at the top of its module. One inside a function is
allowed only where it must wait — start-up time of the window or the command line, a heavy library only some
paths need, an import cycle — and then says so in a comment on its line or the line above it ("# deferred: …").
Every module of the package is scanned afresh, so a new one is held too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "minsheng_desktop"
MODULES = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py"))


def silent_deferrals(source: str) -> list[str]:
    """Each import inside a function with no comment on its line or the line above, as "line: text"."""
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, (ast.Import, ast.ImportFrom)):
                here = lines[inner.lineno - 1]
                above = lines[inner.lineno - 2] if inner.lineno > 1 else ""
                if "#" not in here and not above.strip().startswith("#") and "#" not in above.partition("import")[2]:
                    found.append(f"{inner.lineno}: {here.strip()}")
    return sorted(set(found), key=lambda s: int(s.split(":")[0]))


@pytest.mark.parametrize("module", MODULES)
def test_an_import_inside_a_function_says_why(module: str) -> None:
    found = silent_deferrals((PACKAGE / module).read_text(encoding="utf-8"))
    assert found == [], (f"{module}: move these imports to the top of the module, or say why they wait "
                         "(# deferred: …):\n" + "\n".join(found))


def test_the_scan_bites() -> None:
    src = ("import os\n"
           "def f():\n    import json\n    return json\n"
           "def g():\n    import re  # deferred: a reason\n"
           "def h():\n    # deferred: a reason above\n    from pathlib import Path\n")
    assert silent_deferrals(src) == ["3: import json"]
