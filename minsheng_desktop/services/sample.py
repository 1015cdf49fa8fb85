"""The sample data (示例数据): the 武隆区 2023 list with four months of reports, shipped with the program
(sample/wulong-2023.json, made by scripts/build_sample.py) and opened in a database of its own, so that a
newcomer can see the whole program in one click and nothing of it ever mixes with the clerk's data.

The sample database is recreated from the shipped file each time it is opened: what was typed into it last time
is gone, and the clerk's database is never read or written here."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

from ..paths import data_dir
from ..storage.db import Database, StoreError

SAMPLE_FILE = Path(__file__).resolve().parent.parent / "sample" / "wulong-2023.json"
SAMPLE_NAME = "示例数据"  # the title bar says so while it is open
SAMPLE_TODAY = date(2023, 12, 20)  # the sample is seen as on this day: December due, three projects unfilled


def sample_db_path() -> Path:
    """Where the sample database lives: a folder of its own in the program's data folder (its backups, should
    anyone make one there, never land beside the clerk's)."""
    return data_dir() / SAMPLE_NAME / f"{SAMPLE_NAME}.sqlite"


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def is_sample(db_path: str | os.PathLike[str]) -> bool:
    return _same_file(Path(db_path), sample_db_path())


def create_sample(path: Path | None = None, *, clerk_db: Path | None = None) -> Path:
    """(Re)create the sample database at ``path`` (default: sample_db_path()) from the shipped file; returns
    its path. Refuses a path that is the clerk's own database (``clerk_db``)."""
    from . import dump  # deferred: the window imports this module at start for SAMPLE_NAME

    path = path or sample_db_path()
    if clerk_db is not None and _same_file(path, clerk_db):
        raise StoreError("示例数据不能写入您自己的数据库文件。")
    try:
        data = json.loads(SAMPLE_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(f"找不到程序附带的示例数据（{exc}）：请重新安装程序。") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    db = Database(path)
    try:
        dump.load(db, data, source=SAMPLE_FILE.name)
    finally:
        db.close()
    return path
