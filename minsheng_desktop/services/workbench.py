"""Qt-free facade for the main window: month overview, copy last month, form checks, holiday overrides."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from typing import NamedTuple

from ..domain import schedule
from ..domain import status as status_rules
from ..domain.model import STATUS_LABELS, Project, Report, TargetList
from ..storage import reports as report_repo
from ..storage import repo
from ..storage.db import Database, DamagedDatabaseError
from ..storage.gui_queries import MonthCell

HOLIDAY_KEY = "holiday_overrides"

# Statuses the clerk can pick in the form, in the order shown.
FORM_STATUSES: tuple[str, ...] = ("not_started", "on_track", "lagging", "done")

FIELD_LABELS: dict[str, str] = {
    "status": "进度状态", "percent": "完成进度（%）", "investment_done_wan": "累计完成投资（万元）",
    "progress": "工作进展情况", "problems": "存在问题", "next_steps": "下步工作打算",
    "submitted_on": "报送日期", "indicator_actuals": "指标完成值", "deleted": "删除/恢复",
}

STATE_LABELS: dict[str, str] = {"filled": "已填报", "missing": "未填报", "late": "逾期未报"}


# ------------------------------------------------------------------ holidays


def holiday_text(db: Database) -> str:
    return repo.get_setting(db, HOLIDAY_KEY, "") or ""


def save_holiday_text(db: Database, text: str) -> dict[date, bool]:
    """Validate with parse_overrides (ValueError carries the Chinese message) and store the text as typed."""
    overrides = schedule.parse_overrides(text)
    repo.set_setting(db, HOLIDAY_KEY, text.strip())
    return overrides


def work_calendar(db: Database) -> schedule.WorkCalendar:
    try:
        return schedule.WorkCalendar(schedule.parse_overrides(holiday_text(db)))
    except ValueError:  # a bad stored text must never stop the window from opening
        return schedule.WorkCalendar()


# ------------------------------------------------------------------ months


def year_months(year: int) -> list[str]:
    return [f"{year:04d}-{m:02d}" for m in range(1, 13)]


def default_month(tl: TargetList, today: date, cal: schedule.WorkCalendar) -> str:
    """The month due now, kept inside the list's year (an old list opens on December, a future one on January)."""
    month = schedule.due_month(today, tl.report_due, cal)
    first, last = f"{tl.year:04d}-01", f"{tl.year:04d}-12"
    return min(max(month, first), last)


def deadline_label(d: date) -> str:
    return f"{d.month}月{d.day}日"


# ------------------------------------------------------------------ projects and reports


def target_lists(db: Database) -> list[TargetList]:
    return repo.list_target_lists(db)


def lead_units(db: Database) -> list[str]:
    return repo.list_units(db)


def get_report(db: Database, project_id: str, month: str) -> Report | None:
    return report_repo.get_report(db, project_id, month)


# The rules, each written once in domain.status: nothing entered; gets a monthly report.
is_blank = status_rules.is_blank
is_reportable = status_rules.is_reportable


def reportable(projects: list[Project], unit: str | None = None) -> list[Project]:
    """Projects that get a monthly report: leaves, not withdrawn, led by ``unit`` when given."""
    return [p for p in projects if is_reportable(p, unit)]


def previous_report(db: Database, project_id: str, month: str) -> tuple[str, Report] | None:
    """(its month, the latest non-blank report before ``month`` re-dated to ``month``); nothing is stored."""
    from .reports import project_reports

    earlier = [r for r in project_reports(db, project_id) if r.month < month and not is_blank(r)]
    if not earlier:
        return None
    src = earlier[-1]
    return src.month, replace(src, month=month, submitted_on=None, updated_at=None)


def latest_actuals(reports: list[Report]) -> dict[str, float]:
    out: dict[str, float] = {}
    for r in sorted(reports, key=lambda x: x.month):
        out.update(r.indicator_actuals)
    return out


def light_for(report: Report | None, month: str) -> str:
    return schedule.light(None if report is None else report.percent, month)


def suggestion(percent: float | None, month: str) -> tuple[str, str]:
    """(suggested status key or '', Chinese sentence) comparing per cent with 序时进度."""
    share = schedule.elapsed_share(month) * 100
    status = status_rules.suggested_status(percent, month)
    if status is None:
        return "", f"序时进度 {share:.0f}%：填写完成进度后给出建议"
    key = schedule.suggest_status(percent, month)
    return status, (f"序时进度 {share:.0f}%，本项 {percent:g}%：{schedule.SCHEDULE_STATUS_LABELS[key]}"
                    f"（建议“{STATUS_LABELS[status]}”）")


# ------------------------------------------------------------------ checks


