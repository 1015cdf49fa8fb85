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
    import uuid  # on first use: not needed to open the window

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
        inds[r["project_id"]].append(Indicator(r["label"], r["target"], r["unit"], r["comparator"]))
    return [
        Project(
            id=r["id"], list_id=r["list_id"], section=r["section_name"], number=r["number"], name=r["name"],
            parent_id=r["parent_id"], parent_number=r["parent_number"], investment_wan=r["investment_wan"],
            target=r["target"], lead_units=tuple(units[(r["id"], "lead")]),
            partner_units=tuple(units[(r["id"], "partner")]), note=r["note"], deadline=r["deadline"],
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


def _unit_ids(tables, names: set[str]) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """The units' row ids, adding the names not held yet."""
    units = tables["units"]
    units.insert_all(({"name": n} for n in sorted(names)), ignore=True)
    return {r["name"]: r["id"] for r in units.rows_where(select="id, name") if r["name"] in names}


def save_list(db: Database, parsed: ParsedList, plan: ReconcilePlan | None, summary: dict) -> int:
    """Store a parsed list, applying a reconcile plan when the list exists. One transaction.

    Through sqlite-utils: the list's row, its sections, then its projects, units and indicators in bulk
    (``insert_all``/``upsert_all``: a fixed number of statements whatever the size of the list)."""
    assert parsed.year is not None and parsed.region
    ts = now_iso()
    c = parsed.contact or Contact()
    due = parsed.report_due
    header = json.dumps([list(r) for r in parsed.header_rows], ensure_ascii=False)
    fields = {"title": parsed.title, "notice_title": parsed.notice_title, "issuer": parsed.issuer,
              "doc_number": parsed.doc_number, "issued_on": parsed.issued_on, "contact_unit": c.unit,
              "contact_name": c.name, "contact_phone": c.phone, "contact_email": c.email,
              "due_rule": due.rule if due else None, "due_day": due.day if due else None,
              "due_text": due.text if due else None, "source_file": parsed.source_file, "header_json": header,
              "imported_at": ts}
    with db.transaction() as conn:
        tables = db.db
        found = list(tables["target_lists"].rows_where("year = ? AND region = ?", [parsed.year, parsed.region],
                                                       select="id"))
        if not found:
            list_id = int(tables["target_lists"].insert({"year": parsed.year, "region": parsed.region,
                                                         **fields}).last_pk)
        else:
            list_id = found[0]["id"]
            tables["target_lists"].update(list_id, fields)
        # Sections: replace by name, keep ids where names persist.
        sections = tables["sections"]
        existing = {r["name"]: r["id"] for r in sections.rows_where("list_id = ?", [list_id], select="id, name")}
        section_ids: dict[str, int] = {}
        for pos, s in enumerate(parsed.sections):
            values = {"position": pos, "title": s.title, "level": s.level,
                      "total_investment_wan": s.total_investment_wan, "declared_items": s.declared_items,
                      "declared_projects": s.declared_projects}
            if s.name in existing:
                sections.update(existing[s.name], values)
                section_ids[s.name] = existing[s.name]
            else:
                section_ids[s.name] = int(sections.insert({"list_id": list_id, "name": s.name, **values}).last_pk)
        matches = plan.matches if plan is not None else [None] * len(parsed.projects)
        ids = [m or new_project_id() for m in matches]
        projects = tables["projects"]
        created = {r["id"]: r["created_at"] for r in projects.rows_where("list_id = ?", [list_id],
                                                                         select="id, created_at")}
        by_key = {(p.section, p.number): ids[i] for i, p in enumerate(parsed.projects)}
        unit_ids = _unit_ids(tables, {u for p in parsed.projects for u in (*p.lead_units, *p.partner_units)})
        # Withdrawn first, so their positions never collide with the new order.
        if plan is not None:
            conn.executemany("UPDATE projects SET withdrawn=1, position=position+100000, updated_at=? WHERE id=?",
                             [(ts, old.id) for old in plan.removed])
        inserts, updates, unit_rows, indicator_rows = [], [], [], []
        for pos, (pid, p) in enumerate(zip(ids, parsed.projects)):
            row = {"id": pid, "list_id": list_id, "section_id": section_ids.get(p.section) if p.section else None,
                   "parent_id": by_key.get((p.section, p.parent)) if p.parent else None, "position": pos,
                   "number": p.number, "name": p.name, "investment_wan": p.investment_wan, "target": p.target,
                   "note": p.note, "deadline": p.deadline, "is_leaf": int(p.is_leaf), "withdrawn": 0,
                   "created_at": created.get(pid, ts), "updated_at": ts}
            (updates if pid in created else inserts).append(row)
            unit_rows += [{"project_id": pid, "unit_id": unit_ids[u], "role": "lead", "position": k}
                          for k, u in enumerate(p.lead_units)]
            unit_rows += [{"project_id": pid, "unit_id": unit_ids[u], "role": "partner", "position": k}
                          for k, u in enumerate(p.partner_units)]
            indicator_rows += [{"project_id": pid, "position": k, "label": i.label, "target": i.target,
                                "unit": i.unit, "comparator": i.comparator} for k, i in enumerate(p.indicators)]
        # New rows first (in order, so a parent precedes its sub-projects), then the projects that were already
        # there (their created_at as stored: the upsert writes back the value it read).
        projects.insert_all(inserts)
        projects.upsert_all(updates, pk="id")
        kept = [(row["id"],) for row in updates]
        conn.executemany("DELETE FROM project_units WHERE project_id=?", kept)
        conn.executemany("DELETE FROM indicators WHERE project_id=?", kept)
        tables["project_units"].insert_all(unit_rows)
        tables["indicators"].insert_all(indicator_rows)
        tables["import_log"].insert({"list_id": list_id, "imported_at": ts, "source_file": parsed.source_file,
                                     "summary_json": json.dumps(summary, ensure_ascii=False)})
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
