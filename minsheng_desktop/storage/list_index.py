"""The target lists as the window lists them, read light: every list with its sections, projects per list, the
list a project is in; and the two mail figures shown beside a list (the months whose report went out, the
messages waiting in the 发件箱).

Plain tuples through ``db.conn`` (never sqlite-utils), a fixed number of statements each: the window reads all
400 lists of a city at start."""

from __future__ import annotations

from ..domain.model import Contact, ReportDue, Section, TargetList
from .db import Database

_LIST_COLUMNS = ("id, year, region, title, notice_title, issuer, doc_number, issued_on, contact_unit, "
                 "contact_name, contact_phone, contact_email, due_rule, due_day, due_text, source_file, "
                 "imported_at")


def target_lists(db: Database) -> list[TargetList]:
    """Every list with its sections, newest year first: the same as ``repo.list_target_lists`` (checked in
    tests/test_query_counts.py), read as plain tuples in two statements (no dict per row, no ``SELECT *`` with
    the header JSON): the window reads all 400 lists of a city at start."""
    sections: dict[int, list[Section]] = {}
    for list_id, *sec in db.conn.execute(
            "SELECT list_id, title, name, level, total_investment_wan, declared_items, declared_projects "
            "FROM sections ORDER BY list_id, position"):
        sections.setdefault(list_id, []).append(Section(*sec))
    out = []
    for (list_id, year, region, title, notice_title, issuer, doc_number, issued_on, c_unit, c_name, c_phone,
         c_email, rule, day, due_text, source_file, imported_at) in db.conn.execute(
            f"SELECT {_LIST_COLUMNS} FROM target_lists ORDER BY year DESC, region"):
        contact = Contact(c_unit, c_name, c_phone, c_email) if c_unit or c_name or c_phone or c_email \
            else None
        due = ReportDue(rule, day, due_text or "") if rule else None
        out.append(TargetList(list_id, year, region, title, notice_title, issuer, doc_number, issued_on,
                              contact, due, source_file, imported_at, tuple(sections.get(list_id, ()))))
    return out


def project_counts(db: Database) -> dict[int, int]:
    """list id -> number of projects (so collapsed, not yet loaded lists know whether they have children)."""
    return dict(db.conn.execute("SELECT list_id, count(*) FROM projects GROUP BY list_id"))


def list_of_project(db: Database, project_id: str) -> int | None:
    row = db.conn.execute("SELECT list_id FROM projects WHERE id = ?", (project_id,)).fetchone()
    return None if row is None else int(row[0])


def outbox_count(db: Database) -> int:
    """How many messages wait in the 发件箱 (the panel itself is built on first use)."""
    try:
        return int(db.conn.execute("SELECT count(*) FROM outbox").fetchone()[0])
    except Exception:  # noqa: BLE001 - an old file without the table: nothing waits
        return 0


def sent_months(db: Database, list_id: int) -> dict[str, str]:
    """month -> when its report mail last went out (storage.outbox.sent_months is this function)."""
    return dict(db.conn.execute(
        "SELECT month, max(sent_at) FROM sent_log WHERE list_id = ? GROUP BY month", (list_id,)))
