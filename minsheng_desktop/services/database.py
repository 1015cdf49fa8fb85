"""The database handle the window and the command line hold, how to open it, and choosing a target list.

The interfaces keep a ``Database`` and pass it to the use cases; they never query it themselves."""

from __future__ import annotations

import os
from pathlib import Path

from ..paths import default_db_path
from ..storage.db import DamagedDatabaseError, Database, NewerDatabaseError, StoreError
from ..storage.repo import SelectionError, select_list

__all__ = ["DamagedDatabaseError", "Database", "NewerDatabaseError", "SelectionError", "StoreError",
           "open_database", "select_list"]


def open_database(path: str | os.PathLike[str] | None = None) -> Database:
    return Database(Path(path) if path else default_db_path())
