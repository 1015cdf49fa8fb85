"""The main window's tools: toolbar, 导出, 发送月报, 发件箱, 备份与恢复, deleting and restoring a month's report,
and the entries for the office template and the collection of units' reports (installed separately)."""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolBar

from ..services import workbench
from ..domain.schedule import month_label
from ..storage import gui_queries
from . import dialogs, tasks
from .resources import tool_icon

log = logging.getLogger("minsheng.gui")
NOT_INSTALLED = "此功能尚未安装：请更新到包含该功能的版本。"

TOOLBAR = (  # (key, text, icon file, fallback: the QStyle.StandardPixmap member's name, for a missing file)
    ("import", "导入", "import", "SP_DialogOpenButton"),
    ("save", "保存", "save", "SP_DialogSaveButton"),
    ("export", "导出", "export", "SP_ArrowDown"),
    ("mail", "发送", "mail", "SP_CommandLink"),
    ("search", "查找", "search", "SP_FileDialogContentsView"),
    ("backup", "备份", "backup", "SP_DriveHDIcon"),
    ("settings", "设置", "settings", "SP_FileDialogDetailedView"),
)


class ToolsMixin:
    """Mixed into MainWindow (db, db_path, settings, lists, list_id, months, unit, project, form, outbox)."""

    def _build_toolbar(self, actions: dict[str, QAction]) -> QToolBar:
        bar = QToolBar("工具栏", self)
        bar.setObjectName("main_toolbar")
        bar.setIconSize(QSize(22, 22))
        bar.setProperty("toolButtonStyle", 2)  # Qt.ToolButtonStyle.ToolButtonTextBesideIcon (no Qt enums at start)
        bar.setMovable(False)
        for key, text, icon, fallback in TOOLBAR:
            a = actions[key]
            a.setIcon(tool_icon(icon, fallback, self))  # type: ignore[arg-type]
            a.setIconText(text)
            tip = a.text().replace("(&", "(").replace("&", "").rstrip("…")
            sc = a.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            a.setToolTip(f"{tip}（{sc}）" if sc else tip)
            bar.addAction(a)
            if key in ("save", "mail"):
                bar.addSeparator()
        self.addToolBar(bar)
        return bar

    def _need_list(self, title: str):  # type: ignore[no-untyped-def]
        tl = self.lists.get(self.list_id) if self.list_id else None
        if tl is None:
            dialogs.show_info(self, title, "还没有导入目标任务：请先用“文件 → 导入目标任务…”导入。")
        return tl

    # ------------------------------------------------------------ export and mail
    def open_export(self):  # type: ignore[no-untyped-def]
        from .export_dialog import ExportDialog

        tl = self._need_list("导出")
        if tl is None:
            return None
        self.form.flush()
        dlg = ExportDialog(self.db_path, tl, self.months.get(tl.id, ""), self.unit, self.settings, self, db=self.db)
        dlg.fillRequested.connect(self.go_fill)
        self.export_dialog = dlg
        dlg.open()
        return dlg

    def open_mail(self):  # type: ignore[no-untyped-def]
        from .mail_dialog import MailDialog

        tl = self._need_list("发送月报")
        if tl is None:
            return None
        self.form.flush()
        dlg = MailDialog(self.db, self.db_path, tl, self.months.get(tl.id, ""), self.unit, self.settings, self)
        dlg.mailDone.connect(lambda _sent: self._mail_changed())
        dlg.fillRequested.connect(self.go_fill)
        self.mail_dialog = dlg
        dlg.open()
        return dlg

    def go_fill(self, project_id: str, month: str) -> None:
        """From 去填报 in the export or mail dialog: that project's form, on that month, ready to type."""
        self.select_project(project_id)
        combo = self.form.month_combo
        i = combo.findData(month)
        if i >= 0 and combo.currentIndex() != i:
            combo.setCurrentIndex(i)  # the form shows the month and tells the window (tree, overview)
        self.form.progress.setFocus()

    def _mail_changed(self) -> None:
        self.outbox.refresh()  # built now if it was not yet
        self._refresh_overview()

    def _outbox_count(self, n: int) -> None:
        self.tabs.setTabText(2, f"发件箱（{n}）" if n else "发件箱")

    def sent_months(self) -> dict[str, str]:
        return gui_queries.sent_months(self.db, self.list_id) if self.list_id else {}

    # ------------------------------------------------------------ a month's report: delete and bring back
    def delete_month_report(self) -> bool:
        p, month = self.project, self.form.month
        if p is None or not p.is_leaf or not month:
            dialogs.show_info(self, "删除本月填报", "请先在项目列表中选择一个项目和月份。")
            return False
        self.form.flush()
        if workbench.get_report(self.db, p.id, month) is None:
            dialogs.show_info(self, "删除本月填报", f"“{p.name}”{month_label(month)}没有填报，无需删除。")
            return False
        if not dialogs.ask(self, "删除本月填报",
                           f"删除“{p.name}”{month_label(month)}的填报吗？\n\n删除后可用“编辑 → 恢复已删除的填报…”找回，"
                           "修改记录中也会留下这次删除。"):
            return False
        workbench.delete_month_report(self.db, p.id, month)
        self._reshow(month)
        self.statusBar().showMessage(f"已删除{month_label(month)}的填报（可恢复）", 8000)
        return True

    def restore_month_report(self) -> bool:
        p = self.project
        if p is None or not p.is_leaf:
            dialogs.show_info(self, "恢复已删除的填报", "请先在项目列表中选择一个项目。")
            return False
        self.form.flush()
        months = workbench.deleted_months(self.db, p.id)
        if not months:
            dialogs.show_info(self, "恢复已删除的填报", f"“{p.name}”没有已删除的填报。")
            return False
        labels = [month_label(m) for m in months]
        current = months.index(self.form.month) if self.form.month in months else len(months) - 1
        label = dialogs.choose_item(self, "恢复已删除的填报", f"“{p.name}”已删除的填报：", labels, current)
        if label is None:
            return False
        month = months[labels.index(label)]
        workbench.restore_month_report(self.db, p.id, month)
        self._reshow(month)
        self.statusBar().showMessage(f"已恢复{month_label(month)}的填报", 8000)
        return True

    def _reshow(self, month: str) -> None:
        if self.list_id is not None:
            self.months[self.list_id] = month
        tl = self.lists.get(self.list_id or 0)
        self.form.set_project(tl, self.project, month, self.calendar)
        if self.list_id is not None:
            self._refresh_month(self.list_id)
        self._refresh_detail()
        self._refresh_overview()

    # ------------------------------------------------------------ backups
    def open_backups(self):  # type: ignore[no-untyped-def]
        from .backup_dialog import BackupDialog

        self.form.flush()
        dlg = BackupDialog(self.db, self.db_path, self.restore_database, self)
        self.backup_dialog = dlg
        dlg.open()
        return dlg

    def restore_database(self, path: Path) -> bool:
        """Close the database, put the backup in place (the current file set aside), open it again."""
        from ..services.database import open_database
        from ..services import backup

        self.form.flush()
        tasks.wait_all()
        try:
            backup.auto_backup(self.db, "before-restore")
        except backup.BackupError as exc:
            log.warning("backup before restore failed: %s", exc)
        self.db.close()
        ok, text = True, ""
        try:
            aside = backup.restore_backup(self.db_path, path)
            text = f"已从备份恢复。恢复前的数据库已另存为：\n{aside}"
        except (backup.BackupError, OSError) as exc:
            ok, text = False, f"没有恢复：{exc}"
        finally:
            self._swap_database(open_database(self.db_path))
        (dialogs.show_info if ok else dialogs.show_error)(self, "从备份恢复", text)
        return ok

    def _swap_database(self, db) -> None:  # type: ignore[no-untyped-def]
        self.db = db
        self.form.db = db  # the form only keeps this reference (report_form.py is not changed for this)
        if self._outbox is not None:
            self._outbox.set_database(db)
        self.lists, self.months, self.project = {}, {}, None
        self.reload()
        idx = self.tree.currentIndex()
        self._current_changed(idx, idx)

    def daily_backup(self) -> None:
        from ..services import backup

        try:
            out = backup.daily_backup(self.db)
        except (backup.BackupError, OSError) as exc:
            self.statusBar().showMessage(f"今天的自动备份没有成功：{exc}", 15000)
            return
        if out is not None:
            log.info("daily backup written")

    # ------------------------------------------------------------ installed separately
    def _optional(self, module: str, attr: str, title: str):  # type: ignore[no-untyped-def]
        try:
            mod = importlib.import_module(f"{__package__}.{module}")
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.endswith(module):
                dialogs.show_info(self, title, NOT_INSTALLED)
                return None
            raise
        return getattr(mod, attr)

    def open_template(self) -> bool:
        tl = self._need_list("载入报表模板")
        if tl is None:
            return False
        fn = self._optional("template_dialog", "open_template_dialog", "载入报表模板")
        if fn is None:
            return False
        self.form.flush()
        done = bool(fn(self, self.db_path, tl.id))
        if done:
            self.statusBar().showMessage("已载入报表模板：导出月报表时将按此模板填写", 8000)
        return done

    def open_collect(self) -> None:
        fn = self._optional("collect_view", "open_collect_dialog", "汇总各单位报表")
        if fn is None:
            return
        self.form.flush()
        fn(self, self.db_path)
        self.reload()

