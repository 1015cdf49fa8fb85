"""The 报送与邮件 settings page: who reports, where the mail goes, the SMTP server; the password only in the keyring."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QSpinBox, QVBoxLayout, QWidget,
)

from ..services import mailing, outbox
from ..services.database import Database
from ..services.mailing import PRESETS, MailError, SmtpSettings, check_address
from ..services.settings import LETTER_KINDS, MailSettings, load_mail_settings, save_mail_settings

log = logging.getLogger("minsheng.gui")
SECURITY = (("ssl", "SSL（通常 465 端口）"), ("starttls", "STARTTLS（通常 587 端口）"))
REPORTER_KEYS = (("reporter_unit", "填报单位："), ("reporter_name", "联系人："), ("reporter_phone", "联系电话："))


class MailSettingsPage(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.keyring = mailing.keyring_available()
        values = load_mail_settings(db)
        reporter = {"reporter_unit": values.reporter_unit, "reporter_name": values.reporter_name,
                    "reporter_phone": values.reporter_phone}
        lay = QVBoxLayout(self)
        who = QGroupBox("报表和报送函上的填报信息")
        f1 = QFormLayout(who)
        self.reporter: dict[str, QLineEdit] = {}
        for key, label in REPORTER_KEYS:
            e = QLineEdit(reporter[key])
            self.reporter[key] = e
            f1.addRow(label, e)
        self.letter_kind = QComboBox()
        self.letter_kind.addItems(list(LETTER_KINDS))
        self.letter_kind.setCurrentText(values.letter_kind)
        f1.addRow("报送文种：", self.letter_kind)
        self.mail_to = QLineEdit(values.mail_to)
        self.mail_to.setPlaceholderText("留空则用通知中的联系人邮箱")
        f1.addRow("收件人邮箱：", self.mail_to)
        lay.addWidget(who)
        server = QGroupBox("发信邮箱（SMTP）")
        f2 = QFormLayout(server)
        stored = outbox.load_smtp_settings(db)
        self.preset = QComboBox()
        for key, p in PRESETS.items():
            self.preset.addItem(p.label, key)
        self.preset.setCurrentIndex(max(self.preset.findData(values.preset), 0))
        f2.addRow("邮箱服务：", self.preset)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        f2.addRow("", self.hint)
        self.host = QLineEdit(stored.host if stored else "")
        f2.addRow("发信服务器：", self.host)
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(stored.port if stored else 465)
        f2.addRow("端口：", self.port)
        self.security = QComboBox()
        for key, label in SECURITY:
            self.security.addItem(label, key)
        if stored and stored.security == "plain":
            self.security.addItem("不加密（仅限本机测试）", "plain")
        self.security.setCurrentIndex(max(self.security.findData(stored.security if stored else "ssl"), 0))
        f2.addRow("加密方式：", self.security)
        self.user = QLineEdit(values.user)  # the server's user when one is stored: the same setting
        self.user.setPlaceholderText("例如 zhangsan@qq.com")
        f2.addRow("邮箱账号：", self.user)
        self.from_addr = QLineEdit(values.from_addr)
        self.from_addr.setPlaceholderText("留空则与邮箱账号相同")
        f2.addRow("发件人地址：", self.from_addr)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox("保存在系统钥匙串中")
        if self.keyring:
            has = bool(self.user.text() and mailing.get_password(self.user.text()))
            self.password.setPlaceholderText("已保存（如需更换请重新输入）" if has else "密码或授权码")
            self.remember.setChecked(True)
        else:
            self.password.setEnabled(False)
            self.password.setPlaceholderText("本机没有系统钥匙串：每次发送时询问密码，不会保存")
            self.remember.setEnabled(False)
        f2.addRow("密码（授权码）：", self.password)
        f2.addRow("", self.remember)
        lay.addWidget(server)
        lay.addStretch(1)
        self.preset.currentIndexChanged.connect(self._preset_picked)
        self._preset_picked(fill=not stored)

    def _preset_picked(self, *_: object, fill: bool = True) -> None:
        p = PRESETS[self.preset.currentData()]
        self.hint.setText(p.hint)
        if fill:
            if p.host or self.preset.currentData() != "custom":
                self.host.setText(p.host)
            self.port.setValue(p.port)
            self.security.setCurrentIndex(max(self.security.findData(p.security), 0))

    def smtp_settings(self) -> SmtpSettings | None:
        host = self.host.text().strip()
        if not host:
            return None
        p = PRESETS[self.preset.currentData()]
        return SmtpSettings(host=host, port=self.port.value(), security=self.security.currentData(),
                            user=self.user.text().strip() or None, max_bytes=p.max_bytes)

    def save(self) -> str | None:
        """Store everything but the password (that goes to the keyring); a Chinese error or None."""
        for e, what in ((self.mail_to, "收件人"), (self.from_addr, "发件人")):
            if e.text().strip():
                try:
                    check_address(e.text().strip(), what)
                except MailError as err:
                    e.setFocus()
                    return err.message
        s = self.smtp_settings()
        save_mail_settings(self.db, MailSettings(
            reporter_unit=self.reporter["reporter_unit"].text(), reporter_name=self.reporter["reporter_name"].text(),
            reporter_phone=self.reporter["reporter_phone"].text(), letter_kind=self.letter_kind.currentText(),
            mail_to=self.mail_to.text(), preset=self.preset.currentData(), user=self.user.text().strip(),
            from_addr=self.from_addr.text()), s)
        pw = self.password.text()
        if pw and s is not None and s.user and self.remember.isChecked():
            if not mailing.store_password(s.user, pw):
                return "无法把密码保存到系统钥匙串：发送时会再询问密码。"
            log.info("smtp password stored in the keyring")
        self.password.clear()
        return None
