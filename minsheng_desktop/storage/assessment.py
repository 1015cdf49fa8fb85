"""When the reports of a list arrived, for the 考核评比 (services/assessment.py): the first time each report was
saved (its edit history) and the first time each unit's returned file was collected for a month (collect_log)."""

from __future__ import annotations

from .db import Database


def first_saved(db: Database, list_id: int) -> dict[tuple[str, str], str]:
    """(project id, month) -> when its live report was first saved (the earliest entry of its history)."""
    return {(r[0], r[1]): r[2] for r in db.conn.execute(
        """SELECT r.project_id, r.month, MIN(h.changed_at) FROM report_history h
           JOIN reports r ON r.id = h.report_id JOIN projects p ON p.id = r.project_id
           WHERE p.list_id = ? AND r.deleted = 0 GROUP BY r.id""", (list_id,))}


def unit_collected(db: Database, list_id: int) -> dict[tuple[str, str], str]:
    """(unit, month) -> when a file of that unit was first collected into the list's month."""
    return {(r[0], r[1]): r[2] for r in db.conn.execute(
        """SELECT unit, month, MIN(collected_at) FROM collect_log
           WHERE list_id = ? AND unit IS NOT NULL AND unit <> '' GROUP BY unit, month""", (list_id,))}
