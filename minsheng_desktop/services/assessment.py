"""The 考核评比 of a list's lead units as of a month (`minsheng export --format assessment`; issue 17, 年考核), read
through storage into domain.assessment's plain records for the exporter.

Per lead unit: its live projects (a project led by two units counts for each), those completed by the month
(the report's status, else 100 %), planned and completed investment; and month by month from the first month
anything was reported up to the month given:

- **on time**: each project's report of the month received by the deadline (domain.schedule.deadline with the
  holiday calendar, as collect checks it). Received means, first found: the unit's returned file collected for
  that month (collect_log, the 发展改革委's own record), the report's 报送日期 (submitted_on), the first time the
  report was saved (its history). A unit's month with a project not received and not due yet is not counted (for
  either figure) until it is; a project completed in an earlier month is not expected to report again.
- **lagging**: its per cent (the month's report, else the latest before it) more than 10 points behind what is
  expected by then — the plan's node where the project has one, else 序时进度 (domain.plan.expected, the rule of
  the status suggestion and the lights).

The weights are the setting ``assess_weights`` ("60,20,20"), DEFAULT_WEIGHTS when unset or unreadable."""

from __future__ import annotations

from datetime import date

from ..domain import schedule
from ..domain.assessment import (
    DEFAULT_WEIGHTS, NOT_DUE, WEIGHTS_KEY, Assessment, MonthTrace, UnitScore, parse_weights, ranked,
)
from ..domain.model import Project, Report, TargetList
from ..domain.plan import Plan, expected
from ..domain.status import is_blank, is_reportable
from ..exporters.data import done_at, latest_report, status_key
from ..storage import assessment as assess_repo
from ..storage import plans as plan_repo
from ..storage import reports as report_repo
from ..storage import repo
from ..storage.db import Database
from .holidays import work_calendar

__all__ = ["assess", "assessment_weights"]


def assessment_weights(db: Database) -> tuple[float, float, float]:
    """The weights set (``minsheng settings assess_weights 60,20,20``), else the default."""
    try:
        return parse_weights(repo.get_setting(db, WEIGHTS_KEY) or "")
    except ValueError:
        return DEFAULT_WEIGHTS


def _day(text: str | None) -> date | None:
    """The date of a stored timestamp or date (2023-05-30T17:02:11+08:00, 2023-05-30)."""
    try:
        return date.fromisoformat((text or "")[:10])
    except ValueError:
        return None


def assess(db: Database, target_list: TargetList, month: str, *, today: date | None = None,
           weights: tuple[float, float, float] | None = None) -> Assessment:
    """The lead units' figures as of the end of ``month`` (reads only)."""
    today = today or date.today()
    weights = weights or assessment_weights(db)
    projects = [p for p in repo.load_projects(db, target_list.id) if is_reportable(p)]
    history: dict[str, dict[str, Report]] = {}
    for r in report_repo.reports_for_list(db, target_list.id):
        if r.month <= month and not is_blank(r):
            history.setdefault(r.project_id, {})[r.month] = r
    plans = plan_repo.plans_for_list(db, target_list.id)
    saved = assess_repo.first_saved(db, target_list.id)
    collected = assess_repo.unit_collected(db, target_list.id)
    reported = sorted(m for h in history.values() for m in h)
    first = reported[0] if reported and reported[0][:4] == month[:4] else month
    months = tuple(str(m) for m in _months(first, month))
    cal = work_calendar(db)
    deadlines = {m: schedule.deadline(m, target_list.report_due, cal) for m in months}

    traces: list[MonthTrace] = []
    units: list[UnitScore] = []
    for unit in repo.list_units(db, target_list.id, "lead"):
        mine = [p for p in projects if unit in p.lead_units]
        if not mine:
            continue
        rows = [t for p in mine for t in _project_traces(p, unit, history.get(p.id, {}), plans.get(p.id), months,
                                                          deadlines, saved, collected, today)]
        traces.extend(rows)
        units.append(_unit_score(unit, mine, rows, history, plans, month, months))
    return Assessment(target_list.year, target_list.region, month, months, weights, tuple(ranked(units,
                                                                                                 weights)),
                                                                                                 tuple(traces))


