"""Rows <-> entities for the projects' 实施方案 (domain.plan): a plan row per project and its monthly nodes.

Reads are two queries for a whole list whatever its size; a project's plan is replaced whole in one transaction
(rows in plain SQL, as storage/db.py says), and left untouched when nothing differs."""

from __future__ import annotations

from collections import defaultdict

from ..domain.month import Month
from ..domain.plan import Milestone, Plan, make_plan
from .db import Database, now_iso

_PLAN_SQL = """SELECT pl.project_id, pl.responsible, pl.phone, pl.measures FROM plans pl
               JOIN projects p ON p.id = pl.project_id WHERE p.list_id = ?"""
_NODE_SQL = """SELECT m.project_id, m.month, m.text, m.percent FROM plan_milestones m
               JOIN projects p ON p.id = m.project_id WHERE p.list_id = ? ORDER BY m.project_id, m.month"""


def plans_for_list(db: Database, list_id: int) -> dict[str, Plan]:
    """project id -> its plan, for every project of the list that has one (withdrawn ones too): two queries."""
    nodes: dict[str, list[Milestone]] = defaultdict(list)
    for r in db.query(_NODE_SQL, (list_id,)):
        nodes[r["project_id"]].append(Milestone(Month.parse(r["month"]), r["text"], r["percent"]))
    return {r["project_id"]: Plan(r["project_id"], r["responsible"], r["phone"], r["measures"],
                                  tuple(nodes.get(r["project_id"], ())))
            for r in db.query(_PLAN_SQL, (list_id,))}


def get_plan(db: Database, project_id: str) -> Plan | None:
    row = db.conn.execute("SELECT responsible, phone, measures FROM plans WHERE project_id = ?",
                          (project_id,)).fetchone()
    if row is None:
        return None
    nodes = tuple(Milestone(Month.parse(m), t, p) for m, t, p in db.conn.execute(
        "SELECT month, text, percent FROM plan_milestones WHERE project_id = ? ORDER BY month", (project_id,)))
    return Plan(project_id, row[0], row[1], row[2], nodes)


def _plans_of(db: Database, project_ids: list[str]) -> dict[str, Plan]:
    """project id -> its stored plan, for these projects (two queries)."""
    if not project_ids:
        return {}
    marks = ",".join("?" * len(project_ids))
    nodes: dict[str, list[Milestone]] = defaultdict(list)
    for pid, month, text, percent in db.conn.execute(
            f"SELECT project_id, month, text, percent FROM plan_milestones WHERE project_id IN ({marks}) "
            "ORDER BY project_id, month", project_ids):
        nodes[pid].append(Milestone(Month.parse(month), text, percent))
    return {pid: Plan(pid, responsible, phone, measures, tuple(nodes.get(pid, ())))
            for pid, responsible, phone, measures in db.conn.execute(
                f"SELECT project_id, responsible, phone, measures FROM plans WHERE project_id IN ({marks})",
                project_ids)}


def replace_plans(db: Database, plans: list[Plan]) -> int:
    """Store each plan whole in place of the project's old one (an empty plan removes it), all in one
    transaction; plans equal to what is stored are not written. Returns how many projects changed."""
    wanted = [make_plan(p.project_id, p.responsible, p.phone, p.measures, p.milestones) for p in plans]
    changed = 0
    with db.transaction() as conn:
        stored: dict[str, Plan] = {}
        ids = list(dict.fromkeys(p.project_id for p in wanted))
        for i in range(0, len(ids), 500):  # SQLite's limit on bound values
            stored.update(_plans_of(db, ids[i:i + 500]))
        for plan in wanted:
            old = stored.get(plan.project_id)
            if (old is None and plan.is_empty) or old == plan:
                continue
            changed += 1
            stored[plan.project_id] = plan
            conn.execute("DELETE FROM plan_milestones WHERE project_id = ?", (plan.project_id,))
            if plan.is_empty:
                conn.execute("DELETE FROM plans WHERE project_id = ?", (plan.project_id,))
                continue
            conn.execute("INSERT INTO plans (project_id, responsible, phone, measures, updated_at) VALUES (?,?,?,?,?) "
                         "ON CONFLICT(project_id) DO UPDATE SET responsible=excluded.responsible, phone=excluded.phone, "
                         "measures=excluded.measures, updated_at=excluded.updated_at",
                         (plan.project_id, plan.responsible, plan.phone, plan.measures, now_iso()))
            conn.executemany("INSERT INTO plan_milestones (project_id, month, text, percent) VALUES (?,?,?,?)",
                             [(plan.project_id, str(m.month), m.text, m.percent) for m in plan.milestones])
    return changed


def replace_plan(db: Database, plan: Plan) -> bool:
    """Store one project's plan (see replace_plans); True when it changed."""
    return replace_plans(db, [plan]) > 0
