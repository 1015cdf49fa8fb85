"""The report rules every part of the program applies, each written once (issue 14): the 进度状态 suggested
from a 完成进度, whether a report is blank, which projects get a monthly report.

The window (workbench, tree, form), the exports (exporters.data) and the mail/CLI (reporting, mail.monthly)
call these; storage.gui_queries repeats is_blank in SQL for speed and says so. The quarter-end check is
schedule.is_quarter_end."""

from __future__ import annotations

from . import schedule
from .model import Project, Report

# 序时 suggestion (schedule.suggest_status) -> the 进度状态 it proposes.
SUGGESTION_TO_STATUS: dict[str, str] = {
    "done": "done", "ahead": "on_track", "on_schedule": "on_track", "lagging": "lagging",
}


def suggested_status(percent: float | None, month: str) -> str | None:
    """The 进度状态 key (model.STATUS_LABELS) suggested for ``percent`` 完成进度 at the end of ``month``.

    None when no per cent is given; 未开工 at 0 % (or below: nothing done) whatever the month; 已完成 at 100 %
    or more; otherwise against 序时进度 (months elapsed / 12): more than 10 points behind is 进度滞后,
    anything else — 10 points or less behind (按序时), or ahead (超序时) — 正常推进. The clerk's own
    choice always wins over this."""
    if percent is None:
        return None
    if percent <= 0:
        return "not_started"
    return SUGGESTION_TO_STATUS[schedule.suggest_status(percent, month)]


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
