"""The month's report e-mail as the window and `minsheng mail` make it: recipient, sender, counts, draft, message.

The database is read here; mail/ composes from the plain values passed in. What the interfaces need of mail/
(errors, SMTP settings and presets, the password in the keyring) they take from here, see ``__all__``; the
outbox, the sent log and sending are in services.outbox, the settings page's values in services.settings."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from ..domain.model import Project, TargetList
from ..domain.status import is_blank, is_reportable
from ..exporters.naming import safe_filename
from ..mail.compose import Attachment, MailError, build_message, check_address, message_bytes, subject_for
from ..mail.monthly import (
    MonthCounts, OutgoingMail, Sender, compose_body, compose_month_mail, from_name, mail_unit, require_reports,
)
from ..mail.secrets import ENV_VAR, get_password, keyring_available, store_password
from ..mail.send import PRESETS, CancelToken, SmtpSettings
from ..storage import repo
from ..storage import reports as report_repo
from ..storage.db import Database
from .export import month_attachments, unfilled_projects

__all__ = [
    # the use cases
    "MailDraft", "build_month_mail", "finish_mail", "month_counts", "month_mail_draft", "recipient_key",
    "remember_recipient", "reporter_contact", "resolve_recipient", "save_reporter_contact", "sender_info",
    # mail/'s records, errors and settings, for the interfaces
    "Attachment", "CancelToken", "MailError", "MonthCounts", "OutgoingMail", "PRESETS", "Sender", "SmtpSettings",
    "check_address",
    # the SMTP password: $MINSHENG_SMTP_PASSWORD or the system keyring (mail.secrets)
    "ENV_VAR", "get_password", "keyring_available", "store_password",
    # a file name Windows accepts (exporters.naming), for the .eml the clerk saves
    "safe_filename",
]


# ------------------------------------------------------------------ what the mail is made of


def resolve_recipient(db: Database, target_list: TargetList) -> str | None:
    """Per-list override ``mail_to:{id}``, then ``mail_to``, then the contact the notice named."""
    for key in (recipient_key(target_list.id), "mail_to"):
        value = repo.get_setting(db, key)
        if value and value.strip():
            return value.strip()
    return target_list.contact.email if target_list.contact and target_list.contact.email else None


def sender_info(db: Database, from_addr: str | None = None, user: str | None = None) -> Sender:
    """Who the month's mail is from. The address: ``from_addr`` given, else the account ``user`` given when it is
    an address, else the settings' From address, else the settings' account when it is an address."""
    from_addr = (from_addr or "").strip() or None
    if from_addr is None and user and "@" in user:
        from_addr = user.strip()
    if from_addr is None:
        from_addr = repo.get_setting(db, "smtp_from") or None
    stored_user = repo.get_setting(db, "smtp_user") or None
    if from_addr is None and stored_user and "@" in stored_user:
        from_addr = stored_user
    return Sender(repo.get_setting(db, "reporter_unit") or None, repo.get_setting(db, "reporter_name") or None,
                  repo.get_setting(db, "reporter_phone") or None, from_addr)


def month_counts(db: Database, list_id: int, month: str, unit: str | None = None) -> MonthCounts:
    """Live projects (led by ``unit`` when given) and their reports for the month, counted by status."""
    projects = [p for p in repo.load_projects(db, list_id, include_withdrawn=False) if is_reportable(p, unit)]
    wanted = {p.id for p in projects}
    reports = [r for r in report_repo.reports_for_list(db, list_id, month)
               if r.project_id in wanted and not is_blank(r)]
    by_status = Counter(r.status or "unknown" for r in reports)
    return MonthCounts(len(projects), len(reports), dict(by_status), tuple(r.project_id for r in reports))


def build_month_mail(db: Database, target_list: TargetList, month: str,
                     attachments: list[Attachment] | list[tuple[str, bytes]],
                     *, unit: str | None = None, to: str | None = None, draft: bool = False,
                     require_from: bool = False, from_addr: str | None = None, user: str | None = None,
                     today: dt.date | None = None) -> OutgoingMail:
    """Compose the month's e-mail to the 发展改革委 contact (`minsheng mail`: the messages name its options).
    ``attachments`` are made fresh by the caller; the sender is as sender_info finds it."""
    atts = tuple(a if isinstance(a, Attachment) else Attachment(a[0], a[1]) for a in attachments)
    recipient = check_address(to or resolve_recipient(db, target_list), "收件人",
                              "请用 --to 指定，或设置收件人（minsheng settings recipient 地址）")
    sender = sender_info(db, from_addr, user)
    if require_from:
        check_address(sender.email, "发件人", "请用 --from 指定，或设置发件人（minsheng settings from 地址）")
    counts = month_counts(db, target_list.id, month, unit)
    return compose_month_mail(target_list, month, atts, recipient=recipient, sender=sender, counts=counts,
                              unit=unit,
                              draft=draft, today=today)


# ------------------------------------------------------------------ the window's 发送月报 dialog


@dataclass(frozen=True)
class MailDraft:
    """What the mail dialog shows and lets the clerk edit before the message is made."""

    list_id: int
    month: str
    unit: str | None
    recipient: str | None
    subject: str
    body: str
    from_addr: str | None
    from_name: str | None
    attachments: tuple[Attachment, ...]
    project_ids: tuple[str, ...]
    unfilled: tuple[Project, ...] = ()  # the projects (of the unit) with nothing reported for the month, in order


def month_mail_draft(db: Database, target_list: TargetList, month: str, unit: str | None,
                     today: dt.date | None = None) -> MailDraft:
    """The proposed recipient, subject and body with fresh attachments. Raises MailError (e.g. nothing filled)."""
    sender = sender_info(db)
    name = mail_unit(target_list, unit, sender)
    counts = month_counts(db, target_list.id, month, unit)
    require_reports(counts, name, month)
    atts = tuple(Attachment(n, b) for n, b in month_attachments(db, target_list, month, unit))
    body = compose_body(target_list, month, name, counts, sender, atts, today, scoped=unit is not None)
    return MailDraft(target_list.id, month, unit, resolve_recipient(db, target_list), subject_for(name,
                                                                                                  month),
                                                                                                  body,
                                                                                                  sender.email,
                     from_name(sender), atts, counts.project_ids, tuple(unfilled_projects(db, target_list,
                                                                                          month, unit)))


def finish_mail(d: MailDraft, *, to: str, subject: str, body: str, draft: bool) -> OutgoingMail:
    """The message as the clerk left it in the dialog. Raises MailError for a bad address."""
    recipient = check_address(to.strip())
    if not subject.strip():
        raise MailError("config", "邮件主题不能为空。")
    sender = d.from_addr
    if not draft:
        sender = check_address(d.from_addr, "发件人")
    msg = build_message(to=recipient, subject=subject.strip(), body=body, attachments=d.attachments,
                        from_addr=sender, from_name=d.from_name, draft=draft)
    return OutgoingMail(d.list_id, d.month, d.unit, recipient, sender, subject.strip(), message_bytes(msg),
                        d.attachments, d.project_ids)


# ------------------------------------------------------------------ the clerk's contact and the recipient

CONTACT_KEYS = ("reporter_name", "reporter_phone")


def reporter_contact(db: Database) -> tuple[str, str]:
    """(联系人, 联系电话) from the settings; '' where not set."""
    name, phone = (repo.get_setting(db, k) or "" for k in CONTACT_KEYS)
    return name, phone


def save_reporter_contact(db: Database, name: str, phone: str) -> None:
    for key, value in zip(CONTACT_KEYS, (name, phone)):
        repo.set_setting(db, key, value.strip() or None)


def recipient_key(list_id: int) -> str:
    return f"mail_to:{list_id}"


def remember_recipient(db: Database, list_id: int, address: str) -> None:
    """The address the month's mail went to, proposed again next month for this list (resolve_recipient)."""
    address = address.strip()
    if address and repo.get_setting(db, recipient_key(list_id)) != address:
        repo.set_setting(db, recipient_key(list_id), address)
