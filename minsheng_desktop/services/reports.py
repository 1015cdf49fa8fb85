"""Monthly reports: save one, read a project's or a month's, copy the last one, delete one and bring it back."""

from __future__ import annotations

from dataclasses import replace

from ..domain.model import Project, Report
from ..domain.plan import Plan
from ..domain.status import is_blank
from ..storage import month_cells
from ..storage import plans as plan_repo
from ..storage import reports as report_repo
from ..storage import repo
from ..storage.db import Database



def save_report(db: Database, report: Report) -> bool:
    return report_repo.save_report(db, report)


def project_reports(db: Database, project_id: str) -> list[Report]:
    return report_repo.reports_for_project(db, project_id)


def month_reports(db: Database, list_id: int, month: str) -> dict[str, Report]:
    return {r.project_id: r for r in report_repo.reports_for_list(db, list_id, month)}


def projects_of(db: Database, list_id: int) -> list[Project]:
    return repo.load_projects(db, list_id)


def get_report(db: Database, project_id: str, month: str) -> Report | None:
    return report_repo.get_report(db, project_id, month)


def project_plan(db: Database, project_id: str) -> Plan | None:
    """The project's 实施方案 (its nodes), for the form's 本月节点 and its suggestion."""
    return plan_repo.get_plan(db, project_id)


def previous_report(db: Database, project_id: str, month: str) -> tuple[str, Report] | None:
    """(its month, the latest non-blank report before ``month`` re-dated to ``month``, without its answer to
    本月节点是否完成？, which was about that month's node); nothing is stored."""
    earlier = [r for r in project_reports(db, project_id) if r.month < month and not is_blank(r)]
    if not earlier:
        return None
    src = earlier[-1]
    return src.month, replace(src, month=month, submitted_on=None, updated_at=None, node_met=None)


def latest_actuals(reports: list[Report]) -> dict[str, float]:
    """Each indicator's latest value over a project's reports (later months win)."""
    out: dict[str, float] = {}
    for r in sorted(reports, key=lambda x: x.month):
        out.update(r.indicator_actuals)
    return out


def delete_month_report(db: Database, project_id: str, month: str) -> bool:
    """Mark the month's report deleted; it stays in the database and can be brought back."""
    return report_repo.delete_report(db, project_id, month)


def restore_month_report(db: Database, project_id: str, month: str) -> bool:
    return report_repo.restore_report(db, project_id, month)


def deleted_months(db: Database, project_id: str) -> list[str]:
    """Months of this project whose report was deleted (and not filled again since)."""
    return month_cells.deleted_months(db, project_id)
