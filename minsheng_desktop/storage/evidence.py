"""Rows for 佐证材料 (evidence): files stored once by sha256 (evidence_files), attached to reports (evidence).

Only SQL: preparing images and building the items is services/evidence.py's. Rows come back as tuples
in the column order of ``ITEM_COLUMNS``.
"""

from __future__ import annotations

from ..domain.model import Report
from . import reports as report_repo
from .db import Database

# id, project_id, month, sha256, filename, caption, mime, width, height, size
ITEM_COLUMNS = ("id", "project_id", "month", "sha256", "filename", "caption", "mime", "width", "height", "size")

_SELECT = """SELECT e.id, r.project_id, r.month, e.sha256, e.filename, e.caption, f.mime, f.width, f.height, f.size
             FROM evidence e JOIN reports r ON r.id = e.report_id JOIN evidence_files f ON f.sha256 = e.sha256"""


def _rows(db: Database, where: str, args: tuple) -> list[tuple]:
    return [tuple(row) for row in db.conn.execute(f"{_SELECT} WHERE e.deleted = 0 AND {where}", args)]


def _report_id(db: Database, project_id: str, month: str) -> int:
    """The report's row id; an empty report is created when the month has none yet (inside the transaction)."""
    row = db.conn.execute("SELECT id, deleted FROM reports WHERE project_id=? AND month=?", (project_id, month)).fetchone()
    if row is None or row[1]:
        report_repo.save_report(db, Report(project_id, month))
        row = db.conn.execute("SELECT id FROM reports WHERE project_id=? AND month=?", (project_id, month)).fetchone()
    return int(row[0])


def attach(db: Database, project_id: str, month: str, *, sha256: str, mime: str, data: bytes, width: int | None,
           height: int | None, thumb: bytes, filename: str, caption: str | None, added_at: str) -> int:
    """Store the file (once per sha256) and attach it to the month's report (once per report), in one
    transaction; the report is created when missing. Returns the evidence row id (the existing one when the
    same content is already attached)."""
    with db.transaction() as conn:
        rid = _report_id(db, project_id, month)
        conn.execute("INSERT OR IGNORE INTO evidence_files (sha256, mime, size, width, height, data, thumb, added_at) "
                     "VALUES (?,?,?,?,?,?,?,?)", (sha256, mime, len(data), width, height, data, thumb, added_at))
        row = conn.execute("SELECT id FROM evidence WHERE report_id=? AND sha256=? AND deleted=0",
                           (rid, sha256)).fetchone()
        if row is not None:
            return int(row[0])
        pos = conn.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM evidence WHERE report_id=?", (rid,)).fetchone()[0]
        cur = conn.execute("INSERT INTO evidence (report_id, sha256, filename, caption, position, added_at) "
                           "VALUES (?,?,?,?,?,?)", (rid, sha256, filename, caption, pos, added_at))
        return int(cur.lastrowid)  # type: ignore[arg-type]


def item_row(db: Database, evidence_id: int) -> tuple | None:
    found = _rows(db, "e.id = ?", (evidence_id,))
    return found[0] if found else None


def project_rows(db: Database, project_id: str, month: str | None = None) -> list[tuple]:
    """A project's live items (of one month, or all months, newest month first), in the order added."""
    if month:
        return _rows(db, "r.project_id = ? AND r.month = ? ORDER BY e.position, e.id", (project_id, month))
    return _rows(db, "r.project_id = ? ORDER BY r.month DESC, e.position, e.id", (project_id,))


def month_rows(db: Database, list_id: int, month: str) -> list[tuple]:
    """Every live item of a list's month on live reports, in table order, then the order added."""
    return _rows(db, """r.month = ? AND r.deleted = 0 AND r.project_id IN (SELECT id FROM projects WHERE list_id = ?)
                        ORDER BY (SELECT position FROM projects WHERE id = r.project_id), e.position, e.id""",
                 (month, list_id))


def projects_led_by(db: Database, unit: str) -> set[str]:
    """Ids of the projects whose lead unit (牵头单位) has this name."""
    return {r[0] for r in db.conn.execute(
        "SELECT pu.project_id FROM project_units pu JOIN units u ON u.id = pu.unit_id WHERE pu.role='lead' AND u.name=?",
        (unit,))}


def project_names(db: Database, list_id: int) -> dict[str, tuple[str, str]]:
    """project id -> (number, name) for a list."""
    return {r[0]: (r[1], r[2]) for r in db.conn.execute("SELECT id, number, name FROM projects WHERE list_id=?",
                                                        (list_id,))}


def set_caption(db: Database, evidence_id: int, caption: str | None) -> None:
    with db.transaction() as conn:
        conn.execute("UPDATE evidence SET caption=? WHERE id=?", (caption, evidence_id))


def mark_deleted(db: Database, evidence_id: int) -> None:
    """The item is kept as deleted; the file stays for other reports and older backups."""
    with db.transaction() as conn:
        conn.execute("UPDATE evidence SET deleted=1 WHERE id=?", (evidence_id,))


def file_data(db: Database, sha256: str) -> bytes:
    row = db.conn.execute("SELECT data FROM evidence_files WHERE sha256=?", (sha256,)).fetchone()
    return bytes(row[0]) if row else b""


def thumbnail(db: Database, sha256: str) -> bytes:
    row = db.conn.execute("SELECT thumb FROM evidence_files WHERE sha256=?", (sha256,)).fetchone()
    return bytes(row[0]) if row and row[0] else b""
