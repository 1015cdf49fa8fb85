"""Rows <-> entities for target lists and projects. Every read of a list is a fixed number of queries."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import TYPE_CHECKING

from ..domain.model import Contact, Indicator, ParsedList, Project, ReportDue, Section, TargetList
from .db import Database, StoreError, now_iso

if TYPE_CHECKING:  # the window does not import the reconciler at start-up
    from ..domain.reconcile import ReconcilePlan


def new_project_id() -> str:
    import uuid  # deferred: not needed to open the window

    return "p-" + uuid.uuid4().hex[:12]


# ------------------------------------------------------------------ lists


def _list_from_row(row: dict, sections: tuple[Section, ...] = ()) -> TargetList:
    contact = None
    if any(row.get(k) for k in ("contact_unit", "contact_name", "contact_phone", "contact_email")):
        contact = Contact(row["contact_unit"], row["contact_name"], row["contact_phone"], row["contact_email"])
    due = ReportDue(row["due_rule"], row["due_day"], row["due_text"] or "") if row.get("due_rule") else None
    return TargetList(
        id=row["id"], year=row["year"], region=row["region"], title=row["title"],
        notice_title=row["notice_title"], issuer=row["issuer"], doc_number=row["doc_number"],
        issued_on=row["issued_on"], contact=contact, report_due=due, source_file=row["source_file"],
        imported_at=row["imported_at"], sections=sections,
    )


def list_target_lists(db: Database) -> list[TargetList]:
    rows = list(db.query("SELECT * FROM target_lists ORDER BY year DESC, region"))
    secs = _sections_by_list(db)
    return [_list_from_row(r, tuple(secs.get(r["id"], ()))) for r in rows]


def get_target_list(db: Database, list_id: int) -> TargetList | None:
    rows = list(db.query("SELECT * FROM target_lists WHERE id = ?", [list_id]))
    if not rows:
        return None
    return _list_from_row(rows[0], tuple(_sections_by_list(db, list_id).get(list_id, ())))


def find_target_list(db: Database, year: int, region: str) -> TargetList | None:
    rows = list(db.query("SELECT id FROM target_lists WHERE year = ? AND region = ?", [year, region]))
    return get_target_list(db, rows[0]["id"]) if rows else None


def _sections_by_list(db: Database, list_id: int | None = None) -> dict[int, list[Section]]:
    sql = "SELECT * FROM sections" + (" WHERE list_id = ?" if list_id is not None else "") + " ORDER BY list_id, position"
    out: dict[int, list[Section]] = defaultdict(list)
    for r in db.query(sql, [list_id] if list_id is not None else []):
        out[r["list_id"]].append(Section(r["title"], r["name"], r["level"], r["total_investment_wan"],
                                         r["declared_items"], r["declared_projects"]))
    return out


def update_contact(db: Database, list_id: int, contact: Contact | None) -> None:
    c = contact or Contact()
    with db.transaction() as conn:
        conn.execute(
            "UPDATE target_lists SET contact_unit=?, contact_name=?, contact_phone=?, contact_email=? WHERE id=?",
            [c.unit, c.name, c.phone, c.email, list_id],
        )


# ------------------------------------------------------------------ projects


def load_projects(db: Database, list_id: int, *, include_withdrawn: bool = True) -> list[Project]:
    """All projects of a list, with units and indicators, in three queries."""
    where = "p.list_id = ?" + ("" if include_withdrawn else " AND p.withdrawn = 0")
    rows = list(db.query(
        f"""SELECT p.*, s.name AS section_name, pp.number AS parent_number
            FROM projects p LEFT JOIN sections s ON s.id = p.section_id
            LEFT JOIN projects pp ON pp.id = p.parent_id
            WHERE {where} ORDER BY p.position""",
        [list_id],
    ))
    units: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in db.query(
        """SELECT pu.project_id, pu.role, u.name FROM project_units pu JOIN units u ON u.id = pu.unit_id
           JOIN projects p ON p.id = pu.project_id WHERE p.list_id = ? ORDER BY pu.project_id, pu.role, pu.position""",
        [list_id],
    ):
        units[(r["project_id"], r["role"])].append(r["name"])
    inds: dict[str, list[Indicator]] = defaultdict(list)
    for r in db.query(
        """SELECT i.* FROM indicators i JOIN projects p ON p.id = i.project_id
           WHERE p.list_id = ? ORDER BY i.project_id, i.position""",
        [list_id],
    ):
        inds[r["project_id"]].append(  # the column "unit" holds the indicator's measure
            Indicator(r["label"], r["target"], measure=r["unit"], comparator=r["comparator"]))
    return [
        Project(
            id=r["id"], list_id=r["list_id"], section=r["section_name"], number=r["number"], name=r["name"],
            parent_id=r["parent_id"], parent_number=r["parent_number"], investment_wan=r["investment_wan"],
            target=r["target"], lead_units=tuple(units[(r["id"], "lead")]),
            partner_units=tuple(units[(r["id"], "partner")]), note=r["note"], completion_term=r["deadline"],
            is_leaf=bool(r["is_leaf"]), withdrawn=bool(r["withdrawn"]), position=r["position"],
            indicators=tuple(inds[r["id"]]),
        )
        for r in rows
    ]


def list_units(db: Database, list_id: int | None = None, role: str = "lead") -> list[str]:
    sql = """SELECT DISTINCT u.name FROM units u JOIN project_units pu ON pu.unit_id = u.id
             JOIN projects p ON p.id = pu.project_id WHERE pu.role = ? AND p.withdrawn = 0"""
    args: list[object] = [role]
    if list_id is not None:
        sql += " AND p.list_id = ?"
        args.append(list_id)
    return sorted(r["name"] for r in db.query(sql, args))


def _unit_ids(conn, names: set[str]) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """The units' row ids, adding the names not held yet (two statements whatever the number of names)."""
    conn.executemany("INSERT OR IGNORE INTO units (name) VALUES (?)", [(n,) for n in sorted(names)])
    return {name: uid for uid, name in conn.execute("SELECT id, name FROM units") if name in names}


