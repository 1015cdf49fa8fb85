"""The projects' 实施方案: a project's plan and a list's plans for the window, and replacing one. Writing the plan
out (.xlsx to fill, .docx for 备案) is an export like the others (services/export.py export_to, `minsheng export
--format plan`); reading a filled table back is services/plan_table.py's (it loads the importers' .xlsx reader,
which the window's start does without)."""

from __future__ import annotations

from ..domain.plan import Plan
from ..storage import plans as plan_repo
from ..storage import repo
from ..storage.db import Database


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
