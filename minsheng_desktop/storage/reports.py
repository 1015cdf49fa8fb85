"""Rows <-> entities for monthly reports, with an edit history of every field change."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import replace

from ..domain.model import Report
from .db import Database, now_iso

REPORT_FIELDS = ("status", "percent", "investment_done_wan", "progress", "problems", "next_steps", "submitted_on",
                 "node_met")


def _from_rows(rows: list[dict], values: dict[int, dict[str, float]]) -> list[Report]:
    return [
        Report(
            project_id=r["project_id"], month=r["month"], status=r["status"], percent=r["percent"],
            investment_done_wan=r["investment_done_wan"], progress=r["progress"], problems=r["problems"],
            next_steps=r["next_steps"], indicator_actuals=values.get(r["id"], {}),
            submitted_on=r["submitted_on"], updated_at=r["updated_at"],
            node_met=None if r["node_met"] is None else bool(r["node_met"]),
        )
        for r in rows
    ]


def reports_for_list(db: Database, list_id: int, month: str | None = None) -> list[Report]:
    """Every live report of a list (or of one month of it), in two queries."""
    where = "p.list_id = ? AND r.deleted = 0" + (" AND r.month = ?" if month else "")
    args: list[object] = [list_id] + ([month] if month else [])
    rows = list(db.query(
        f"SELECT r.* FROM reports r JOIN projects p ON p.id = r.project_id WHERE {where} ORDER BY p.position, r.month",
        args,
    ))
    values: dict[int, dict[str, float]] = defaultdict(dict)
    for v in db.query(
        f"""SELECT v.report_id, v.label, v.value FROM indicator_values v JOIN reports r ON r.id = v.report_id
            JOIN projects p ON p.id = r.project_id WHERE {where}""",
        args,
    ):
        values[v["report_id"]][v["label"]] = v["value"]
    return _from_rows(rows, values)


def reports_for_project(db: Database, project_id: str) -> list[Report]:
    rows = list(db.query("SELECT * FROM reports WHERE project_id=? AND deleted=0 ORDER BY month", [project_id]))
    values: dict[int, dict[str, float]] = defaultdict(dict)
    for v in db.query(
        "SELECT v.* FROM indicator_values v JOIN reports r ON r.id = v.report_id WHERE r.project_id = ?",
        [project_id],
    ):
        values[v["report_id"]][v["label"]] = v["value"]
    return _from_rows(rows, values)


def get_report(db: Database, project_id: str, month: str) -> Report | None:
    for r in reports_for_project(db, project_id):
        if r.month == month:
            return r
    return None


def _as_text(v: object) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return str(int(v))  # node_met: True as stored, 1
    if isinstance(v, dict):
        return json.dumps({k: float(x) for k, x in v.items()}, ensure_ascii=False, sort_keys=True)
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return format(float(v), "g")  # 10 and 10.0 are the same value: one spelling in the history
    return str(v)


def save_report(db: Database, report: Report, *, keep_timestamp: bool = False) -> bool:
    """Insert or update one report in one transaction; returns False when nothing changed.

    Every changed field is written to report_history (when, which field, old, new)."""
    ts = report.updated_at if keep_timestamp and report.updated_at else now_iso()
    with db.transaction() as conn:
        old, old_vals = _stored_report(conn, report.project_id, report.month)
        return _write_report(conn, report, old, old_vals, ts)


def save_reports(db: Database, list_id: int, reports: list[Report], *, keep_timestamp: bool = False,
                 keep_node_answers: bool = False) -> int:
    """Insert or update many reports of one list in one transaction, each as ``save_report`` would; returns how
    many changed. The list's stored reports and their indicator values are read at once (two queries), so only
    the reports that change cost statements. ``keep_node_answers``: a report without an answer to "本月节点是否
    完成？" (node_met None) keeps the stored one — for files that do not carry it (load: the dump has no field)."""
    with db.transaction() as conn:
        stored = {(r["project_id"], r["month"]): r for r in db.query(
            "SELECT r.* FROM reports r JOIN projects p ON p.id = r.project_id WHERE p.list_id = ?", [list_id])}
        values: dict[int, dict[str, float]] = defaultdict(dict)
        for v in db.query("""SELECT v.report_id, v.label, v.value FROM indicator_values v
                             JOIN reports r ON r.id = v.report_id JOIN projects p ON p.id = r.project_id
                             WHERE p.list_id = ?""", [list_id]):
            values[v["report_id"]][v["label"]] = v["value"]
        written: set[tuple[str, str]] = set()
        changed = 0
        for report in reports:
            key = (report.project_id, report.month)
            if key in written:  # the same report twice: compare with what the first one wrote, as stored
                old, old_vals = _stored_report(conn, *key)
            else:
                old = stored.get(key)
                old_vals = values[old["id"]] if old else {}
            if keep_node_answers and report.node_met is None and old is not None and not old["deleted"] \
                    and old["node_met"] is not None:
                report = replace(report, node_met=bool(old["node_met"]))
            ts = report.updated_at if keep_timestamp and report.updated_at else now_iso()
            if _write_report(conn, report, old, old_vals, ts):
                written.add(key)
                changed += 1
    return changed


