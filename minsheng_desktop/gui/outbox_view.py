"""The 发件箱: messages that could not go, with 重新发送 / 另存为 .eml / 删除."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWidget,
)

from .. import fileio
from ..domain.schedule import month_label
from ..services import outbox
from ..services.database import Database
from ..services.mailing import MailError, safe_filename
from . import dialogs
from .export_dialog import default_folder
from .mail_send import MailSender

COLUMNS = ["月份", "收件人", "主题", "放入时间", "尝试", "未发出的原因"]


class OutboxPanel(QWidget):
    changed = Signal(int)  # how many messages wait

    def __init__(self, db: Database, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.items: list[outbox.OutboxItem] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        lay.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.resend_button = QPushButton("重新发送(&R)")
        self.save_button = QPushButton("另存为 .eml…")
        self.delete_button = QPushButton("删除")
        for b, slot in ((self.resend_button, self.resend), (self.save_button, self.save_eml),
                        (self.delete_button, self.delete)):
            b.clicked.connect(slot)
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        self.sender = MailSender(self, db)
        self.sender.done.connect(self._sent)
        self.set_database(db)

    def set_database(self, db: Database) -> None:
        self.db = db
        self.sender.db = db
        self.refresh()

    def refresh(self) -> None:
        self.items = outbox.list_outbox(self.db)
        self.table.setRowCount(len(self.items))
        for i, it in enumerate(self.items):
            when = (it.created_at or "")[:16].replace("T", " ")
            for c, text in enumerate((month_label(it.month), it.recipient, it.subject, when, str(it.attempts),
                                      it.last_error or "")):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, it.id)
                item.setToolTip(text)
                self.table.setItem(i, c, item)
        self.summary.setText(f"发件箱中有 {len(self.items)} 封未发出的邮件：网络恢复后选中一封点“重新发送”。"
                             if self.items else "发件箱是空的：所有邮件都已发出。")
        if self.items and not self.table.selectedItems():
            self.table.selectRow(0)
        self._update_buttons()
        self.changed.emit(len(self.items))

    def current_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return int(self.table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole))

    def _update_buttons(self) -> None:
        on = self.current_id() is not None
        self.resend_button.setEnabled(on and not self.sender.busy)
        self.save_button.setEnabled(on)
        self.delete_button.setEnabled(on)

    def resend(self) -> bool:
        oid = self.current_id()
        if oid is None:
            return False
        try:
            mail = outbox.load_outbox_mail(self.db, oid)
        except MailError as err:
            dialogs.show_error(self, "无法重新发送", err.message)
            self.refresh()
            return False
        started = self.sender.send(mail, outbox_id=oid)
        self._update_buttons()
        return started

    def _sent(self, sent: bool, text: str) -> None:
        self.refresh()
        if sent:
            dialogs.show_info(self, "已发送", text)
        else:
            dialogs.show_error(self, "仍未发出", text)

    def save_eml(self) -> Path | None:
        oid = self.current_id()
        if oid is None:
            return None
        item = next(i for i in self.items if i.id == oid)
        start = Path(str(self.settings.value("eml_dir", "") or default_folder(self.settings)))
        path = dialogs.choose_save_file(self, "另存为邮件草稿", str(start / safe_filename(f"{item.subject}.eml")),
                                        "邮件草稿 (*.eml)")
        if not path:
            return None
        target = Path(path)
        try:
            fileio.atomic_write_bytes(target, outbox.outbox_eml(self.db, oid))
        except (MailError, OSError, fileio.OutputLocked) as exc:
            dialogs.show_error(self, "无法保存", str(exc))
            return None
        self.settings.setValue("eml_dir", str(target.parent))
        return target

    def delete(self) -> bool:
        oid = self.current_id()
        if oid is None:
            return False
        item = next(i for i in self.items if i.id == oid)
        if not dialogs.ask(self, "删除邮件", f"从发件箱删除“{item.subject}”吗？这封邮件没有发出，删除后不能恢复"
                                           "（月报本身不受影响，可随时重新生成）。"):
            return False
        outbox.delete_outbox(self.db, oid)
        self.refresh()
        return True
