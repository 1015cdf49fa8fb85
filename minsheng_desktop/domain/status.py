"""The report rules every part of the program applies, each written once (issue 14): the 进度状态 suggested
from a 完成进度 (and the form's sentence saying so), whether a report is blank, which projects get a monthly
report, a report's traffic light.

The window (month overview, tree, form), the exports (exporters.data) and the mail/CLI (services.export,
mail.monthly) call these; storage.month_cells repeats is_blank in SQL for speed and says so. The quarter-end
check is schedule.is_quarter_end."""

from __future__ import annotations

from . import schedule
from .model import STATUS_LABELS, Project, Report
from .plan import Plan, expected

# 序时 suggestion (schedule.suggest_status) -> the 进度状态 it proposes.
SUGGESTION_TO_STATUS: dict[str, str] = {
    "done": "done", "ahead": "on_track", "on_schedule": "on_track", "lagging": "lagging",
}


def suggested_status(percent: float | None, month: str, plan: Plan | None = None) -> str | None:
    """The 进度状态 key (model.STATUS_LABELS) suggested for ``percent`` 完成进度 at the end of ``month``.

    None when no per cent is given; 未开工 at 0 % (or below: nothing done) whatever the month; 已完成 at 100 %
    or more; otherwise against what is expected by then (domain.plan.expected: the project's ``plan`` where it
    has nodes, else 序时进度, months elapsed / 12): more than 10 points behind is 进度滞后,
    anything else — 10 points or less behind (按序时), or ahead (超序时) — 正常推进. The clerk's own
    choice always wins over this."""
    if percent is None:
        return None
    if percent <= 0:
        return "not_started"
    return SUGGESTION_TO_STATUS[schedule.suggest_status(percent, month, expected=expected(plan, month).percent)]


# How a per cent compares with the plan's (schedule.suggest_status's keys), where a plan judges it.
PLAN_STATUS_LABELS = {"done": "已完成", "ahead": "超计划", "on_schedule": "按计划", "lagging": "滞后于计划"}


def suggestion(percent: float | None, month: str, plan: Plan | None = None) -> tuple[str, str]:
    """(suggested status key or '', Chinese sentence) comparing per cent with what is expected by the month — the
    plan's (计划进度, with the month's node) where it has nodes, else 序时进度: the report form's hint."""
    exp = expected(plan, month)
    share = f"{exp.percent:g}" if exp.by_plan else f"{exp.percent:.0f}"
    node = f"（本月节点：{exp.node.text}）" if exp.node is not None and exp.node.text else ""
    status = suggested_status(percent, month, plan)
    if status is None:
        return "", f"{exp.basis} {share}%{node}：填写完成进度后给出建议"
    key = schedule.suggest_status(percent, month, expected=exp.percent)
    advice = f"（建议“{STATUS_LABELS[status]}”）"
    if not exp.by_plan:
        return status, f"序时进度 {share}%，本项 {percent:g}%：{schedule.SCHEDULE_STATUS_LABELS[key]}{advice}"
    if key == "lagging":
        return status, f"本项 {percent:g}%，{exp.reason()}{advice}"
    return status, f"计划进度 {share}%{node}，本项 {percent:g}%：{PLAN_STATUS_LABELS[key]}{advice}"


def is_blank(r: Report | None) -> bool:
    """Nothing entered: no status, per cent, investment, indicator value or text (whitespace is no text).

    Not a report: not counted as filled, not shown in a table, not carried forward (the window keeps such
    rows after a field was cleared)."""
    if r is None:
        return True
    return (r.status is None and r.percent is None and r.investment_done_wan is None and not r.indicator_actuals
            and not any(t and t.strip() for t in (r.progress, r.problems, r.next_steps)))


def is_reportable(p: Project, unit: str | None = None) -> bool:
    """A project that gets a monthly report: a leaf, not withdrawn, led by ``unit`` when one is given."""
    return p.is_leaf and not p.withdrawn and (unit is None or unit in p.lead_units)


def reportable(projects: list[Project], unit: str | None = None) -> list[Project]:
    """Projects that get a monthly report: leaves, not withdrawn, led by ``unit`` when given."""
    return [p for p in projects if is_reportable(p, unit)]


def reportable_ids(projects: list[Project], unit: str | None) -> frozenset[str]:
    """The ids of the projects a month's overview counts (leaf, not withdrawn, led by ``unit`` if given)."""
    return frozenset(p.id for p in projects if is_reportable(p, unit))


def light_for(report: Report | None, month: str, plan: Plan | None = None) -> str:
    """The traffic light of a report's 完成进度 against what is expected (the plan's nodes, else 序时进度:
    schedule.light); no report: no per cent."""
    return schedule.light(None if report is None else report.percent, month, expected=expected(plan, month).percent)
