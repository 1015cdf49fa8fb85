"""A month of a target list read from the database into the exporters' plain MonthData (reads only)."""

from __future__ import annotations

from datetime import date

from ..domain.model import Report, TargetList
from ..domain.status import is_blank
from ..exporters.data import MonthData, build_blocks, done_at, latest_report
from ..storage import plans as plan_repo
from ..storage import reports as report_repo
from ..storage import repo
from ..storage.db import Database

SETTING_KEYS = {"unit": "reporter_unit", "name": "reporter_name", "phone": "reporter_phone"}


def collect_month(db: Database, target_list: TargetList, month: str, unit: str | None = None, *,
                  today: date | None = None) -> MonthData:
    """Read the list's projects, the reports and the reporter settings (reads only).

    Each project shows its report for the month; one not reported yet shows its latest earlier report of the
    year, marked with that month (Row.carried_from): missing is not zero, and every figure of the table, the
    letter and the bulletin is taken from the same reports."""
    projects = repo.load_projects(db, target_list.id)
    every = report_repo.reports_for_list(db, target_list.id)
    history: dict[str, dict[str, Report]] = {}
    for r in every:
        history.setdefault(r.project_id, {})[r.month] = r
    shown, done = {}, {}
    for pid, h in history.items():
        rep = h.get(month)
        if rep is None or is_blank(rep):
            rep = latest_report(h, month)
        if rep is not None:
            shown[pid] = rep
            if rep.investment_done_wan is None and (value := done_at(h, month)) is not None:
                done[pid] = value
    plans = plan_repo.plans_for_list(db, target_list.id)
    blocks, withdrawn = build_blocks(projects, shown, target_list.sections, unit, month, done, plans)
    kind = repo.get_setting(db, "letter_kind") or "函"
    return MonthData(
        target_list=target_list, month=month, unit=unit, blocks=blocks, withdrawn=withdrawn,
        reporter_unit=repo.get_setting(db, SETTING_KEYS["unit"]) or None,
        reporter_name=repo.get_setting(db, SETTING_KEYS["name"]) or None,
        reporter_phone=repo.get_setting(db, SETTING_KEYS["phone"]) or None,
        report_date=today or date.today(), letter_kind="报告" if kind.strip() == "报告" else "函",
        history=history, plans=plans,
    )
