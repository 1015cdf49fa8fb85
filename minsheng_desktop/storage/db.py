"""Opening the database: pragmas, migrations, refusing newer files, and all-or-nothing transactions.

One way in: ``Database`` holds one SQLite connection (``conn``) and, made on first use, one
``sqlite_utils.Database`` over that same connection (``db``), so both are always in the same transaction
(sqlite-utils 4 nests its writes in savepoints and never commits the caller's transaction). The rule:

* **sqlite-utils declares and changes the schema**: the tables and indexes from version 2 on (``create``,
  ``add_column``, ``create_index``), and migrations, one step per version, each in ``transaction()`` — a step
  that reshapes a table calls ``table.transform()``, so ``migrate()`` runs the steps with foreign keys off and
  checks them before each commit, as SQLite documents for changing a table. Also table introspection
  (``db.table_names()``). What it cannot declare is SQL in the step itself (version 1's CHECK and table-level
  UNIQUE constraints).
* **Rows are read and written in SQL on ``conn``**, in every module of storage/: reads through ``query()`` or
  ``conn.execute``, single rows with ``conn.execute``, many rows with one ``conn.executemany`` per statement (an
  imported or loaded list's projects, units and indicators in ``repo.save_list``, many reports in
  ``reports.bulk_insert``), all inside ``transaction()``.

Why rows do not go through sqlite-utils (measured, docs/performance.md "sqlite-utils in storage"): its
``insert_all``/``upsert_all`` pass every value through a Python conversion (``jsonify_if_needed``) and build
multi-row statements in Python — 12,000 reports took 1.5-1.8x as long as ``executemany`` whichever record mode or
``batch_size``, and a 2,000-project ``save_list`` 1.6-2x as long. And importing sqlite-utils costs 110-140 ms (it
imports numpy, which is installed for OpenCV), more than all of our own imports at window start: with rows in SQL
only a new file or an old one being migrated imports it; opening, reading, saving a report, importing a list into
an existing file, loading and the outbox never do (tests/test_storage_api.py, tests/test_save_reports.py).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from ..paths import backup_dir
from .schema import LATEST_VERSION, MIGRATIONS, over_connection


class StoreError(Exception):
    """A database problem the clerk must be told about, in one Chinese line."""


class NewerDatabaseError(StoreError):
    pass


class DamagedDatabaseError(StoreError):
    pass


class MigrationError(StoreError):
    pass


def now_iso() -> str:
    return dt.datetime.now().astimezone().replace(microsecond=0).isoformat()


class Database:
    """One SQLite file. Writes go through ``transaction()``; nothing else commits."""

    def __init__(self, path: str | os.PathLike[str], *, migrate: bool = True) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(str(path), isolation_level=None, timeout=5.0, check_same_thread=True)
        except sqlite3.Error as exc:
            raise StoreError(f"无法打开数据库“{path}”：{exc}。请检查文件夹是否可写。") from None
        self.conn = conn
        self._utils = None
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA busy_timeout = 5000")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise DamagedDatabaseError(
                f"数据库文件“{path}”已损坏或不是本程序的数据库（{exc}）：请从备份恢复（minsheng restore）。"
            ) from None
        if version > LATEST_VERSION:  # checked before anything (even WAL mode) touches the file
            conn.close()
            raise NewerDatabaseError(
                f"数据库“{path}”由更新版本的程序创建（数据版本 {version}，本程序支持到 {LATEST_VERSION}）："
                "请安装新版本后再打开；文件未作任何改动。"
            )
        if str(path) != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        self.version = version
        if migrate and version < LATEST_VERSION:
            self.migrate()

    @property
    def db(self):  # type: ignore[no-untyped-def]
        """The same connection through sqlite-utils: schema changes and table introspection, never rows.

        Made on first use (sqlite-utils costs ~110 ms to import: see the top of this module)."""
        if self._utils is None:
            self._utils = over_connection(self.conn)
        return self._utils

    def query(self, sql: str, params: Sequence[object] = ()) -> Iterator[dict]:
        """Rows as dicts, for the hot read paths (start-up, tree, exports)."""
        cur = self.conn.execute(sql, tuple(params))
        names = [d[0] for d in cur.description or ()]
        for row in cur:
            yield dict(zip(names, row))

    # ------------------------------------------------------------ transactions
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT; any exception rolls everything back."""
        conn = self.conn
        if conn.in_transaction:  # nested use joins the outer transaction
            yield conn
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreError("数据库正被另一个程序窗口使用，暂时无法保存：请关闭另一个窗口后重试。") from None
            raise
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            try:
                conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                conn.execute("ROLLBACK") if conn.in_transaction else None
                if "full" in str(exc).lower():
                    raise StoreError("磁盘已满，保存失败：请清理磁盘空间后重试，已有数据未受影响。") from None
                raise

    def migrate(self) -> None:
        """Bring the file up to LATEST_VERSION, one step per transaction (a new file in a single one).

        Foreign keys are off while the steps run (a step may rebuild a table with ``table.transform()``, and
        dropping the old table must not cascade into the rows that refer to it); each transaction checks them
        before it commits, and they are on again afterwards."""
        conn = self.conn
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version >= 1 and str(self.path) != ":memory:":
            # Keep the file as it was before changing its shape; a failed step leaves it untouched anyway.
            folder = backup_dir(self.path)
            folder.mkdir(parents=True, exist_ok=True)
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            self.backup_to(folder / f"minsheng-{stamp}-before-migration-v{version}.db")
        # A new file takes every step in one transaction (one sync to disk instead of one per version).
        batches = [range(1, LATEST_VERSION + 1)] if version == 0 else \
            [range(v, v + 1) for v in range(version + 1, LATEST_VERSION + 1)]
        conn.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction: set before each one begins
        try:
            for steps in batches:
                with self.transaction():
                    for v in steps:
                        MIGRATIONS[v](conn)
                    broken = conn.execute("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise MigrationError(
                            f"数据库“{self.path}”升级到数据版本 {steps[-1]} 时发现 {len(broken)} 处数据关联错误"
                            f"（表 {broken[0][0]}）：这一步已撤销，升级前的副本在备份文件夹中。请联系维护人员。"
                        )
                    conn.execute(f"PRAGMA user_version = {steps[-1]}")
                self.version = steps[-1]
        finally:
            conn.execute("PRAGMA foreign_keys = ON")

    def backup_to(self, target: str | os.PathLike[str]) -> None:
        """A consistent copy through SQLite's backup API, written to a temporary name and renamed."""
        target = Path(target)
        tmp = target.with_name(target.name + ".tmp")
        if tmp.exists():
            tmp.unlink()
        dest = sqlite3.connect(str(tmp))
        try:
            self.conn.backup(dest)
        finally:
            dest.close()
        os.replace(tmp, target)

    def quick_check(self) -> list[str]:
        """PRAGMA quick_check's lines (["ok"] when sound); a file too damaged to check gives SQLite's error."""
        try:
            return [r[0] for r in self.conn.execute("PRAGMA quick_check")]
        except sqlite3.DatabaseError as exc:
            return [str(exc)]

    def close(self) -> None:
        try:
            self.conn.close()
        except sqlite3.Error:
            pass

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
