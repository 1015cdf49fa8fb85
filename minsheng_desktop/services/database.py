"""The database handle the window and the command line hold, how to open it (checked for damage, or as a second
connection), and choosing a target list.

The interfaces keep a ``Database`` and pass it to the use cases; they never query it themselves."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from ..paths import default_db_path
from ..storage.db import DamagedDatabaseError, Database, NewerDatabaseError, StoreError
from ..storage.repo import SelectionError, select_list

__all__ = ["DamagedDatabaseError", "Database", "NewerDatabaseError", "SelectionError", "StoreError",
           "open_checked", "open_database", "open_existing", "quick_problem", "select_list"]


def open_database(path: str | os.PathLike[str] | None = None) -> Database:
    return Database(Path(path) if path else default_db_path())


def open_existing(path: str | os.PathLike[str]) -> Database:
    """Another connection to a database this process has opened already (a worker's own): no migration."""
    return Database(path, migrate=False)


def open_checked(path: str | os.PathLike[str], *, check: bool = True) -> Database:
    """Open (and migrate) the database, then a quick integrity check: a damaged file raises DamagedDatabaseError.

    ``check=False`` leaves the integrity check to the caller (the window runs it in the background on a large
    file, with quick_problem): opening still fails at once on a file that is not a database at all."""
    try:
        db = Database(path)
    except sqlite3.DatabaseError as exc:  # e.g. a truncated file found while migrating
        raise DamagedDatabaseError(f"数据库文件“{path}”已损坏（{exc}）。") from None
    problem = quick_problem(db) if check else None
    if problem is not None:
        db.close()
        raise DamagedDatabaseError(problem)
    return db


def quick_problem(db: Database) -> str | None:
    """PRAGMA quick_check: None when the file is sound, else the Chinese line saying it is damaged."""
    rows = db.quick_check()
    return None if rows == ["ok"] else f"数据库文件“{db.path}”已损坏（{rows[0]}）。"
