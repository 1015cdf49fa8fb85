"""Opening the clerk's database for the window: one window per database (a lock file), a damaged file offered
its newest good backup (only if the clerk agrees), a newer-version file refused and left untouched."""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtWidgets import QWidget

from ..services.database import (
    DamagedDatabaseError, Database, NewerDatabaseError, StoreError, open_checked, open_existing, quick_problem,
)
from . import dialogs

log = logging.getLogger("minsheng.gui")

IN_USE = "数据库已在另一个窗口中打开：请切换到那个窗口继续工作（本窗口将关闭，数据不受影响）。"


class DatabaseInUse(StoreError):
    """Another window (this or another copy of the program) has the database open."""


def lock_path(db_path: Path) -> Path:
    return Path(str(db_path) + ".lock")


def lock_database(db_path: Path) -> QLockFile:
    """``<db>.lock`` beside the database, held while the window is open. A lock left by a crashed program
    (its process is gone) is taken over; a live one refuses with DatabaseInUse."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(lock_path(db_path)))
    lock.setStaleLockTime(0)  # never call a live window's lock stale because it is old
    if not lock.tryLock(100):
        if lock.error() == QLockFile.LockError.LockFailedError:
            raise DatabaseInUse(IN_USE)
        raise StoreError(f"无法在“{db_path.parent}”中建立锁文件：请检查该文件夹是否可写。")
    return lock


def set_aside(db_path: Path, why: str = "damaged") -> Path:
    """Move the database (and its -wal/-shm) to <stem>-damaged-<time>.db beside it; nothing is deleted."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = db_path.with_name(f"{db_path.stem}-{why}-{stamp}{db_path.suffix}")
    os.replace(db_path, aside)
    for suffix in ("-wal", "-shm"):
        side = Path(str(db_path) + suffix)
        if side.exists():
            os.replace(side, Path(str(aside) + suffix))
    return aside


# Files larger than this get their PRAGMA quick_check (0.8 s for a 60 MB city-scale file) and the daily backup
# in the background, after the window is shown; a smaller one (a clerk's own lists) is checked before.
BACKGROUND_CHECK_BYTES = 4 * 1024 * 1024


def check_in_background(db_path: Path) -> bool:
    try:
        return db_path.stat().st_size > BACKGROUND_CHECK_BYTES
    except OSError:
        return False


def open_database(parent: QWidget | None, db_path: Path, check: bool = True) -> Database:
    """The database, checked (unless ``check`` is False: the caller checks it later, see background_check).
    Raises StoreError (with the Chinese message) when it cannot be used."""
    try:
        return open_checked(db_path, check=check)
    except NewerDatabaseError:
        raise  # refused and left exactly as it is
    except DamagedDatabaseError as exc:
        problem = str(exc)
    return offer_backup(parent, db_path, problem)


def offer_backup(parent: QWidget | None, db_path: Path, problem: str) -> Database:
    """A damaged file: offer the newest good backup; on yes set the file aside and restore, else refuse."""
    from ..services import backup  # deferred: only for a damaged file (see daily_backup_job)

    log.warning("damaged database on opening")
    good = backup.newest_good_backup(db_path)
    if good is None:
        raise DamagedDatabaseError(f"{problem}\n\n没有找到可用的备份。文件未作改动；请联系技术人员，"
                                   f"或用 minsheng check 查看详情。")
    from .backup_dialog import describe  # deferred: the backups dialog's module, only for a damaged file

    when, why = describe(good)
    if not dialogs.ask(parent, "数据库已损坏",
                       f"{problem}\n\n找到一份完好的备份：{when}（{why}）。\n要用它恢复吗？\n\n"
                       "损坏的数据库会改名另存在原文件夹中，不会删除；备份之后填写的内容需要重新填写。"):
        raise DamagedDatabaseError(f"{problem}\n\n您选择了不恢复：文件未作改动，程序将关闭。")
    aside = set_aside(db_path)
    try:
        backup.restore_backup(db_path, good)
    except backup.BackupError as err:
        raise StoreError(f"{err}\n损坏的数据库已另存为：{aside}") from None
    db = open_checked(db_path)
    dialogs.show_info(parent, "已从备份恢复", f"已用 {when} 的备份恢复数据库。\n损坏的文件另存为：{aside}")
    return db


class _CheckSignals(QObject):
    done = Signal(object)  # the problem (str) or None; emitted from the checking thread, received in the GUI's


class BackgroundCheck:
    """PRAGMA quick_check of a large file on a daemon thread with its own connection (0.8 s on a 60 MB file).

    It only reads, so closing the window does not wait for it (the process may end while it runs); the
    daily backup that follows a sound check is an ordinary task, which closing does wait for."""

    def __init__(self, db_path: Path, on_done) -> None:  # type: ignore[no-untyped-def]
        self.db_path = db_path
        self.signals = _CheckSignals()
        self.signals.done.connect(on_done)
        self.thread = threading.Thread(target=self._run, name="minsheng-quick-check", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def _run(self) -> None:
        try:
            db = open_existing(self.db_path)
        except StoreError as exc:
            self.signals.done.emit(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - told to the clerk as a damaged file
            self.signals.done.emit(f"数据库文件“{self.db_path}”无法检查（{exc}）。")
            return
        try:
            problem = quick_problem(db)
        finally:
            db.close()
        self.signals.done.emit(problem)


def daily_backup_job(db_path: Path):  # type: ignore[no-untyped-def]
    """A tasks.run_task job: today's backup on the worker's own connection; returns an error line or None."""
    # deferred: a large file's backup runs after the first paint; the city-scale start (docs/performance.md)
    # does not load services.backup
    from ..services import backup

    def job(_progress, _cancel):  # type: ignore[no-untyped-def]
        with open_existing(db_path) as db:
            try:
                backup.daily_backup(db)
            except (backup.BackupError, OSError) as exc:
                return str(exc)
        return None

    return job