_LIST_COLUMNS = ("title", "notice_title", "issuer", "doc_number", "issued_on", "contact_unit", "contact_name",
                 "contact_phone", "contact_email", "due_rule", "due_day", "due_text", "source_file", "header_json",
                 "imported_at")
_SECTION_COLUMNS = ("position", "title", "level", "total_investment_wan", "declared_items", "declared_projects")
_PROJECT_COLUMNS = ("list_id", "section_id", "parent_id", "position", "number", "name", "investment_wan", "target",
                    "note", "deadline", "is_leaf", "updated_at", "id")


def save_list(db: Database, parsed: ParsedList, plan: ReconcilePlan | None, summary: dict) -> int:
    """Store a parsed list, applying a reconcile plan when the list exists. One transaction.

    Rows in SQL on the connection (storage/db.py): the list's row and its sections one by one (a handful), then
    the projects, their units and indicators with one ``executemany`` per statement — a fixed number of
    statements whatever the size of the list."""
    assert parsed.year is not None and parsed.region
    ts = now_iso()
    c = parsed.contact or Contact()
    due = parsed.report_due
    header = json.dumps([list(r) for r in parsed.header_rows], ensure_ascii=False)
    values = (parsed.title, parsed.notice_title, parsed.issuer, parsed.doc_number, parsed.issued_on, c.unit, c.name,
              c.phone, c.email, due.rule if due else None, due.day if due else None, due.text if due else None,
              parsed.source_file, header, ts)
    with db.transaction() as conn:
        found = conn.execute("SELECT id FROM target_lists WHERE year = ? AND region = ?",
                             (parsed.year, parsed.region)).fetchone()
        if found is None:
            list_id = int(conn.execute(
                f"INSERT INTO target_lists (year, region, {', '.join(_LIST_COLUMNS)}) "
                f"VALUES (?, ?, {', '.join('?' * len(_LIST_COLUMNS))})", (parsed.year, parsed.region, *values),
            ).lastrowid)  # type: ignore[arg-type]
        else:
            list_id = found[0]
            conn.execute(f"UPDATE target_lists SET {', '.join(f'{col} = ?' for col in _LIST_COLUMNS)} WHERE id = ?",
                         (*values, list_id))
        # Sections: replace by name, keep ids where names persist.
        existing = {name: sid for sid, name in conn.execute("SELECT id, name FROM sections WHERE list_id = ?",
                                                            (list_id,))}
        section_ids: dict[str, int] = {}
        for pos, s in enumerate(parsed.sections):
            fields = (pos, s.title, s.level, s.total_investment_wan, s.declared_items, s.declared_projects)
            if s.name in existing:
                conn.execute(f"UPDATE sections SET {', '.join(f'{col} = ?' for col in _SECTION_COLUMNS)} "
                             "WHERE id = ?", (*fields, existing[s.name]))
                section_ids[s.name] = existing[s.name]
            else:
                section_ids[s.name] = int(conn.execute(
                    f"INSERT INTO sections (list_id, name, {', '.join(_SECTION_COLUMNS)}) "
                    f"VALUES (?, ?, {', '.join('?' * len(_SECTION_COLUMNS))})", (list_id, s.name, *fields),
                ).lastrowid)  # type: ignore[arg-type]
        matches = plan.matches if plan is not None else [None] * len(parsed.projects)
        ids = [m or new_project_id() for m in matches]
        present = {pid for (pid,) in conn.execute("SELECT id FROM projects WHERE list_id = ?", (list_id,))}
        by_key = {(p.section, p.number): ids[i] for i, p in enumerate(parsed.projects)}
        unit_ids = _unit_ids(conn, {u for p in parsed.projects for u in (*p.lead_units, *p.partner_units)})
        # Withdrawn first, so their positions never collide with the new order.
        if plan is not None:
            conn.executemany("UPDATE projects SET withdrawn = 1, position = position + 100000, updated_at = ? "
                             "WHERE id = ?", [(ts, old.id) for old in plan.removed])
        inserts, updates, unit_rows, indicator_rows = [], [], [], []
        for pos, (pid, p) in enumerate(zip(ids, parsed.projects)):
            row = (list_id, section_ids.get(p.section) if p.section else None,
                   by_key.get((p.section, p.parent)) if p.parent else None, pos, p.number, p.name, p.investment_wan,
                   p.target, p.note, p.completion_term, int(p.is_leaf), ts, pid)
            (updates if pid in present else inserts).append(row)
            unit_rows += [(pid, unit_ids[u], "lead", k) for k, u in enumerate(p.lead_units)]
            unit_rows += [(pid, unit_ids[u], "partner", k) for k, u in enumerate(p.partner_units)]
            indicator_rows += [(pid, k, i.label, i.target, i.measure, i.comparator) for k,
                               i in enumerate(p.indicators)]
        # New rows first (in order, so a parent precedes its sub-projects), then the projects that were already
        # there (their created_at left as it is).
        conn.executemany(f"INSERT INTO projects ({', '.join(_PROJECT_COLUMNS)}, withdrawn, created_at) "
                         f"VALUES ({', '.join('?' * len(_PROJECT_COLUMNS))}, 0, ?)", [(*row, ts) for row in inserts])
        conn.executemany(f"UPDATE projects SET {', '.join(f'{col} = ?' for col in _PROJECT_COLUMNS[:-1])}, "
                         "withdrawn = 0 WHERE id = ?", updates)
        kept = [(row[-1],) for row in updates]
        conn.executemany("DELETE FROM project_units WHERE project_id = ?", kept)
        conn.executemany("DELETE FROM indicators WHERE project_id = ?", kept)
        conn.executemany("INSERT INTO project_units (project_id, unit_id, role, position) VALUES (?, ?, ?, ?)",
                         unit_rows)
        conn.executemany("INSERT INTO indicators (project_id, position, label, target, unit, comparator) "
                         "VALUES (?, ?, ?, ?, ?, ?)", indicator_rows)
        conn.execute("INSERT INTO import_log (list_id, imported_at, source_file, summary_json) VALUES (?, ?, ?, ?)",
                     (list_id, ts, parsed.source_file, json.dumps(summary, ensure_ascii=False)))
    return list_id


