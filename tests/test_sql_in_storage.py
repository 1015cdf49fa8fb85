"""Issue 14: all SQL lives in minsheng_desktop/storage/.

The modules listed in CLEAN have had their SQL moved into storage; they must not run SQL themselves again:
no ``.execute(`` / ``.executemany(`` / ``.executescript(`` / ``.query(`` call and no ``sqlite3.connect``.
Add a module here once its SQL has moved; never take one out.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "minsheng_desktop"

CLEAN = [
    "mail/monthly.py",
    "services/backup.py",
    "services/collect.py",
    "services/collect_read.py",
    "services/evidence.py",
    "services/mailing.py",
    "services/outbox.py",  # was mail/outbox.py
    "services/settings.py",
    "services/history.py",  # this and the next four were services/workbench.py
    "services/holidays.py",
    "services/lists.py",
    "services/month.py",
    "services/reports.py",
    "gui/main_window.py",  # the window reads through services/ (issue 14)
    "gui/window_state.py",
    "gui/controllers/month.py",
    "gui/controllers/navigation.py",
]

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


@pytest.mark.parametrize("module", CLEAN)
def test_no_sql_outside_storage(module: str) -> None:
    path = PACKAGE / module
    assert not path.is_relative_to(PACKAGE / "storage")
    calls = sql_calls(path.read_text(encoding="utf-8"))
    assert calls == [], f"{module} runs SQL itself; move it into minsheng_desktop/storage/:\n" + "\n".join(calls)


def test_the_scan_bites() -> None:
    src = ('db.conn.execute("SELECT 1")\nconn.executemany("x", [])\ndb.db.query("SELECT 1")\n'
           'c.executescript("x")\nsqlite3.connect("f")\nprint("execute(")\n')
    assert [c.split(":")[0] for c in sql_calls(src)] == ["1", "2", "3", "4", "5"]
