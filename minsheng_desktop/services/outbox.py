"""The 发件箱 (messages that could not go), the sent log with file hashes, marking reports submitted, sending.

The use cases over storage/outbox.py's rows (all the SQL is there) and mail/'s composing and SMTP."""

from __future__ import annotations

from dataclasses import dataclass

from ..mail.compose import KIND_HEADER, MailError, attachments_of, file_records, parse_message
from ..mail.monthly import OutgoingMail
from ..mail.remind import REMINDER
from ..mail.send import CancelToken, Progress, SendResult, SmtpSettings, send_bytes
from ..storage import outbox as rows
from ..storage import units as unit_rows
from ..storage.db import Database, now_iso

__all__ = [
    "OutboxItem", "SendOutcome", "SentEntry", "delete_outbox", "deliver", "list_outbox", "load_outbox_mail",
    "load_smtp_settings", "outbox_eml", "queue", "record_failure", "record_sent", "resend", "save_smtp_settings",
    "send_mail", "sent_log", "sent_months",
]


@dataclass(frozen=True)
class OutboxItem:
    id: int
    list_id: int | None
    month: str
    unit: str | None
    recipient: str
    subject: str
    created_at: str
    last_error: str | None
    attempts: int
    size: int


@dataclass(frozen=True)
class SentEntry:
    id: int
    list_id: int | None
    month: str
    unit: str | None
    sent_at: str
    recipient: str
    subject: str
    files: list[dict[str, object]]


@dataclass(frozen=True)
class SendOutcome:
    """What happened: sent (with the sent-log id) or not (with the error and, when queued, the outbox id)."""

    sent: bool
    error: MailError | None = None
    outbox_id: int | None = None
    sent_log_id: int | None = None
    result: SendResult | None = None


# ------------------------------------------------------------------ outbox


def _missing(outbox_id: int) -> MailError:
    return MailError("missing", f"发件箱中没有编号为 {outbox_id} 的邮件：可能已发送或已删除。")


def queue(db: Database, mail: OutgoingMail, error: str | None) -> int:
    """Keep a message that could not go; it can be sent again later."""
    return rows.insert_outbox(db, list_id=mail.list_id, month=mail.month, unit=mail.unit, recipient=mail.recipient,
                              subject=mail.subject, eml=mail.data, error=error, project_ids=mail.project_ids)


def list_outbox(db: Database, list_id: int | None = None) -> list[OutboxItem]:
    return [OutboxItem(**r) for r in rows.outbox_rows(db, list_id)]


def outbox_eml(db: Database, outbox_id: int) -> bytes:
    """The stored message as an .eml, e.g. to hand to the system's mail program."""
    data = rows.outbox_eml(db, outbox_id)
    if data is None:
        raise _missing(outbox_id)
    return data


def load_outbox_mail(db: Database, outbox_id: int) -> OutgoingMail:
    row = rows.outbox_message(db, outbox_id)
    if row is None:
        raise _missing(outbox_id)
    list_id, month, unit, recipient, subject, data, project_ids = row
    message = parse_message(data)
    sender = message["From"]
    from_addr = sender.addresses[0].addr_spec if sender is not None and sender.addresses else None
    return OutgoingMail(list_id, month, unit, recipient, from_addr, subject, data, tuple(attachments_of(data)),
                        project_ids, kind=str(message.get(KIND_HEADER) or "report"))


def delete_outbox(db: Database, outbox_id: int) -> bool:
    return rows.delete_outbox(db, outbox_id)


# ------------------------------------------------------------------ sent log


def record_sent(db: Database, mail: OutgoingMail, *, outbox_id: int | None = None, sent_at: str | None = None) -> int:
    """After the server accepted the message: sent log, reports marked submitted, outbox entry gone. One step.

    A reminder (催报) is not the month's report: it goes into the reminders' log instead (so that the same day's
    next run does not send it again), marks nothing, and has no sent-log id (0)."""
    if mail.kind == REMINDER:
        with db.transaction():
            unit_rows.log_reminder(db, mail.list_id or 0, mail.month, mail.unit or "", mail.recipient, "send",
                                   (sent_at or now_iso())[:10])
            if outbox_id is not None:
                rows.delete_outbox(db, outbox_id)
        return 0
    return rows.record_sent(db, list_id=mail.list_id, month=mail.month, unit=mail.unit, recipient=mail.recipient,
                            subject=mail.subject, files=file_records(mail.attachments),
                            project_ids=mail.project_ids, sent_at=sent_at, outbox_id=outbox_id)