@dataclass(frozen=True)
class Check:
    """One inline message under a form field."""

    field: str
    level: str  # "error" (not saved) or "warning" (saved, shown)
    text: str


_NUM_RE = re.compile(r"^[+-]?\d+(\.\d*)?$|^[+-]?\.\d+$")


def parse_number(text: str, field: str) -> tuple[float | None, Check | None]:
    """Read a number as a clerk types it: '1,200', '45%', full-width digits; '' is no value."""
    t = text.strip().translate(str.maketrans("０１２３４５６７８９．，－％", "0123456789.,-%"))
    t = t.replace(",", "").rstrip("%").strip()
    if not t:
        return None, None
    if not _NUM_RE.match(t):
        return None, Check(field, "error", f"“{text.strip()}”不是数字，请只填写数字。")
    return float(t), None


def check_values(project: Project, percent: float | None, investment: float | None,
                 status: str | None) -> list[Check]:
    out: list[Check] = []
    if percent is not None and not 0 <= percent <= 100:
        out.append(Check("percent", "error", "完成进度应在 0 到 100 之间，此项未保存。"))
    if investment is not None and investment < 0:
        out.append(Check("investment_done_wan", "error", "累计完成投资不能为负数，此项未保存。"))
    elif investment is not None and project.investment_wan is not None and investment > project.investment_wan:
        out.append(Check("investment_done_wan", "warning",
                         f"超过年度计划投资 {project.investment_wan:g} 万元，请核实。"))
    if status == "done" and percent is not None and percent < 100:
        out.append(Check("status", "warning", f"状态为“已完成”，但完成进度只有 {percent:g}%。"))
    return out


# ------------------------------------------------------------------ the month overview


class OverviewRow(NamedTuple):
    """One project's line (a named tuple: the overview of 20,000 projects builds 20,000 of them per month)."""

    project: Project
    report: Report | None
    state: str  # key of STATE_LABELS


@dataclass(frozen=True)
class MonthOverview:
    """The clerk's projects for one month: filled, not filled, late; and the deadline."""

    month: str
    deadline: date
    rows: tuple[OverviewRow, ...]
    unit: str | None

    @cached_property
    def _counts(self) -> dict[str, int]:
        states = [r[2] for r in self.rows]
        return {k: states.count(k) for k in STATE_LABELS}

    @cached_property
    def ordered(self) -> tuple[OverviewRow, ...]:
        """Late first, then not filled, then filled (stable within each), as the 本月填报 table shows them."""
        rows = self.rows
        return tuple(r for r in rows if r[2] == "late") + tuple(r for r in rows if r[2] == "missing") + tuple(
            r for r in rows if r[2] == "filled")

    def count(self, state: str) -> int:
        return self._counts.get(state, 0)

    @property
    def left(self) -> int:
        return self.count("missing") + self.count("late")

    def status_line(self) -> str:
        return _status_line(self.unit, self.month, len(self.rows), self.left, self.count("late"), self.deadline)


def _status_line(unit: str | None, month: str, total: int, left: int, late: int, deadline: date) -> str:
    who = f"{unit}：" if unit else ""
    label = schedule.month_label(month)
    if not total:
        return f"{who}{label}没有需要填报的项目"
    if left == 0:
        return f"{who}{label}{total}项已全部填报"
    return f"{who}{label}还有{left}项未填报，截止{deadline_label(deadline)}{'（已过截止日）' if late else ''}"


class MonthSummary(NamedTuple):
    """The counts of a MonthOverview without its rows: what the status bar and the 本月填报 tab's title show
    while the tab itself is not looked at (20,000 projects: ~2 ms instead of ~20 ms for the rows)."""

    month: str
    deadline: date
    unit: str | None
    total: int
    filled: int
    empty_state: str  # "late" or "missing": what an unfilled report is this month

    def count(self, state: str) -> int:
        if state == "filled":
            return self.filled
        return self.total - self.filled if state == self.empty_state else 0

    @property
    def left(self) -> int:
        return self.total - self.filled

    def status_line(self) -> str:
        return _status_line(self.unit, self.month, self.total, self.left, self.count("late"), self.deadline)


def reportable_ids(projects: list[Project], unit: str | None) -> frozenset[str]:
    """The ids of the projects a month's overview counts (leaf, not withdrawn, led by ``unit`` if given)."""
    return frozenset(p.id for p in projects if is_reportable(p, unit))


def month_summary(tl: TargetList, month: str, reportable: frozenset[str], reports: Mapping[str, object],
                  unit: str | None, today: date, cal: schedule.WorkCalendar) -> MonthSummary:
    """overview_of's counts, from the reportable ids (reportable_ids, kept while the projects are unchanged)
    and the month's reports or MonthCells: one pass over the month's reports, no row built."""
    due = schedule.deadline(month, tl.report_due, cal)
    filled = 0
    for pid, r in reports.items():
        if pid in reportable and not (r[2] if type(r) is MonthCell else _blank(r)):
            filled += 1
    return MonthSummary(month, due, unit, len(reportable), filled, "late" if today > due else "missing")


