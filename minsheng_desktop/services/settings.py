"""The 报送与邮件 settings as typed values: who reports, the letter's kind, the recipient, the sending account.

The settings table is storage.repo's; the SMTP server itself is services.outbox's (load/save_smtp_settings), and
the password is never here (the keyring, mail.secrets). `minsheng settings` reads and sets them one key at a time
(SETTING_KEYS, below)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..domain.assessment import WEIGHTS_KEY, parse_weights
from ..mail.compose import MailError, check_address
from ..mail.send import SmtpSettings
from ..storage import repo
from ..storage.db import Database
from .outbox import save_smtp_settings

__all__ = ["LETTER_KINDS", "MailSettings", "SETTING_KEYS", "SettingError", "SettingKey", "change_setting",
           "load_mail_settings", "read_setting", "read_settings", "save_mail_settings", "setting_key"]

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


# ------------------------------------------------------------------ `minsheng settings`: one key at a time


class SettingError(ValueError):
    """A setting that cannot be set as asked; the message is one Chinese line."""


@dataclass(frozen=True)
class SettingKey:
    """A setting the command line reads and sets: its name there, its Chinese label, the stored key(s), its kind."""

    name: str
    label: str
    stored: tuple[str, ...]  # two for a server (host, port)
    kind: str = "text"  # text | address | server | security | choice | weights
    choices: tuple[str, ...] = ()


# The settings the window keeps, as `minsheng settings` names them (shared/spec/cli.md; the last three extend it).
SETTING_KEYS: dict[str, SettingKey] = {k.name: k for k in (
    SettingKey("unit", "填报单位", ("reporter_unit",)),
    SettingKey("reporter_name", "联系人", ("reporter_name",)),
    SettingKey("reporter_phone", "联系电话", ("reporter_phone",)),
    SettingKey("from", "发件人邮箱", ("smtp_from",), "address"),
    SettingKey("recipient", "收件人邮箱（发展改革委）", ("mail_to",), "address"),
    SettingKey("smtp", "发信服务器", ("smtp_host", "smtp_port"), "server"),
    SettingKey("smtp_security", "发信加密方式", ("smtp_security",), "security"),
    SettingKey("imap", "收信服务器", ("imap_host", "imap_port"), "server"),
    SettingKey("imap_security", "收信加密方式", ("imap_security",), "security"),
    SettingKey("smtp_user", "发信账号", ("smtp_user",)),
    SettingKey("imap_user", "收信账号", ("imap_user",)),
    SettingKey("letter_kind", "报送文种", ("letter_kind",), "choice", LETTER_KINDS),
    SettingKey(WEIGHTS_KEY, "考核权重（完成率,按时报送,按计划推进）", (WEIGHTS_KEY,), "weights"),
)}
SECURITY_WORDS = {"ssl": "ssl", "starttls": "starttls", "none": "plain"}  # the command line's word -> stored
_SERVER = re.compile(r"^\s*([A-Za-z0-9.\-]+):(\d{1,5})\s*$")


def setting_key(name: str) -> SettingKey:
    key = SETTING_KEYS.get(name.strip())
    if key is None:
        if "pass" in name.lower() or "密码" in name:
            raise SettingError("密码不保存在设置中：请在窗口的“邮件设置”中保存到系统钥匙串，"
                               "或设置环境变量 MINSHENG_SMTP_PASSWORD / MINSHENG_IMAP_PASSWORD。")
        raise SettingError(f"没有设置项“{name}”：可用的有 {'、'.join(SETTING_KEYS)}。")
    return key


def read_setting(db: Database, key: SettingKey) -> str:
    """The value as the command line shows and takes it ('' when not set)."""
    values = [repo.get_setting(db, k) or "" for k in key.stored]
    if key.kind == "server":
        return f"{values[0]}:{values[1]}" if values[0] else ""
    if key.kind == "security":
        return {v: k for k, v in SECURITY_WORDS.items()}.get(values[0], values[0])
    return values[0]


def read_settings(db: Database) -> list[tuple[SettingKey, str]]:
    return [(key, read_setting(db, key)) for key in SETTING_KEYS.values()]


def change_setting(db: Database, key: SettingKey, value: str) -> str:
    """Check and store ``value`` ('' clears the setting) in one transaction; the value as it now reads."""
    text = value.strip()
    stored: tuple[str | None, ...]
    if not text:
        stored = (None,) * len(key.stored)
    elif key.kind == "address":
        try:
            stored = (check_address(text, key.label.split("邮箱")[0]),)
        except MailError as exc:
            raise SettingError(exc.message) from None
    elif key.kind == "server":
        m = _SERVER.match(text)
        if not m or not 0 < int(m.group(2)) < 65536:
            raise SettingError(f"{key.label}“{text}”格式不对：应为 服务器:端口，例如 smtp.qq.com:465。")
        stored = (m.group(1), str(int(m.group(2))))
    elif key.kind == "security":
        if text.lower() not in SECURITY_WORDS:
            raise SettingError(f"{key.label}只能是 ssl、starttls 或 none，收到“{text}”。")
        stored = (SECURITY_WORDS[text.lower()],)
    elif key.kind == "weights":
        try:
            stored = (",".join(f"{w:g}" for w in parse_weights(text)),)
        except ValueError as exc:
            raise SettingError(str(exc)) from None
    elif key.kind == "choice":
        if text not in key.choices:
            raise SettingError(f"{key.label}只能是 {'、'.join(key.choices)}，收到“{text}”。")
        stored = (text,)
    else:
        stored = (text,)
    with db.transaction():
        for name, v in zip(key.stored, stored):
            repo.set_setting(db, name, v)
    return read_setting(db, key)
