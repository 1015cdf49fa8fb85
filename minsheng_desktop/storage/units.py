"""The units' address book rows (table ``unit_contacts``) and the reminders sent (table ``remind_log``)."""

from __future__ import annotations

from ..domain.units import UnitContact
from .db import Database, now_iso


def list_units(db: Database) -> list[UnitContact]:
    return [UnitContact(*row) for row in db.conn.execute(
        "SELECT name, contact, phone, email, source FROM unit_contacts ORDER BY name")]


def save_units(db: Database, entries: list[UnitContact]) -> None:
    """Insert or replace these entries (by name), all or nothing."""
    at = now_iso()
    with db.transaction() as conn:
        conn.executemany(
            "INSERT INTO unit_contacts (name, contact, phone, email, source, updated_at) VALUES (?,?,?,?,?,?) "
            "ON CONFLICT(name) DO UPDATE SET contact=excluded.contact, phone=excluded.phone, email=excluded.email, "
            "source=excluded.source, updated_at=excluded.updated_at",
            [(e.name, e.contact, e.phone, e.email, e.source, at) for e in entries])


def delete_units(db: Database, names: list[str]) -> None:
    with db.transaction() as conn:
        conn.executemany("DELETE FROM unit_contacts WHERE name = ?", [(n,) for n in names])


def reminded(db: Database, list_id: int, month: str, day: str, how: str) -> set[str]:
    """The units reminded of ``month`` on ``day`` (YYYY-MM-DD) in this way (eml / send)."""
    return {r[0] for r in db.conn.execute(
        "SELECT DISTINCT unit FROM remind_log WHERE list_id=? AND month=? AND day=? AND how=?",
        (list_id, month, day, how))}


def log_reminder(db: Database, list_id: int, month: str, unit: str, recipient: str, how: str, day: str) -> None:
    """One reminder written or sent (inside the caller's transaction, when there is one)."""
    with db.transaction() as conn:
        conn.execute("INSERT INTO remind_log (list_id, month, unit, recipient, how, day, at) VALUES (?,?,?,?,?,?,?)",
                     (list_id, month, unit, recipient, how, day, now_iso()))


def replace_units(db: Database, entries: list[UnitContact]) -> None:
    """The whole address book as the window's table holds it, all or nothing."""
    at = now_iso()
    with db.transaction() as conn:
        conn.execute("DELETE FROM unit_contacts")
        conn.executemany(
            "INSERT INTO unit_contacts (name, contact, phone, email, source, updated_at) VALUES (?,?,?,?,?,?)",
            [(e.name, e.contact, e.phone, e.email, e.source, at) for e in entries])
