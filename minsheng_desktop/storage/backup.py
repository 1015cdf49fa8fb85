"""Database files as files, with SQLite's own tools: a consistent copy (the backup API), the integrity and
foreign-key checks of a file, and the data version a file was written with. The use cases (when to back up,
pruning, restore with the current file set aside) are services/backup.py's."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .db import Database


class CopyError(Exception):
    """A copy could not be written (the disk, the folder, or SQLite); the text is the cause."""


@dataclass(frozen=True)
class FileCheck:
    """What SQLite says of a database file, read without changing it."""

    integrity: tuple[str, ...]  # PRAGMA integrity_check's lines, ("ok",) when sound; () when it could not run
    broken_references: tuple[tuple[str, int, str], ...]  # (table, rowid, parent table) of each foreign-key error
    error: str | None = None  # SQLite's message when the file could not be read (to the end) as a database


def copy_database(db: Database, target: Path) -> None:
    """A consistent copy of an open database, written to a temporary name and renamed."""
    try:
        db.backup_to(target)
    except (OSError, sqlite3.Error) as exc:
        raise CopyError(str(exc)) from exc


def copy_database_file(path: Path, target: Path) -> None:
    """A consistent copy of the database file at ``path``, opened only for the copy (never migrated)."""
    src = Database(path, migrate=False)
    try:
        src.backup_to(target)
    finally:
        src.close()


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def check_file(path: Path) -> FileCheck:
    """Integrity and foreign-key checks of a file, read-only; what was read before a failure is kept."""
    integrity: list[str] = []
    broken: list[tuple[str, int, str]] = []
    try:
        conn = _read_only(path)
        try:
            integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
                broken.append((table, rowid, parent))
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return FileCheck(tuple(integrity), tuple(broken), str(exc))
    return FileCheck(tuple(integrity), tuple(broken))


def data_version(path: Path) -> int:
    """The data version (PRAGMA user_version) a database file was written with, read-only."""
    conn = _read_only(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()
