"""发送月报: recipient, subject and body to check; 生成邮件草稿 (.eml) or 发送 over SMTP.

The recipient is remembered per list once a draft is saved or the mail sent (mailing.remember_recipient), and
proposed again next month; the projects still unfilled for the month are named, with 去填报."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit,
    QVBoxLayout, QWidget,
)

from .. import fileio
from ..domain.model import TargetList
from ..domain.schedule import month_label
from ..services import export as reporting
from ..services import mailing, outbox
from ..services.database import Database, open_database
from ..services.mailing import MailError, safe_filename
from . import dialogs, tasks
from .export_dialog import default_folder
from .mail_send import MailSender
from .month_scope import MonthScope, UnfilledNote

EML_DIR_KEY = "eml_dir"


class MailDialog(QDialog):
    mailDone = Signal(bool)  # sent?
    draftReady = Signal()  # the proposal was read (or could not be): for tests and the busy cursor
    fillRequested = Signal(str, str)  # project id, month: the clerk chose 去填报

    def __init__(self, db: Database, db_path: Path, target_list: TargetList, month: str, unit: str | None,
                 settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.db_path, self.target_list = db, db_path, target_list
        self.unit, self.settings = unit, settings
        self.draft: mailing.MailDraft | None = None
        self.saved_path: Path | None = None
        self.sender = MailSender(self, db)
        self.sender.done.connect(self._send_done)
        self.setWindowTitle(f"发送月报 — {target_list.label}")
        self.resize(720, 640)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        top = QHBoxLayout()
        self.scope = MonthScope(self, target_list.year, month, unit, mine_by_default=True, all_text="全部项目",
                                mine_text="本单位牵头（{unit}）", no_unit_text="本单位牵头")
        for w in (self.month, self.scope_all, self.scope_mine):
            top.addWidget(w)
        top.addStretch(1)
        form.addRow("月份(&M)：", top)
        form.labelForField(top).setBuddy(self.month)  # a row of a layout: Alt+M needs the buddy named
        self.unfilled = UnfilledNote(self)
        self.unfilled.fillRequested.connect(self._go_fill)
        form.addRow(self.unfilled)
        self.recipient = QLineEdit()
        self.recipient.setPlaceholderText("发展改革委联系人的邮箱，例如 fgw@example.gov.cn")
        form.addRow("收件人(&T)：", self.recipient)
        self.subject = QLineEdit()
        form.addRow("主题(&S)：", self.subject)
        self.attachments = QLabel()
        self.attachments.setWordWrap(True)
        form.addRow("附件：", self.attachments)
        lay.addLayout(form)
        lay.addWidget(QLabel("正文（可修改）："))
        self.body = QPlainTextEdit()
        self.body.setTabChangesFocus(True)
        lay.addWidget(self.body, 1)
        self.open_after = QCheckBox("保存草稿后用系统邮件程序打开")
        self.open_after.setChecked(str(settings.value("eml_open", "false")).lower() == "true")
        lay.addWidget(self.open_after)
        self.status = QLabel()
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        buttons = QDialogButtonBox()
        self.draft_button = buttons.addButton("生成邮件草稿(&D)…", QDialogButtonBox.ButtonRole.ActionRole)
        self.send_button = buttons.addButton("发送(&E)", QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        self.draft_button.clicked.connect(self.save_draft)
        self.send_button.clicked.connect(self.send)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.month.currentIndexChanged.connect(self.refresh)
        self.scope_all.toggled.connect(self.refresh)
        self.refresh()

    @property
    def chosen_month(self) -> str:
        return self.scope.chosen_month

    @property
    def chosen_unit(self) -> str | None:
        return self.scope.chosen_unit

    def _enable(self, on: bool) -> None:
        self.draft_button.setEnabled(on)
        self.send_button.setEnabled(on and not self.sender.busy)

    # ------------------------------------------------------------ the proposal
    def _go_fill(self, project_id: str, month: str) -> None:
        self.reject()
        self.fillRequested.emit(project_id, month)

    def refresh(self, *_: object) -> None:
        """Make the attachments afresh and propose recipient, subject and body (in a worker)."""
        self.draft = None
        self._enable(False)
        self.status.setText("正在生成附件（推进情况表和报送函）…")
        db_path, target_list = self.db_path, self.target_list
        month, unit = self.chosen_month, self.chosen_unit

        def job(_progress, _cancel):  # type: ignore[no-untyped-def]
            with open_database(db_path) as db:
                return mailing.month_mail_draft(db, target_list, month, unit)

        tasks.run_task(job, self._draft_ready, lambda e: self._draft_failed(month, unit, e))

    def _draft_ready(self, d: mailing.MailDraft) -> None:
        if (d.month, d.unit) != (self.chosen_month, self.chosen_unit):
            return  # the clerk changed the month meanwhile; a newer proposal is on its way
        self.draft = d
        self.unfilled.show_unfilled(list(d.unfilled), d.month, d.unit)
        if not self.recipient.isModified():  # keep what the clerk typed
            self.recipient.setText(d.recipient or "")
        self.subject.setText(d.subject)
        self.body.setPlainText(d.body)
        self.attachments.setText("\n".join(f"{a.filename}（{len(a.data) / 1024:.0f} KB）" for a in d.attachments))
        sent = services_sent_note(self.db, d.list_id, d.month)
        self.status.setText(("请填写收件人。" if not d.recipient else "请核对收件人、主题和正文。") + sent)
        self._enable(True)
        self.draftReady.emit()

    def _draft_failed(self, month: str, unit: str | None, exc: BaseException) -> None:
        if (month, unit) != (self.chosen_month, self.chosen_unit):
            return
        self.status.setText(exc.message if isinstance(exc, MailError) else f"无法生成邮件（{type(exc).__name__}）：{exc}")
        self.attachments.setText("")
        if isinstance(exc, MailError) and exc.kind == "empty":  # nothing filled yet: name them, with 去填报
            self.unfilled.show_unfilled(reporting.unfilled_projects(self.db, self.target_list, month, unit),
                                        month, unit)
        self.draftReady.emit()

    def message(self, draft: bool) -> mailing.OutgoingMail:
        assert self.draft is not None
        return mailing.finish_mail(self.draft, to=self.recipient.text(), subject=self.subject.text(),
                                     body=self.body.toPlainText(), draft=draft)

    # ------------------------------------------------------------ draft and send
    def save_draft(self) -> Path | None:
        if self.draft is None:
            return None
        try:
            mail = self.message(draft=True)
        except MailError as err:
            dialogs.show_error(self, "无法生成邮件草稿", err.message)
            return None
        folder = str(self.settings.value(EML_DIR_KEY, "") or default_folder(self.settings))
        start = str(Path(folder) / safe_filename(f"{mail.subject}.eml"))
        path = dialogs.choose_save_file(self, "保存邮件草稿", start, "邮件草稿 (*.eml)")
        if not path:
            return None
        target = Path(path) if path.lower().endswith(".eml") else Path(path + ".eml")
        try:
            fileio.atomic_write_bytes(target, mail.data)
        except (fileio.OutputLocked, PermissionError, OSError) as exc:
            dialogs.show_error(self, "无法保存", f"“{target.name}”无法写入（{exc}）：请换一个位置或关闭占用它的程序。")
            return None
        self.settings.setValue(EML_DIR_KEY, str(target.parent))
        self.settings.setValue("eml_open", self.open_after.isChecked())
        mailing.remember_recipient(self.db, self.target_list.id, mail.recipient)
        self.saved_path = target
        self.status.setText(f"已保存邮件草稿：{target}（附件 {len(mail.attachments)} 个）")
        if self.open_after.isChecked():
            dialogs.open_path(target)
        return target

    def send(self) -> bool:
        if self.draft is None:
            return False
        try:
            mail = self.message(draft=False)
        except MailError as err:
            dialogs.show_error(self, "无法发送", err.message)
            return False
        started = self.sender.send(mail)
        if started:
            mailing.remember_recipient(self.db, self.target_list.id, mail.recipient)
        self._enable(not started)
        return started

    def _send_done(self, sent: bool, text: str) -> None:
        self._enable(self.draft is not None)
        self.status.setText(text)
        self.mailDone.emit(sent)  # the window refreshes the overview and the 发件箱
        if sent:
            dialogs.show_info(self, "已发送", text)
        else:
            dialogs.show_error(self, "没有发出", text)


def services_sent_note(db: Database, list_id: int, month: str) -> str:
    when = outbox.sent_months(db, list_id).get(month)
    return f"（{month_label(month)}已于 {when[:16].replace('T', ' ')} 报送过一次）" if when else ""