def month_overview(db: Database, tl: TargetList, month: str, unit: str | None, today: date,
                   cal: schedule.WorkCalendar) -> MonthOverview:
    from .reports import month_reports, projects_of

    return overview_of(tl, month, projects_of(db, tl.id), month_reports(db, tl.id, month), unit,
                       today, cal)


def _blank(r: object) -> bool:
    """A Report, or the window's light MonthCell (which knows whether it is blank)."""
    blank = getattr(r, "blank", None)
    return is_blank(r) if blank is None else bool(blank)  # type: ignore[arg-type]


def overview_row(p: Project, r: object, due: date, today: date) -> OverviewRow:
    state = "filled" if r is not None and not _blank(r) else ("late" if today > due else "missing")
    return OverviewRow(p, r, state)  # type: ignore[arg-type]


def overview_of(tl: TargetList, month: str, projects: list[Project], reports: Mapping[str, object],
                unit: str | None, today: date, cal: schedule.WorkCalendar) -> MonthOverview:
    """The overview from projects and reports already in memory (the window has them): no query."""
    due = schedule.deadline(month, tl.report_due, cal)
    empty = "late" if today > due else "missing"
    get = reports.get
    new = tuple.__new__
    rows = []
    add = rows.append
    reportable_ = is_reportable
    for p in projects:  # runs once per project on every month
        if not reportable_(p, unit):
            continue
        r = get(p.id)
        if r is None:
            state = empty
        else:
            blank = getattr(r, "blank", None)
            state = empty if (is_blank(r) if blank is None else blank) else "filled"  # type: ignore[arg-type]
        add(new(OverviewRow, (p, r, state)))
    return MonthOverview(month, due, tuple(rows), unit)


# ------------------------------------------------------------------ edit history


def _short(v: str | None) -> str:
    if v is None or v == "":
        return "（空）"
    return v if len(v) <= 30 else v[:29] + "…"


def _value_text(field: str, v: str | None) -> str:
    if field == "deleted":
        return "已删除" if v == "1" else "有效"
    if field == "status" and v in STATUS_LABELS:
        return STATUS_LABELS[v]
    if field == "indicator_actuals" and v:
        try:
            values = json.loads(v)
            return _short("、".join(f"{k} {x:g}" for k, x in values.items()))
        except (ValueError, TypeError, AttributeError):
            pass
    return _short(v)


def history_rows(db: Database, project_id: str) -> list[tuple[str, str, str, str]]:
    """(when, month, field, 'old → new') rows, newest first, in Chinese."""
    out = []
    for h in report_repo.report_history(db, project_id):
        when = (h["changed_at"] or "")[:16].replace("T", " ")
        f = h["field"]
        out.append((when, schedule.month_label(h["month"]), FIELD_LABELS.get(f, f),
                    f"{_value_text(f, h['old_value'])} → {_value_text(f, h['new_value'])}"))
    return out


def delete_month_report(db: Database, project_id: str, month: str) -> bool:
    """Mark the month's report deleted; it stays in the database and can be brought back."""
    return report_repo.delete_report(db, project_id, month)


def restore_month_report(db: Database, project_id: str, month: str) -> bool:
    return report_repo.restore_report(db, project_id, month)


def deleted_months(db: Database, project_id: str) -> list[str]:
    """Months of this project whose report was deleted (and not filled again since)."""
    from ..storage.gui_queries import deleted_months as query

    return query(db, project_id)


# ------------------------------------------------------------------ opening safely


def open_checked(path: str | os.PathLike[str], *, check: bool = True) -> Database:
    """Open (and migrate) the database, then a quick integrity check: a damaged file raises DamagedDatabaseError.

    ``check=False`` leaves the integrity check to the caller (the window runs it in the background on a large
    file, with quick_problem): opening still fails at once on a file that is not a database at all."""
    try:
        db = Database(path)
    except sqlite3.DatabaseError as exc:  # e.g. a truncated file found while migrating
        raise DamagedDatabaseError(f"数据库文件“{path}”已损坏（{exc}）。") from None
    problem = quick_problem(db) if check else None
    if problem is not None:
        db.close()
        raise DamagedDatabaseError(problem)
    return db


def quick_problem(db: Database) -> str | None:
    """PRAGMA quick_check: None when the file is sound, else the Chinese line saying it is damaged."""
    rows = db.quick_check()
    return None if rows == ["ok"] else f"数据库文件“{db.path}”已损坏（{rows[0]}）。"