def import_history(db: Database, list_id: int) -> list[dict]:
    return [dict(r, summary=json.loads(r["summary_json"])) for r in
            db.query("SELECT * FROM import_log WHERE list_id=? ORDER BY id", [list_id])]


def has_target_lists(db: Database) -> bool:
    """Whether the file holds any target list yet (before that there is nothing to back up)."""
    return db.conn.execute("SELECT COUNT(*) FROM target_lists").fetchone()[0] > 0


def get_setting(db: Database, key: str, default: str | None = None) -> str | None:
    row = db.conn.execute("SELECT value FROM settings WHERE key=?", (key,)).fetchone()
    return row[0] if row else default


def set_setting(db: Database, key: str, value: str | None) -> None:
    with db.transaction() as conn:
        conn.execute("INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                     (key, value))


def set_withdrawn(db: Database, list_id: int, flags: dict[str, bool]) -> None:
    ts = now_iso()
    with db.transaction() as conn:
        for pid, w in flags.items():
            conn.execute("UPDATE projects SET withdrawn=?, updated_at=? WHERE id=? AND list_id=? AND withdrawn<>?",
                         (int(w), ts, pid, list_id, int(w)))


def project_ids_elsewhere(db: Database, list_id: int | None) -> set[str]:
    """Ids used by the projects of every other list (ids are unique across the whole database)."""
    return {r["id"] for r in db.query("SELECT id FROM projects WHERE list_id IS NOT ?", [list_id])}


class SelectionError(StoreError):
    """No list, or more than one, matches what was asked for."""


def select_list(db: Database, year: int | None = None, region: str | None = None) -> TargetList:
    """The one list --year/--region (or the window's choice) pick; with one list held they may be left out."""
    lists = [t for t in list_target_lists(db)
             if (year is None or t.year == year) and (region is None or t.region == region)]
    if not lists:
        what = "".join(x for x in (f"{year}年" if year else "", region or "") if x)
        raise SelectionError(f"数据库中没有{what or '任何'}目标任务：请先用 import-targets 导入。")
    if len(lists) > 1:
        names = "、".join(t.label for t in lists[:6])
        raise SelectionError(f"数据库中有多份目标任务（{names}）：请用 --year 和 --region 指定一份。")
    return lists[0]
