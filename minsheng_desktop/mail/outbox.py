"""The 发件箱 (messages that could not go), the sent log with file hashes, and marking reports submitted."""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..storage import repo
from ..storage.db import Database, now_iso
from ..storage.reports import mark_submitted
from .compose import MailError, attachments_of, file_records, parse_message
from .monthly import OutgoingMail
from .send import CancelToken, Progress, SendResult, SmtpSettings, send_bytes

__all__ = [
    "OutboxItem", "SendOutcome", "SentEntry", "deliver", "delete_outbox", "list_outbox", "load_outbox_mail",
    "load_smtp_settings", "outbox_eml", "queue", "record_failure", "record_sent", "resend", "save_smtp_settings",
    "send_mail", "sent_log", "sent_months",
]

# Since schema v3 the outbox and the sent log keep which projects a message reports on (project_ids_json).


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


def queue(db: Database, mail: OutgoingMail, error: str | None) -> int:
    """Keep a message that could not go; it can be sent again later."""
    with db.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO outbox (list_id, month, unit, recipient, subject, eml, created_at, last_error, attempts, "
            "project_ids_json) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (mail.list_id, mail.month, mail.unit, mail.recipient, mail.subject, mail.data, now_iso(), error,
             1 if error else 0, json.dumps(list(mail.project_ids))),
        )
        return int(cur.lastrowid)  # type: ignore[arg-type]


def list_outbox(db: Database, list_id: int | None = None) -> list[OutboxItem]:
    sql = ("SELECT id, list_id, month, unit, recipient, subject, created_at, last_error, attempts, length(eml) AS size "
           "FROM outbox" + (" WHERE list_id = ?" if list_id is not None else "") + " ORDER BY id")
    return [OutboxItem(**r) for r in db.db.query(sql, [list_id] if list_id is not None else [])]


def outbox_eml(db: Database, outbox_id: int) -> bytes:
    """The stored message as an .eml, e.g. to hand to the system's mail program."""
    row = db.conn.execute("SELECT eml FROM outbox WHERE id = ?", (outbox_id,)).fetchone()
    if row is None:
        raise MailError("missing", f"发件箱中没有编号为 {outbox_id} 的邮件：可能已发送或已删除。")
    return bytes(row[0])


def load_outbox_mail(db: Database, outbox_id: int) -> OutgoingMail:
    row = db.conn.execute("SELECT list_id, month, unit, recipient, subject, eml, project_ids_json FROM outbox "
                          "WHERE id = ?", (outbox_id,)).fetchone()
    if row is None:
        raise MailError("missing", f"发件箱中没有编号为 {outbox_id} 的邮件：可能已发送或已删除。")
    data = bytes(row[5])
    project_ids = tuple(json.loads(row[6]))
    sender = parse_message(data)["From"]
    from_addr = sender.addresses[0].addr_spec if sender is not None and sender.addresses else None
    return OutgoingMail(row[0], row[1], row[2], row[3], from_addr, row[4], data, tuple(attachments_of(data)),
                        project_ids)


def delete_outbox(db: Database, outbox_id: int) -> bool:
    with db.transaction() as conn:
        return conn.execute("DELETE FROM outbox WHERE id = ?", (outbox_id,)).rowcount > 0


# ------------------------------------------------------------------ sent log


def record_sent(db: Database, mail: OutgoingMail, *, outbox_id: int | None = None, sent_at: str | None = None) -> int:
    """After the server accepted the message: sent log, reports marked submitted, outbox entry gone. One step."""
    when = sent_at or now_iso()
    files = json.dumps(file_records(mail.attachments), ensure_ascii=False)
    with db.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO sent_log (list_id, month, unit, sent_at, recipient, subject, files_json, project_ids_json) "
            "VALUES (?,?,?,?,?,?,?,?)",
            (mail.list_id, mail.month, mail.unit, when, mail.recipient, mail.subject, files,
             json.dumps(list(mail.project_ids))),
        )
        mark_submitted(db, list(mail.project_ids), mail.month, when[:10])
        if outbox_id is not None:
            conn.execute("DELETE FROM outbox WHERE id = ?", (outbox_id,))
        return int(cur.lastrowid)  # type: ignore[arg-type]


def record_failure(db: Database, mail: OutgoingMail, error: MailError, *, outbox_id: int | None = None) -> int | None:
    """Queue a new message, or note the failed attempt on an outbox entry. A cancelled new send is not queued."""
    if outbox_id is not None:
        if error.kind != "cancelled":
            with db.transaction() as conn:
                conn.execute("UPDATE outbox SET last_error = ?, attempts = attempts + 1 WHERE id = ?",
                             (error.message, outbox_id))
        return outbox_id
    if error.kind == "cancelled":
        return None
    return queue(db, mail, error.message)


def sent_log(db: Database, list_id: int | None = None, month: str | None = None) -> list[SentEntry]:
    where, args = [], []
    if list_id is not None:
        where.append("list_id = ?")
        args.append(list_id)
    if month is not None:
        where.append("month = ?")
        args.append(month)
    sql = "SELECT * FROM sent_log" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
    return [SentEntry(r["id"], r["list_id"], r["month"], r["unit"], r["sent_at"], r["recipient"], r["subject"],
                      json.loads(r["files_json"])) for r in db.db.query(sql, args)]


def sent_months(db: Database, list_id: int) -> dict[str, str]:
    """For the overview: month -> when it was last sent."""
    return {r["month"]: r["last"] for r in db.db.query(
        "SELECT month, max(sent_at) AS last FROM sent_log WHERE list_id = ? GROUP BY month", [list_id])}


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
    host = repo.get_setting(db, "smtp_host")
    if not host:
        return None
    max_mb = repo.get_setting(db, "smtp_max_mb")
    return SmtpSettings(host=host, port=int(repo.get_setting(db, "smtp_port") or 465),
                        security=(repo.get_setting(db, "smtp_security") or "ssl"),  # type: ignore[arg-type]
                        user=repo.get_setting(db, "smtp_user") or None,
                        max_bytes=int(float(max_mb) * 1024 * 1024) if max_mb else None)


def save_smtp_settings(db: Database, settings: SmtpSettings, *, from_addr: str | None = None,
                       preset: str | None = None) -> None:
    with db.transaction():
        repo.set_setting(db, "smtp_host", settings.host)
        repo.set_setting(db, "smtp_port", str(settings.port))
        repo.set_setting(db, "smtp_security", settings.security)
        repo.set_setting(db, "smtp_user", settings.user)
        repo.set_setting(db, "smtp_max_mb", None if settings.max_bytes is None else str(settings.max_bytes / 1024 / 1024))
        if from_addr is not None:
            repo.set_setting(db, "smtp_from", from_addr)
        if preset is not None:
            repo.set_setting(db, "smtp_preset", preset)
