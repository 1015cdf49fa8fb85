"""The projects' 实施方案: a project's plan and a list's plans for the window, replacing one, and writing the plan
as .xlsx (the table to fill) or .docx (the 备案 report). Reading a filled table back is services/plan_table.py's
(it loads the importers' .xlsx reader, which the window's start does without)."""

from __future__ import annotations

from pathlib import Path

from .. import fileio
from ..domain.model import TargetList
from ..domain.plan import Plan
from ..exporters.formats import FORMATS
from ..storage import plans as plan_repo
from ..storage import repo
from ..storage.db import Database
from .month_data import collect_month


class PlanError(Exception):
    """A plan that cannot be read or written; the message says what is wrong, in Chinese."""


def get_plan(db: Database, project_id: str) -> Plan | None:
    return plan_repo.get_plan(db, project_id)


def plans_of_list(db: Database, list_id: int) -> dict[str, Plan]:
    return plan_repo.plans_for_list(db, list_id)


def save_plan(db: Database, plan: Plan) -> bool:
    """Store one project's plan whole (an empty one removes it); True when it changed."""
    return plan_repo.replace_plan(db, plan)


def plan_form(db: Database, project_id: str, list_id: int) -> tuple[int, Plan | None]:
    """What the window's 实施方案 box shows: the list's year (its months) and the project's plan."""
    target_list = repo.get_target_list(db, list_id)
    return (target_list.year if target_list is not None else 0), plan_repo.get_plan(db, project_id)


def write_plan(db: Database, target_list: TargetList, month: str, unit: str | None, out: Path) -> None:
    """The plan of the list (or of the unit's projects) as .xlsx (the table to fill) or .docx (the 备案 report),
    by ``out``'s suffix, written whole or not at all (fileio.atomic_write_bytes)."""
    fmt = FORMATS["plan"]
    if out.suffix.lower() not in fmt.suffixes:
        raise PlanError(f"“{out.name}”：实施方案应保存为 {' 或 '.join(fmt.suffixes)} 文件。")
    data = collect_month(db, target_list, month, unit)
    try:
        fileio.atomic_write_bytes(out, fmt.builder(out.suffix)(data))
    except (fileio.OutputLocked, OSError) as exc:
        raise PlanError(fileio.write_failure_message(out, exc)) from None


