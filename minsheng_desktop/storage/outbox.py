"""Rows for the 发件箱 (outbox), the sent log and the SMTP settings (never the password).

Only SQL and the columns' JSON — rows in SQL on the connection, reads through ``query()`` (storage/db.py):
composing, sending and the records built from these rows are minsheng_desktop.services.outbox's. Since schema v3
the outbox and the sent log keep which projects a message reports on (project_ids_json).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from . import list_index, repo
from .db import Database, now_iso
from .reports import mark_submitted

SMTP_KEYS = ("smtp_host", "smtp_port", "smtp_security", "smtp_user", "smtp_max_mb", "smtp_from", "smtp_preset")

# ------------------------------------------------------------------ outbox


def insert_outbox(db: Database, *, list_id: int | None, month: str, unit: str | None, recipient: str, subject: str,
                  eml: bytes, error: str | None, project_ids: Iterable[str]) -> int:
    """A message kept to be sent later; a failed first attempt counts as one attempt."""
    with db.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO outbox (list_id, month, unit, recipient, subject, eml, created_at, last_error, attempts, "
            "project_ids_json) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (list_id, month, unit, recipient, subject, eml, now_iso(), error, 1 if error else 0,
             json.dumps(list(project_ids))),
        )
        return int(cur.lastrowid)  # type: ignore[arg-type]


def outbox_rows(db: Database, list_id: int | None = None) -> list[dict]:
    """id, list_id, month, unit, recipient, subject, created_at, last_error, attempts, size (of the .eml)."""
    sql = ("SELECT id, list_id, month, unit, recipient, subject, created_at, last_error, attempts, length(eml) AS size "
           "FROM outbox" + (" WHERE list_id = ?" if list_id is not None else "") + " ORDER BY id")
    return list(db.query(sql, [list_id] if list_id is not None else []))


def outbox_eml(db: Database, outbox_id: int) -> bytes | None:
    row = db.conn.execute("SELECT eml FROM outbox WHERE id = ?", (outbox_id,)).fetchone()
    return None if row is None else bytes(row[0])


def outbox_message(db: Database, outbox_id: int) -> tuple | None:
    """(list_id, month, unit, recipient, subject, eml bytes, project ids tuple), or None when gone."""
    row = db.conn.execute("SELECT list_id, month, unit, recipient, subject, eml, project_ids_json FROM outbox "
                          "WHERE id = ?", (outbox_id,)).fetchone()
    if row is None:
        return None
    return row[0], row[1], row[2], row[3], row[4], bytes(row[5]), tuple(json.loads(row[6]))


def delete_outbox(db: Database, outbox_id: int) -> bool:
    with db.transaction() as conn:
        return conn.execute("DELETE FROM outbox WHERE id = ?", (outbox_id,)).rowcount > 0


def note_failure(db: Database, outbox_id: int, error: str) -> None:
    """Another failed attempt on an outbox entry."""
    with db.transaction() as conn:
        conn.execute("UPDATE outbox SET last_error = ?, attempts = attempts + 1 WHERE id = ?", (error, outbox_id))


# ------------------------------------------------------------------ sent log


def record_sent(db: Database, *, list_id: int | None, month: str, unit: str | None, recipient: str, subject: str,
                files: list[dict[str, object]], project_ids: Iterable[str], sent_at: str | None = None,
                outbox_id: int | None = None) -> int:
    """One transaction: the sent-log row, the reports marked submitted that day, the outbox entry (if any) gone."""
    when = sent_at or now_iso()
    ids = list(project_ids)
    with db.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO sent_log (list_id, month, unit, sent_at, recipient, subject, files_json, project_ids_json) "
            "VALUES (?,?,?,?,?,?,?,?)",
            (list_id, month, unit, when, recipient, subject, json.dumps(files, ensure_ascii=False), json.dumps(ids)),
        )
        mark_submitted(db, ids, month, when[:10])
        if outbox_id is not None:
            conn.execute("DELETE FROM outbox WHERE id = ?", (outbox_id,))
        return int(cur.lastrowid)  # type: ignore[arg-type]


def sent_rows(db: Database, list_id: int | None = None, month: str | None = None) -> list[dict]:
    """Sent-log rows in order; files_json already decoded into ``files``."""
    where, args = [], []
    if list_id is not None:
        where.append("list_id = ?")
        args.append(list_id)
    if month is not None:
        where.append("month = ?")
        args.append(month)
    sql = "SELECT * FROM sent_log" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
    return [dict(r, files=json.loads(r["files_json"])) for r in db.query(sql, args)]


sent_months = list_index.sent_months  # month -> when it was last sent: the window's start-up read, one query


# ------------------------------------------------------------------ settings (never the password)


def smtp_values(db: Database) -> dict[str, str | None]:
    """The stored smtp_* settings (None when not set)."""
    return {key: repo.get_setting(db, key) for key in SMTP_KEYS}


def save_smtp_values(db: Database, values: Mapping[str, str | None]) -> None:
    """Write these smtp_* settings all or nothing."""
    unknown = set(values) - set(SMTP_KEYS)
    if unknown:
        raise ValueError(f"not an SMTP setting: {sorted(unknown)}")
    with db.transaction():
        for key, value in values.items():
            repo.set_setting(db, key, value)