def record_failure(db: Database, mail: OutgoingMail, error: MailError, *, outbox_id: int | None = None) -> int | None:
    """Queue a new message, or note the failed attempt on an outbox entry. A cancelled new send is not queued."""
    if outbox_id is not None:
        if error.kind != "cancelled":
            rows.note_failure(db, outbox_id, error.message)
        return outbox_id
    if error.kind == "cancelled":
        return None
    return queue(db, mail, error.message)


def sent_log(db: Database, list_id: int | None = None, month: str | None = None) -> list[SentEntry]:
    return [SentEntry(r["id"], r["list_id"], r["month"], r["unit"], r["sent_at"], r["recipient"], r["subject"],
                      r["files"]) for r in rows.sent_rows(db, list_id, month)]


def sent_months(db: Database, list_id: int) -> dict[str, str]:
    """For the overview: month -> when it was last sent."""
    return rows.sent_months(db, list_id)


# ------------------------------------------------------------------ sending


def deliver(mail: OutgoingMail, settings: SmtpSettings, password: str | None, *, cafile: str | None = None,
            progress: Progress | None = None, cancel: CancelToken | None = None) -> SendResult:
    """Only the network part: no database, so a worker thread may run it. Raises MailError."""
    if not mail.from_addr:
        raise MailError("config", "尚未填写发件人邮箱地址：请在“邮件设置”中填写。")
    return send_bytes(settings, password, mail.data, mail.from_addr, [mail.recipient], cafile=cafile,
                      progress=progress, cancel=cancel)


def send_mail(db: Database, mail: OutgoingMail, settings: SmtpSettings, password: str | None, *,
              outbox_id: int | None = None, cafile: str | None = None, progress: Progress | None = None,
              cancel: CancelToken | None = None, queue_on_failure: bool = True) -> SendOutcome:
    """Send in this thread; on success log it and mark the reports, on failure keep it in the outbox."""
    try:
        result = deliver(mail, settings, password, cafile=cafile, progress=progress, cancel=cancel)
    except MailError as err:
        queued = record_failure(db, mail, err, outbox_id=outbox_id) if queue_on_failure or outbox_id else None
        return SendOutcome(False, err, queued)
    return SendOutcome(True, None, None, record_sent(db, mail, outbox_id=outbox_id), result)


def resend(db: Database, outbox_id: int, settings: SmtpSettings, password: str | None, **kwargs: object) -> SendOutcome:
    return send_mail(db, load_outbox_mail(db, outbox_id), settings, password, outbox_id=outbox_id,
                     **kwargs)  # type: ignore[arg-type]


# ------------------------------------------------------------------ settings (never the password)


def load_smtp_settings(db: Database) -> SmtpSettings | None:
    values = rows.smtp_values(db)
    host = values["smtp_host"]
    if not host:
        return None
    max_mb = values["smtp_max_mb"]
    return SmtpSettings(host=host, port=int(values["smtp_port"] or 465),
                        security=(values["smtp_security"] or "ssl"),  # type: ignore[arg-type]
                        user=values["smtp_user"] or None,
                        max_bytes=int(float(max_mb) * 1024 * 1024) if max_mb else None)


def save_smtp_settings(db: Database, settings: SmtpSettings, *, from_addr: str | None = None,
                       preset: str | None = None) -> None:
    values: dict[str, str | None] = {
        "smtp_host": settings.host,
        "smtp_port": str(settings.port),
        "smtp_security": settings.security,
        "smtp_user": settings.user,
        "smtp_max_mb": None if settings.max_bytes is None else str(settings.max_bytes / 1024 / 1024),
    }
    if from_addr is not None:
        values["smtp_from"] = from_addr
    if preset is not None:
        values["smtp_preset"] = preset
    rows.save_smtp_values(db, values)