def _months(first: str, last: str) -> list[str]:
    out, m = [], first
    while m <= last:
        out.append(m)
        m = schedule.month_add(m, 1)
    return out


def _received(p: Project, unit: str, m: str, rep: Report | None, saved: dict[tuple[str, str], str],
              collected: dict[tuple[str, str], str]) -> tuple[date | None, str]:
    """When the month's report of ``p`` was received, and from what record."""
    if rep is None:
        return None, ""
    when = _day(collected.get((unit, m)))
    if when is not None:
        return when, "汇总记录"
    when = _day(rep.submitted_on)
    if when is not None:
        return when, "报送日期"
    when = _day(saved.get((p.id, m))) or _day(rep.updated_at)
    return when, "填报记录" if when else ""


def _project_traces(p: Project, unit: str, h: dict[str, Report], plan: Plan | None, months: tuple[str, ...],
                    deadlines: dict[str, date], saved: dict[tuple[str, str], str],
                    collected: dict[tuple[str, str], str], today: date) -> list[MonthTrace]:
    out: list[MonthTrace] = []
    done_in: str | None = None
    for m in months:
        rep = h.get(m)
        shown = rep or latest_report(h, m)
        exp = expected(plan, m)
        when, source = _received(p, unit, m, rep, saved, collected)
        due = deadlines[m]
        percent = shown.percent if shown else None
        if done_in is not None:  # completed before: nothing more is asked of it
            out.append(MonthTrace(unit, p.number, p.name, m, due, when, source, None, percent,
                                  shown.month if shown else None, exp.percent, exp.basis, None,
                                  f"已于{int(done_in[5:])}月完成"))
            continue
        if when is None and due >= today:
            on_time, note = None, NOT_DUE
        else:
            on_time = when is not None and when <= due
            note = "" if rep else "未填报"
        lag = None
        if percent is not None and on_time is not None:
            lag = schedule.suggest_status(percent, m, expected=exp.percent) == "lagging"
            if rep is None:
                note = f"未填报，按{int(shown.month[5:])}月填报判断"  # type: ignore[union-attr]
        out.append(MonthTrace(unit, p.number, p.name, m, due, when, source, on_time, percent,
                              shown.month if shown else None, exp.percent, exp.basis, lag, note))
        if shown is not None and status_key(shown, shown.month, plan) == "done":
            done_in = shown.month
    return out


def _unit_score(unit: str, mine: list[Project], rows: list[MonthTrace], history: dict[str, dict[str, Report]],
                plans: dict[str, Plan], month: str, months: tuple[str, ...]) -> UnitScore:
    completed = 0
    for p in mine:
        rep = latest_report(history.get(p.id, {}), month)
        completed += rep is not None and status_key(rep, rep.month, plans.get(p.id)) == "done"
    invest = [p.investment_wan for p in mine if p.investment_wan is not None]
    done = [v for p in mine if (v := done_at(history.get(p.id, {}), month)) is not None]
    due = on_time = judged = lagging = 0
    for m in months:
        month_rows = [t for t in rows if t.month == m]
        if any(t.pending for t in month_rows):
            continue  # not due yet: counted once every project is received or the deadline has passed
        counted = [t for t in month_rows if t.on_time is not None]
        if counted:
            due += 1
            on_time += all(t.on_time for t in counted)
        lags = [t.lagging for t in counted if t.lagging is not None]
        if lags:
            judged += 1
            lagging += any(lags)
    return UnitScore(unit, len(mine), completed, sum(invest) if invest else None, sum(done) if done else None,
                     due, on_time, judged, lagging)
