"""The returns taken from the mailbox (table ``mail_taken``): each message once, by Message-ID and attachment sha256."""

from __future__ import annotations

from dataclasses import dataclass

from .db import Database


@dataclass(frozen=True)
class TakenAttachment:
    message_id: str
    sha256: str
    list_id: int
    month: str
    from_addr: str | None
    unit: str | None
    subject: str | None
    taken_at: str


def taken_message_ids(db: Database) -> dict[str, str]:
    """Message-ID -> the month it was taken into (any list): such a message is not read again."""
    return {r[0]: r[1] for r in db.conn.execute("SELECT message_id, MIN(month) FROM mail_taken GROUP BY message_id")}


def record_taken(db: Database, rows: list[TakenAttachment]) -> None:
    """Remember these attachments as taken (inside the caller's transaction, when there is one)."""
    with db.transaction() as conn:
        conn.executemany(
            "INSERT OR IGNORE INTO mail_taken (message_id, sha256, list_id, month, from_addr, unit, subject, taken_at)"
            " VALUES (?,?,?,?,?,?,?,?)",
            [(r.message_id, r.sha256, r.list_id, r.month, r.from_addr, r.unit, r.subject, r.taken_at) for r in rows])
