"""备份与恢复: the backups dialog, restoring a backup in place of the open database, today's backup, and the
integrity check of a large file run after the window is shown (a damaged file is offered its newest good
backup).

services.backup is imported where it is used: a large file's backup is made after the first paint, and the
city-scale window start (docs/performance.md) does not load it. The backups dialog's module waits until it is
first opened."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from ...services.database import Database, open_database
from .. import dialogs, startup, tasks

if TYPE_CHECKING:
    from ..backup_dialog import BackupDialog
    from .navigation import NavigationController
    from .tools import MailController
    from .window import Window

log = logging.getLogger("minsheng.gui")


class BackupController:
    def __init__(self, window: Window, nav: NavigationController, mail: MailController) -> None:
        self.w = window
        self.nav, self.mail = nav, mail
        self.state = window.state
        self.dialog: BackupDialog | None = None
        self._check: startup.BackgroundCheck | None = None
        self._closed = False

    def close(self) -> None:
        self._closed = True

    def open_backups(self):  # type: ignore[no-untyped-def]
        from ..backup_dialog import BackupDialog  # deferred: see the module's docstring

        self.w.form.flush()
        dlg = BackupDialog(self.state.db, self.state.db_path, self.restore_database, self.w)
        self.dialog = dlg
        dlg.open()
        return dlg

    def restore_database(self, path: Path) -> bool:
        """Close the database, put the backup in place (the current file set aside), open it again."""
        from ...services import backup  # deferred: see the module's docstring

        w, db_path = self.w, self.state.db_path
        w.form.flush()
        tasks.wait_all()
        try:
            backup.auto_backup(self.state.db, "before-restore")
        except backup.BackupError as exc:
            log.warning("backup before restore failed: %s", exc)
        self.state.db.close()
        ok, text = True, ""
        try:
            aside = backup.restore_backup(db_path, path)
            text = f"已从备份恢复。恢复前的数据库已另存为：\n{aside}"
        except (backup.BackupError, OSError) as exc:
            ok, text = False, f"没有恢复：{exc}"
        finally:
            self._swap_database(open_database(db_path))
        (dialogs.show_info if ok else dialogs.show_error)(w, "从备份恢复", text)
        return ok

    def _swap_database(self, db: Database) -> None:
        w = self.w
        self.state.swap_database(db)
        w.form.db = db  # the form only keeps this reference (report_form.py is not changed for this)
        self.mail.set_database(db)
        self.nav.reload()
        self.nav.reselect()

    def daily_backup(self) -> None:
        from ...services import backup  # deferred: see the module's docstring

        try:
            out = backup.daily_backup(self.state.db)
        except (backup.BackupError, OSError) as exc:
            self.w.statusBar().showMessage(f"今天的自动备份没有成功：{exc}", 15000)
            return
        if out is not None:
            log.info("daily backup written")

    # ------------------------------------------------------------ after the window is shown
    def start_background_check(self) -> None:
        """PRAGMA quick_check of a large file (on its own thread and connection), then today's backup."""
        self._check = startup.BackgroundCheck(self.state.db_path, self._checked)
        self._check.start()

    def _checked(self, problem: str | None) -> None:
        if self._closed:
            return
        if problem is not None:
            self.database_damaged(problem)
            return
        tasks.run_task(startup.daily_backup_job(self.state.db_path), self._backup_done, self._backup_done)

    def _backup_done(self, error: object) -> None:
        if error:
            self.w.statusBar().showMessage(f"今天的自动备份没有成功：{error}", 15000)

    def database_damaged(self, problem: str) -> None:
        """The background check found the file damaged: say so and offer the newest good backup, as opening
        a damaged file does (the file is set aside, never deleted; nothing is restored without a yes)."""
        from ...services import backup  # deferred: see the module's docstring

        w = self.w
        w.form.flush()
        good = backup.newest_good_backup(self.state.db_path)
        if good is None:
            dialogs.show_error(w, "数据库已损坏", f"{problem}\n\n没有找到可用的备份。请不要继续填写，"
                                               "联系技术人员，或用 minsheng check 查看详情。")
            return
        from ..backup_dialog import describe  # deferred: see the module's docstring

        when, why = describe(good)
        if dialogs.ask(w, "数据库已损坏",
                       f"{problem}\n\n找到一份完好的备份：{when}（{why}）。\n要用它恢复吗？\n\n"
                       "损坏的数据库会改名另存在原文件夹中，不会删除；备份之后填写的内容需要重新填写。"):
            self.restore_database(good)