def _stored_report(conn, project_id: str, month: str):  # type: ignore[no-untyped-def]
    """A report's row (deleted or not) as a dict, or None, and its indicator values: (row, {label: value})."""
    cur = conn.execute("SELECT * FROM reports WHERE project_id=? AND month=?", (project_id, month))
    row = cur.fetchone()
    if row is None:
        return None, {}
    old = dict(zip([d[0] for d in cur.description], row))
    return old, {lbl: val for lbl, val in conn.execute(
        "SELECT label, value FROM indicator_values WHERE report_id=?", (old["id"],))}


def _write_report(conn, report: Report, old: dict | None, old_vals: dict[str, float],  # type: ignore[no-untyped-def]
                  ts: str) -> bool:
    """Write one report over its stored row (``old``: the row as a dict, or None) with its history, inside the
    caller's transaction; False when nothing changed."""
    new = {f: getattr(report, f) for f in REPORT_FIELDS}
    changes = []
    if old is None or old["deleted"]:
        base = {f: None for f in REPORT_FIELDS} if old is None else {f: old[f] for f in REPORT_FIELDS}
    else:
        base = {f: old[f] for f in REPORT_FIELDS}
    for f in REPORT_FIELDS:
        if base[f] != new[f]:
            changes.append((f, base[f], new[f]))
    if dict(old_vals) != dict(report.indicator_actuals):
        changes.append(("indicator_actuals", old_vals or None, dict(report.indicator_actuals) or None))
    if old is not None and not old["deleted"] and not changes:
        return False
    if old is None:
        cur = conn.execute(
            f"INSERT INTO reports (project_id, month, {', '.join(REPORT_FIELDS)}, updated_at) "
            f"VALUES (?, ?, {', '.join('?' * len(REPORT_FIELDS))}, ?)",
            (report.project_id, report.month, *[new[f] for f in REPORT_FIELDS], ts),
        )
        rid = int(cur.lastrowid)  # type: ignore[arg-type]
    else:
        rid = old["id"]
        sets = ", ".join(f"{f}=?" for f in REPORT_FIELDS)
        conn.execute(f"UPDATE reports SET {sets}, updated_at=?, deleted=0 WHERE id=?",
                     (*[new[f] for f in REPORT_FIELDS], ts, rid))
        if old["deleted"]:
            changes.insert(0, ("deleted", "1", "0"))
    conn.execute("DELETE FROM indicator_values WHERE report_id=?", (rid,))
    conn.executemany("INSERT INTO indicator_values (report_id, label, value) VALUES (?,?,?)",
                     [(rid, k, float(v)) for k, v in report.indicator_actuals.items()])
    conn.executemany(
        "INSERT INTO report_history (report_id, changed_at, field, old_value, new_value) VALUES (?,?,?,?,?)",
        [(rid, ts, f, _as_text(a), _as_text(b)) for f, a, b in changes],
    )
    return True


def _set_deleted(db: Database, project_id: str, month: str, deleted: bool) -> bool:
    """Mark a report deleted or live again; its history records the change. False when there was none."""
    ts = now_iso()
    with db.transaction() as conn:
        row = conn.execute("SELECT id FROM reports WHERE project_id=? AND month=? AND deleted=?",
                           (project_id, month, int(not deleted))).fetchone()
        if not row:
            return False
        conn.execute("UPDATE reports SET deleted=?, updated_at=? WHERE id=?", (int(deleted), ts, row[0]))
        conn.execute("INSERT INTO report_history (report_id, changed_at, field, old_value, new_value) "
                     "VALUES (?,?,?,?,?)", (row[0], ts, "deleted", str(int(not deleted)), str(int(deleted))))
    return True


def delete_report(db: Database, project_id: str, month: str) -> bool:
    """Mark a report deleted (it can be brought back)."""
    return _set_deleted(db, project_id, month, True)


def restore_report(db: Database, project_id: str, month: str) -> bool:
    return _set_deleted(db, project_id, month, False)


def report_history(db: Database, project_id: str) -> list[dict]:
    return list(db.query(
        """SELECT r.month, h.changed_at, h.field, h.old_value, h.new_value FROM report_history h
           JOIN reports r ON r.id = h.report_id WHERE r.project_id = ? ORDER BY h.id DESC""",
        [project_id],
    ))


def mark_submitted(db: Database, project_ids: list[str], month: str, day: str) -> None:
    with db.transaction() as conn:
        for pid in project_ids:
            conn.execute("UPDATE reports SET submitted_on=? WHERE project_id=? AND month=? AND deleted=0",
                         (day, pid, month))


def bulk_insert(db: Database, reports: list[Report]) -> int:
    """Insert many new reports in one transaction (the city-scale generator, tests); existing ones are left alone.

    Two ``executemany`` (storage/db.py): the reports, then their indicator values by INSERT ... SELECT, which finds
    each new report's row id in the same statement."""
    ts = now_iso()
    with db.transaction() as conn:
        before = conn.total_changes
        conn.executemany(
            f"INSERT OR IGNORE INTO reports (project_id, month, {', '.join(REPORT_FIELDS)}, updated_at) "
            f"VALUES (?, ?, {', '.join('?' * len(REPORT_FIELDS))}, ?)",
            [(r.project_id, r.month, *[getattr(r, f) for f in REPORT_FIELDS], r.updated_at or ts) for r in reports],
        )
        inserted = conn.total_changes - before
        conn.executemany(
            "INSERT OR IGNORE INTO indicator_values (report_id, label, value) "
            "SELECT id, ?, ? FROM reports WHERE project_id = ? AND month = ?",
            [(k, float(v), r.project_id, r.month) for r in reports for k, v in r.indicator_actuals.items()],
        )
    return inserted
