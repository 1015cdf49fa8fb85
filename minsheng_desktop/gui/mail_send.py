"""Sending one message off the UI thread, with progress and 取消; the outcome is logged or put in the 发件箱."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from ..services import mailing, outbox
from ..services.database import Database
from ..services.mailing import CancelToken, MailError, OutgoingMail, SmtpSettings
from . import dialogs, tasks

log = logging.getLogger("minsheng.gui")

NO_SERVER = "尚未设置发信服务器：请在“文件 → 设置… → 报送与邮件”中选择邮箱并填写账号。"


class MailSender(QObject):
    """``send`` starts one send; ``done(sent, message)`` follows on the GUI thread."""

    done = Signal(bool, str)

    def __init__(self, parent: QWidget, db: Database) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.db = db
        self.cafile: str | None = None  # tests point this at their own CA
        self.busy = False
        self.token: CancelToken | None = None
        self.progress: QProgressDialog | None = None

    def settings(self) -> SmtpSettings | None:
        return outbox.load_smtp_settings(self.db)

    def password_for(self, settings: SmtpSettings) -> tuple[bool, str | None]:
        """(go on?, password). Keyring (or $MINSHENG_SMTP_PASSWORD) first, else asked now and kept only in memory."""
        if not settings.user:
            return True, None
        pw = mailing.get_password(settings.user)
        if pw is None:
            pw = dialogs.ask_password(self.parent_widget, settings.user)
            if pw is None:
                return False, None
        return True, pw

    def send(self, mail: OutgoingMail, outbox_id: int | None = None) -> bool:
        """False when nothing was started (no server set, password not given, already sending)."""
        if self.busy:
            return False
        settings = self.settings()
        if settings is None:
            dialogs.show_error(self.parent_widget, "无法发送", NO_SERVER)
            return False
        go, password = self.password_for(settings)
        if not go:
            return False
        self.busy = True
        token = self.token = CancelToken()
        dlg = self.progress = QProgressDialog(f"正在发送到 {mail.recipient}…", "取消", 0, 100, self.parent_widget)
        dlg.setWindowTitle("发送邮件")
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        dlg.setMinimumDuration(0)
        dlg.canceled.connect(self.cancel)
        cafile = self.cafile

        def job(progress, _cancel):  # type: ignore[no-untyped-def]
            return outbox.deliver(mail, settings, password, cafile=cafile, progress=progress, cancel=token)

        tasks.run_task(job, lambda _r: self._sent(mail, outbox_id), lambda e: self._failed(mail, outbox_id, e),
                       dlg.setLabelText, lambda f: dlg.setValue(int(f * 100)))
        dlg.show()
        return True

    def cancel(self) -> None:
        if self.token is not None:
            self.token.cancel()
        if self.progress is not None:
            self.progress.setLabelText("正在取消…")

    def _finish(self) -> None:
        self.busy = False
        self.token = None
        if self.progress is not None:
            self.progress.blockSignals(True)  # closing a QProgressDialog emits canceled()
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _sent(self, mail: OutgoingMail, outbox_id: int | None) -> None:
        self._finish()
        outbox.record_sent(self.db, mail, outbox_id=outbox_id)
        log.info("mail sent (%d attachments)", len(mail.attachments))
        self.done.emit(True, f"已发送到 {mail.recipient}；本月的月报已标记为已报送。")

    def _failed(self, mail: OutgoingMail, outbox_id: int | None, exc: BaseException) -> None:
        self._finish()
        err = exc if isinstance(exc, MailError) else MailError("unknown", f"发送时程序出错（{type(exc).__name__}），邮件没有发出。")
        queued = outbox.record_failure(self.db, mail, err, outbox_id=outbox_id)
        log.info("mail not sent: %s", err.kind)
        text = err.message
        if queued is not None and err.kind != "cancelled":
            text += "\n\n邮件已放在“发件箱”中，可稍后点“重新发送”。"
        self.done.emit(False, text)
