"""汇总 → 收取报送邮件…: the 汇总 dialog reading the month's returns from the mailbox instead of files.

The server (preset: QQ, 163, 政务邮箱 with its host, or any), security, account, folder and password (kept in the
system keyring when asked; never in the settings) sit where the file list is; 收取并匹配 reads the mailbox in a
worker with progress and 取消, then the same matching / conflict / confirm view as for files
(gui/collect_view.py). Confirming writes the reports and remembers the messages taken (services/collect_mail.py);
the mailbox changes only when 标为已读 or 移到文件夹 is ticked, and only after the reports are stored."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLineEdit, QPlainTextEdit, QPushButton, QSpinBox, QWidget,
)

from ..services import collect_mail as cm
from ..services import lists
from ..services.database import open_database
from . import dialogs
from .collect_view import CollectDialog
from .tasks import run_task

SECURITY = (("SSL（993 端口）", "ssl"), ("STARTTLS（143 端口）", "starttls"), ("不加密（仅本机）", "plain"))


class _Flag:
    """The worker's cancel event as mail/imap.py's cancel token reads it."""

    def __init__(self, event) -> None:  # type: ignore[no-untyped-def]
        self.event = event

    @property
    def cancelled(self) -> bool:
        return self.event.is_set()


class MailCollectDialog(CollectDialog):
    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(db_path, parent)
        self.setWindowTitle("收取报送邮件")
        self.mail: cm.MailCollect | None = None
        self.password_used: str | None = None
        for b in self.findChildren(QPushButton):
            if b.text() in ("添加文件…", "移除"):
                b.hide()
        self.files.hide()
        self.analyse_button.setText("收取并匹配")
        with open_database(self.db_path) as db:
            stored = cm.load_imap_settings(db)
        form_box = QWidget()
        form = QFormLayout(form_box)
        form.setContentsMargins(0, 0, 0, 0)
        self.preset = QComboBox()
        for key, p in cm.IMAP_PRESETS.items():
            self.preset.addItem(p.label, key)
        self.host = QLineEdit(stored.host)
        self.host.setPlaceholderText("例如 imap.qq.com，政务邮箱请问信息中心")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(stored.port)
        self.security = QComboBox()
        for label, key in SECURITY:
            self.security.addItem(label, key)
        self.security.setCurrentIndex(max(0, self.security.findData(stored.security)))
        server = QHBoxLayout()
        for wdg, stretch in ((self.preset, 0), (self.host, 1), (self.port, 0), (self.security, 0)):
            server.addWidget(wdg, stretch)
        form.addRow("收信服务器：", server)
        self.user = QLineEdit(stored.user or "")
        self.user.setPlaceholderText("收信邮箱账号，例如 fgw@example.gov.cn")
        self.folder = QLineEdit("INBOX")
        account = QHBoxLayout()
        account.addWidget(self.user, 2)
        account.addWidget(self.folder, 1)
        form.addRow("账号 / 文件夹：", account)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("授权码；已保存在系统钥匙串时可不填")
        self.remember = QCheckBox("保存到系统钥匙串")
        pw = QHBoxLayout()
        pw.addWidget(self.password, 1)
        pw.addWidget(self.remember)
        form.addRow("密码：", pw)
        self.mark_read = QCheckBox("确认汇总后把收取的邮件标为已读")
        self.move_to = QLineEdit()
        self.move_to.setPlaceholderText("确认汇总后移到该文件夹（须已存在；留空不移动）")
        after = QHBoxLayout()
        after.addWidget(self.mark_read)
        after.addWidget(self.move_to, 1)
        form.addRow("邮箱整理：", after)
        self.cancel_button = QPushButton("取消收取")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self._cancel)
        form.addRow("", self.cancel_button)
        self.messages = QPlainTextEdit()
        self.messages.setReadOnly(True)
        self.messages.setMaximumHeight(130)
        self.messages.setPlaceholderText("收取后在这里列出每封邮件：收取了什么，跳过了什么、为什么。")
        lay = self.layout()
        lay.insertWidget(1, form_box)  # type: ignore[attr-defined]
        lay.insertWidget(3, self.messages)  # type: ignore[attr-defined]
        known = next((k for k, p in cm.IMAP_PRESETS.items() if p.host and p.host == stored.host), None)
        self.preset.setCurrentIndex(self.preset.findData(known or ("custom" if stored.host else "qq")))
        if not stored.host:
            self._preset()
        self.preset.currentIndexChanged.connect(self._preset)
        self.summary.setText("填写收信服务器和账号，选择月份，然后点“收取并匹配”。邮箱不会被改动，除非勾选了邮箱整理。")

    # ------------------------------------------------------------ inputs
    def _preset(self) -> None:
        p = cm.IMAP_PRESETS[self.preset.currentData()]
        if p.host or self.preset.currentData() == "gov":
            self.host.setText(p.host)
        self.port.setValue(p.port)
        self.security.setCurrentIndex(self.security.findData(p.security))
        if p.hint:
            self.summary.setText(p.hint)

    def settings(self) -> cm.ImapSettings:
        return cm.ImapSettings(host=self.host.text().strip(), port=self.port.value(),
                               security=self.security.currentData(), user=self.user.text().strip() or None,
                               folder=self.folder.text().strip() or "INBOX")

    def _cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.summary.setText("正在取消…")

    # ------------------------------------------------------------ reading (worker thread)
    def analyse(self) -> None:
        settings, month, list_id = self.settings(), self.month_combo.currentData(), self.list_combo.currentData()
        if not settings.host or not settings.user or not month:
            dialogs.show_error(self, "收取报送邮件", "请填写收信服务器和账号，并选择月份。")
            return
        typed = self.password.text()
        password = typed or cm.get_imap_password(settings.user)
        if not password:
            dialogs.show_error(self, "收取报送邮件", f"请填写邮箱 {settings.user} 的密码（授权码）。")
            return
        with open_database(self.db_path) as db:
            cm.save_imap_settings(db, settings)
        if typed and self.remember.isChecked():
            cm.store_imap_password(settings.user or "", typed)
        self.password_used = password
        target_list = next(t for t in self.lists if t.id == list_id)
        db_path = self.db_path

        def job(progress, cancelled):  # type: ignore[no-untyped-def]
            with open_database(db_path) as db:  # the worker's own connection
                return cm.gather(db, settings, password, month, target_list=target_list,
                                 cancel=_Flag(cancelled),  # type: ignore[arg-type]
                                 progress=lambda text, fraction: progress(text, fraction))

        self.mail = None
        self._busy(True, "正在连接收信服务器…")
        self.cancel_button.setEnabled(True)
        self.task = run_task(job, self._gathered, self._failed_mail, on_progress=self.summary.setText)

    def _gathered(self, mc: cm.MailCollect) -> None:
        self.cancel_button.setEnabled(False)
        self.mail = mc
        self.messages.setPlainText("\n".join(cm.mail_lines(mc)[:-1]))
        self._analysed(mc.result)

    def _failed_mail(self, exc: BaseException) -> None:
        self.cancel_button.setEnabled(False)
        if isinstance(exc, cm.MailError):
            self.result = None
            self._busy(False)
            self.summary.setText(exc.message)
            self.failed.emit(exc.message)
            return
        self._failed(exc)

    # ------------------------------------------------------------ writing
    def confirm(self) -> None:
        mc, winners, db_path = self.mail, dict(self.winners), self.db_path
        if mc is None or self.result is None:
            return
        mark, move, password = self.mark_read.isChecked(), self.move_to.text().strip() or None, self.password_used

        def job(progress, cancelled):  # type: ignore[no-untyped-def]
            with open_database(db_path) as db:
                stats = cm.apply_mail(db, mc, winners)
            note = ""
            if mark or move:
                progress("月报已写入，正在整理邮箱…")
                try:
                    n = cm.mark_taken(mc, password, mark_read=mark, move_to=move)
                    note = f"已整理收取的邮件 {n} 封。"
                except cm.MailError as exc:
                    note = f"月报已写入，但整理邮箱时出错：{exc.message}"
            return stats, note

        self._busy(True, "正在写入…")
        self.task = run_task(job, self._applied_mail, self._failed)

    def _applied_mail(self, value) -> None:  # type: ignore[no-untyped-def]
        stats, note = value
        self.mail = None
        self._applied(stats)
        self.summary.setText(self.summary.text() + ("\n" + note if note else "\n邮箱未作任何改动。"))


def open_mail_collect_dialog(parent: QWidget | None, db_path: Path) -> MailCollectDialog | None:
    with open_database(Path(db_path)) as db:
        if not lists.target_lists(db):
            dialogs.show_error(parent, "收取报送邮件", "还没有导入目标任务：请先导入本区的目标任务，再收取各单位的月报。")
            return None
    dlg = MailCollectDialog(Path(db_path), parent)
    dlg.exec()
    return dlg


def open_from_window(w) -> None:  # type: ignore[no-untyped-def]
    """The menu's entry: save the form first, reload the projects after (reports may have been written)."""
    w.form.flush()
    open_mail_collect_dialog(w, w.state.db_path)
    w.collect.nav.reload()
