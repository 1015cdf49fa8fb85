"""工具 → 备份与恢复: the backups with date and reason, 立即备份, and 从备份恢复 with the current file set aside."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWidget,
)

from ..services import backup
from ..paths import backup_dir
from ..services.database import Database
from . import dialogs

REASONS = {"daily": "每日自动备份", "manual": "手动备份", "before-import": "导入前自动备份",
           "before-restore": "恢复前自动备份", "before-migration": "升级前自动备份", "migration": "升级前自动备份",
           "before-collect": "汇总前自动备份"}
_NAME = re.compile(r"^minsheng-(\d{8}-\d{6})-(.+?)(?:-\d+)?$")


def describe(path: Path) -> tuple[str, str]:
    """(when, why) in Chinese from the backup's name minsheng-20230615-090000-daily.db."""
    m = _NAME.match(path.stem)
    if m:
        when = dt.datetime.strptime(m.group(1), "%Y%m%d-%H%M%S")
        reason = REASONS.get(m.group(2), m.group(2))
    else:
        when = dt.datetime.fromtimestamp(path.stat().st_mtime)
        reason = "备份"
    return when.strftime("%Y-%m-%d %H:%M"), reason


class BackupDialog(QDialog):
    def __init__(self, db: Database, db_path: Path, restore: Callable[[Path], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.db_path, self.restore = db, db_path, restore
        self.setWindowTitle("备份与恢复")
        self.resize(680, 460)
        lay = QVBoxLayout(self)
        info = QLabel(f"程序每天第一次启动时、每次导入和恢复之前都会自动备份。备份保存在：\n{backup_dir(db_path)}")
        info.setWordWrap(True)
        info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(info)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["备份时间", "原因", "大小"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemActivated.connect(lambda _i: self.restore_selected())
        lay.addWidget(self.table, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        buttons = QDialogButtonBox()
        self.backup_button = buttons.addButton("立即备份(&B)", QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button = buttons.addButton("从备份恢复(&R)…", QDialogButtonBox.ButtonRole.ActionRole)
        self.folder_button = buttons.addButton("打开备份文件夹", QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.folder_button.clicked.connect(lambda: dialogs.open_path(backup_dir(self.db_path)))
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        self.backups = backup.list_backups(self.db_path)
        self.table.setRowCount(len(self.backups))
        for i, path in enumerate(self.backups):
            when, why = describe(path)
            size = f"{path.stat().st_size / 1024:.0f} KB"
            for c, text in enumerate((when, why, size)):
                item = QTableWidgetItem(text)
                item.setToolTip(str(path))
                self.table.setItem(i, c, item)
        if not self.backups:
            self.status.setText("还没有备份。点“立即备份”做一份。")
        if self.backups and not self.table.selectedItems():
            self.table.selectRow(0)
        self._update_buttons()

    def selected(self) -> Path | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def backup_now(self) -> Path | None:
        try:
            out = backup.make_backup(self.db, reason="manual")
        except backup.BackupError as exc:
            dialogs.show_error(self, "备份失败", str(exc))
            return None
        self.status.setText(f"已备份：{out.name}")
        self.refresh()
        return out

    def restore_selected(self) -> bool:
        path = self.selected()
        if path is None:
            return False
        when, why = describe(path)
        if not dialogs.ask(self, "从备份恢复",
                           f"用 {when} 的备份（{why}）替换当前数据库吗？\n\n此后填写的内容将不在恢复后的数据库中；"
                           "当前数据库会先另存一份（文件名含 before-restore），不会删除。"):
            return False
        ok = self.restore(path)
        self.refresh()
        return ok
