"""Backups (when, where, how many kept), restoring with the current file set aside, and integrity checks in words.

The copying and checking of files with SQLite's tools is storage/backup.py's."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from ..paths import backup_dir
from ..storage.backup import CopyError, check_file, copy_database, copy_database_file, data_version
from ..storage.db import Database
from ..storage.repo import get_setting, has_target_lists, set_setting
from ..storage.schema import LATEST_VERSION


class BackupError(Exception):
    pass


def make_backup(db: Database, out: Path | None = None, *, reason: str = "manual", keep: int = 10,
                force: bool = False) -> Path:
    """A consistent copy of the open database; automatic ones keep only the newest ``keep``."""
    if out is None:
        folder = backup_dir(db.path)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        out = folder / f"minsheng-{stamp}-{reason}.db"
        k = 1
        while out.exists():
            k += 1
            out = folder / f"minsheng-{stamp}-{reason}-{k}.db"
    elif out.exists() and not force:
        raise BackupError(f"备份文件“{out}”已存在：如需覆盖请加 --force，或换一个文件名。")
    try:
        copy_database(db, out)
    except CopyError as exc:
        raise BackupError(f"备份失败（{exc}）：请检查磁盘空间和文件夹权限。") from None
    if reason != "manual":
        _prune(out.parent, keep)
    return out


def auto_backup(db: Database, reason: str) -> Path | None:
    """An automatic backup (before an import, a restore; once a day), keeping the newest N (setting)."""
    if str(db.path) == ":memory:":
        return None
    if not has_target_lists(db):
        return None  # nothing to lose yet
    try:
        keep = int(get_setting(db, "backup_keep", "10") or 10)
    except ValueError:
        keep = 10
    return make_backup(db, reason=reason, keep=keep)


def daily_backup(db: Database, today: dt.date | None = None) -> Path | None:
    """The first start of each day makes a backup."""
    day = (today or dt.date.today()).isoformat()
    if get_setting(db, "last_daily_backup") == day:
        return None
    out = auto_backup(db, "daily")
    if out is not None:
        set_setting(db, "last_daily_backup", day)
    return out


def list_backups(db_path: Path) -> list[Path]:
    """Backups of this database, newest first."""
    folder = backup_dir(db_path)
    return sorted(folder.glob("minsheng-*.db"), key=lambda p: p.stat().st_mtime, reverse=True) if folder.exists() else []


def newest_good_backup(db_path: Path) -> Path | None:
    for candidate in list_backups(db_path):
        if not check_database(candidate):
            return candidate
    return None


def _prune(folder: Path, keep: int) -> None:
    auto = sorted((p for p in folder.glob("minsheng-*.db") if "-manual" not in p.stem),
                  key=lambda p: p.stat().st_mtime)
    for old in auto[:-keep] if keep > 0 else []:
        try:
            old.unlink()
        except OSError:
            pass


def check_database(path: Path) -> list[str]:
    """Integrity and foreign-key checks; each problem as one Chinese line (empty when all is well)."""
    if not path.exists():
        return [f"找不到数据库“{path}”。"]
    check = check_file(path)
    problems: list[str] = []
    if check.integrity != ("ok",):
        problems += [f"完整性检查发现问题：{r}" for r in check.integrity[:20]]
    for table, rowid, parent in check.broken_references:
        problems.append(f"外键错误：表 {table} 第 {rowid} 行引用的 {parent} 记录不存在。")
    if check.error is not None:
        problems.append(f"数据库文件已损坏或不是本程序的数据库（{check.error}）：请用 minsheng restore 从备份恢复。")
    return problems


def restore_backup(db_path: Path, backup: Path) -> Path:
    """Put a backup in place; the current database is moved aside first. Returns where it went."""
    if not backup.exists():
        raise BackupError(f"找不到备份文件“{backup}”。")
    problems = check_database(backup)
    if problems:
        raise BackupError(f"备份文件“{backup.name}”本身有问题，未恢复：{problems[0]}")
    if data_version(backup) > LATEST_VERSION:
        raise BackupError(f"备份文件“{backup.name}”由更新版本的程序创建，本程序无法使用：请安装新版本后再恢复。")
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = db_path.with_name(f"{db_path.stem}-before-restore-{stamp}{db_path.suffix}")
    tmp = db_path.with_name(db_path.name + ".restore.tmp")
    shutil.copyfile(backup, tmp)
    if db_path.exists():
        copy_database_file(db_path, aside)
    for suffix in ("-wal", "-shm"):
        side = Path(str(db_path) + suffix)
        if side.exists():
            side.unlink()
    os.replace(tmp, db_path)
    return aside
