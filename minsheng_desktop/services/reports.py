"""Monthly reports: save one, read a project's or a month's."""

from __future__ import annotations

from ..domain.model import Project, Report
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
