"""The 报送与邮件 settings as typed values: who reports, the letter's kind, the recipient, the sending account.

The settings table is storage.repo's; the SMTP server itself is services.outbox's (load/save_smtp_settings), and
the password is never here (the keyring, mail.secrets)."""

from __future__ import annotations

from dataclasses import dataclass

from ..mail.send import SmtpSettings
from ..storage import repo
from ..storage.db import Database
from .outbox import save_smtp_settings

__all__ = ["LETTER_KINDS", "MailSettings", "load_mail_settings", "save_mail_settings"]

LETTER_KINDS = ("函", "报告")  # the cover letter's kind (exporters read ``letter_kind``); 函 unless 报告 was chosen


@dataclass(frozen=True)
class MailSettings:
    """What the settings page shows besides the server; '' where nothing is set."""

    reporter_unit: str = ""  # 填报单位, on the exports and the letter
    reporter_name: str = ""  # 联系人
    reporter_phone: str = ""  # 联系电话
    letter_kind: str = "函"
    mail_to: str = ""  # the recipient for every list (a list's own, remembered one comes first)
    preset: str = "qq"  # the mail service picked (mail.send.PRESETS)
    user: str = ""  # the mail account (SMTP user)
    from_addr: str = ""  # the From address when it is not the account


def load_mail_settings(db: Database) -> MailSettings:
    def get(key: str) -> str:
        return repo.get_setting(db, key) or ""

    return MailSettings(reporter_unit=get("reporter_unit"), reporter_name=get("reporter_name"),
                        reporter_phone=get("reporter_phone"),
                        letter_kind="报告" if get("letter_kind") == "报告" else "函", mail_to=get("mail_to"),
                        preset=get("smtp_preset") or "qq", user=get("smtp_user"), from_addr=get("smtp_from"))


def save_mail_settings(db: Database, s: MailSettings, server: SmtpSettings | None) -> None:
    """Who reports, the letter's kind and the recipient in one step (blank: not set); then, when a server is
    given, the server with the preset and the From address. ``s.user`` is the server's (SmtpSettings.user)."""
    with db.transaction():
        for key, value in (("reporter_unit", s.reporter_unit), ("reporter_name", s.reporter_name),
                           ("reporter_phone", s.reporter_phone)):
            repo.set_setting(db, key, value.strip() or None)
        repo.set_setting(db, "letter_kind", s.letter_kind)
        repo.set_setting(db, "mail_to", s.mail_to.strip() or None)
    if server is not None:
        save_smtp_settings(db, server, from_addr=s.from_addr.strip(), preset=s.preset)
