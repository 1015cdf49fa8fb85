"""A project's edit history as the detail pane shows it: (when, month, field, 'old → new') in Chinese."""

from __future__ import annotations

import json

from ..domain import schedule
from ..domain.model import STATUS_LABELS
from ..storage import reports as report_repo
from ..storage.db import Database

FIELD_LABELS: dict[str, str] = {
    "status": "进度状态", "percent": "完成进度（%）", "investment_done_wan": "累计完成投资（万元）",
    "progress": "工作进展情况", "problems": "存在问题", "next_steps": "下步工作打算",
    "submitted_on": "报送日期", "indicator_actuals": "指标完成值", "deleted": "删除/恢复",
    "node_met": "本月节点",  # the answer to 本月节点是否完成？ (issue 17)
}


def _short(v: str | None) -> str:
    if v is None or v == "":
        return "（空）"
    return v if len(v) <= 30 else v[:29] + "…"


def _value_text(field: str, v: str | None) -> str:
    if field == "deleted":
        return "已删除" if v == "1" else "有效"
    if field == "node_met" and v in ("1", "0"):
        return "已完成" if v == "1" else "未完成"
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
