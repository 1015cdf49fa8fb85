"""Issue 14: all SQL lives in minsheng_desktop/storage/.

Every module outside storage/ — each one there is, found afresh on every run, so a new module is held too — must
not run SQL itself: no ``.execute(`` / ``.executemany(`` / ``.executescript(`` / ``.query(`` call and no
``sqlite3.connect``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "minsheng_desktop"

OUTSIDE_STORAGE = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                         if not p.is_relative_to(PACKAGE / "storage"))

SQL_METHODS = {"execute", "executemany", "executescript", "query"}


def sql_calls(source: str) -> list[str]:
    """Each SQL-running call in the source, as "line: text"."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        attr = node.func.attr
        owner = node.func.value
        if attr in SQL_METHODS or (attr == "connect" and isinstance(owner, ast.Name) and owner.id == "sqlite3"):
            found.append(f"{node.lineno}: {ast.unparse(node.func)}(…)")
    return found


@pytest.mark.parametrize("module", OUTSIDE_STORAGE)
def test_no_sql_outside_storage(module: str) -> None:
    path = PACKAGE / module
    assert not path.is_relative_to(PACKAGE / "storage")
    calls = sql_calls(path.read_text(encoding="utf-8"))
    assert calls == [], f"{module} runs SQL itself; move it into minsheng_desktop/storage/:\n" + "\n".join(calls)


def test_every_layer_is_scanned() -> None:
    tops = {m.split("/")[0] for m in OUTSIDE_STORAGE}
    assert {"gui", "services", "cli", "importers", "exporters", "mail", "domain", "fileio.py"} <= tops


def test_the_scan_bites() -> None:
    src = ('db.conn.execute("SELECT 1")\nconn.executemany("x", [])\ndb.db.query("SELECT 1")\n'
           'c.executescript("x")\nsqlite3.connect("f")\nprint("execute(")\n')
    assert [c.split(":")[0] for c in sql_calls(src)] == ["1", "2", "3", "4", "5"]
